/**
 * The scale run of issue #13, shared by `scripts/scale.ts` (the large run, with a SIGKILL) and
 * `bench/scale.ts` (throughput with 1 and 3 workers): a real PostgreSQL (store-sql's test
 * server), the sandbox in this process with `dealers` provisioned (each its own credentials on
 * each fake) and their sections written into PostgreSQL (`adsync_kv`, `keyValueDealerCredentials`,
 * as a DMS connects its dealers), N `adsync worker` processes, `dealers × ads × marketplaces`
 * publish operations submitted through the worker client, and at the end the
 * "store ≡ sandboxes" check (packages/sandbox/src/scale/check.ts).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { AdsyncError, StoreService } from "@adsync/core";
import { Context, Effect, Exit, Layer, Scope } from "effect";
import { startSandbox, type TrafficOptions } from "../../packages/sandbox/src/index.ts";
import {
  type CheckReport,
  checkStoreAgainstSandbox,
  type SubmittedWork,
} from "../../packages/sandbox/src/scale/check.ts";
import { makeSqlEventFeed, migrate, pgClientLayer } from "../../packages/store-sql/src/index.ts";
import { makeSqlStore } from "../../packages/store-sql/src/sql-store.ts";
import { startPostgres } from "../../packages/store-sql/test/support/postgres.ts";
import { createWorkerClient, type WorkItem } from "../../packages/worker/src/index.ts";
import {
  putSections,
  startWorker,
  stopWorker,
  testWorkerArgs,
  type WorkerProcess,
} from "../../packages/worker/test/support/workers.ts";
import { sampleAd } from "../stock.ts";

export const allMarketplaces = ["blocket", "tradera", "marktplaats", "allegro"] as const;

export interface ScaleOptions {
  readonly dealers: number;
  readonly ads: number;
  readonly workers: number;
  readonly marketplaces?: ReadonlyArray<string>;
  /** SIGKILL one worker once this share of the operations has settled (e.g. 0.3); none when absent. */
  readonly killAt?: number | undefined;
  /** Latency and per-dealer rate limit of the fakes. */
  readonly traffic?: TrafficOptions | undefined;
  /**
   * Requests a second each dealer's adapters allow themselves (`http.rateLimit` in every
   * section: the dealer's own limit, shared by the workers through PostgreSQL); none when absent.
   */
  readonly dealerLimit?: number | undefined;
  /**
   * The workers' reconcile passes (`adsync worker --reconcile-cron`); default the tests' fast
   * `*\/3 * * * * *` (every 3 s), which also settles Blocket's asynchronous creates quickly.
   */
  readonly reconcileCron?: string | undefined;
  /** More `adsync worker` options for every worker (e.g. `["--max-operations", "6"]`). */
  readonly workerArgs?: ReadonlyArray<string> | undefined;
  /** Give up waiting for the operations after this long (default 30 minutes). */
  readonly timeoutMs?: number;
  /** Progress lines (default: console.log). */
  readonly log?: (line: string) => void;
}

export interface PgActivity {
  readonly commits: number;
  readonly rowsWritten: number;
}

/**
 * CPU seconds used from the first submit until every operation settled, per process (Linux
 * `/proc`; absent elsewhere): where a run's time goes, beside the wall time.
 */
export interface CpuUse {
  /** Every `adsync worker` process, together. */
  readonly workers: number;
  /** PostgreSQL's backends (the sessions of `pg_stat_activity`; not its background processes). */
  readonly postgres: number;
  /** This process: the sandbox, the worker client and the harness's progress queries. */
  readonly harness: number;
  /** The whole machine (`/proc/stat`: every process, other users' too) and its cores. */
  readonly machine: number;
  readonly cores: number;
}

