/**
 * The model-based test of #9 (packages/cli/test/model.test.ts) for many more runs, with
 * figures: runs, steps, commands by kind, faults injected, outside changes, outcomes, failures
 * with the seed that replays each, and the duration.
 *
 *   npx tsx scripts/model-runs.ts                     # 1000 runs × up to 25 commands
 *   npx tsx scripts/model-runs.ts --runs 2000 --steps 30 --seed 42
 *
 * A failure prints its seed: `MODEL_SEED=<seed> MODEL_RUNS=<runs> npx vitest run
 * packages/cli/test/model.test.ts` replays it (the same seed and number of runs).
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { emptyFigures, runModel } from "../packages/cli/test/model/model.ts";
import { startWorld } from "../packages/cli/test/model/world.ts";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "1000" },
    steps: { type: "string", default: "25" },
    seed: { type: "string" },
    /** Runs per fast-check batch (one seed each), so one failure does not end the whole run. */
    batch: { type: "string", default: "50" },
  },
});

const runs = Number(values.runs);
const steps = Number(values.steps);
const batch = Math.max(1, Number(values.batch));
const firstSeed = values.seed === undefined ? Date.now() % 2_147_483_647 : Number(values.seed);

const sorted = (table: Record<string, number>) =>
  Object.entries(table)
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([key, value]) => `    ${key.padEnd(36)} ${value}`)
    .join("\n");

const sandbox = await startWorld();
const figures = emptyFigures();
const failures: Array<{ seed: number; runs: number; commands: string; problems: string }> = [];
const started = performance.now();
try {
  for (let done = 0, index = 0; done < runs; done += batch, index++) {
    const size = Math.min(batch, runs - done);
    const seed = (firstSeed + index) % 2_147_483_647;
    const found = await runModel({
      sandbox,
      runs: size,
      steps,
      seed,
      figures,
      stopAtFailure: false,
    });
    for (const failure of found)
      failures.push({
        seed,
        runs: size,
        commands: failure.commands,
        problems: failure.problems.join("\n      "),
      });
    process.stdout.write(
      `\r${figures.runs} runs, ${figures.failures} failing, ${Math.round((performance.now() - started) / 1000)} s`,
    );
  }
} finally {
  await sandbox.close();
}
const seconds = (performance.now() - started) / 1000;
const total = (table: Record<string, number>) =>
  Object.values(table).reduce((sum, value) => sum + value, 0);
console.log(`

model runs (#9): four marketplaces, SQLite store, manual clocks
  runs          ${figures.runs} (batches of ${batch}, seeds from ${firstSeed})
  steps         ${figures.steps} (up to ${steps} per run)
  duration      ${seconds.toFixed(1)} s (${((seconds * 1000) / Math.max(1, figures.runs)).toFixed(0)} ms per run)
  failures      ${figures.failures}
  commands      ${total(figures.commands)} (every step a command)
  faults        ${total(figures.faults)} requests covered by injected faults
  wall time     ${seconds.toFixed(1)} s
  commands by kind
${sorted(figures.commands)}
  faults injected (requests they cover)
${sorted(figures.faults)}
  outside changes (marketplace:kind:done|none — "none": the fake has no such change yet)
${sorted(figures.outside)}
  outcomes (operation:result)
${sorted(figures.outcomes)}`);
for (const failure of failures)
  console.log(`
  FAILED  MODEL_SEED=${failure.seed} MODEL_RUNS=${failure.runs}
    commands: ${failure.commands}
      ${failure.problems}`);
process.exitCode = failures.length > 0 ? 1 : 0;
