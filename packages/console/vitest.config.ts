import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "console",
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 240_000,
  },
});
