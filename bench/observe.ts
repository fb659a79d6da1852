/**
 * Benchmark (not a test) of observing many listings (#9): for N listings per marketplace on the
 * sandbox, the requests one settle round (every listing pending) and one reconcile pass (every
 * listing settled) cost per marketplace, read in bulk through `adapter.inspect` (in chunks of
 * `inspectBatchSize`) when the adapter has it, beside the per-ad `observe` of today measured in
 * the same run, and the target ⌈N / page size⌉.
 *
 *   pnpm bench:observe             # N = 10,000 per marketplace
 *   pnpm bench:observe --n 1000
 *
 * The sandbox runs on manual clocks: the listings stay pending until the benchmark lets the
 * marketplaces process them, so the settle round really reads pending operations.
 */

import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import {
  Adapters,
  adForMarketplace,
  type InspectedListing,
  type MarketplaceAdapter,
  type Submitted,
  VehicleAd,
} from "@adsync/core";
import { Chunk, Context, Effect, Either, Layer, Logger, LogLevel, Schema } from "effect";
import {
  carAd,
  contentOf,
  type MarketplaceId,
  marketplaces,
  sandboxAdapters,
  startWorld,
} from "../packages/cli/test/model/world.ts";

const { values } = parseArgs({
  options: {
    n: { type: "string", default: "10000" },
    concurrency: { type: "string", default: "16" },
  },
});
const n = Number(values.n);
const concurrency = Number(values.concurrency);

/**
 * The page a bulk read should cost per marketplace, as each API documents it: Blocket's list
 * (`limit` up to 1000), Tradera's pages of 50, Marktplaats' seller list (the sandbox's pages
 * of 25), Allegro's offers by `external.id` (up to 100 ids per call) — plus, for a settle
 * round of Allegro, one tasks read per publication command.
 */
const pageSize: Record<MarketplaceId, number> = {
  blocket: 1000,
  tradera: 50,
  marktplaats: 25,
  allegro: 100,
};

const quietly = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.runPromise(Logger.withMinimumLogLevel(effect, LogLevel.Error));

/** Requests a marketplace received while `work` ran. */
const requestsDuring = async (marketplace: MarketplaceId, work: () => Promise<unknown>) => {
  const fake = sandbox[marketplace];
  fake.clearRequests();
  await work();
  const count = fake.requests.length;
  fake.clearRequests();
  return count;
};

/** One read per listing through `observe` (today's way). */
const perAd = (adapter: MarketplaceAdapter, listings: ReadonlyArray<InspectedListing>) =>
  quietly(
    Effect.forEach(listings, (listing) => Effect.either(adapter.observe(listing)), {
      concurrency,
      discard: true,
    }),
  );

/** The whole set through `inspect`, `inspectBatchSize` listings per call. */
const bulk = (adapter: MarketplaceAdapter, listings: ReadonlyArray<InspectedListing>) => {
  const inspect = adapter.inspect;
  if (inspect === undefined) return Promise.resolve();
  const size = adapter.inspectBatchSize ?? 100;
  const chunks = Chunk.toReadonlyArray(Chunk.chunksOf(Chunk.fromIterable(listings), size));
  return quietly(
    Effect.forEach(
      chunks,
      (chunk) => Effect.either(inspect({ listings: Chunk.toReadonlyArray(chunk), mode: "full" })),
      { concurrency: 4, discard: true },
    ),
  );
};

interface Row {
  readonly marketplace: MarketplaceId;
  readonly listings: number;
  readonly perAd: number;
  readonly bulk: number | undefined;
  readonly target: number;
  readonly commands?: number | undefined;
}

const measure = async (
  adapters: ReadonlyMap<string, MarketplaceAdapter>,
  byMarketplace: ReadonlyMap<MarketplaceId, ReadonlyArray<InspectedListing>>,
): Promise<ReadonlyArray<Row>> => {
  const rows: Array<Row> = [];
  for (const marketplace of marketplaces) {
    const adapter = adapters.get(marketplace);
    if (adapter === undefined) continue;
    const listings = byMarketplace.get(marketplace) ?? [];
    const baseline = await requestsDuring(marketplace, () => perAd(adapter, listings));
    const inBulk =
      adapter.inspect === undefined
        ? undefined
        : await requestsDuring(marketplace, () => bulk(adapter, listings));
    const commands = new Set(
      listings.flatMap((listing) => (listing.requestId === undefined ? [] : [listing.requestId])),
    ).size;
    const pages = Math.ceil(listings.length / pageSize[marketplace]);
    rows.push({
      marketplace,
      listings: listings.length,
      perAd: baseline,
      bulk: inBulk,
      // Allegro's pending listings: one tasks read per command (and its pages) is the target.
      target: marketplace === "allegro" && commands > 0 ? commands : pages,
      commands: marketplace === "allegro" && commands > 0 ? commands : undefined,
    });
  }
  return rows;
};

