/**
 * The model-based test of #9 ("keep every listing true"), over the four fake marketplaces on
 * manual clocks and a SQLite store: random publish / change / remove / republish / crash /
 * marketplace-side changes / faults, then settle, reconcile, the dealer's wishes once more,
 * and every marketplace must hold exactly what the model says (see test/model/model.ts).
 *
 * Budget: MODEL_RUNS × MODEL_STEPS (default 25 × 30, seed 11: deterministic), 3–5 s a run on
 * the shared 2-core machine under a load average of 11–16 (seed 11: 20 × 30 took 58 s, 30 × 30
 * 107 s — 114 s with vitest's start — and 35 × 30 257 s while other tests competed), so CI
 * stays under ~120 s with a margin (25 × 30: 92 s, 98 s with vitest's start, load ~11).
 * MODEL_SEED replays a failing run. Nothing is steered around: every command sequence the
 * arbitrary generates is run.
 * Each run's last step settles, reconciles (`reconcile` once the publisher has it, else a
 * re-read of every listing) and compares.
 * scripts/model-runs.ts runs the same model for many more runs.
 */
import type { Sandbox } from "@adsync/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runModel } from "./model/model.ts";
import { startWorld } from "./model/world.ts";

const runs = Number(process.env.MODEL_RUNS ?? 25);
const steps = Number(process.env.MODEL_STEPS ?? 30);
// A fixed seed keeps CI deterministic (982214972 once failed: the model read an expired Tradera
// ad as live; fixed in model/truth.ts).
const seed = process.env.MODEL_SEED === undefined ? 11 : Number(process.env.MODEL_SEED);

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startWorld();
});

afterAll(async () => {
  await sandbox.close();
});

describe("every listing stays true (model-based, four marketplaces)", () => {
  it(`${runs} runs × up to ${steps} commands with faults, crashes and outside changes`, async () => {
    const failures = await runModel({
      sandbox,
      runs,
      steps,
      seed,
      stopAtFailure: true,
      onFailure: (failure) => {
        console.error(
          `model run failed: MODEL_SEED=${failure.seed} (run ${failure.run})\ncommands: ${failure.commands}\n${failure.problems.join("\n")}`,
        );
      },
    });
    expect(
      failures.map(
        (failure) =>
          `seed ${failure.seed}, path ${failure.path ?? "?"}: ${failure.commands}\n${failure.problems.join("\n")}`,
      ),
    ).toEqual([]);
  }, 600_000);
});