export interface ScaleResult {
  readonly operations: number;
  readonly settled: number;
  /** From the first submit until every operation settled (or the timeout). */
  readonly wallMs: number;
  readonly submitMs: number;
  readonly operationsPerSecond: number;
  /**
   * Operations settled per second between 10 % and 90 % of them settled: the rate while every
   * worker has work, without the run's start (adapters built, first tokens, caches filled) and
   * its drain (the last operations of the busiest worker, the last of each pair's chain).
   */
  readonly steadyOperationsPerSecond: number | undefined;
  /**
   * Operations done by the workers per second: all of them accepted or settled, over the time
   * that took. What is left then is the marketplaces' own processing, which the next reconcile
   * pass reads (`--reconcile-cron`): its cadence, not the workers' capacity.
   */
  readonly acceptedOperationsPerSecond: number | undefined;
  /** Per marketplace, from the events: how long operations ran and waited (`operationTimings`). */
  readonly timings: Readonly<Record<string, OperationTimings>>;
  /** Settled and accepted-or-settled counts at each progress poll (about once a second). */
  readonly progress: ReadonlyArray<{
    readonly atMs: number;
    readonly settled: number;
    readonly accepted: number;
  }>;
  /** When the SIGKILL happened, ms after the first submit, and which worker. */
  readonly killed: { readonly worker: string; readonly atMs: number } | undefined;
  /** `pg_stat_database` deltas over the run (every session: workers, client, checks). */
  readonly pg: PgActivity;
  readonly rateLimited: number;
  /** When a share of the operations had settled (ms after the first submit; polled each second). */
  readonly milestones: ReadonlyArray<{
    readonly share: number;
    readonly atMs: number | undefined;
    /**
     * When that share was done by the workers: settled, or accepted by the marketplace and
     * left to its own processing (pending with its handle, `requestId`), which a reconcile
     * pass then reads (Blocket's and Tradera's Pro Import processing, Allegro's command).
     */
    readonly acceptedAtMs: number | undefined;
  }>;
  /** Requests the fakes received, per marketplace, method and path (ids replaced by `:id`). */
  readonly requests: Readonly<Record<string, number>>;
  /**
   * Per marketplace, the time a dealer's client took from an answer to that dealer's next
   * request, when under `CLIENT_GAP_MS` (an operation's next step; longer ones are a 429's
   * `Retry-After`, a queue or another operation): its rate limit waits and the work between two
   * requests (store writes, CPU, the event loop). The added latency is not in it.
   */
  readonly clientGaps: Readonly<Record<string, GapFigures>>;
  /** Where an Allegro operation's time goes, from the requests of its dealer within it (means). */
  readonly allegroSpans: AllegroSpans;
  /** Rows in the cluster's and adsync's tables at the end, per table. */
  readonly rows: Readonly<Record<string, number>>;
  readonly report: CheckReport;
  readonly timedOut: boolean;
  readonly cpu: CpuUse | undefined;
}

/** The SQL client's one method the harness uses (its statements are Effects). */
interface RawSql {
  readonly unsafe: (
    statement: string,
  ) => Effect.Effect<ReadonlyArray<Record<string, unknown>>, unknown>;
}
/** `@effect/sql`'s `SqlClient` tag by its key (this folder cannot import `@effect/sql` itself). */
const RawSql = Context.GenericTag<RawSql>("@effect/sql/SqlClient");

const dealerId = (index: number) => `d-${String(index + 1).padStart(3, "0")}`;

/**
 * A dealer's ad number `index`: the same ad ids, plates and content for every dealer (they must
 * stay apart on each marketplace); `sampleAd`'s mileage grows with its index, and Allegro refuses
 * more than 2,000,000 km, so the index stays small.
 */
const adOf = (index: number) => ({ ...sampleAd(index), id: `ad-${index + 1}` });

