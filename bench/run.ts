/**
 * The project's benchmark (#14): a whole stock synced to the sandbox's Blocket through the
 * publisher and the durable SQLite store, phase by phase, each figure beside a baseline
 * measured in the same run. Not a test: figures are printed (a table) and written as JSON.
 *
 *   pnpm bench                       # 1,000 ads
 *   pnpm bench --n 10000             # 10,000 ads
 *   pnpm bench --n 1000 --out file.json
 *
 * The fake Blocket runs in a child process, so CPU per ad is the client's alone (publisher,
 * adapter, HTTP client, store). Phases: create (sync of a new stock), settle (bulk reads until
 * nothing is pending), unchanged (the same stock again: 0 requests), price change (10% of the
 * ads), removeMissing (10% of the ads left the stock). Per phase: requests by route, client CPU
 * ms per ad, wall, store ms and transactions, peak RSS, heap after GC.
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { makeBlocketAdapter, toBlocketPayload } from "@adsync/blocket";
import {
  adaptersLayer,
  createAdsync,
  headerAuth,
  makeMarketplaceHttp,
  Store,
  VehicleAd,
  type VehicleAdInput,
} from "@adsync/core";
import { BLOCKET_SANDBOX_TOKEN } from "@adsync/sandbox";
import { makeSqliteStore, openDatabase, type SqliteStoreService } from "@adsync/store-sqlite";
import { NodeHttpClient } from "@effect/platform-node";
import { Effect, Layer, Redacted, Schema } from "effect";
import { request } from "undici";

const argument = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? undefined : process.argv[index + 1];
};
const adCount = Number(argument("n") ?? process.env.BENCH_ADS ?? 1000);
const output = argument("out") ?? `bench-results-${adCount}.json`;
const concurrency = 16;

const sampleAd = (index: number, price = 10_000_000): VehicleAdInput => ({
  id: `bench-${index}`,
  category: index % 7 === 0 ? "moped" : "car",
  description: `Benchmark vehicle number ${index}, well maintained.`,
  price: { list: { amount: price + index * 100, currency: "SEK" } },
  images: Array.from(
    { length: 1 + (index % 25) },
    (_, image) => `https://img.example.com/${index}/${image}.jpg`,
  ),
  location: { postalCode: "12133" },
  vehicle: {
    make: "Volvo",
    model: "XC60",
    modelYear: 2015 + (index % 10),
    bodyType: index % 7 === 0 ? "moped" : "suv",
    mileage: { value: index * 10, unit: "km" },
    fuels: ["diesel"],
    transmission: "automatic",
  },
});
const stock = (count: number, changed: (index: number) => boolean = () => false) =>
  Array.from({ length: count }, (_, index) =>
    sampleAd(index, changed(index) ? 9_000_000 : 10_000_000),
  );

// ---- the sandbox process -------------------------------------------------------------------

type Reply = { url?: string; routes?: Record<string, number>; cleared?: boolean };
const sandbox = fork(new URL("./sandbox-process.ts", import.meta.url), [], {
  execArgv: ["--import", "tsx"],
  stdio: ["ignore", "inherit", "inherit", "ipc"],
});
const ask = (message: string) =>
  new Promise<Reply>((resolve) => {
    sandbox.once("message", (reply) => resolve(reply as Reply));
    sandbox.send(message);
  });
const { url } = await new Promise<Reply>((resolve) =>
  sandbox.once("message", (reply) => resolve(reply as Reply)),
);
if (url === undefined) throw new Error("the sandbox process sent no url");

// ---- measuring -----------------------------------------------------------------------------

interface Phase {
  readonly phase: string;
  readonly ads: number;
  readonly requests: Record<string, number>;
  readonly requestTotal: number;
  readonly cpuMsPerAd: number;
  readonly wallMs: number;
  readonly storeMs: number;
  readonly storeShareOfWall: number;
  readonly transactions: number;
  readonly writes: number;
  readonly peakRssMiB: number;
  readonly heapAfterGcMiB: number;
}

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

let storeHandle: SqliteStoreService | undefined;
const measure = async (phase: string, ads: number, run: () => Promise<unknown>): Promise<Phase> => {
  await ask("clear");
  const storeBefore = storeHandle?.statistics();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await run();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const storeAfter = storeHandle?.statistics();
  const { routes = {} } = await ask("requests");
  gc();
  const storeMs = (storeAfter?.milliseconds ?? 0) - (storeBefore?.milliseconds ?? 0);
  return {
    phase,
    ads,
    requests: routes,
    requestTotal: Object.values(routes).reduce((total, count) => total + count, 0),
    cpuMsPerAd: (cpu.user + cpu.system) / 1000 / ads,
    wallMs,
    storeMs,
    storeShareOfWall: storeMs / wallMs,
    transactions: (storeAfter?.transactions ?? 0) - (storeBefore?.transactions ?? 0),
    writes: (storeAfter?.writes ?? 0) - (storeBefore?.writes ?? 0),
    peakRssMiB: mib(process.resourceUsage().maxRSS * 1024),
    heapAfterGcMiB: mib(process.memoryUsage().heapUsed),
  };
};

// ---- baselines -----------------------------------------------------------------------------

/** The same statements as the store's `record`, on raw better-sqlite3. */
const sqliteBaseline = (directory: string, count: number) => {
  const database = Effect.runSync(openDatabase(join(directory, "baseline.db")));
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = FULL");
  database.exec(`CREATE TABLE listings (marketplace TEXT NOT NULL, ad_id TEXT NOT NULL,
      record TEXT NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (marketplace, ad_id));
    CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, ad_id TEXT NOT NULL,
      marketplace TEXT NOT NULL, observation TEXT NOT NULL, state TEXT NOT NULL);`);
  const upsert = database.prepare(
    `INSERT INTO listings (marketplace, ad_id, record, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (marketplace, ad_id) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at`,
  );
  const insert = database.prepare(
    "INSERT INTO events (ad_id, marketplace, observation, state) VALUES (?, ?, ?, ?)",
  );
  const select = database.prepare(
    "SELECT record FROM listings WHERE marketplace = ? AND ad_id = ?",
  );
  const record = JSON.stringify({ adId: "x", marketplace: "blocket", state: { presence: "live" } });
  const write = (index: number) => {
    upsert.run("blocket", `ad-${index}`, record, index);
    insert.run(`ad-${index}`, "blocket", "{}", "{}");
  };
  const writes = Math.min(count, 500);
  let started = performance.now();
  for (let index = 0; index < writes; index++) database.transaction(write).immediate(index);
  const perWriteFull = (performance.now() - started) / writes;
  started = performance.now();
  database.transaction(() => {
    for (let index = 0; index < count; index++) write(index);
  })();
  const perWriteBatched = (performance.now() - started) / count;
  started = performance.now();
  for (let index = 0; index < count; index++) {
    const row = select.get("blocket", `ad-${index % writes}`) as { record: string } | undefined;
    if (row !== undefined) JSON.parse(row.record);
  }
  const perRead = (performance.now() - started) / count;
  database.close();
  return { perWriteFull, perWriteBatched, perRead };
};

