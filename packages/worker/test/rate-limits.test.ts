import { memoryDealerCredentials } from "@adsync/core";
import { describe, expect, it } from "@effect/vitest";
import { Effect, Fiber, TestClock } from "effect";
import { type Log, pingMarketplace } from "../../core/test/support/ping-marketplace.ts";
import { postgresDatabase } from "../../store-sql/test/support/databases.ts";
import { recordingTransport, workerAdapters } from "./support/worker-adapters.ts";

const database = postgresDatabase();

/**
 * Two workers' `DealerAdapters` as `adsync worker` builds them, each on a PostgreSQL connection
 * of its own, one scripted transport for both (what the marketplace sees).
 */
const twoWorkers = Effect.gen(function* () {
  const { sent, transport } = recordingTransport();
  const log: Log = { built: [], closed: [] };
  const credentials = yield* memoryDealerCredentials({
    "dealer-a": { testmarket: { token: "token-a", perMinute: 1 } },
    "dealer-b": { testmarket: { token: "token-b", perMinute: 1 } },
  });
  const worker = () =>
    workerAdapters(database, credentials, transport, {
      marketplaces: [pingMarketplace(log)],
      applicationLimits: { testmarket: { limit: 2, interval: "1 minute" } },
    });
  const ping = (adapters: Effect.Effect.Success<ReturnType<typeof worker>>, dealer: string) =>
    adapters.withAdapter(dealer, "testmarket", (adapter) => adapter.warmUp ?? Effect.void);
  return { sent, first: yield* worker(), second: yield* worker(), ping };
});

/** Waits in real time (the test clock stands still) until `count()` reaches `at`, then a little more. */
const until = (count: () => number, at: number) =>
  Effect.promise(async () => {
    const pause = () => new Promise((resolve) => setTimeout(resolve, 10));
    for (let waited = 0; count() < at && waited < 60_000; waited += 10) await pause();
    for (let more = 0; more < 20; more++) await pause();
  });

describe("the worker's rate limits", () => {
  it.scoped(
    "a dealer's own limit and the application's hold across two workers: kept in PostgreSQL",
    () =>
      Effect.gen(function* () {
        yield* database.empty;
        const { sent, first, second, ping } = yield* twoWorkers;
        const tokens = () => sent.map((request) => request.headers["x-auth-token"]).sort();
        // dealer-a (1 a minute) through both workers, dealer-b through the second.
        const fibers = [
          yield* Effect.fork(ping(first, "dealer-a")),
          yield* Effect.fork(ping(second, "dealer-a")),
        ];
        yield* until(() => sent.length, 1);
        // In memory each worker's bucket of dealer-a would let one request go: two in all.
        expect(tokens()).toEqual(["token-a"]);
        fibers.push(yield* Effect.fork(ping(second, "dealer-b")));
        fibers.push(yield* Effect.fork(ping(first, "dealer-b")));
        yield* until(() => sent.length, 1);
        // The application's 2 a minute spaces its permits 30 s apart (store-sql's GCRA): dealer-b
        // waits for the application's next one, its second request for its own limit too.
        expect(tokens()).toEqual(["token-a"]);
        yield* TestClock.adjust("30 seconds");
        yield* until(() => sent.length, 2);
        expect(tokens()).toEqual(["token-a", "token-b"]);
        // A minute on, dealer-a and dealer-b have their own permits again; the application's
        // lets one of them go now, the other 30 s later.
        yield* TestClock.adjust("30 seconds");
        yield* until(() => sent.length, 3);
        expect(sent).toHaveLength(3);
        yield* TestClock.adjust("30 seconds");
        yield* until(() => sent.length, 4);
        expect(tokens()).toEqual(["token-a", "token-a", "token-b", "token-b"]);
        yield* Effect.forEach(fibers, Fiber.join);
      }),
  );
});
