import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type DealerSections, keyValueDealerCredentials } from "@adsync/core";
import { pgClientLayer, sqlKeyValueStore } from "@adsync/store-sql";
import { KeyValueStore } from "@effect/platform";
import * as SqlClient from "@effect/sql/SqlClient";
import { Effect, Layer } from "effect";

/*
 * `adsync worker` processes for the tests, started as a DMS operator would (the CLI's own
 * entry, through tsx) on the test's PostgreSQL, and the dealers' sections written into that
 * database (table adsync_kv) as a DMS would connect its dealers.
 */

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");

/**
 * A free port below 32768 (Linux's ephemeral range starts at 32768: a port in it may be taken
 * by any outgoing connection between the probe and the runner's bind, spike P12).
 */
export const freeRunnerPort = async (): Promise<number> => {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
};

export interface WorkerProcess {
  readonly name: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything it printed. */
  readonly log: () => string;
  /** Resolves when it has exited (with its exit code or signal). */
  readonly exited: Promise<number | NodeJS.Signals | null>;
}

/** Fast failover and short leases: a killed worker's operations resume within ~20 s. */
export const testWorkerArgs = [
  "--lease",
  "8",
  "--lock-refresh",
  "2",
  "--lock-expiration",
  "6",
  "--poll",
  "1",
  "--reconcile-cron",
  "*/3 * * * * *",
];

/** Starts `adsync worker` and resolves once it says it is ready (generous: a loaded machine). */
export const startWorker = async (
  databaseUrl: string,
  name: string,
  args: ReadonlyArray<string> = testWorkerArgs,
): Promise<WorkerProcess> => {
  const port = await freeRunnerPort();
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "packages/cli/src/bin.ts",
      "worker",
      "--database-url",
      databaseUrl,
      "--listen",
      `127.0.0.1:${port}`,
      ...args,
    ],
    {
      cwd: root,
      // No stray PORT/HOST from the environment reaches the cluster's config (spike P4).
      env: { ...process.env, PORT: undefined, HOST: undefined, NODE_NO_WARNINGS: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const chunks: Array<string> = [];
  child.stdout?.on("data", (chunk: Buffer) => void chunks.push(chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => void chunks.push(chunk.toString("utf8")));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal)),
  );
  const log = () => chunks.join("");
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker ${name} not ready after 150 s:\n${log()}`)),
      150_000,
    );
    const check = () => {
      if (log().includes("adsync worker ready")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker ${name} exited (${String(code)}) before it was ready:\n${log()}`));
    });
  });
  return { name, port, child, log, exited };
};

/** SIGTERM (graceful) and wait; SIGKILL if it does not stop within a minute. */
export const stopWorker = async (worker: WorkerProcess): Promise<void> => {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  worker.child.kill("SIGTERM");
  const timer = setTimeout(() => worker.child.kill("SIGKILL"), 60_000);
  await worker.exited;
  clearTimeout(timer);
};

/** Connects dealers to marketplaces in the database the workers read (table adsync_kv). */
export const putSections = (databaseUrl: string, sections: DealerSections) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const store = keyValueDealerCredentials(yield* KeyValueStore.KeyValueStore);
      for (const [dealer, byMarketplace] of Object.entries(sections))
        for (const [marketplace, section] of Object.entries(byMarketplace))
          yield* store.putSection(dealer, marketplace, section);
    }).pipe(
      Effect.provide(
        sqlKeyValueStore.pipe(
          Layer.provide(pgClientLayer({ url: databaseUrl, maxConnections: 1 })),
        ),
      ),
      Effect.scoped,
    ),
  );

/** Polls `read` (a read of final state, never a timing) until it holds or `timeoutMs` passes. */
export const eventually = async <A>(
  what: string,
  read: () => Promise<A>,
  holds: (value: A) => boolean,
  timeoutMs = 120_000,
  show: (value: A) => unknown = (value) => value,
): Promise<A> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (holds(value)) return value;
    if (Date.now() > deadline)
      throw new Error(
        `${what}: not reached in ${timeoutMs} ms; last: ${JSON.stringify(show(value))}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
};

/** The documented example car (valid on every marketplace), under another id. */
const exampleCar: Record<string, unknown> = JSON.parse(
  readFileSync(join(root, "docs", "examples", "01-car.json"), "utf8"),
);
export const adFor = (id: string) => ({
  ...exampleCar,
  id,
  url: `https://dealer.example.com/cars/${id}`,
});

/**
 * How many shards each worker holds: PostgreSQL advisory locks of the runner's sessions (named
 * after its address, the worker's `application_name`).
 */
export const shardsHeld = (databaseUrl: string, workers: ReadonlyArray<WorkerProcess>) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient;
      const rows = yield* sql<{ readonly name: string; readonly shards: string | number }>`
        SELECT a.application_name AS name, COUNT(*) AS shards
        FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted
        GROUP BY a.application_name`;
      const byName = new Map(rows.map((row) => [row.name, Number(row.shards)]));
      return workers.map((worker) => byName.get(`adsync-worker@127.0.0.1:${worker.port}`) ?? 0);
    }).pipe(Effect.provide(pgClientLayer({ url: databaseUrl, maxConnections: 1 })), Effect.scoped),
  );
