/**
 * Benchmark (not a test) of keeping many listings true (#9): for N listings per marketplace on
 * the sandbox, the requests of one settle round (every listing pending) and one reconcile pass
 * (every listing settled) as the publisher runs them — `refreshAll` and `reconcile`, through
 * each adapter's bulk `inspect` — beside the per-ad count of today (one `observe` per listing,
 * what the publisher does for an adapter without `inspect`) measured in the same run, and the
 * target ⌈N / page size⌉ (Allegro's pending listings: one tasks read per publication command).
 *
 *   pnpm bench:observe             # N = 10,000 per marketplace
 *   pnpm bench:observe --n 1000
 *   pnpm bench:observe --n 1000 --only allegro   # one marketplace
 *
 * The state is seeded, not published: each listing is created on its fake through the fake's
 * own create endpoint (the adapter's `create`, Allegro's `createMany`: one command per 1000
 * offers), and its record — `Started` then `Accepted` with the create's answer, exactly what
 * the publisher writes — goes straight into a memory store. Publishing 10,000 ads per
 * marketplace through the publisher takes ~40 minutes here; none of that is what is measured.
 * The sandbox runs on manual clocks: the listings stay pending until the benchmark lets the
 * marketplaces process them, so the settle round really reads pending operations. Wall and
 * CPU are the publisher's call (CPU of this process, the fakes' included: they run in it).
 */

import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import {
  Adapters,
  adForMarketplace,
  type InspectedListing,
  initialState,
  type MarketplaceAdapter,
  makeMemoryStore,
  makePublisherWith,
  type Observation,
  type Progress,
  type PublisherService,
  reduce,
  Store,
  type StoreService,
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
    // One marketplace only (e.g. `--only allegro`): the others are neither seeded nor measured.
    only: { type: "string" },
  },
});
const n = Number(values.n);
const concurrency = Number(values.concurrency);
const measuredMarketplaces = marketplaces.filter(
  (marketplace) => values.only === undefined || values.only === marketplace,
);

/**
 * The page a bulk read should cost per marketplace, as each API documents it: Blocket's list
 * filtered by `source_id__in` (documented `limit` has no maximum, but 100 ids a read keep the
 * URL within `sourceIdBudget`: the adapter's `inspectBatchSize`), Tradera's pages of 50, Marktplaats' seller list (the sandbox's pages
 * of 25), Allegro's offers by `external.id` (up to 100 ids per call) — plus, for a settle
 * round of Allegro, one tasks read per publication command.
 */
const pageSize: Record<MarketplaceId, number> = {
  blocket: 100,
  tradera: 50,
  marktplaats: 25,
  allegro: 100,
};

const quietly = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.runPromise(Logger.withMinimumLogLevel(effect, LogLevel.Error));

/** Requests a marketplace received while `work` ran, with its wall and CPU time. */
const measured = async (marketplace: MarketplaceId, work: () => Promise<unknown>) => {
  const fake = sandbox[marketplace];
  fake.clearRequests();
  const cpu = process.cpuUsage();
  const begin = performance.now();
  await work();
  const wallMs = performance.now() - begin;
  const used = process.cpuUsage(cpu);
  const requests = fake.requests.length;
  const routes = byRoute(fake.requests);
  fake.clearRequests();
  return { requests, routes, wallMs, cpuMs: (used.user + used.system) / 1000 };
};

/**
 * Requests counted by route (method and path, ids folded to `{id}`), so a count above the target
 * says which reads it is made of.
 */
const byRoute = (requests: ReadonlyArray<{ readonly method: string; readonly path: string }>) => {
  const counts = new Map<string, number>();
  for (const { method, path } of requests) {
    const route = `${method} ${path.replace(/\/[0-9a-f-]{8,}(?=\/|$)|\/\d+(?=\/|$)/gi, "/{id}")}`;
    counts.set(route, (counts.get(route) ?? 0) + 1);
  }
  return [...counts].map(([route, count]) => `${count} × ${route}`).join(", ");
};