const print = (title: string, rows: ReadonlyArray<Row>) => {
  console.log(`\n${title}`);
  console.log(
    `  ${"marketplace".padEnd(12)} ${"listings".padStart(8)} ${"per-ad observe".padStart(15)} ${"bulk inspect".padStart(13)} ${"target".padStart(7)}  note`,
  );
  for (const row of rows) {
    const note =
      row.bulk === undefined
        ? "no inspect on this adapter yet: per-ad only"
        : `${(row.perAd / Math.max(1, row.bulk)).toFixed(1)}× fewer requests in bulk${row.bulk > row.target ? ` (${row.bulk - row.target} above target)` : ""}`;
    const target =
      row.commands === undefined
        ? `${row.target}`
        : `${row.target}${row.commands === row.target ? " cmd" : ""}`;
    console.log(
      `  ${row.marketplace.padEnd(12)} ${String(row.listings).padStart(8)} ${String(row.perAd).padStart(15)} ${String(row.bulk ?? "—").padStart(13)} ${target.padStart(7)}  ${note}`,
    );
  }
};

/**
 * Creates `n` listings on one marketplace straight through its adapter (no store: only the
 * listings matter here), concurrently; Allegro's through `createMany`, one publication command
 * per 1000 offers ("per 1000 offers"), as `sync` batches them.
 */
const createAll = (adapter: MarketplaceAdapter, ads: ReadonlyArray<VehicleAd>) =>
  Effect.gen(function* () {
    yield* adapter.warmUp ?? Effect.void;
    const requests = ads.flatMap((canonical) => {
      // The ad as this marketplace sees it (its overrides: currency, address).
      const ad = adForMarketplace(canonical, adapter.id);
      const prepared = Either.flatMap(ad, adapter.prepare);
      return ad._tag === "Right" && prepared._tag === "Right"
        ? [
            {
              ad: ad.right,
              prepared: prepared.right,
              context: { operationId: randomUUID(), resumed: false },
            },
          ]
        : [];
    });
    const createMany = adapter.createMany;
    const results: ReadonlyArray<Either.Either<Submitted, unknown>> =
      createMany === undefined
        ? yield* Effect.forEach(
            requests,
            (request) =>
              Effect.either(adapter.create(request.ad, request.prepared, request.context)),
            { concurrency },
          )
        : (yield* Effect.forEach(
            Chunk.toReadonlyArray(Chunk.chunksOf(Chunk.fromIterable(requests), 1000)),
            (chunk) => createMany(Chunk.toReadonlyArray(chunk)),
            { concurrency: 1 },
          )).flat();
    return results.flatMap((result, index): ReadonlyArray<InspectedListing> => {
      const request = requests[index];
      if (result._tag === "Left" || request === undefined) return [];
      const submitted = result.right;
      return [
        {
          adId: request.ad.id,
          ref: submitted.ref,
          payload: submitted.payload ?? request.prepared.payload,
          requestId: submitted.requestId,
          pending: submitted.progress.status === "pending" ? "create" : undefined,
        },
      ];
    });
  });

const sandbox = await startWorld();
try {
  const http = { timeout: "60 seconds", retry: { maxRetries: 2 } } as const;
  await Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const built = yield* Layer.build(sandboxAdapters(sandbox, http));
        const adapters = Context.get(built, Adapters);
        console.log(
          `observing ${n} listings per marketplace on the sandbox (${marketplaces.join(", ")})`,
        );
        const started = performance.now();
        const ads = Array.from({ length: n }, (_, index) =>
          Schema.decodeUnknownSync(VehicleAd)(carAd(index, index % 10, contentOf(index, 0))),
        );
        const pending = new Map<MarketplaceId, ReadonlyArray<InspectedListing>>();
        for (const marketplace of marketplaces) {
          const adapter = adapters.get(marketplace);
          if (adapter === undefined) continue;
          const begin = performance.now();
          const listings = yield* Logger.withMinimumLogLevel(
            createAll(adapter, ads),
            LogLevel.Error,
          );
          pending.set(marketplace, listings);
          sandbox[marketplace].clearRequests();
          console.log(
            `  created ${listings.length} on ${marketplace} in ${Math.round(performance.now() - begin)} ms`,
          );
        }
        const settleRound = yield* Effect.promise(() => measure(adapters, pending));
        for (const marketplace of marketplaces) sandbox[marketplace].processing.flush();
        const settled = new Map(
          [...pending].map(([marketplace, listings]) => [
            marketplace,
            listings.map(({ requestId: _request, pending: _pending, ...listing }) => listing),
          ]),
        );
        const reconcilePass = yield* Effect.promise(() => measure(adapters, settled));
        print("settle round: every listing pending (just created)", settleRound);
        print("reconcile pass: every listing settled on the marketplace", reconcilePass);
        console.log(
          `\ntarget: ⌈N / page size⌉ per marketplace (pages: ${marketplaces.map((id) => `${id} ${pageSize[id]}`).join(", ")}); Allegro's pending listings: one tasks read per publication command. Total ${Math.round((performance.now() - started) / 1000)} s.`,
        );
      }),
    ),
  );
} finally {
  await sandbox.close();
}