/** Runs one scale run; everything it started is stopped before it resolves. */
export async function runScale(options: ScaleOptions): Promise<ScaleResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const marketplaces = options.marketplaces ?? allMarketplaces;
  const scope = Effect.runSync(Scope.make());
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const started = performance.now();
    const postgres = await startPostgres();
    cleanups.push(postgres.stop);
    const url = postgres.url;
    log(`PostgreSQL up in ${Math.round(performance.now() - started)} ms`);

    const context = await Effect.runPromise(
      Layer.buildWithScope(pgClientLayer({ url, maxConnections: 4 }), scope),
    );
    const sql = Context.unsafeGet(context, RawSql);
    const query = (statement: string) => Effect.runPromise(sql.unsafe(statement));
    // The store's schema first (as every worker migrates it on start).
    await Effect.runPromise(Effect.provide(migrate, context));

    const sandbox = await startSandbox({
      ...(options.traffic === undefined ? {} : { traffic: options.traffic }),
    });
    cleanups.push(() => sandbox.close());
    const dealers = Array.from({ length: options.dealers }, (_, index) => dealerId(index));
    const sections = Object.fromEntries(
      dealers.map((dealer) => {
        const all: Readonly<Record<string, unknown>> = { ...sandbox.addDealer(dealer) };
        const limited = (section: unknown) =>
          options.dealerLimit === undefined || typeof section !== "object" || section === null
            ? section
            : {
                ...section,
                http: {
                  ...(section as { readonly http?: object }).http,
                  rateLimit: { limit: options.dealerLimit, interval: "1 second" },
                },
              };
        return [
          dealer,
          Object.fromEntries(
            marketplaces.map((marketplace) => [marketplace, limited(all[marketplace])]),
          ),
        ];
      }),
    );
    await putSections(url, sections);
    log(`${dealers.length} dealers provisioned on the sandbox and stored in adsync_kv`);

    const workerStart = performance.now();
    const workers: Array<WorkerProcess> = [];
    cleanups.push(async () => {
      await Promise.all(workers.map(stopWorker));
    });
    // One at a time: three starting at once on a starved machine take 3× as long each (spike).
    for (let index = 0; index < options.workers; index++)
      workers.push(
        await startWorker(url, `w${index + 1}`, [
          ...withReconcileCron(testWorkerArgs, options.reconcileCron),
          ...(options.workerArgs ?? []),
        ]),
      );
    log(`${workers.length} workers ready in ${Math.round(performance.now() - workerStart)} ms`);
    // A worker joining takes its share of the shards from the others over a few seconds (each
    // shard handed over once its entities stopped): measured from a settled cluster, not from
    // that hand-over, which a long-running deployment pays once.
    const balanceStart = performance.now();
    const balanced = await shardsBalanced(query, options.workers, 120_000);
    log(
      `shards ${balanced.balanced ? "balanced" : "NOT balanced"} (${balanced.shares.join("/")}) over ${options.workers} worker${options.workers === 1 ? "" : "s"} after ${Math.round(performance.now() - balanceStart)} ms more`,
    );

    const client = await createWorkerClient({ databaseUrl: url });
    cleanups.push(() => client.close());
    // The store's tables exist once a worker migrated them; read the counters from here on.
    const pgBefore = await pgActivity(query);

    const items: Array<WorkItem> = dealers.flatMap((dealer) =>
      Array.from({ length: options.ads }, (_, index) => adOf(index)).flatMap((ad) =>
        marketplaces.map(
          (marketplace): WorkItem => ({
            dealer,
            marketplace,
            operationId: `${dealer}/${marketplace}/${ad.id}/1`,
            kind: "publish",
            ad,
          }),
        ),
      ),
    );
    const submitted: Array<SubmittedWork> = items.map((item) => ({
      dealer: item.dealer,
      marketplace: item.marketplace,
      adId: item.kind === "publish" ? String((item.ad as { id: string }).id) : item.adId,
      kind: item.kind,
    }));

    const cpu = new CpuMeter();
    const backends = async () =>
      (await query("SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend'")).map(
        (row) => Number(row.pid),
      );
    const meter = async () =>
      cpu.sample(
        workers.flatMap((worker) => (worker.child.pid === undefined ? [] : [worker.child.pid])),
        await backends().catch(() => []),
      );
    await meter();
    const firstSubmit = performance.now();
    await client.submitMany(items);
    const submitMs = performance.now() - firstSubmit;
    log(`${items.length} operations queued in ${Math.round(submitMs)} ms`);

    const timeoutMs = options.timeoutMs ?? 30 * 60_000;
    let killed: ScaleResult["killed"];
    let settled = 0;
    let timedOut = false;
    const progress: Array<{
      readonly atMs: number;
      readonly settled: number;
      readonly accepted: number;
    }> = [];
    for (;;) {
      const counted = await progressCounts(query);
      settled = counted.settled;
      progress.push({ atMs: performance.now() - firstSubmit, ...counted });
      await meter();
      const elapsed = performance.now() - firstSubmit;
      const victim = workers[1] ?? workers[0];
      if (
        killed === undefined &&
        options.killAt !== undefined &&
        victim !== undefined &&
        settled >= items.length * options.killAt
      ) {
        victim.child.kill("SIGKILL");
        killed = { worker: victim.name, atMs: Math.round(elapsed) };
        log(`SIGKILL ${victim.name} at ${killed.atMs} ms (${settled} settled)`);
      }
      if (settled >= items.length) break;
      if (elapsed > timeoutMs) {
        timedOut = true;
        log(`timed out after ${Math.round(elapsed)} ms with ${settled}/${items.length} settled`);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const wallMs = performance.now() - firstSubmit;
    await meter();
    const pgAfter = await pgActivity(query);
    const rows: Record<string, number> = {};
    for (const table of [
      "cluster_messages",
      "cluster_replies",
      "adsync_listings",
      "adsync_events",
    ]) {
      const counted = await query(`SELECT count(*) AS n FROM ${table}`).catch(() => [{ n: -1 }]);
      rows[table] = Number(counted[0]?.n ?? -1);
    }
    log(`${settled}/${items.length} settled in ${Math.round(wallMs)} ms; checking`);
    const eventRows = await query(
      "SELECT dealer, marketplace, observation FROM adsync_events ORDER BY seq",
    ).catch(() => []);
    const spans = operationSpans(eventRows);
    const timings = operationTimings(spans);
    const allegroSpans = allegroBreakdown(spans, sandbox.allegro.requests);
    if (process.env.SCALE_DUMP !== undefined)
      writeFileSync(
        `${process.env.SCALE_DUMP}-${options.workers}.json`,
        JSON.stringify({
          logs: workers.map((worker) => ({ name: worker.name, log: worker.log() })),
          events: eventRows,
          allegro: sandbox.allegro.requests.map(
            ({ method, path, at, answeredAt, status, account }) => ({
              method,
              path,
              at,
              answeredAt,
              status,
              account,
            }),
          ),
        }),
      );

    const stores = new Map<string, StoreService>();
    const storeFor = (dealer: string): StoreService => {
      const known = stores.get(dealer);
      if (known !== undefined) return known;
      const store = Effect.runSync(Effect.provide(makeSqlStore({ dealer }), context));
      stores.set(dealer, store);
      return store;
    };
    // The cross-dealer feed, as a DMS follows every dealer's outcomes: each event names its dealer.
    const events = Effect.runSync(Effect.provide(makeSqlEventFeed, context));
    const report = await Effect.runPromise(
      checkStoreAgainstSandbox({
        submitted,
        storeFor,
        feed: (after) =>
          Effect.map(events.feed({ after, limit: 1000 }), (page) =>
            page.map((event) => ({ dealer: event.dealer ?? "(no dealer)", event })),
          ),
        fakes: {
          blocket: sandbox.blocket,
          tradera: sandbox.tradera,
          marktplaats: sandbox.marktplaats,
          allegro: sandbox.allegro,
        },
      }).pipe(Effect.mapError((error: AdsyncError) => new Error(error.message))),
    );
    const requests: Record<string, number> = {};
    for (const [name, fake] of Object.entries({
      blocket: sandbox.blocket,
      tradera: sandbox.tradera,
      marktplaats: sandbox.marktplaats,
      allegro: sandbox.allegro,
    })) {
      requests[`${name} (429s)`] = fake.dealers.rateLimited();
      for (const request of fake.requests) {
        const key = `${name} ${request.method} ${pathTemplate(request.path)}`;
        requests[key] = (requests[key] ?? 0) + 1;
      }
    }
    const rateLimited =
      sandbox.blocket.dealers.rateLimited() +
      sandbox.tradera.dealers.rateLimited() +
      sandbox.marktplaats.dealers.rateLimited() +
      sandbox.allegro.dealers.rateLimited();
    return {
      operations: items.length,
      settled,
      wallMs,
      submitMs,
      operationsPerSecond: (settled / wallMs) * 1000,
      steadyOperationsPerSecond: steadyRate(progress, items.length),
      acceptedOperationsPerSecond: acceptedRate(progress, items.length),
      timings,
      progress,
      killed,
      pg: {
        commits: pgAfter.commits - pgBefore.commits,
        rowsWritten: pgAfter.rowsWritten - pgBefore.rowsWritten,
      },
      rateLimited,
      requests,
      allegroSpans,
      clientGaps: Object.fromEntries(
        Object.entries({
          blocket: sandbox.blocket,
          tradera: sandbox.tradera,
          marktplaats: sandbox.marktplaats,
          allegro: sandbox.allegro,
        }).map(([name, fake]) => [name, clientGaps(fake.requests)]),
      ),
      milestones: [0.25, 0.5, 0.75, 0.9, 1].map((share) => ({
        share,
        atMs: progress.find((each) => each.settled >= items.length * share)?.atMs,
        acceptedAtMs: progress.find((each) => each.accepted >= items.length * share)?.atMs,
      })),
      rows,
      report,
      timedOut,
      cpu: cpu.used(),
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await Effect.runPromise(Scope.close(scope, Exit.void));
  }
}

/** The tests' worker options with `--reconcile-cron` set to `cron` (unchanged when undefined). */
const withReconcileCron = (
  args: ReadonlyArray<string>,
  cron: string | undefined,
): ReadonlyArray<string> =>
  cron === undefined
    ? args
    : args.map((arg, index) => (args[index - 1] === "--reconcile-cron" ? cron : arg));

/**
 * Where an Allegro operation's time goes (means): Allegro's fake counts a request against its
 * seller, the dealer id, so a dealer's requests between an operation's `Started` and `Accepted`
 * are that operation's (and those of a reconcile pass visiting the dealer meanwhile).
 */
export interface AllegroSpans {
  readonly operations: number;
  /** From `Started` to the dealer's first request. */
  readonly headMs: number;
  /** From the last answer to `Accepted`. */
  readonly tailMs: number;
  /** Requests within the operation. */
  readonly requests: number;
  /** The requests' time at the fake (added latency). */
  readonly serverMs: number;
  /** Between an answer and the next request, when 1 s or more (a `Retry-After`, a long wait). */
  readonly longGapsMs: number;
  readonly shortGapsMs: number;
  /** Long gaps after a 429, and after another answer: count and mean. */
  readonly after429: number;
  readonly after429Ms: number;
  readonly afterOther: number;
  readonly afterOtherMs: number;
}

/** Allegro's seller is the dealer id: its requests within each operation's span. */
const allegroBreakdown = (
  spans: ReadonlyArray<OperationSpan>,
  requests: ReadonlyArray<{
    readonly account?: string | undefined;
    readonly at: number;
    readonly answeredAt?: number | undefined;
    readonly status?: number | undefined;
  }>,
): AllegroSpans => {
  const byDealer = groupBy(requests, (request) => request.account);
  const sum = {
    operations: 0,
    headMs: 0,
    tailMs: 0,
    requests: 0,
    serverMs: 0,
    longGapsMs: 0,
    shortGapsMs: 0,
    after429: 0,
    after429Ms: 0,
    afterOther: 0,
    afterOtherMs: 0,
  };
  for (const span of spans) {
    if (span.marketplace !== "allegro" || span.accepted === undefined) continue;
    const accepted = span.accepted;
    const inside = (byDealer.get(span.dealer) ?? [])
      .filter((request) => request.at >= span.started && request.at <= accepted)
      .sort((a, b) => a.at - b.at);
    const first = inside[0];
    const last = inside[inside.length - 1];
    if (first === undefined || last === undefined) continue;
    sum.operations += 1;
    sum.headMs += first.at - span.started;
    sum.tailMs += accepted - (last.answeredAt ?? last.at);
    sum.requests += inside.length;
    inside.forEach((request, index) => {
      sum.serverMs += (request.answeredAt ?? request.at) - request.at;
      const next = inside[index + 1];
      if (next === undefined) return;
      const gap = next.at - (request.answeredAt ?? request.at);
      if (gap >= 1000) {
        sum.longGapsMs += gap;
        if (request.status === 429) {
          sum.after429 += 1;
          sum.after429Ms += gap;
        } else {
          sum.afterOther += 1;
          sum.afterOtherMs += gap;
        }
      } else if (gap > 0) sum.shortGapsMs += gap;
    });
  }
  const n = Math.max(1, sum.operations);
  return {
    operations: sum.operations,
    headMs: sum.headMs / n,
    tailMs: sum.tailMs / n,
    requests: sum.requests / n,
    serverMs: sum.serverMs / n,
    longGapsMs: sum.longGapsMs / n,
    shortGapsMs: sum.shortGapsMs / n,
    after429: sum.after429 / n,
    after429Ms: sum.after429 === 0 ? 0 : sum.after429Ms / sum.after429,
    afterOther: sum.afterOther / n,
    afterOtherMs: sum.afterOther === 0 ? 0 : sum.afterOtherMs / sum.afterOther,
  };
};

/** Gaps from 0 up to this are an operation's next step (a `Retry-After` is at least 1 s). */
const CLIENT_GAP_MS = 900;

export interface GapFigures {
  readonly gaps: number;
  readonly meanMs: number;
  readonly medianMs: number;
  readonly p90Ms: number;
}

/** The gaps from an answer to the same account's next request (see `clientGaps` above). */
const clientGaps = (
  requests: ReadonlyArray<{
    readonly account?: string | undefined;
    readonly at: number;
    readonly answeredAt?: number | undefined;
  }>,
): GapFigures => {
  const byAccount = groupBy(requests, (request) => request.account);
  const gaps: number[] = [];
  for (const unordered of byAccount.values()) {
    const list = [...unordered].sort((a, b) => a.at - b.at);
    for (let index = 1; index < list.length; index++) {
      const answered = list[index - 1]?.answeredAt;
      const next = list[index]?.at;
      if (answered === undefined || next === undefined) continue;
      const gap = next - answered;
      if (gap >= 0 && gap < CLIENT_GAP_MS) gaps.push(gap);
    }
  }
  gaps.sort((a, b) => a - b);
  const at = (share: number) =>
    gaps[Math.min(gaps.length - 1, Math.floor(gaps.length * share))] ?? 0;
  return {
    gaps: gaps.length,
    meanMs: gaps.length === 0 ? 0 : gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length,
    medianMs: at(0.5),
    p90Ms: at(0.9),
  };
};

/** A request's path with its ids (numbers, uuids, dealer and ad ids) replaced by `:id`. */
const pathTemplate = (path: string): string =>
  path
    .replace(/\?.*$/, "")
    .split("/")
    .map((segment) => (/\d/.test(segment) ? ":id" : segment))
    .join("/");

/** `/proc/<pid>/stat`'s user + system time in seconds (clock ticks of 1/100 s), or undefined. */
const cpuSecondsOf = (pid: number | "self"): number | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
};

