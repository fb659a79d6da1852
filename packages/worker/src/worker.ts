import { createHash } from "node:crypto";
import {
  AdsyncError,
  type DealerAdapters,
  type DealerCredentials,
  DealerPublishers,
  dealerAdaptersLayer,
  dealerPublishersLayer,
  type HttpAnswerCache,
  type MarketplaceDescriptor,
  type RateLimit,
  type ReferenceCacheOptions,
  referenceCacheLayer,
  referencePathsOf,
} from "@adsync/core";
import {
  makeSqlKeyValueStore,
  migrate,
  pgClientLayer,
  sqlDealerCredentialsLayer,
  sqlDealerStoresLayer,
  sqlDealersOn,
  sqlRateLimiters,
} from "@adsync/store-sql";
import {
  ClusterCron,
  ClusterWorkflowEngine,
  EntityId,
  RunnerAddress,
  type ShardId,
  Sharding,
} from "@effect/cluster";
import type { HttpClient } from "@effect/platform";
import { NodeClusterSocket, NodeHttpClient } from "@effect/platform-node";
import type * as SqlClient from "@effect/sql/SqlClient";
import {
  Cron,
  Duration,
  Effect,
  Either,
  Equal,
  Layer,
  ManagedRuntime,
  Option,
  type Redacted,
} from "effect";
import { checkConnections, clusterStorageLayer } from "./cluster-storage.ts";
import { operationWorkflowLayer } from "./operation.ts";
import { type OperationOrder, operationPermitsLayer } from "./operation-permits.ts";
import { Listings, OperationWorkflow, operationKey, pairId } from "./protocol.ts";

/*
 * One `adsync worker`: an @effect/cluster runner on PostgreSQL (socket transport, shards locked
 * in the database) running the pair entities, the operation workflow and the reconcile crons.
 */

/** The cluster's clocks: how fast a dead runner's shards move, how often storage is polled. */
export interface WorkerTimings {
  /** How often a runner renews its shard locks. */
  readonly shardLockRefreshInterval: Duration.DurationInput;
  /**
   * A runner that has not renewed its locks for this long is taken for dead and its shards move:
   * the failover time after a crash. Too short, and a runner starved of CPU loses its shards
   * while still working (spike P6).
   */
  readonly shardLockExpiration: Duration.DurationInput;
  /** How often a runner reads stored messages it was not told about (and due cron runs). */
  readonly entityMessagePollInterval: Duration.DurationInput;
  /** How often a runner reads the shard assignments. */
  readonly refreshAssignmentsInterval: Duration.DurationInput;
  /** How often runners are checked for health. */
  readonly runnerHealthCheckInterval: Duration.DurationInput;
}

/** Defaults between the library's (35 s failover) and a test's (6 s): see the README. */
export const defaultWorkerTimings: WorkerTimings = {
  shardLockRefreshInterval: "3 seconds",
  shardLockExpiration: "15 seconds",
  entityMessagePollInterval: "2 seconds",
  refreshAssignmentsInterval: "3 seconds",
  runnerHealthCheckInterval: "1 minute",
};

/** Fast failover for tests: a killed runner's shards move after about 6 s. */
export const fastWorkerTimings: WorkerTimings = {
  shardLockRefreshInterval: "2 seconds",
  shardLockExpiration: "6 seconds",
  entityMessagePollInterval: "1 second",
  refreshAssignmentsInterval: "1 second",
  runnerHealthCheckInterval: "5 seconds",
};

