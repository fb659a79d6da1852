import { KeyValueStore } from "@effect/platform";
import * as PlatformError from "@effect/platform/Error";
import * as SqlClient from "@effect/sql/SqlClient";
import { Effect, Layer, Option } from "effect";

/*
 * A minimal `KeyValueStore` over the worker's `SqlClient` (table `adsync_kv`), so dealers'
 * credentials (`keyValueDealerCredentials`) live in the PostgreSQL every worker shares. It stands
 * in for store-sql's `sqlKeyValueStore` (same table name) until that lands: then this file goes
 * and the worker takes store-sql's.
 */

const failure = (method: string) => (cause: unknown) =>
  new PlatformError.SystemError({
    reason: "Unknown",
    module: "KeyValueStore",
    method,
    description: cause instanceof Error ? cause.message : String(cause),
  });

/** Creates `adsync_kv` when missing (idempotent; several workers may run it at once). */
export const ensureKeyValueTable = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient;
  yield* sql`CREATE TABLE IF NOT EXISTS adsync_kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)`.pipe(
    // Two workers creating the table at once: one of them meets a unique violation of the catalog.
    Effect.retry({ times: 3 }),
  );
});

/** The key-value store on `adsync_kv` over the `SqlClient` in context. */
export const makeSqlKeyValueStore = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient;
  yield* Effect.orDie(ensureKeyValueTable);
  return KeyValueStore.makeStringOnly({
    get: (key) =>
      sql<{ readonly value: string }>`SELECT value FROM adsync_kv WHERE key = ${key}`.pipe(
        Effect.map((rows) => Option.fromNullable(rows[0]?.value)),
        Effect.mapError(failure("get")),
      ),
    set: (key, value) =>
      sql`INSERT INTO adsync_kv (key, value) VALUES (${key}, ${value})
          ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`.pipe(
        Effect.asVoid,
        Effect.mapError(failure("set")),
      ),
    remove: (key) =>
      sql`DELETE FROM adsync_kv WHERE key = ${key}`.pipe(
        Effect.asVoid,
        Effect.mapError(failure("remove")),
      ),
    clear: sql`DELETE FROM adsync_kv`.pipe(Effect.asVoid, Effect.mapError(failure("clear"))),
    size: sql<{ readonly count: string | number }>`SELECT COUNT(*) AS count FROM adsync_kv`.pipe(
      Effect.map((rows) => Number(rows[0]?.count ?? 0)),
      Effect.mapError(failure("size")),
    ),
  });
});

export const sqlKeyValueStoreLayer: Layer.Layer<
  KeyValueStore.KeyValueStore,
  never,
  SqlClient.SqlClient
> = Layer.effect(KeyValueStore.KeyValueStore, makeSqlKeyValueStore);