/** `/proc/stat`'s busy time of the whole machine (every core) in seconds, and its cores. */
const machineSeconds = (): { readonly busy: number; readonly cores: number } | undefined => {
  try {
    const lines = readFileSync("/proc/stat", "utf8").split("\n");
    const ticks = (lines[0] ?? "").split(/\s+/).slice(1).map(Number);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    const cores = lines.filter((line) => /^cpu\d/.test(line)).length;
    return { busy: (ticks.reduce((sum, each) => sum + each, 0) - idle) / 100, cores };
  } catch {
    return undefined;
  }
};

/**
 * Samples the CPU time of the workers and PostgreSQL's sessions at each progress poll (a
 * session or worker gone by the end keeps its last sample), of this process and of the machine.
 */
class CpuMeter {
  private readonly first = new Map<string, number>();
  private readonly last = new Map<string, number>();
  private readonly kinds = new Map<string, "workers" | "postgres">();
  private machineFirst: number | undefined;
  private machineLast: { readonly busy: number; readonly cores: number } | undefined;
  private selfFirst = process.cpuUsage();
  private selfUsed = 0;
  private started = false;

  sample(workers: ReadonlyArray<number>, backends: ReadonlyArray<number>): void {
    const each = (kind: "workers" | "postgres", pid: number) => {
      const seconds = cpuSecondsOf(pid);
      if (seconds === undefined) return;
      const key = `${kind}/${pid}`;
      // A session opened during the run counts from 0 (its whole life is in the run).
      if (!this.first.has(key)) this.first.set(key, this.started ? 0 : seconds);
      this.last.set(key, seconds);
      this.kinds.set(key, kind);
    };
    for (const pid of workers) each("workers", pid);
    for (const pid of backends) each("postgres", pid);
    const machine = machineSeconds();
    if (!this.started) {
      this.machineFirst = machine?.busy;
      this.selfFirst = process.cpuUsage();
    }
    this.machineLast = machine;
    const self = process.cpuUsage(this.selfFirst);
    this.selfUsed = (self.user + self.system) / 1e6;
    this.started = true;
  }

