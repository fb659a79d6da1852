import type { AdsyncError } from "@adsync/core";
import { KeyValueStore, Error as PlatformError } from "@effect/platform";
import * as SqlClient from "@effect/sql/SqlClient";
import type { SqlError } from "@effect/sql/SqlError";
import { Effect, Either, Encoding, Layer, Option } from "effect";
import { migrate } from "./migrations.ts";
import { toInteger } from "./rows.ts";

const failure = (method: string) => (error: SqlError | AdsyncError) =>
  new PlatformError.SystemError({
    reason: "Unknown",
    module: "KeyValueStore",
    method,
    description: `SQL key-value ${method} failed: ${error.message}`,
    cause: error,
  });

interface ValueRow {
  readonly value: string;
  readonly bytes: unknown;
}

const isBytes = (row: ValueRow) => Number(row.bytes) === 1;

/**
 * `@effect/platform`'s `KeyValueStore` in the `adsync_kv` table (created by `migrate`), on any
 * `SqlClient`: PostgreSQL (shared by every worker) or SQLite. Each `set` is one autocommitted
 * upsert, committed when it returns — what core's refreshing bearer needs before it uses a
 * rotated grant (the refresh token it replaces is spent). Run inside the caller's
 * `withTransaction` it would commit with that transaction instead: core never does. Strings are
 * kept as text, bytes as base64 text.
 */
export const makeSqlKeyValueStore: Effect.Effect<
  KeyValueStore.KeyValueStore,
  never,
  SqlClient.SqlClient
> = Effect.map(SqlClient.SqlClient, (sql) => {
  const read = (key: string) =>
    sql<ValueRow>`SELECT value, bytes FROM adsync_kv WHERE key = ${key}`.pipe(
      Effect.mapError(failure("get")),
      Effect.map(([row]) => Option.fromNullable(row)),
    );
  return KeyValueStore.make({
    get: (key) =>
      Effect.map(
        read(key),
        Option.map((row) =>
          isBytes(row)
            ? new TextDecoder().decode(
                Either.getOrElse(Encoding.decodeBase64(row.value), () => new Uint8Array()),
              )
            : row.value,
        ),
      ),
    getUint8Array: (key) =>
      Effect.map(
        read(key),
        Option.flatMap((row) =>
          isBytes(row)
            ? Option.getRight(Encoding.decodeBase64(row.value))
            : Option.some(new TextEncoder().encode(row.value)),
        ),
      ),
    set: (key, value) => {
      const row =
        typeof value === "string"
          ? { key, value, bytes: 0 }
          : { key, value: Encoding.encodeBase64(value), bytes: 1 };
      return sql`INSERT INTO adsync_kv ${sql.insert({ ...row, updated_at: Date.now() })}
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, bytes = excluded.bytes,
          updated_at = excluded.updated_at`.pipe(Effect.mapError(failure("set")), Effect.asVoid);
    },
    remove: (key) =>
      sql`DELETE FROM adsync_kv WHERE key = ${key}`.pipe(
        Effect.mapError(failure("remove")),
        Effect.asVoid,
      ),
    clear: sql`DELETE FROM adsync_kv`.pipe(Effect.mapError(failure("clear")), Effect.asVoid),
    size: sql<{ readonly size: unknown }>`SELECT count(*) AS size FROM adsync_kv`.pipe(
      Effect.flatMap(([row]) => toInteger("size", "the key-value count", row?.size ?? 0)),
      Effect.mapError(failure("size")),
    ),
  });
});

/** The key-value store over the `SqlClient` provided: migrates, then serves `adsync_kv`. */
export const sqlKeyValueStore: Layer.Layer<
  KeyValueStore.KeyValueStore,
  AdsyncError,
  SqlClient.SqlClient
> = Layer.effect(KeyValueStore.KeyValueStore, Effect.zipRight(migrate, makeSqlKeyValueStore));