/** The mapping of one ad against a JSON round trip of the same ad. */
const mappingBaseline = (count: number) => {
  const ads = Array.from({ length: count }, (_, index) =>
    Schema.decodeUnknownSync(VehicleAd)(sampleAd(index)),
  );
  const settings = {
    version: "v4" as const,
    priceUnit: "minor" as const,
    images: { max: 20, httpsOnly: true, tooMany: "truncate" as const },
    tokenScope: "dealer_group" as const,
    dealerCode: "DEALER1",
  };
  let started = performance.now();
  for (const ad of ads) JSON.parse(JSON.stringify(ad));
  const jsonRoundTrip = (performance.now() - started) / count;
  started = performance.now();
  for (const ad of ads) toBlocketPayload(ad, settings);
  const mapping = (performance.now() - started) / count;
  return { jsonRoundTrip, mapping };
};

/** GETs at concurrency 16 on the same server: raw undici against adsync's HTTP toolkit. */
const httpBaseline = async (count: number) => {
  const target = `${url}/v4/ad?limit=1`;
  const headers = { "x-auth-token": BLOCKET_SANDBOX_TOKEN };
  const inParallel = async (run: () => Promise<unknown>) => {
    let left = count;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (left-- > 0) await run();
      }),
    );
    return (performance.now() - started) / count;
  };
  const raw = await inParallel(async () => {
    const response = await request(target, { headers });
    await response.body.text();
  });
  const adsync = await Effect.runPromise(
    Effect.gen(function* () {
      const http = yield* makeMarketplaceHttp({
        marketplace: "blocket",
        baseUrl: url,
        authenticate: headerAuth("X-Auth-Token", Redacted.make(BLOCKET_SANDBOX_TOKEN)),
      });
      return yield* Effect.promise(() =>
        inParallel(() =>
          Effect.runPromise(http.request({ method: "GET", path: "/v4/ad", query: { limit: 1 } })),
        ),
      );
    }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici)),
  );
  return { raw, adsync };
};

// ---- the run -------------------------------------------------------------------------------

