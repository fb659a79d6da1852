/**
 * The project's benchmark (#14): a whole stock synced through the publisher and the durable
 * SQLite store to each marketplace of the sandbox (Blocket, Tradera, Marktplaats, Allegro) and
 * to all four at once, phase by phase, each figure beside a baseline measured in the same run.
 * Not a test: figures are printed (a table) and written as JSON.
 *
 *   pnpm bench                          # 1,000 ads, each marketplace and all four at once
 *   pnpm bench --n 10000                # 10,000 ads
 *   pnpm bench --n 1000,10000           # both, and the growth 1k → 10k as ratios
 *   pnpm bench --n 100000 --large       # 100,000 (behind a flag: it takes long)
 *   pnpm bench --only blocket,all       # some scenarios only ("all" = the four at once)
 *   pnpm bench --out file.json
 *
 * The client is built exactly as the CLI builds it (`layerFromConfig` on a config file naming
 * the sandbox's fakes: descriptors, SQLite store, reference cache, undici transport, breakers).
 * The fakes run in a child process (bench/sandbox-process.ts), so CPU per ad is the client's
 * alone (publisher, adapters, HTTP client, store). Phases: create (sync of a new stock), settle
 * (bulk reads until nothing is pending), unchanged (the same stock again: 0 requests), price
 * change (10% of the ads), removeMissing (10% of the ads left the stock). Per phase: requests by
 * marketplace and route, client CPU ms per ad·marketplace, wall, store ms and transactions,
 * peak RSS (sampled during the phase) and heap after a forced GC.
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { toBlocketPayload } from "@adsync/blocket";
import {
  Adapters,
  createAdsync,
  headerAuth,
  type MarketplaceAdapter,
  makeMarketplaceHttp,
  Store,
  VehicleAd,
} from "@adsync/core";
import { BLOCKET_SANDBOX_TOKEN } from "@adsync/sandbox";
import { openDatabase, type SqliteStoreService } from "@adsync/store-sqlite";
import { NodeHttpClient } from "@effect/platform-node";
import { Context, Effect, Either, Layer, Logger, LogLevel, Redacted, Schema } from "effect";
import { request } from "undici";
import { defaultRegistry, layerFromConfig, loadConfig } from "../packages/cli/src/index.ts";
import { sampleAd, stock } from "./stock.ts";

// `pnpm bench --scale`: the worker's benchmark instead (bench/scale.ts, #13; needs PostgreSQL,
// which it starts itself), so this file's options are not read.
if (process.argv.includes("--scale")) {
  await import("./scale.ts");
  process.exit();
}

const { values } = parseArgs({
  options: {
    n: { type: "string", default: process.env.BENCH_ADS ?? "1000" },
    only: { type: "string" },
    large: { type: "boolean", default: false },
    out: { type: "string" },
    /**
     * Stop after this phase (create, settle, full-path, unchanged, price, remove): a 100k run
     * takes ~25 minutes here, most of it in create and settle.
     */
    until: { type: "string" },
    /** A phase to CPU-profile (e.g. "create"): `<phase>-<ads>-<scenario>.cpuprofile`. */
    profile: { type: "string" },
  },
});
const sizes = (values.n ?? "1000").split(",").map(Number);
if (sizes.some((size) => !Number.isInteger(size) || size <= 0))
  throw new Error(`--n takes ad counts separated by commas, not ${values.n}`);
if (sizes.some((size) => size > 10_000) && !values.large)
  throw new Error("More than 10,000 ads takes long here: pass --large to run it anyway.");
const output = values.out ?? `bench-results-${sizes.join("-")}.json`;
const concurrency = 16;

/** The marketplaces the sandbox has a fake of, in the registry's order. */
const marketplaceIds = defaultRegistry.flatMap((entry) =>
  entry.sandbox === undefined ? [] : [entry.descriptor.id],
);
const scenarios: ReadonlyArray<{ readonly name: string; readonly targets: ReadonlyArray<string> }> =
  [
    ...marketplaceIds.map((id) => ({ name: id, targets: [id] })),
    { name: "all", targets: marketplaceIds },
  ].filter(
    (scenario) => values.only === undefined || values.only.split(",").includes(scenario.name),
  );

// ---- the sandbox process -------------------------------------------------------------------

type Reply = { urls?: Record<string, string>; routes?: Record<string, number>; cleared?: boolean };

/**
 * A fresh set of fakes in a child process: each scenario gets its own, so no scenario finds the
 * listings of another (nor Allegro's refresh token rotated by another).
 */