/** One read per listing through `observe` (today's way, and the fallback without inspect). */
const perAd = (adapter: MarketplaceAdapter, listings: ReadonlyArray<InspectedListing>) =>
  quietly(
    Effect.map(
      Effect.forEach(listings, (listing) => Effect.either(adapter.observe(listing)), {
        concurrency,
      }),
      // The reads that failed (sent no request, or an error answer): a count below N says why.
      (results) => {
        const failures = results.flatMap((result) => (result._tag === "Left" ? [result.left] : []));
        return { failed: failures.length, firstError: failures[0]?.message };
      },
    ),
  );

interface Row {
  readonly marketplace: MarketplaceId;
  readonly listings: number;
  readonly bulk: number;
  readonly perAd: number;
  readonly target: number;
  readonly commands?: number | undefined;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly perAdWallMs: number;
  readonly bulkRoutes: string;
  readonly perAdRoutes: string;
}

/**
 * One publisher call (`refreshAll` for a settle round, `reconcile` for a pass) per marketplace,
 * against one `observe` per listing the call selects: for a settle round the listings with a
 * pending operation and its handle (Marktplaats answers synchronously: none), for a pass all.
 */
const measure = async (
  publisher: PublisherService,
  adapters: ReadonlyMap<string, MarketplaceAdapter>,
  byMarketplace: ReadonlyMap<MarketplaceId, ReadonlyArray<InspectedListing>>,
  round: "settle" | "reconcile",
): Promise<ReadonlyArray<Row>> => {
  const rows: Array<Row> = [];
  for (const marketplace of measuredMarketplaces) {
    const adapter = adapters.get(marketplace);
    if (adapter === undefined) continue;
    const listings = (byMarketplace.get(marketplace) ?? []).filter(
      (listing) => round === "reconcile" || listing.requestId !== undefined,
    );
    let perAdFailed: { failed: number; firstError: string | undefined } = {
      failed: 0,
      firstError: undefined,
    };
    const baseline = await measured(marketplace, async () => {
      perAdFailed = await perAd(adapter, listings);
    });
    const to = [marketplace];
    const bulk = await measured(marketplace, () =>
      quietly(round === "settle" ? publisher.refreshAll({ to }) : publisher.reconcile({ to })),
    );
    const commands = new Set(
      listings.flatMap((listing) => (listing.requestId === undefined ? [] : [listing.requestId])),
    ).size;
    const pages = Math.ceil(listings.length / pageSize[marketplace]);
    const byCommand = marketplace === "allegro" && round === "settle" && commands > 0;
    rows.push({
      marketplace,
      listings: listings.length,
      bulk: bulk.requests,
      perAd: baseline.requests,
      // Allegro's pending listings: one tasks read per command (and its pages) is the target.
      target: byCommand ? commands : pages,
      commands: byCommand ? commands : undefined,
      wallMs: bulk.wallMs,
      cpuMs: bulk.cpuMs,
      perAdWallMs: baseline.wallMs,
      bulkRoutes: bulk.routes,
      perAdRoutes:
        perAdFailed.failed === 0
          ? baseline.routes
          : `${baseline.routes} (${perAdFailed.failed} observes failed, first: ${perAdFailed.firstError})`,
    });
  }
  return rows;
};

const print = (title: string, rows: ReadonlyArray<Row>) => {
  console.log(`\n${title}\n`);
  console.log(
    "| marketplace | N | page size | requests bulk | requests per-ad | target | wall bulk | CPU bulk | wall per-ad |",
  );
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const row of rows) {
    const target = row.commands === undefined ? `${row.target}` : `${row.target} (commands)`;
    const ms = (value: number) => `${Math.round(value)} ms`;
    console.log(
      `| ${row.marketplace} | ${row.listings} | ${pageSize[row.marketplace]} | ${row.bulk} | ${row.perAd} | ${target} | ${ms(row.wallMs)} | ${ms(row.cpuMs)} | ${ms(row.perAdWallMs)} |`,
    );
  }
  console.log("\nrequests by route (bulk; per-ad):\n");
  for (const row of rows)
    console.log(`- ${row.marketplace}: ${row.bulkRoutes || "none"}; ${row.perAdRoutes || "none"}`);
};

/**
 * Writes the record the publisher would have written for a create it sent: `Started`, then
 * `Accepted` with the adapter's answer (pending, or settled for Marktplaats' synchronous POST).
 */