const directory = mkdtempSync(join(tmpdir(), "adsync-bench-"));
try {
  // The store's own statistics; a store without them (an older build, measured for the
  // "before" figures) is timed call by call instead: it is synchronous, so that is exact.
  const fallback = { transactions: 0, writes: 0, reads: 0, milliseconds: 0 };
  const timedCall = <A, E>(effect: Effect.Effect<A, E>, write: boolean) =>
    Effect.suspend(() => {
      const started = performance.now();
      return Effect.ensuring(
        effect,
        Effect.sync(() => {
          fallback.milliseconds += performance.now() - started;
          if (write) {
            fallback.transactions += 1;
            fallback.writes += 1;
          } else fallback.reads += 1;
        }),
      );
    });
  const storeLayer = Layer.scoped(
    Store,
    Effect.map(makeSqliteStore({ path: join(directory, "adsync.db") }), (store) => {
      const statistics = (store as Partial<SqliteStoreService>).statistics;
      if (statistics !== undefined) {
        storeHandle = store;
        return store;
      }
      storeHandle = { ...store, statistics: () => ({ ...fallback }) };
      return {
        ...store,
        get: (adId: string, marketplace: string) => timedCall(store.get(adId, marketplace), false),
        list: (adId?: string) => timedCall(store.list(adId), false),
        keys: (query: Parameters<typeof store.keys>[0]) => timedCall(store.keys(query), false),
        record: (...args: Parameters<typeof store.record>) =>
          timedCall(store.record(...args), true),
      };
    }),
  );
  const client = createAdsync(
    Layer.mergeAll(
      adaptersLayer(
        makeBlocketAdapter({
          baseUrl: url,
          token: Redacted.make(BLOCKET_SANDBOX_TOKEN),
          tokenScope: "dealer_group",
          dealerCode: "DEALER1",
        }),
      ).pipe(Layer.provide(NodeHttpClient.layerUndici)),
      storeLayer,
    ),
  );
  const phases: Array<Phase> = [];
  const changed = (index: number) => index % 10 === 3;
  const leaving = (index: number) => index % 10 === 7;
  const ids = stock(adCount).map((ad) => ad.id);
  phases.push(await measure("create", adCount, () => client.sync(stock(adCount), { concurrency })));
  phases.push(
    await measure("settle", adCount, () =>
      client.settle({ adIds: ids, interval: "100 millis", timeout: "10 minutes" }),
    ),
  );
  phases.push(
    await measure("unchanged", adCount, () => client.sync(stock(adCount), { concurrency })),
  );
  phases.push(
    await measure("price change 10%", adCount, () =>
      client.sync(stock(adCount, changed), { concurrency }),
    ),
  );
  phases.push(
    await measure("removeMissing 10%", adCount, () =>
      client.sync(
        stock(adCount, changed).filter((_, index) => !leaving(index)),
        { concurrency, removeMissing: true },
      ),
    ),
  );
  await client.close();

  const sqlite = sqliteBaseline(directory, adCount);
  const mapping = mappingBaseline(Math.min(adCount, 5000));
  const http = await httpBaseline(Math.min(adCount, 2000));
  const baselines = {
    sqliteMsPerWriteOwnTransactionFull: sqlite.perWriteFull,
    sqliteMsPerWriteOneTransaction: sqlite.perWriteBatched,
    sqliteMsPerReadSelectJsonParse: sqlite.perRead,
    jsonRoundTripMsPerAd: mapping.jsonRoundTrip,
    blocketMappingMsPerAd: mapping.mapping,
    rawUndiciMsPerGetConcurrency16: http.raw,
    adsyncHttpMsPerGetConcurrency16: http.adsync,
  };

  const fixed = (value: number, digits = 2) => value.toFixed(digits);
  console.log(
    `\nadsync benchmark: ${adCount} Blocket ads, SQLite store (WAL, FULL), concurrency ${concurrency}\n`,
  );
  console.table(
    phases.map((phase) => ({
      phase: phase.phase,
      requests: phase.requestTotal,
      "cpu ms/ad": fixed(phase.cpuMsPerAd),
      "wall ms": Math.round(phase.wallMs),
      "store ms": Math.round(phase.storeMs),
      "store %wall": fixed(phase.storeShareOfWall * 100, 1),
      transactions: phase.transactions,
      writes: phase.writes,
      "peak RSS MiB": phase.peakRssMiB,
      "heap MiB": phase.heapAfterGcMiB,
    })),
  );
  for (const phase of phases) console.log(`${phase.phase}: ${JSON.stringify(phase.requests)}`);
  console.log("\nbaselines (same run):");
  for (const [name, value] of Object.entries(baselines))
    console.log(`  ${name}: ${fixed(value, 4)}`);
  console.log(
    `  HTTP: adsync / raw undici at concurrency 16 = ${fixed(http.adsync / http.raw)}×; mapping / JSON round trip = ${fixed(mapping.mapping / mapping.jsonRoundTrip)}×`,
  );
  writeFileSync(
    output,
    `${JSON.stringify({ ads: adCount, concurrency, phases, baselines }, null, 2)}\n`,
  );
  console.log(`\nJSON written to ${output}`);
} finally {
  rmSync(directory, { recursive: true, force: true });
  await ask("close").catch(() => undefined);
  sandbox.kill();
}
