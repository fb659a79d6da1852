import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "cli",
    include: ["test/**/*.test.ts"],
    // Several tests start `adsync` as a process (tsx start-up included): on a loaded 2-core
    // machine one start has taken more than 20 s. The budgets guard against hangs, not speed.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
