/**
 * Two processes on one SQLite file, as a DMS with two workers runs adsync: each has its own
 * publisher, adapters and connection to the file (so no lock in memory is shared), and both
 * publish the same ads at once with different content. Marktplaats and Allegro have no
 * server-side guard against a second create, so only the claim in the store keeps one listing
 * per ad. Runs against the sandbox on 127.0.0.1.
 */
import { join } from "node:path";
import type { ListingOutcome } from "@adsync/core";
import { type Sandbox, startSandbox } from "@adsync/sandbox";
import { Effect, Option } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTemporaryDirectories, temporaryDirectory } from "./cli-support.ts";
import { car, priceIn, processOn } from "./sandbox-publisher.ts";

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ allegro: { taskDelayMs: 10 } });
});

afterAll(async () => {
  await sandbox.close();
  removeTemporaryDirectories();
});

const isConflict = (outcome: ListingOutcome | undefined) => outcome?.reason === "Conflict";

describe("two processes publishing the same ads on one SQLite file", () => {
  it("leave exactly one listing per ad on Marktplaats and Allegro, holding what the store says", async () => {
    const path = join(temporaryDirectory(), "adsync.db");
    const ids = ["shared-1001", "shared-1002", "shared-1003", "shared-1004"];
    const before = {
      marktplaats: sandbox.marktplaats.adCount(),
      allegro: sandbox.allegro.offerCount(),
    };
    await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const first = yield* processOn(sandbox, path);
          const second = yield* processOn(sandbox, path);
          const prices = { first: 1_000_000, second: 2_000_000 };
          // Both at once, every ad: each loads the listing absent, then warms up over HTTP.
          const results = yield* Effect.all(
            ids.flatMap((id) => [
              first.publisher.publish(car(id, prices.first)),
              second.publisher.publish(car(id, prices.second)),
            ]),
            { concurrency: "unbounded" },
          );
          const outcomes = results.flatMap((result) => result.outcomes);
          // A process that lost the claim was told so, and retryably.
          for (const outcome of outcomes.filter(isConflict)) expect(outcome.retryable).toBe(true);
          expect(outcomes.filter((outcome) => outcome.result === "invalid")).toEqual([]);

          // Each process settles and publishes its content again until nothing is refused.
          for (const [process, price] of [
            [first, prices.first],
            [second, prices.second],
          ] as const) {
            for (const id of ids) {
              for (let round = 0; round < 40; round += 1) {
                yield* process.publisher.awaitSettled(id, {
                  interval: "50 millis",
                  timeout: "10 seconds",
                });
                const again = yield* process.publisher.publish(car(id, price));
                if (!again.outcomes.some(isConflict)) break;
              }
            }
          }
          for (const id of ids) yield* second.publisher.awaitSettled(id, { interval: "50 millis" });

          // One advertisement and one offer per ad, whatever the interleaving was.
          expect(sandbox.marktplaats.adCount() - before.marktplaats).toBe(ids.length);
          expect(sandbox.allegro.offerCount() - before.allegro).toBe(ids.length);
          for (const id of ids) {
            const marktplaats = Option.getOrUndefined(yield* first.store.get(id, "marktplaats"));
            const allegro = Option.getOrUndefined(yield* first.store.get(id, "allegro"));
            const advertisement = sandbox.marktplaats.advertisement(
              marktplaats?.ref?.remoteId ?? "",
            );
            const offer = sandbox.allegro.offer(allegro?.ref?.remoteId ?? "");
            // The second process published last: its price is in the store and on both sites.
            expect(priceIn(advertisement)).toBeDefined();
            expect(priceIn(offer)).toBeDefined();
            expect(priceIn(advertisement)).toBe(priceIn(marktplaats?.payload));
            expect(priceIn(offer)).toBe(priceIn(allegro?.payload));
            expect(marktplaats?.lease).toBeUndefined();
          }
        }),
      ),
    );
  }, 120_000);
});