const seedRecord = (
  store: StoreService,
  marketplace: string,
  listing: InspectedListing,
  progress: Progress,
) =>
  Effect.gen(function* () {
    const at = Date.now();
    const operationId = randomUUID();
    const started: Observation = { _tag: "Started", operationId, kind: "create", at };
    const accepted: Observation = {
      _tag: "Accepted",
      operationId,
      requestId: listing.requestId,
      status: progress.status,
      presence: progress.presence,
      notes: progress.notes,
      at,
    };
    const state = reduce(reduce(initialState, started), accepted);
    const pending = progress.status === "pending";
    yield* store.record(
      {
        adId: listing.adId,
        marketplace,
        ref: listing.ref,
        ...(pending ? { pendingPayload: listing.payload } : { payload: listing.payload }),
        state,
        updatedAt: at,
      },
      { adId: listing.adId, marketplace, observation: accepted, state },
    );
  });

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
    return results.flatMap(
      (result, index): ReadonlyArray<{ listing: InspectedListing; progress: Progress }> => {
        const request = requests[index];
        if (result._tag === "Left" || request === undefined) return [];
        const submitted = result.right;
        const pending = submitted.progress.status === "pending";
        return [
          {
            listing: {
              adId: request.ad.id,
              ref: submitted.ref,
              payload: submitted.payload ?? request.prepared.payload,
              requestId: pending ? submitted.requestId : undefined,
              pending: pending ? "create" : undefined,
            },
            progress: submitted.progress,
          },
        ];
      },
    );
  });

const sandbox = await startWorld();
try {
  const http = { timeout: "60 seconds", retry: { maxRetries: 2 } } as const;
  await Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const built = yield* Layer.build(sandboxAdapters(sandbox, http));
        const adapters = Context.get(built, Adapters);
        const store = makeMemoryStore();
        const publisher = yield* makePublisherWith({ owner: "bench" }).pipe(
          Effect.provideService(Adapters, adapters),
          Effect.provideService(Store, store),
        );
        console.log(
          `keeping ${n} listings per marketplace true on the sandbox (${measuredMarketplaces.join(", ")})`,
        );
        const started = performance.now();
        const ads = Array.from({ length: n }, (_, index) =>
          Schema.decodeUnknownSync(VehicleAd)(carAd(index, index % 10, contentOf(index, 0))),
        );
        const pending = new Map<MarketplaceId, ReadonlyArray<InspectedListing>>();
        for (const marketplace of measuredMarketplaces) {
          const adapter = adapters.get(marketplace);
          if (adapter === undefined) continue;
          const begin = performance.now();
          const created = yield* Logger.withMinimumLogLevel(
            createAll(adapter, ads),
            LogLevel.Error,
          );
          yield* Effect.forEach(
            created,
            ({ listing, progress }) => seedRecord(store, marketplace, listing, progress),
            { discard: true },
          );
          pending.set(
            marketplace,
            created.map(({ listing }) => listing),
          );
          sandbox[marketplace].clearRequests();
          console.log(
            `  seeded ${created.length} on ${marketplace} in ${Math.round(performance.now() - begin)} ms`,
          );
        }
        const settleRound = yield* Effect.promise(() =>
          measure(publisher, adapters, pending, "settle"),
        );
        // Let every marketplace finish, then settle every record (not measured).
        for (const marketplace of measuredMarketplaces) sandbox[marketplace].processing.flush();
        yield* Logger.withMinimumLogLevel(publisher.refreshAll(), LogLevel.Error);
        const settled = new Map(
          [...pending].map(([marketplace, listings]) => [
            marketplace,
            listings.map(({ requestId: _request, pending: _pending, ...listing }) => listing),
          ]),
        );
        const reconcilePass = yield* Effect.promise(() =>
          measure(publisher, adapters, settled, "reconcile"),
        );
        print(
          "settle round (`refreshAll`): every listing with a pending operation and its handle",
          settleRound,
        );
        print(
          "reconcile pass (`reconcile`): every listing settled on the marketplace",
          reconcilePass,
        );
        console.log(
          `\ntarget: ⌈N / page size⌉ per marketplace; Allegro's pending listings: one tasks read per publication command. Total ${Math.round((performance.now() - started) / 1000)} s.`,
        );
      }),
    ),
  );
} finally {
  await sandbox.close();
}