  used(): CpuUse | undefined {
    if (this.machineFirst === undefined || this.machineLast === undefined) return undefined;
    const total = (kind: "workers" | "postgres") =>
      [...this.last].reduce(
        (sum, [key, seconds]) =>
          this.kinds.get(key) === kind ? sum + seconds - (this.first.get(key) ?? seconds) : sum,
        0,
      );
    return {
      workers: total("workers"),
      postgres: total("postgres"),
      harness: this.selfUsed,
      machine: this.machineLast.busy - this.machineFirst,
      cores: this.machineLast.cores,
    };
  }
}

/**
 * Waits (up to `timeoutMs`) until `workers` runners each hold a like share of the shards: on
 * PostgreSQL a runner holds each of its shards as an advisory lock on its own connection
 * (`pg_locks`), so the shares are the counts per backend; within 10 % of each other, and
 * together all the shards (their count once a single runner held them all). Answers whether
 * they did, and the last shares seen.
 */
const shardsBalanced = async (
  query: (statement: string) => Promise<ReadonlyArray<Record<string, unknown>>>,
  workers: number,
  timeoutMs: number,
): Promise<{ readonly balanced: boolean; readonly shares: ReadonlyArray<number> }> => {
  const started = performance.now();
  let total = 0;
  let shares: ReadonlyArray<number> = [];
  while (performance.now() - started < timeoutMs) {
    const counts = (
      await query(
        `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted GROUP BY pid ORDER BY n DESC`,
      )
    ).map((row) => Number(row.n));
    total = Math.max(total, counts[0] ?? 0);
    shares = counts.slice(0, workers);
    const held = shares.reduce((sum, each) => sum + each, 0);
    if (
      total > 0 &&
      shares.length === workers &&
      held >= total &&
      Math.min(...shares) >= 0.9 * Math.max(...shares)
    )
      return { balanced: true, shares };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { balanced: false, shares };
};

/**
 * Listings whose operation is terminal (the store's record, as JSON text), and those terminal
 * or accepted by the marketplace (pending with its handle): what the workers have done.
 */
const progressCounts = async (
  query: (statement: string) => Promise<ReadonlyArray<Record<string, unknown>>>,
): Promise<{ readonly settled: number; readonly accepted: number }> => {
  const rows = await query(
    `SELECT count(*) FILTER (WHERE status IN ('succeeded', 'succeeded_with_warnings', 'failed')) AS settled,
            count(*) FILTER (WHERE status <> 'pending' OR request_id IS NOT NULL) AS accepted
       FROM (SELECT record::json -> 'state' -> 'operation' ->> 'status' AS status,
                    record::json -> 'state' -> 'operation' ->> 'requestId' AS request_id
               FROM adsync_listings) AS operations`,
  ).catch(() => [{ settled: 0, accepted: 0 }]);
  return { settled: Number(rows[0]?.settled ?? 0), accepted: Number(rows[0]?.accepted ?? 0) };
};

export interface OperationTimings {
  readonly operations: number;
  /** Mean ms from an operation's first `Started` to its `Accepted`: its requests and retries. */
  readonly runningMs: number;
  /**
   * Mean ms from a (dealer, marketplace) pair's `Accepted` to the `Started` of its next
   * operation: the hops between runners and the wait for a permit.
   */
  readonly betweenMs: number;
}

/** One operation from its events: its first `Started` and its first `Accepted` after it. */
interface OperationSpan {
  readonly marketplace: string;
  readonly dealer: string;
  readonly started: number;
  accepted?: number;
}

/** Every operation's span, from the event rows (each observation parsed once). */
const operationSpans = (
  rows: ReadonlyArray<Record<string, unknown>>,
): ReadonlyArray<OperationSpan> => {
  const spans = new Map<string, OperationSpan>();
  for (const row of rows) {
    const observation = JSON.parse(String(row.observation)) as {
      readonly _tag: string;
      readonly operationId?: string;
      readonly at?: number;
    };
    if (observation.operationId === undefined || observation.at === undefined) continue;
    const span = spans.get(observation.operationId);
    if (observation._tag === "Started" && span === undefined)
      spans.set(observation.operationId, {
        marketplace: String(row.marketplace),
        dealer: String(row.dealer),
        started: observation.at,
      });
    else if (observation._tag === "Accepted" && span !== undefined && span.accepted === undefined)
      span.accepted = observation.at;
  }
  return [...spans.values()];
};

/**
 * Where an operation's time goes, per marketplace, from the events (`Started.at`, `Accepted.at`
 * of each operation; a pair's operations run one after another).
 */
const operationTimings = (
  spans: ReadonlyArray<OperationSpan>,
): Readonly<Record<string, OperationTimings>> => {
  const pairs = groupBy(spans, (span) => `${span.marketplace} ${span.dealer}`);
  const sums = new Map<string, { n: number; running: number; gaps: number; between: number }>();
  for (const [pair, pairSpans] of pairs) {
    const marketplace = pair.split(" ")[0] ?? "";
    const sum = sums.get(marketplace) ?? { n: 0, running: 0, gaps: 0, between: 0 };
    sums.set(marketplace, sum);
    const ordered = [...pairSpans].sort((a, b) => a.started - b.started);
    ordered.forEach((span, index) => {
      if (span.accepted === undefined) return;
      sum.n += 1;
      sum.running += span.accepted - span.started;
      const next = ordered[index + 1];
      if (next !== undefined) {
        sum.gaps += 1;
        sum.between += next.started - span.accepted;
      }
    });
  }
  return Object.fromEntries(
    [...sums].map(([marketplace, sum]) => [
      marketplace,
      {
        operations: sum.n,
        runningMs: sum.n === 0 ? 0 : sum.running / sum.n,
        betweenMs: sum.gaps === 0 ? 0 : sum.between / sum.gaps,
      },
    ]),
  );
};

/** `items` grouped by `keyOf` (absent: left out), in their order. */
const groupBy = <A>(
  items: ReadonlyArray<A>,
  keyOf: (item: A) => string | undefined,
): Map<string, Array<A>> => {
  const groups = new Map<string, Array<A>>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) continue;
    const group = groups.get(key) ?? [];
    groups.set(key, group);
    group.push(item);
  }
  return groups;
};

