import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "pro-import",
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
  },
});