const startSandboxProcess = async () => {
  const child = fork(new URL("./sandbox-process.ts", import.meta.url), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ask = (message: string) =>
    new Promise<Reply>((resolve) => {
      child.once("message", (reply) => resolve(reply as Reply));
      child.send(message);
    });
  const { urls } = await new Promise<Reply>((resolve) =>
    child.once("message", (reply) => resolve(reply as Reply)),
  );
  if (urls === undefined) throw new Error("the sandbox process sent no urls");
  const close = () =>
    new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.send("close");
    });
  return { urls, ask, close };
};
type SandboxProcess = Awaited<ReturnType<typeof startSandboxProcess>>;

// ---- measuring -----------------------------------------------------------------------------

interface Phase {
  readonly phase: string;
  readonly ads: number;
  /** ads × marketplaces: what CPU per ad is divided by. */
  readonly units: number;
  readonly requests: Record<string, number>;
  readonly requestTotal: number;
  readonly cpuMs: number;
  readonly cpuMsPerAd: number;
  readonly wallMs: number;
  readonly storeMs: number;
  readonly storeShareOfWall: number;
  readonly transactions: number;
  readonly writes: number;
  readonly reads: number;
  /** The highest RSS sampled (every 20 ms) while the phase ran. */
  readonly peakRssMiB: number;
  readonly heapAfterGcMiB: number;
  /** The machine's 1-minute load average when the phase ended (2 cores, shared). */
  readonly load: number;
  /** A sync's outcomes by marketplace (a failed ad shows here, not as a missing request). */
  readonly outcomes?: unknown;
}

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

let storeHandle: SqliteStoreService | undefined;

/**
 * Whether the adapters declare their `mappingVersion`: off for the "unchanged, full path"
 * phase, the same client and store preparing every ad as if no adapter declared one (the
 * figure before #14's mapping versions), on for every other phase.
 */
let fingerprints = true;
const switchableFingerprints = (adapter: MarketplaceAdapter): MarketplaceAdapter => ({
  ...adapter,
  get mappingVersion() {
    return fingerprints ? adapter.mappingVersion : undefined;
  },
});
const measure = async (
  sandbox: SandboxProcess,
  phase: string,
  ads: number,
  units: number,
  run: () => Promise<unknown>,
): Promise<Phase> => {
  await sandbox.ask("clear");
  gc();
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 20);
  const profiler = values.profile === phase ? new Session() : undefined;
  if (profiler !== undefined) {
    profiler.connect();
    await profiler.post("Profiler.enable");
    await profiler.post("Profiler.start");
  }
  const storeBefore = storeHandle?.statistics();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await run();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const storeAfter = storeHandle?.statistics();
  clearInterval(sampler);
  if (profiler !== undefined) {
    const { profile } = await profiler.post("Profiler.stop");
    const file = `${phase}-${ads}-${units / ads}mp.cpuprofile`;
    writeFileSync(file, JSON.stringify(profile));
    profiler.disconnect();
    console.log(`CPU profile of ${phase} written to ${file}`);
  }
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  const { routes = {} } = await sandbox.ask("requests");
  gc();
  const storeMs = (storeAfter?.milliseconds ?? 0) - (storeBefore?.milliseconds ?? 0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const measured = {
    phase,
    ads,
    units,
    requests: routes,
    requestTotal: Object.values(routes).reduce((total, count) => total + count, 0),
    cpuMs,
    cpuMsPerAd: cpuMs / units,
    wallMs,
    storeMs,
    storeShareOfWall: storeMs / wallMs,
    transactions: (storeAfter?.transactions ?? 0) - (storeBefore?.transactions ?? 0),
    writes: (storeAfter?.writes ?? 0) - (storeBefore?.writes ?? 0),
    reads: (storeAfter?.reads ?? 0) - (storeBefore?.reads ?? 0),
    peakRssMiB: mib(peakRss),
    heapAfterGcMiB: mib(process.memoryUsage().heapUsed),
    load: Math.round((loadavg()[0] ?? 0) * 10) / 10,
    ...(typeof result === "object" && result !== null && "outcomes" in result
      ? { outcomes: result.outcomes }
      : {}),
  };
  // Printed as soon as measured: a long run stopped early still leaves its phases.
  console.log(`  measured ${JSON.stringify({ ...measured, outcomes: undefined })}`);
  return measured;
};

/**
 * The client as the CLI builds it from a config file naming the sandbox's fakes for `targets`,
 * with a fresh SQLite store in `directory`; the store's statistics are kept in `storeHandle`.
 */
