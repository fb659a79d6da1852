import { ShardingConfig, SqlMessageStorage, SqlRunnerStorage } from "@effect/cluster";
import * as SqlClient from "@effect/sql/SqlClient";
import { Effect, Either, Layer } from "effect";

/*
 * The cluster's own tables (`cluster_messages`, `cluster_replies`, `cluster_runners`,
 * `cluster_locks`, `cluster_migrations`), made by @effect/cluster's SQL storages when they are
 * built. They make them with `CREATE TABLE IF NOT EXISTS`, which PostgreSQL does not make safe
 * between sessions: two workers starting at once on a new database both find the table missing,
 * and the second fails on the catalogue's unique index ("duplicate key value violates unique
 * constraint pg_type_typname_nsp_index") and exits. CI saw exactly that (stop 22: `worker w1
 * exited (2) before it was ready: SqlError`, three workers started together).
 *
 * So each worker builds the two storages while it holds a PostgreSQL advisory lock, taken on a
 * connection of its own and released as soon as they are built: the workers make the tables one
 * after the other, and every one after the first finds them made. A worker killed while holding
 * it loses its connection, and PostgreSQL releases the lock with it.
 */

/**
 * The smallest PostgreSQL pool a worker or a client can start with: @effect/cluster's runner
 * storage holds one connection for its shard locks from the start, the schema lock one while
 * the storages are built, and their statements need a third. With fewer the start waits for a
 * connection forever.
 */
export const minimumConnections = 3;

/** `maxConnections` or its default, refused below `minimumConnections`. */
export const checkConnections = (
  value: number | undefined,
  fallback: number,
): Either.Either<number, string> => {
  const connections = value ?? fallback;
  return Number.isSafeInteger(connections) && connections >= minimumConnections
    ? Either.right(connections)
    : Either.left(
        `maxConnections must be a whole number of at least ${minimumConnections} (the cluster holds one for its shard locks, its start one for the schema lock), got ${String(value)}`,
      );
};

/** The key of the advisory lock around the cluster's tables ("adsc" in ASCII). */
export const clusterSchemaLockKey = 0x61647363;

/**
 * Builds `layer` in the caller's scope while holding the cluster schema lock (a session
 * advisory lock on a reserved connection, held only while `layer` is built).
 */
export const underClusterSchemaLock = <A, E, R>(
  layer: Layer.Layer<A, E, R>,
): Layer.Layer<A, E | Error, R | SqlClient.SqlClient> =>
  Layer.scopedContext(
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient;
      const outer = yield* Effect.scope;
      return yield* Effect.scoped(
        Effect.gen(function* () {
          const connection = yield* sql.reserve;
          yield* connection.executeRaw("SELECT pg_advisory_lock($1)", [clusterSchemaLockKey]);
          yield* Effect.addFinalizer(() =>
            connection
              .executeRaw("SELECT pg_advisory_unlock($1)", [clusterSchemaLockKey])
              .pipe(Effect.ignore),
          );
          return yield* Layer.buildWithScope(layer, outer);
        }),
      );
    }),
  );

/**
 * @effect/cluster's message and runner storages on the worker's PostgreSQL, built under the
 * cluster schema lock (for `NodeClusterSocket.layer({ storage: "byo" })`).
 */
export const clusterStorageLayer = (
  shardingConfig: Partial<ShardingConfig.ShardingConfig["Type"]>,
) =>
  underClusterSchemaLock(
    Layer.mergeAll(Layer.orDie(SqlMessageStorage.layer), Layer.orDie(SqlRunnerStorage.layer)),
  ).pipe(Layer.provide(ShardingConfig.layerFromEnv(shardingConfig)));