export interface WorkerOptions {
  /** `postgres://user:password@host:port/database`: the cluster's tables and adsync's. */
  readonly databaseUrl: string | Redacted.Redacted;
  /** Where this runner listens for the others (`host:port`); every runner needs its own. */
  readonly listen: string;
  /** The marketplaces offered (the CLI's registry's descriptors). */
  readonly marketplaces: ReadonlyArray<MarketplaceDescriptor>;
  readonly timings?: Partial<WorkerTimings> | undefined;
  /**
   * The publisher's lease on a listing while an operation runs: after a runner dies mid-request,
   * the operation resumes on another runner once this has passed. It must outlast one
   * operation's requests and retries. Default 2 minutes.
   */
  readonly leaseDuration?: Duration.DurationInput | undefined;
  /** How often a busy listing is tried again; default 2 seconds. */
  readonly busyRetryInterval?: Duration.DurationInput | undefined;
  /**
   * Reconcile passes per marketplace (a `ClusterCron` each: one run per slot in the whole
   * cluster), as a cron expression with seconds; default every 5 minutes. `false`: none.
   */
  readonly reconcileCron?: string | false | undefined;
  /**
   * The application's limit per marketplace (default `documentedApplicationLimits`: Allegro's
   * 9,000 requests a minute per client id), kept in PostgreSQL with each dealer's own limit
   * (store-sql's `sqlRateLimiters`): every worker on the database takes from the same ones.
   */
  readonly applicationLimits?: Readonly<Record<string, RateLimit>> | undefined;
  readonly userAgent?: string | undefined;
  /**
   * At most this many operations' marketplace work in flight in this worker at once (each
   * operation's activity holds one permit while it runs the dealer's publisher; the others wait
   * their turn, nothing sent, no lease taken): the worker's capacity, as a job queue's
   * `concurrency`. Reconcile passes run beside it (4 dealers at a time per marketplace:
   * `servedLayer`). Default `defaultMaxOperations` (100); see the README.
   */
  readonly maxOperations?: number | undefined;
  /**
   * In which order operations waiting for one of the `maxOperations` permits get it:
   * `"paced"` (the default), by arrival less their marketplace's recent operation length, so
   * every pair's operations advance at one pace and a backlog does not end with the slowest
   * marketplace's pairs alone; `"arrival"`, first come first served. See `operation-permits.ts`
   * and docs/scaling.md.
   */
  readonly operationOrder?: OperationOrder | undefined;
  /** The PostgreSQL pool of this worker; default 10 connections, at least 3. */
  readonly maxConnections?: number | undefined;
  /** The name this worker gives PostgreSQL and its leases; default `adsync-worker@<listen>`. */
  readonly name?: string | undefined;
  /**
   * Reference data (category trees, attribute lists, vehicle lists: each descriptor's
   * `referencePaths`) kept for this long in the database every worker shares (`adsync_kv`), for
   * every dealer: these answers are the marketplace's, the same for each of its accounts, so a
   * cluster asks for each once per TTL instead of once per dealer per worker, and those requests
   * no longer take from each dealer's rate limit. Default 24 hours (the adapters' own in-memory
   * TTL); `false`: every dealer's adapter asks the marketplace itself.
   */
  readonly referenceCache?: Duration.DurationInput | false | undefined;
  /**
   * Where an operation's workflow runs. `"pair"` (the default): on the runner holding its
   * (dealer, marketplace) entity (`placementOf`), so one adapter per pair in the cluster, with
   * its caches, token and settings, and no hop between runners; but a runner's share of the
   * work is its pairs' for good, and with few pairs per runner the busiest runner ends last.
   * `"spread"`: wherever the operation's id hashes, so each operation lands anew and the work
   * evens out over the runners; every runner then builds the adapters of the dealers whose
   * operations it gets. docs/scaling.md measured both.
   */
  readonly placement?: WorkerPlacement | undefined;
}

/** `WorkerOptions.placement`. */
export type WorkerPlacement = "pair" | "spread";

export type { OperationOrder };

/**
 * The default of `WorkerOptions.maxOperations`. Not unbounded: one worker runs an operation for
 * every (dealer, marketplace) entity it holds, and a backlog wakes every pair at once (the v3
 * cluster line has no `maxResidentEntities`, Effect-TS/effect #7206): thousands of dealers'
 * adapters, sockets and queued PostgreSQL round trips on one process. 100 is above what the
 * tests and the default benchmark keep in flight (≤ 40 pairs); the 100-dealer scale run (400
 * pairs, no added latency, CPU-bound) has at most 100 per worker in flight.
 */
export const defaultMaxOperations = 100;

/** `maxOperations` or its default: a whole number above 0. */
const checkMaxOperations = (value: number | undefined): Either.Either<number, string> => {
  const max = value ?? defaultMaxOperations;
  return Number.isSafeInteger(max) && max > 0
    ? Either.right(max)
    : Either.left(`maxOperations expects a whole number above 0, got ${String(value)}`);
};

const configurationError = (message: string) =>
  new AdsyncError({ reason: "Configuration", operation: "worker", message });

