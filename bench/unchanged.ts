/**
 * The unchanged re-sync of #14 in process (not a test; figures printed and written as JSON):
 * N of the benchmark's cars synced through the publisher (concurrency 16) to core's fake
 * adapter over the durable SQLite store (WAL, FULL) on a temporary file, then the same stock
 * synced again, which must cost 0 requests. Twice in the same run:
 *
 * - **full path**: the adapter declares no `mappingVersion`, so every ad is decoded, prepared
 *   and compared under its listing's lock (the path before input fingerprints);
 * - **fingerprint**: the adapter declares one, so a settled listing whose input fingerprint
 *   matches answers `unchanged` from one store read (`publisher/fingerprint.ts`).
 *
 * The sandbox is left out on purpose: no request is sent, and the CPU is the publisher's and
 * the store's alone. CPU (`process.cpuUsage`), wall, prepare calls, heap after a forced GC.
 *
 *   node --expose-gc --import tsx bench/unchanged.ts --n 10000
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { Publisher } from "@adsync/core";
import { makeSqliteStore } from "@adsync/store-sqlite";
import { Effect, Logger, LogLevel, Stream } from "effect";
import { fakeAdapter, publisherOver } from "../packages/core/test/fake-adapter.ts";
import { stock } from "./stock.ts";

const { values } = parseArgs({
  options: { n: { type: "string", default: "10000" }, out: { type: "string" } },
});
const n = Number(values.n);
const output = values.out ?? `bench-unchanged-${n}.json`;
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const ads = stock(n);

const timed = async <A>(run: () => Promise<A>) => {
  gc();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await run();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  gc();
  return {
    result,
    wallMs: Math.round(wallMs),
    cpuMs: Math.round((used.user + used.system) / 1000),
    heapAfterGcMiB: Math.round((process.memoryUsage().heapUsed / 1024 / 1024) * 10) / 10,
  };
};

const scenario = (name: string, mappingVersion: string | undefined, directory: string) =>
  Effect.scoped(
    Effect.gen(function* () {
      const store = yield* makeSqliteStore({ path: join(directory, `${name}.db`) });
      const fake = fakeAdapter("blocket", mappingVersion === undefined ? {} : { mappingVersion });
      const sync = () =>
        Effect.runPromise(
          Effect.flatMap(Publisher, (publisher) =>
            publisher.sync(Stream.fromIterable(ads), { concurrency: 16 }),
          ).pipe(
            Effect.provide(publisherOver([fake], store)),
            Logger.withMinimumLogLevel(LogLevel.Warning),
          ),
        );
      const created = yield* Effect.promise(() => timed(sync));
      fake.calls.length = 0;
      const again = yield* Effect.promise(() => timed(sync));
      const row = {
        scenario: name,
        ads: n,
        createCpuMs: created.cpuMs,
        unchangedCpuMs: again.cpuMs,
        unchangedCpuMsPerAd: Math.round((again.cpuMs / n) * 1000) / 1000,
        unchangedWallMs: again.wallMs,
        unchangedOutcomes: again.result.outcomes.blocket,
        prepareCalls: fake.callsOf("prepare").length,
        requests: fake.requests().length,
        heapAfterGcMiB: again.heapAfterGcMiB,
      };
      console.log(JSON.stringify(row));
      return row;
    }),
  );

const directory = mkdtempSync(join(tmpdir(), "adsync-bench-unchanged-"));
try {
  const rows = await Effect.runPromise(
    Effect.all([
      scenario("full path", undefined, directory),
      scenario("fingerprint", "1", directory),
    ]),
  );
  console.table(rows);
  writeFileSync(output, `${JSON.stringify({ ads: n, rows }, null, 2)}\n`);
  console.log(`JSON written to ${output}`);
} finally {
  rmSync(directory, { recursive: true, force: true });
}