const clientFor = (
  directory: string,
  urls: Readonly<Record<string, string>>,
  targets: ReadonlyArray<string>,
) => {
  const registry = defaultRegistry.filter((entry) => targets.includes(entry.descriptor.id));
  const file = join(directory, "adsync.config.json");
  writeFileSync(
    file,
    JSON.stringify({
      store: { type: "sqlite", path: "adsync.db" },
      marketplaces: Object.fromEntries(
        registry.flatMap(({ descriptor, sandbox }) =>
          sandbox === undefined ? [] : [[descriptor.id, sandbox.section(urls)]],
        ),
      ),
    }),
  );
  const layer = Either.getOrThrowWith(
    Either.flatMap(loadConfig(file, registry), (loaded) =>
      layerFromConfig(loaded, process.env, {}, registry),
    ),
    (message) => new Error(message),
  );
  storeHandle = undefined;
  return createAdsync(
    layer.pipe(
      Layer.tap((context) =>
        Effect.sync(() => {
          const store = Context.get(context, Store) as Partial<SqliteStoreService>;
          if (store.statistics !== undefined) storeHandle = store as SqliteStoreService;
        }),
      ),
      Layer.map((context) =>
        Context.add(
          context,
          Adapters,
          new Map(
            [...Context.get(context, Adapters)].map(([id, adapter]) => [
              id,
              switchableFingerprints(adapter),
            ]),
          ),
        ),
      ),
      Layer.provide(NodeHttpClient.layerUndici),
      // The phases' own notes (adoptions, enrichment) would drown the table.
      Layer.merge(Logger.minimumLogLevel(LogLevel.Warning)),
    ),
  );
};

