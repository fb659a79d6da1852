import { memoryDealerCredentials } from "@adsync/core";
import { describe, expect, it } from "@effect/vitest";
import { Effect, TestClock } from "effect";
import { type Log, pingMarketplace } from "../../core/test/support/ping-marketplace.ts";
import { postgresDatabase } from "../../store-sql/test/support/databases.ts";
import type { WorkerOptions } from "../src/worker.ts";
import { recordingTransport, workerAdapters } from "./support/worker-adapters.ts";

const database = postgresDatabase();

/**
 * Two workers' `DealerAdapters` as `adsync worker` builds them (each on a PostgreSQL connection
 * of its own), whose adapters' `warmUp` GETs `path` ("/vehicle/colors" is declared reference
 * data), and one transport for both recording what the marketplace receives.
 */
const twoWorkers = (path: string, referenceCache: WorkerOptions["referenceCache"]) =>
  Effect.gen(function* () {
    const { sent, transport } = recordingTransport('["red"]');
    const log: Log = { built: [], closed: [] };
    const credentials = yield* memoryDealerCredentials({
      "dealer-a": { testmarket: { token: "token-a" } },
      "dealer-b": { testmarket: { token: "token-b" } },
    });
    const worker = () =>
      workerAdapters(database, credentials, transport, {
        marketplaces: [pingMarketplace(log, path, [/\/vehicle\/colors$/])],
        referenceCache,
      });
    const workers = [yield* worker(), yield* worker()] as const;
    // Each dealer through each worker: four adapters, each asking once.
    const warmUpAll = Effect.forEach(
      workers.flatMap((adapters) =>
        ["dealer-a", "dealer-b"].map((dealer) =>
          adapters.withAdapter(dealer, "testmarket", (adapter) => adapter.warmUp ?? Effect.void),
        ),
      ),
      (each) => each,
      { discard: true },
    );
    return { sent, warmUpAll };
  });

describe("the worker's reference-data cache", () => {
  it.scoped("asks the marketplace once for every dealer on every worker, until the TTL", () =>
    Effect.gen(function* () {
      yield* database.empty;
      const { sent, warmUpAll } = yield* twoWorkers("/vehicle/colors", "1 hour");
      yield* warmUpAll;
      expect(sent.map((request) => request.url)).toEqual(["http://127.0.0.1:9/vehicle/colors"]);
      expect(sent[0]?.headers["x-auth-token"]).toBe("token-a");
      // Past the TTL the first adapter to ask reloads it; the others read that answer.
      yield* TestClock.adjust("61 minutes");
      yield* warmUpAll;
      expect(sent).toHaveLength(2);
    }),
  );

  it.scoped("keeps nothing but reference data, and nothing at all when turned off", () =>
    Effect.gen(function* () {
      yield* database.empty;
      const offers = yield* twoWorkers("/v1/advertisements", "1 hour");
      yield* offers.warmUpAll;
      expect(offers.sent).toHaveLength(4);
      const off = yield* twoWorkers("/vehicle/colors", false);
      yield* off.warmUpAll;
      expect(off.sent).toHaveLength(4);
    }),
  );
});
