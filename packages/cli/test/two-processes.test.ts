/**
 * Two `adsync publish` processes on one SQLite file, started at once with different content for
 * the same ad, against the sandbox (which runs in this test's process). Whatever their timing,
 * Marktplaats (whose creates have no server-side guard) must end with one advertisement for
 * the ad, holding what the store says.
 */
import { join } from "node:path";
import { type Sandbox, startSandbox } from "@adsync/sandbox";
import { makeSqliteStore } from "@adsync/store-sqlite";
import { Effect, Option } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxConfig } from "../src/commands/sandbox.ts";
import {
  adsync,
  removeTemporaryDirectories,
  runAdsyncProcess,
  temporaryDirectory,
  writeJson,
} from "./cli-support.ts";
import { car, priceIn } from "./sandbox-publisher.ts";

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ allegro: { taskDelayMs: 10 } });
});

afterAll(async () => {
  await sandbox.close();
  removeTemporaryDirectories();
});

describe("two adsync processes on one SQLite file", () => {
  it("publishing the same ad at once leave one advertisement", async () => {
    const directory = temporaryDirectory();
    const database = join(directory, "adsync.db");
    const config = writeJson(
      join(directory, "adsync.config.json"),
      sandboxConfig(sandbox, { type: "sqlite", path: database }),
    );
    const id = "two-processes-2001";
    const first = writeJson(join(directory, "first.json"), car(id, 1_000_000));
    const second = writeJson(join(directory, "second.json"), car(id, 2_000_000));
    // Marktplaats only: two processes sharing one Allegro refresh token refuse each other's
    // rotation (one refresh token per grant), which is a matter of credentials, not of claims.
    const to = ["--to", "marktplaats", "--json", "--config", config];
    const before = sandbox.marktplaats.adCount();

    // Each process reads the (absent) listing, then loads Marktplaats' categories: answered
    // 4 s late, so both have read the listing absent before either claims it (whatever the
    // skew of their start-up), which is when both would create.
    sandbox.marktplaats.injectFault({
      method: "GET",
      path: "/v1/categories",
      times: 2,
      fault: { type: "slow", delayMs: 4_000 },
    });
    const runs = await Promise.all([
      runAdsyncProcess(["publish", first, ...to]),
      runAdsyncProcess(["publish", second, ...to]),
    ]);
    for (const run of runs) expect(run.err).not.toMatch(/Error:|TypeError/);
    expect(sandbox.marktplaats.adCount() - before).toBe(1);
    // One of them was told another process got there first.
    expect(runs.filter((run) => run.out.includes('"reason": "Conflict"'))).toHaveLength(1);

    // The second content is published again until no process holds the listing any more.
    for (let round = 0; round < 5; round += 1) {
      const again = await adsync(["publish", second, ...to]);
      if (again.code === 0) break;
    }

    expect(sandbox.marktplaats.adCount() - before).toBe(1);
    await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const store = yield* makeSqliteStore({ path: database });
          const listing = Option.getOrUndefined(yield* store.get(id, "marktplaats"));
          const remote = sandbox.marktplaats.advertisement(listing?.ref?.remoteId ?? "");
          expect(priceIn(remote)).toBeDefined();
          expect(priceIn(remote)).toBe(priceIn(listing?.payload));
          expect(listing?.lease).toBeUndefined();
        }),
      ),
    );
  }, 120_000);
});
