import { KeyValueStore, Error as PlatformError } from "@effect/platform";
import type Database from "better-sqlite3";
import { Effect, Layer, Option, type Scope } from "effect";
import { closeDatabase, configure, openDatabase } from "./sqlite-store.ts";

export interface SqliteKeyValueStoreOptions {
  /** The database file; the listings store may use the same file (its own connection). */
  readonly path: string;
}

/**
 * The key-value table lives beside the listings with a fixed layout of its own, created when
 * missing rather than by a numbered migration: it is independent of the listings' schema
 * version, so any release can open a file that any other release wrote.
 */
const createTable = `CREATE TABLE IF NOT EXISTS key_values (
  key TEXT PRIMARY KEY NOT NULL,
  value BLOB NOT NULL,
  updated_at INTEGER NOT NULL
)`;

const failure = (method: string, cause: unknown) =>
  new PlatformError.SystemError({
    reason: "Unknown",
    module: "KeyValueStore",
    method,
    description: `SQLite key-value ${method} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
    cause,
  });

const attempt = <A>(method: string, body: () => A) =>
  Effect.try({ try: body, catch: (cause) => failure(method, cause) });

const asBytes = (value: unknown): Option.Option<Uint8Array> =>
  // better-sqlite3 answers blobs as Buffers; callers get plain bytes.
  value instanceof Uint8Array
    ? Option.some(Uint8Array.from(value))
    : typeof value === "string"
      ? Option.some(new TextEncoder().encode(value))
      : Option.none();

const storedValue = (row: unknown): unknown =>
  typeof row === "object" && row !== null && "value" in row ? row.value : undefined;

/**
 * `@effect/platform`'s `KeyValueStore` on a SQLite file. Every `set` is one autocommitted
 * upsert with the file in WAL mode and `synchronous = FULL` (the listings store's settings): when
 * it succeeds the value is on disk, which is what a rotated OAuth refresh token needs — the one
 * it replaces is no longer accepted. Strings are stored as text and bytes as blobs.
 */
export const makeSqliteKeyValueStore = (
  options: SqliteKeyValueStoreOptions,
): Effect.Effect<KeyValueStore.KeyValueStore, PlatformError.PlatformError, Scope.Scope> =>
  Effect.gen(function* () {
    const database: Database.Database = yield* Effect.acquireRelease(
      openDatabase(options.path),
      closeDatabase,
    ).pipe(Effect.mapError((error) => failure("open", error)));
    yield* configure(database).pipe(Effect.mapError((error) => failure("open", error)));
    const statements = yield* attempt("open", () => {
      database.exec(createTable);
      return {
        select: database.prepare("SELECT value FROM key_values WHERE key = ?"),
        upsert: database.prepare(
          `INSERT INTO key_values (key, value, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        ),
        remove: database.prepare("DELETE FROM key_values WHERE key = ?"),
        clear: database.prepare("DELETE FROM key_values"),
        size: database.prepare("SELECT count(*) AS size FROM key_values"),
      };
    });
    const read = (key: string) =>
      attempt("get", () => storedValue(statements.select.get(key)) ?? null);
    return KeyValueStore.make({
      get: (key) =>
        Effect.map(read(key), (value) =>
          value === null
            ? Option.none()
            : typeof value === "string"
              ? Option.some(value)
              : Option.map(asBytes(value), (bytes) => new TextDecoder().decode(bytes)),
        ),
      getUint8Array: (key) =>
        Effect.map(read(key), (value) => (value === null ? Option.none() : asBytes(value))),
      set: (key, value) =>
        attempt("set", () => {
          statements.upsert.run(key, value, Date.now());
        }),
      remove: (key) =>
        attempt("remove", () => {
          statements.remove.run(key);
        }),
      clear: attempt("clear", () => {
        statements.clear.run();
      }),
      size: attempt("size", () => {
        const row = statements.size.get();
        return typeof row === "object" &&
          row !== null &&
          "size" in row &&
          typeof row.size === "number"
          ? row.size
          : 0;
      }),
    });
  });

/** The `KeyValueStore` service on a SQLite file, closed with the layer. */
export const sqliteKeyValueStoreLayer = (
  options: SqliteKeyValueStoreOptions,
): Layer.Layer<KeyValueStore.KeyValueStore, PlatformError.PlatformError> =>
  Layer.scoped(KeyValueStore.KeyValueStore, makeSqliteKeyValueStore(options));