/** The five phases for `adCount` ads to `targets`, on a fresh store. */
const runScenario = async (
  adCount: number,
  targets: ReadonlyArray<string>,
): Promise<Array<Phase>> => {
  const directory = mkdtempSync(join(tmpdir(), "adsync-bench-"));
  const sandbox = await startSandboxProcess();
  const client = clientFor(directory, sandbox.urls, targets);
  const units = adCount * targets.length;
  const changed = (index: number) => index % 10 === 3;
  const leaving = (index: number) => index % 10 === 7;
  const ids = Array.from({ length: adCount }, (_, index) => `bench-${index}`);
  const phases: Array<Phase> = [];
  const order = ["create", "settle", "full-path", "unchanged", "price", "remove"];
  const last = order.indexOf(values.until ?? "remove");
  if (last < 0) throw new Error(`--until takes one of ${order.join(", ")}`);
  const wanted = (key: string) => order.indexOf(key) <= last;
  const steps: ReadonlyArray<readonly [string, () => Promise<Phase>]> = [
    [
      "create",
      () =>
        measure(sandbox, "create", adCount, units, () =>
          client.sync(stock(adCount), { concurrency }),
        ),
    ],
    [
      "settle",
      () =>
        measure(sandbox, "settle", adCount, units, () =>
          client.settle({ adIds: ids, interval: "100 millis", timeout: "30 minutes" }),
        ),
    ],
    [
      "full-path",
      async () => {
        fingerprints = false;
        try {
          return await measure(sandbox, "unchanged, full path", adCount, units, () =>
            client.sync(stock(adCount), { concurrency }),
          );
        } finally {
          fingerprints = true;
        }
      },
    ],
    [
      "unchanged",
      () =>
        measure(sandbox, "unchanged", adCount, units, () =>
          client.sync(stock(adCount), { concurrency }),
        ),
    ],
    [
      "price",
      () =>
        measure(sandbox, "price change 10%", adCount, units, () =>
          client.sync(stock(adCount, changed), { concurrency }),
        ),
    ],
    [
      "remove",
      () =>
        measure(sandbox, "removeMissing 10%", adCount, units, () =>
          client.sync(
            stock(adCount, changed).filter((_, index) => !leaving(index)),
            { concurrency, removeMissing: true },
          ),
        ),
    ],
  ];
  try {
    for (const [key, step] of steps) if (wanted(key)) phases.push(await step());
  } finally {
    await client.close();
    await sandbox.close();
    rmSync(directory, { recursive: true, force: true });
  }
  return phases;
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
const httpBaseline = async (url: string, count: number) => {
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

interface Run {
  readonly ads: number;
  readonly scenario: string;
  readonly marketplaces: ReadonlyArray<string>;
  readonly phases: ReadonlyArray<Phase>;
}
const fixed = (value: number, digits = 2) => value.toFixed(digits);
const directory = mkdtempSync(join(tmpdir(), "adsync-bench-baselines-"));
try {
  const runs: Array<Run> = [];
  for (const adCount of sizes) {
    for (const scenario of scenarios) {
      console.log(`\n${adCount} ads → ${scenario.name} …`);
      const phases = await runScenario(adCount, scenario.targets);
      runs.push({ ads: adCount, scenario: scenario.name, marketplaces: scenario.targets, phases });
      console.table(
        phases.map((phase) => ({
          phase: phase.phase,
          requests: phase.requestTotal,
          "cpu ms/ad·mp": fixed(phase.cpuMsPerAd),
          "wall ms": Math.round(phase.wallMs),
          "store ms": Math.round(phase.storeMs),
          "store %wall": fixed(phase.storeShareOfWall * 100, 1),
          transactions: phase.transactions,
          writes: phase.writes,
          reads: phase.reads,
          "peak RSS MiB": phase.peakRssMiB,
          "heap MiB": phase.heapAfterGcMiB,
          load: phase.load,
        })),
      );
      for (const phase of phases)
        console.log(
          `  ${phase.phase}: ${JSON.stringify(phase.requests)}${phase.outcomes === undefined ? "" : ` outcomes ${JSON.stringify(phase.outcomes)}`}`,
        );
    }
  }

  // Growth from each size to the next: per-ad figures should stay flat (ratio ≈ 1).
  const growth = sizes.slice(1).flatMap((size, position) => {
    const from = sizes[position] ?? size;
    return scenarios.flatMap((scenario) => {
      const small = runs.find((run) => run.ads === from && run.scenario === scenario.name);
      const large = runs.find((run) => run.ads === size && run.scenario === scenario.name);
      if (small === undefined || large === undefined) return [];
      return large.phases.flatMap((phase, index) => {
        const before = small.phases[index];
        if (before === undefined) return [];
        return [
          {
            from,
            to: size,
            scenario: scenario.name,
            phase: phase.phase,
            cpuPerAd: phase.cpuMsPerAd / before.cpuMsPerAd,
            wallPerAd: phase.wallMs / phase.ads / (before.wallMs / before.ads),
            storeMsPerAd: phase.storeMs / phase.ads / (before.storeMs / before.ads || 1),
            peakRss: phase.peakRssMiB / before.peakRssMiB,
            heapAfterGc: phase.heapAfterGcMiB / before.heapAfterGcMiB,
          },
        ];
      });
    });
  });
  if (growth.length > 0) {
    console.log("\ngrowth (ratio of the larger run's per-ad figure to the smaller's; 1 = flat):");
    console.table(
      growth.map((row) => ({
        "n → n'": `${row.from} → ${row.to}`,
        scenario: row.scenario,
        phase: row.phase,
        "cpu/ad": fixed(row.cpuPerAd),
        "wall/ad": fixed(row.wallPerAd),
        "store ms/ad": fixed(row.storeMsPerAd),
        "peak RSS": fixed(row.peakRss),
        "heap after GC": fixed(row.heapAfterGc),
      })),
    );
  }

  const baselineCount = Math.max(...sizes);
  const sqlite = sqliteBaseline(directory, Math.min(baselineCount, 10_000));
  const mapping = mappingBaseline(Math.min(baselineCount, 5000));
  const sandbox = await startSandboxProcess();
  const http = await httpBaseline(
    sandbox.urls.blocket ?? "",
    Math.min(baselineCount, 2000),
  ).finally(sandbox.close);
  const baselines = {
    sqliteMsPerWriteOwnTransactionFull: sqlite.perWriteFull,
    sqliteMsPerWriteOneTransaction: sqlite.perWriteBatched,
    sqliteMsPerReadSelectJsonParse: sqlite.perRead,
    jsonRoundTripMsPerAd: mapping.jsonRoundTrip,
    blocketMappingMsPerAd: mapping.mapping,
    rawUndiciMsPerGetConcurrency16: http.raw,
    adsyncHttpMsPerGetConcurrency16: http.adsync,
  };
  console.log("\nbaselines (same run):");
  for (const [name, value] of Object.entries(baselines))
    console.log(`  ${name}: ${fixed(value, 4)}`);
  console.log(
    `  HTTP: adsync / raw undici at concurrency 16 = ${fixed(http.adsync / http.raw)}×; mapping / JSON round trip = ${fixed(mapping.mapping / mapping.jsonRoundTrip)}×`,
  );
  writeFileSync(
    output,
    `${JSON.stringify({ sizes, concurrency, runs, growth, baselines }, null, 2)}\n`,
  );
  console.log(`\nJSON written to ${output}`);
} finally {
  rmSync(directory, { recursive: true, force: true });
}
