import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "store-sql",
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/postgres.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