/** `host:port` → the runner's address (ports below 32768 stay out of Linux's ephemeral range). */
export const parseListen = (listen: string): Either.Either<RunnerAddress.RunnerAddress, string> => {
  const match = /^(.+):(\d{1,5})$/.exec(listen.trim());
  const port = Number(match?.[2]);
  if (match === null || match[1] === undefined || !(port > 0 && port < 65536))
    return Either.left(`--listen expects host:port, got "${listen}"`);
  return Either.right(RunnerAddress.make(match[1].replace(/^\[(.*)\]$/, "$1"), port));
};

/**
 * Each dealer's adapters on this worker (core's `DealerAdapters`), their limits (the
 * application's per marketplace, each dealer's own) rows of `adsync_rate_limits` in the
 * database every worker shares, so N workers keep each limit once between them.
 */
export const workerDealerAdaptersLayer = (
  options: Pick<
    WorkerOptions,
    "marketplaces" | "applicationLimits" | "userAgent" | "referenceCache"
  >,
): Layer.Layer<
  DealerAdapters,
  never,
  DealerCredentials | HttpClient.HttpClient | SqlClient.SqlClient
> =>
  Layer.unwrapEffect(
    Effect.map(sqlRateLimiters, (limiters) =>
      dealerAdaptersLayer({
        marketplaces: options.marketplaces,
        applicationLimits: options.applicationLimits,
        userAgent: options.userAgent,
        limiters,
      }),
    ),
  ).pipe(
    Layer.provide(
      sqlReferenceCacheLayer(options.referenceCache, referencePathsOf(options.marketplaces)),
    ),
  );

/**
 * Core's reference-data cache (`referenceCacheLayer`) in `adsync_kv`, shared by every worker on
 * the database and every dealer (`WorkerOptions.referenceCache`); none when `false`. The table
 * is created by the worker's `migrate` before any adapter is built.
 */
export const sqlReferenceCacheLayer = (
  ttl: Duration.DurationInput | false | undefined,
  paths: ReferenceCacheOptions["paths"],
):
  | Layer.Layer<never, never, SqlClient.SqlClient>
  | Layer.Layer<HttpAnswerCache, never, SqlClient.SqlClient> =>
  ttl === false
    ? Layer.empty
    : Layer.unwrapEffect(
        Effect.map(makeSqlKeyValueStore, (store) =>
          referenceCacheLayer(store, { ttl: ttl ?? "24 hours", paths }),
        ),
      );

/**
 * One reconcile pass of a marketplace: each dealer's listings through the core publisher's
 * `reconcile` (bulk `inspect` where the adapter has it). A dealer that fails (no section any
 * more, a revoked token) is logged and skipped; the others go on.
 */
const reconcilePass = (marketplace: string) =>
  Effect.gen(function* () {
    const publishers = yield* DealerPublishers;
    const dealers = yield* sqlDealersOn(marketplace);
    yield* Effect.forEach(
      dealers,
      (dealer) =>
        publishers
          .withPublisher(dealer, (publisher) => publisher.reconcile({ to: [marketplace] }))
          .pipe(
            Effect.catchAll((error) =>
              Effect.logWarning(`reconcile of dealer ${dealer} on ${marketplace} failed`, error),
            ),
          ),
      { concurrency: 4, discard: true },
    );
  }).pipe(
    Effect.catchAll((error) => Effect.logWarning(`reconcile of ${marketplace} failed`, error)),
  );

/** The reconcile crons, one per marketplace; `undefined` for none. */
const reconcileCron = (options: WorkerOptions): Either.Either<Cron.Cron | undefined, string> => {
  const expression = options.reconcileCron ?? "0 */5 * * * *";
  if (expression === false || options.marketplaces.length === 0) return Either.right(undefined);
  return Either.mapLeft(
    Cron.parse(expression),
    (error) => `reconcile cron "${expression}": ${error.message}`,
  );
};

const reconcileLayer = (marketplaces: ReadonlyArray<MarketplaceDescriptor>, cron: Cron.Cron) =>
  marketplaces
    .map((descriptor) =>
      ClusterCron.make({
        name: `adsync-reconcile-${descriptor.id}`,
        cron,
        execute: reconcilePass(descriptor.id),
        // A late slot is dropped rather than run twice in a row (the next comes soon).
        skipIfOlderThan: "10 minutes",
      }),
    )
    .reduce((all, each) => Layer.merge(all, each));