/** All operations over the time until every one was accepted or settled (polled each second). */
const acceptedRate = (
  progress: ReadonlyArray<{ readonly atMs: number; readonly accepted: number }>,
  operations: number,
): number | undefined => {
  const done = progress.find((each) => each.accepted >= operations);
  return done === undefined || done.atMs <= 0 ? undefined : (operations / done.atMs) * 1000;
};

/** Settled operations per second from the first poll at ≥ 10 % to the first at ≥ 90 %. */
const steadyRate = (
  progress: ReadonlyArray<{ readonly atMs: number; readonly settled: number }>,
  operations: number,
): number | undefined => {
  const from = progress.find((each) => each.settled >= operations * 0.1);
  const to = progress.find((each) => each.settled >= operations * 0.9);
  return from === undefined || to === undefined || to.atMs <= from.atMs
    ? undefined
    : ((to.settled - from.settled) / (to.atMs - from.atMs)) * 1000;
};

/** Milliseconds as seconds with one decimal, "-" for never. */
const seconds = (ms: number | undefined): string =>
  ms === undefined ? "-" : `${(ms / 1000).toFixed(1)} s`;

/** `pg_stat_database` of the current database: commits and rows written so far. */
const pgActivity = async (
  query: (statement: string) => Promise<ReadonlyArray<Record<string, unknown>>>,
): Promise<PgActivity> => {
  // The statistics are flushed by each backend at the end of a transaction (or every second).
  await query("SELECT pg_stat_clear_snapshot()");
  const rows = await query(
    `SELECT xact_commit, tup_inserted + tup_updated + tup_deleted AS written
       FROM pg_stat_database WHERE datname = current_database()`,
  );
  return { commits: Number(rows[0]?.xact_commit ?? 0), rowsWritten: Number(rows[0]?.written ?? 0) };
};

