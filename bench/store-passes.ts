/**
 * The store-level passes of #14 at 100,000 listings (not a test; figures printed and written as
 * JSON): a SQLite store (WAL, FULL) seeded with N settled listings of one marketplace, then
 *
 * - the keys walk removeMissing makes (`store.keys` page by page, each key checked against the
 *   stock's ids, which here hold every listing: nothing is missing, nothing is read);
 * - a reconcile pass (`publisher.reconcile`) through an in-process adapter whose bulk `inspect`
 *   sees every listing settled and live, as stored: every listing read a page at a time, none
 *   written.
 *
 * A full sync of 100,000 ads through the sandbox takes hours on this 2-core machine; these are
 * the passes whose cost grows with the store, measured directly. Wall, CPU and peak RSS
 * (sampled every 20 ms) per pass; heap after a forced GC.
 *
 *   node --expose-gc --import tsx bench/store-passes.ts            # 100,000 listings
 *   node --expose-gc --import tsx bench/store-passes.ts --n 10000
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { type ListingRecord, Publisher } from "@adsync/core";
import { makeSqliteStore } from "@adsync/store-sqlite";
import { Effect, Logger, LogLevel } from "effect";
import { allSettled, fakeAdapter, publisherOver } from "../packages/core/test/fake-adapter.ts";

const { values } = parseArgs({
  options: { n: { type: "string", default: "100000" }, out: { type: "string" } },
});
const n = Number(values.n);
const output = values.out ?? `bench-store-passes-${n}.json`;
const marketplace = "blocket";
const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

const listingOf = (index: number): ListingRecord => {
  const adId = `ad-${String(index).padStart(6, "0")}`;
  return {
    adId,
    marketplace,
    ref: { remoteId: `remote-${index}`, ids: { ad: `remote-${index}` }, meta: {} },
    payload: { source_id: adId, subject: `Volvo XC90 nr ${index}`, price: 10_000_000 + index },
    state: { presence: "live", notes: [] },
    updatedAt: 1,
  };
};

const measured = async <A>(name: string, run: () => Promise<A>) => {
  gc();
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 20);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await run();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);
  gc();
  const row = {
    pass: name,
    listings: n,
    wallMs: Math.round(wallMs),
    cpuMs: Math.round((used.user + used.system) / 1000),
    peakRssMiB: mib(Math.max(peakRss, process.memoryUsage.rss())),
    heapAfterGcMiB: mib(process.memoryUsage().heapUsed),
  };
  console.log(JSON.stringify(row));
  return { row, result };
};

const directory = mkdtempSync(join(tmpdir(), "adsync-store-passes-"));
try {
  const rows = await Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const store = yield* makeSqliteStore({ path: join(directory, "adsync.db") });
        const seed = yield* Effect.promise(() =>
          measured("seed (record, group commit)", () =>
            Effect.runPromise(
              Effect.forEach(
                Array.from({ length: n }, (_, index) => index),
                (index) => {
                  const listing = listingOf(index);
                  return store.record(listing, {
                    adId: listing.adId,
                    marketplace,
                    observation: { _tag: "Seen", presence: "live", at: 1 },
                    state: listing.state,
                  });
                },
                { concurrency: 256, discard: true },
              ),
            ),
          ),
        );
        const stockIds = new Set(Array.from({ length: n }, (_, index) => listingOf(index).adId));
        const keysWalk = yield* Effect.promise(() =>
          measured("removeMissing's keys walk (pages of 1000)", () =>
            Effect.runPromise(
              Effect.gen(function* () {
                let after: string | undefined;
                let missing = 0;
                for (;;) {
                  const keys = yield* store.keys({ marketplace, after, limit: 1000 });
                  if (keys.length === 0) return missing;
                  after = keys[keys.length - 1];
                  for (const key of keys) if (!stockIds.has(key)) missing += 1;
                }
              }),
            ),
          ),
        );
        const reconcile = yield* Effect.promise(() =>
          measured("reconcile pass (inspect, nothing changed)", () =>
            Effect.runPromise(
              Effect.flatMap(Publisher, (publisher) => publisher.reconcile()).pipe(
                Effect.provide(
                  publisherOver(
                    [fakeAdapter(marketplace, { inspect: allSettled, inspectBatchSize: 100 })],
                    store,
                  ),
                ),
                Logger.withMinimumLogLevel(LogLevel.Warning),
              ),
            ),
          ),
        );
        console.log(
          `keys walk found ${keysWalk.result} missing; reconcile read ${reconcile.result.marketplaces[marketplace]?.read} listings, changed ${reconcile.result.marketplaces[marketplace]?.changed}`,
        );
        return [seed.row, keysWalk.row, reconcile.row];
      }),
    ),
  );
  console.table(rows);
  writeFileSync(output, `${JSON.stringify({ listings: n, rows }, null, 2)}\n`);
  console.log(`JSON written to ${output}`);
} finally {
  rmSync(directory, { recursive: true, force: true });
}