/**
 * The placement of an operation's workflow on `shard`, its pair entity's: the first n whose
 * execution id (`@effect/workflow`: the first 16 bytes of SHA-256 of "<name>-<idempotency
 * key>", as hex) the cluster puts on that shard. A workflow's entity is sharded by a hash of its
 * id, and the v3 cluster line has no other way to place it. About `shardsPerGroup` tries (300
 * by default) of a few microseconds each; none found in 6,000 (20 times the default, never
 * seen; raise it with `shardsPerGroup`): no placement, the workflow runs where its id hashes.
 */
export const placementOf = (
  sharding: Pick<Sharding.Sharding["Type"], "getShardId">,
  shard: ShardId.ShardId,
  payload: Parameters<typeof operationKey>[0],
): number | undefined => {
  for (let placement = 0; placement < 6_000; placement++) {
    const executionId = createHash("sha256")
      .update(`${OperationWorkflow.name}-${operationKey(payload, placement)}`)
      .digest("hex")
      .slice(0, 32);
    if (Equal.equals(sharding.getShardId(EntityId.make(executionId), shard.group), shard))
      return placement;
  }
  return undefined;
};

/**
 * The pair entity: each message runs (or re-attaches to) its operation's workflow, placed on
 * the pair's own shard (`placementOf`): the pair's operations run on the runner that holds the
 * pair, with that runner's adapter for the dealer (its caches, token and settings), and no hop
 * between runners for the run, its activity and its result.
 */
const listingsLayer = (placement: WorkerPlacement) =>
  Listings.toLayer(
    Effect.gen(function* () {
      const sharding = yield* Sharding.Sharding;
      // The pair entity's shard, as the cluster computes it for the entity's id.
      const placed = <P extends Parameters<typeof operationKey>[0]>(payload: P) => {
        if (placement === "spread") return payload;
        const entityId = EntityId.make(pairId(payload.dealer, payload.marketplace));
        const shard = sharding.getShardId(entityId, Listings.getShardGroup(entityId));
        return { ...payload, placement: placementOf(sharding, shard, payload) };
      };
      return {
        Publish: (envelope) => OperationWorkflow.execute(placed(envelope.payload)),
        Remove: (envelope) => OperationWorkflow.execute(placed(envelope.payload)),
      };
    }),
    { maxIdleTime: "5 minutes" },
  );

/**
 * What a worker serves over one `DealerPublishers` (built once, shared): the operations (the
 * pair entities and the operation workflow), at most `maxOperations` in flight (their
 * `OperationPermits`, handed out in `operationOrder`); the reconcile passes beside that bound, each visiting 4 dealers at
 * a time. A pass waiting for a permit would wait behind every queued operation, and with a
 * backlog the asynchronous outcomes it brings into the store (Blocket's and Tradera's
 * processing, Allegro's publication commands) would stay `pending` until the backlog drained
 * (the scale benchmark's 1-worker run: a quarter of the operations settled only after 78 s of
 * 113, though accepted from the start).
 */
export const servedLayer = <E1, R1, E2, R2, E3, R3>(parts: {
  readonly operations: Layer.Layer<never, E1, R1>;
  readonly reconcile: Layer.Layer<never, E2, R2>;
  readonly publishers: Layer.Layer<DealerPublishers, E3, R3>;
  readonly maxOperations: number;
  readonly operationOrder?: OperationOrder | undefined;
}) =>
  Layer.merge(
    parts.operations.pipe(
      Layer.provide(
        Layer.merge(
          operationPermitsLayer(parts.maxOperations, parts.operationOrder),
          parts.publishers,
        ),
      ),
    ),
    parts.reconcile.pipe(Layer.provide(parts.publishers)),
  );

