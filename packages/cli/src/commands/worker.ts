import type { OperationOrder, WorkerPlacement, WorkerTimings } from "@adsync/worker";
import { Command, Options } from "@effect/cli";
import { Duration, Either, Option } from "effect";
import { ExitCode, type Io, orFail, runCommand } from "../context.ts";
import { cliUserAgent } from "../marketplaces.ts";
import { defaultRegistry } from "../registry.ts";
import { untilStopped } from "./reconcile.ts";

export interface WorkerArgs {
  readonly databaseUrl: string;
  readonly listen: string;
  readonly leaseSeconds?: number | undefined;
  readonly lockRefreshSeconds?: number | undefined;
  readonly lockExpirationSeconds?: number | undefined;
  readonly pollSeconds?: number | undefined;
  readonly reconcileCron?: string | undefined;
  readonly maxOperations?: number | undefined;
  /** Hours reference data is shared from the database, or "off". */
  readonly referenceCache?: string | undefined;
  readonly placement?: WorkerPlacement | undefined;
  readonly operationOrder?: OperationOrder | undefined;
}

/** An optional whole number above 0. */
const positive = (name: string, description: string, expected: string) =>
  Options.integer(name).pipe(
    Options.withDescription(description),
    Options.filterMap((value) => (value > 0 ? Option.some(value) : Option.none()), expected),
    Options.optional,
    Options.map(Option.getOrUndefined),
  );

const seconds = (name: string, description: string) =>
  positive(name, description, "expected a number of seconds above 0");

const options = {
  databaseUrl: Options.text("database-url").pipe(
    Options.withDescription(
      "The workers' PostgreSQL, postgres://user:password@host:port/database: the cluster's tables, the listings and the dealers' credentials (table adsync_kv).",
    ),
  ),
  listen: Options.text("listen").pipe(
    Options.withDescription(
      "host:port this runner listens on for the other runners; each worker needs its own (pick a port below 32768, outside Linux's ephemeral range).",
    ),
  ),
  leaseSeconds: seconds(
    "lease",
    "The publisher's lease on a listing while an operation runs (default 120): after a crash the operation resumes on another worker once it has passed.",
  ),
  lockRefreshSeconds: seconds("lock-refresh", "How often shard locks are renewed (default 3)."),
  lockExpirationSeconds: seconds(
    "lock-expiration",
    "After how long without renewal a runner's shards move to the others (default 15): the failover time.",
  ),
  pollSeconds: seconds(
    "poll",
    "How often stored messages and due reconcile runs are read from PostgreSQL (default 2).",
  ),
  reconcileCron: Options.text("reconcile-cron").pipe(
    Options.withDescription(
      'Reconcile passes per marketplace, a cron expression with seconds (default "0 */5 * * * *"); "off" for none.',
    ),
    Options.optional,
    Options.map(Option.getOrUndefined),
  ),
  maxOperations: positive(
    "max-operations",
    "At most this many operations' marketplace work in flight in this worker at once (default 100): the worker's capacity; the others wait their turn, holding nothing. Give each worker what its machine's sockets, memory and CPU allow.",
    "expected a whole number of operations above 0",
  ),
  placement: Options.choice("placement", ["pair", "spread"]).pipe(
    Options.withDescription(
      'Where an operation runs: "pair" (default) on the runner holding its (dealer, marketplace), one adapter per pair in the cluster; "spread" wherever its id hashes, which evens the work out over few pairs per runner (docs/scaling.md).',
    ),
    Options.optional,
    Options.map(Option.getOrUndefined),
  ),
  operationOrder: Options.choice("operation-order", ["paced", "arrival"]).pipe(
    Options.withDescription(
      'Which waiting operation gets the next of the --max-operations permits: "paced" (default) by arrival less its marketplace\'s recent operation length, so every (dealer, marketplace) advances at one pace and a backlog does not end with the slowest marketplace alone; "arrival" first come, first served (docs/scaling.md).',
    ),
    Options.optional,
    Options.map(Option.getOrUndefined),
  ),
  referenceCache: Options.text("reference-cache").pipe(
    Options.withDescription(
      "Hours the marketplaces' reference data (category trees, attribute and vehicle lists: the same for every dealer) is kept in the database for every dealer and worker (default 24); \"off\": each dealer's adapter asks the marketplace itself.",
    ),
    Options.optional,
    Options.map(Option.getOrUndefined),
  ),
};

/** `--reference-cache`: hours above 0, or "off". */
const referenceCacheOf = (
  value: string | undefined,
): Either.Either<Duration.Duration | false | undefined, string> => {
  if (value === undefined) return Either.right(undefined);
  if (value === "off") return Either.right(false);
  const hours = Number(value);
  return Number.isFinite(hours) && hours > 0
    ? Either.right(Duration.millis(hours * 3_600_000))
    : Either.left(`--reference-cache expects hours above 0 or "off", got "${value}"`);
};

const timingsOf = (args: WorkerArgs): Partial<WorkerTimings> => ({
  ...(args.lockRefreshSeconds === undefined
    ? {}
    : { shardLockRefreshInterval: Duration.seconds(args.lockRefreshSeconds) }),
  ...(args.lockExpirationSeconds === undefined
    ? {}
    : { shardLockExpiration: Duration.seconds(args.lockExpirationSeconds) }),
  ...(args.pollSeconds === undefined
    ? {}
    : {
        entityMessagePollInterval: Duration.seconds(args.pollSeconds),
        refreshAssignmentsInterval: Duration.seconds(args.pollSeconds),
      }),
});

/**
 * `adsync worker`: one @effect/cluster runner on PostgreSQL until SIGTERM/SIGINT (then it stops
 * gracefully). Dealers' sections come from the credentials kept in that database, the
 * marketplaces from the CLI's registry.
 */
export const worker = async (args: WorkerArgs, io: Io): Promise<number> => {
  if (args.lockExpirationSeconds !== undefined && args.lockRefreshSeconds !== undefined)
    orFail(
      args.lockRefreshSeconds < args.lockExpirationSeconds
        ? Either.right(undefined)
        : Either.left("--lock-refresh must be shorter than --lock-expiration"),
    );
  const referenceCache = orFail(referenceCacheOf(args.referenceCache));
  // Imported here: the cluster stack costs a second of start-up no other command should pay.
  const { runWorker } = await import("@adsync/worker");
  await runWorker(
    {
      databaseUrl: args.databaseUrl,
      listen: args.listen,
      marketplaces: (io.registry ?? defaultRegistry).map((entry) => entry.descriptor),
      timings: timingsOf(args),
      leaseDuration:
        args.leaseSeconds === undefined ? undefined : Duration.seconds(args.leaseSeconds),
      reconcileCron: args.reconcileCron === "off" ? false : args.reconcileCron,
      maxOperations: args.maxOperations,
      referenceCache,
      placement: args.placement,
      operationOrder: args.operationOrder,
      userAgent: cliUserAgent,
    },
    untilStopped,
    () => io.out(`adsync worker ready on ${args.listen}`),
  );
  io.out(`adsync worker on ${args.listen} stopped`);
  return ExitCode.ok;
};

export const workerCommand = Command.make("worker", options, (args) =>
  runCommand((io) => worker(args, io)),
).pipe(
  Command.withDescription(
    "Run one worker (an @effect/cluster runner sharded over PostgreSQL) until SIGTERM/SIGINT: it publishes and removes the operations a DMS submits (@adsync/worker's client) for every dealer whose credentials are in the database, and runs the reconcile passes. Start several on one database to share the work.",
  ),
);