/** A CPU figure of the run as a share of one core over its wall time ("-" when not measured). */
export const cpuShare = (
  result: ScaleResult,
  what: "workers" | "postgres" | "harness" | "machine",
): string =>
  result.cpu === undefined ? "-" : `${Math.round((result.cpu[what] / result.wallMs) * 100_000)} %`;

/** CPU use of the run as shares of one core over its wall time. */
const describeCpu = (result: ScaleResult): string =>
  result.cpu === undefined
    ? "CPU: not measured (no /proc)"
    : `CPU (share of one core over the wall time): workers ${cpuShare(result, "workers")}, PostgreSQL sessions ${cpuShare(result, "postgres")}, harness + sandbox ${cpuShare(result, "harness")}; the whole machine ${cpuShare(result, "machine")} of ${result.cpu.cores * 100} % (other users' processes included)`;

/** The figures of a run, one per line. */
export const describeRun = (result: ScaleResult): ReadonlyArray<string> => {
  const { report } = result;
  return [
    `operations ${result.operations}, settled ${result.settled}${result.timedOut ? " (TIMED OUT)" : ""}`,
    `wall ${(result.wallMs / 1000).toFixed(1)} s (submit ${(result.submitMs / 1000).toFixed(1)} s): ${result.operationsPerSecond.toFixed(2)} operations/s; ${result.steadyOperationsPerSecond?.toFixed(2) ?? "-"} operations/s from 10 % to 90 % settled; ${result.acceptedOperationsPerSecond?.toFixed(2) ?? "-"} operations/s done by the workers (all accepted or settled)`,
    result.killed === undefined
      ? "no worker killed"
      : `${result.killed.worker} SIGKILLed at ${(result.killed.atMs / 1000).toFixed(1)} s`,
    `PostgreSQL: ${(result.pg.commits / result.settled).toFixed(1)} commits and ${(result.pg.rowsWritten / result.settled).toFixed(1)} rows written per operation (${result.pg.commits} / ${result.pg.rowsWritten}, every session)`,
    `rows per operation: ${Object.entries(result.rows)
      .map(([table, count]) => `${table} ${(count / result.operations).toFixed(2)}`)
      .join(", ")}`,
    `429s from the per-dealer limit: ${result.rateLimited}`,
    `settled: ${result.milestones
      .map(({ share, atMs }) => `${Math.round(share * 100)} % at ${seconds(atMs)}`)
      .join(", ")}`,
    `per operation (mean): ${Object.entries(result.timings)
      .map(
        ([marketplace, each]) =>
          `${marketplace} ${(each.runningMs / 1000).toFixed(1)} s running, ${(each.betweenMs / 1000).toFixed(1)} s before the pair's next`,
      )
      .join("; ")}`,
    `accepted or settled: ${result.milestones
      .map(({ share, acceptedAtMs }) => `${Math.round(share * 100)} % at ${seconds(acceptedAtMs)}`)
      .join(", ")}`,
    `requests per operation: ${Object.entries(result.requests)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, count]) => `${key} ${(count / result.operations).toFixed(2)}`)
      .join("; ")}`,
    `a dealer's client from an answer to its next request (under ${CLIENT_GAP_MS} ms): ${Object.entries(
      result.clientGaps,
    )
      .map(
        ([marketplace, each]) =>
          `${marketplace} mean ${each.meanMs.toFixed(0)} ms, median ${each.medianMs.toFixed(0)}, p90 ${each.p90Ms.toFixed(0)} (${each.gaps})`,
      )
      .join("; ")}`,
    `an Allegro operation (mean of ${result.allegroSpans.operations}): ${(result.allegroSpans.headMs / 1000).toFixed(2)} s to its first request, ${result.allegroSpans.requests.toFixed(1)} requests, ${(result.allegroSpans.serverMs / 1000).toFixed(2)} s at the fake, ${(result.allegroSpans.shortGapsMs / 1000).toFixed(2)} s between them under 1 s, ${(result.allegroSpans.longGapsMs / 1000).toFixed(2)} s over (${result.allegroSpans.after429.toFixed(2)} after a 429, of ${(result.allegroSpans.after429Ms / 1000).toFixed(2)} s; ${result.allegroSpans.afterOther.toFixed(2)} after another answer, of ${(result.allegroSpans.afterOtherMs / 1000).toFixed(2)} s), ${(result.allegroSpans.tailMs / 1000).toFixed(2)} s from the last answer to Accepted`,
    describeCpu(result),
    `check: ${report.duplicates.length} duplicates, ${report.recreated.length} recreated, ${report.lost.length} lost, ${report.mismatches.length} mismatches, ${report.orphans.length} orphans, ${report.repeatedEvents.length} events delivered more than once, ${report.failed.length} failed operations`,
    `store listings ${report.counts.storeListings}, live fake listings ${report.counts.fakeListings}, events ${report.counts.events}`,
  ];
};