/** Everything a runner runs, over its PostgreSQL client; lives as long as the layer. */
export const workerLayer = (options: WorkerOptions): Layer.Layer<never, AdsyncError> => {
  // Every option is checked before anything connects.
  const address = parseListen(options.listen);
  if (Either.isLeft(address)) return Layer.fail(configurationError(address.left));
  const cron = reconcileCron(options);
  if (Either.isLeft(cron)) return Layer.fail(configurationError(cron.left));
  const connections = checkConnections(options.maxConnections, 10);
  if (Either.isLeft(connections)) return Layer.fail(configurationError(connections.left));
  const maxOperations = checkMaxOperations(options.maxOperations);
  if (Either.isLeft(maxOperations)) return Layer.fail(configurationError(maxOperations.left));
  if (![undefined, "paced", "arrival"].includes(options.operationOrder))
    return Layer.fail(
      configurationError(
        `operationOrder expects "paced" or "arrival", got ${String(options.operationOrder)}`,
      ),
    );
  const name = options.name ?? `adsync-worker@${options.listen}`;
  const timings = { ...defaultWorkerTimings, ...options.timings };
  const leaseDuration = options.leaseDuration ?? "2 minutes";
  const shardingConfig = {
    runnerAddress: Option.some(address.right),
    shardLockRefreshInterval: Duration.decode(timings.shardLockRefreshInterval),
    shardLockExpiration: Duration.decode(timings.shardLockExpiration),
    entityMessagePollInterval: Duration.decode(timings.entityMessagePollInterval),
    refreshAssignmentsInterval: Duration.decode(timings.refreshAssignmentsInterval),
    runnerHealthCheckInterval: Duration.decode(timings.runnerHealthCheckInterval),
  };
  // The cluster's SQL storages, built by us under a lock ("byo") rather than by the socket
  // layer: several workers starting at once on a new database would race on its tables.
  const cluster = Layer.orDie(
    NodeClusterSocket.layer({ storage: "byo", shardingConfig }).pipe(
      Layer.provideMerge(clusterStorageLayer(shardingConfig)),
    ),
  );
  const engine = ClusterWorkflowEngine.layer.pipe(Layer.provideMerge(cluster));
  // Each dealer's publisher (core's `DealerPublishers`): its store under that dealer on this
  // worker's one pool, its adapters built from the sections kept in the same database (each
  // dealer's rotating grant refreshed under a lock across the workers, store-sql).
  const credentials = sqlDealerCredentialsLayer;
  const publishers = dealerPublishersLayer({
    marketplaces: options.marketplaces.map((descriptor) => descriptor.id),
    leaseDuration,
    owner: name,
  }).pipe(
    Layer.provide(
      workerDealerAdaptersLayer(options).pipe(Layer.provide(NodeHttpClient.layerUndici)),
    ),
    Layer.provide(sqlDealerStoresLayer),
    Layer.provide(credentials),
  );
  const busy = {
    busyRetryInterval: options.busyRetryInterval ?? "2 seconds",
    // Past the dead runner's lease, with room for one more operation's length.
    busyRetryBudget: Duration.sum(Duration.decode(leaseDuration), Duration.decode(leaseDuration)),
  };
  // The store's schema first, once per process (each dealer's store then finds it current).
  const schema = Layer.effectDiscard(migrate);
  const crons =
    cron.right === undefined ? Layer.empty : reconcileLayer(options.marketplaces, cron.right);
  return servedLayer({
    operations: Layer.merge(
      listingsLayer(options.placement ?? "pair"),
      operationWorkflowLayer(busy),
    ),
    reconcile: crons,
    publishers,
    maxOperations: maxOperations.right,
    operationOrder: options.operationOrder,
  }).pipe(
    Layer.provide(engine),
    Layer.provide(schema),
    Layer.provide(
      pgClientLayer({
        url: options.databaseUrl,
        maxConnections: connections.right,
        applicationName: name,
      }),
    ),
  );
};

/**
 * Runs one worker until `stopped` resolves (the CLI: SIGTERM or SIGINT), then stops it
 * gracefully: its shards are released for the others at once (the spike saw the running
 * activity finish during the shutdown; one interrupted resumes elsewhere after its lease).
 * `onReady` is called once it serves.
 */
export const runWorker = async (
  options: WorkerOptions,
  stopped: () => Promise<void>,
  onReady: () => void = () => undefined,
): Promise<void> => {
  const runtime = ManagedRuntime.make(workerLayer(options));
  try {
    await runtime.runtime();
    onReady();
    await stopped();
  } finally {
    await runtime.dispose();
  }
};
