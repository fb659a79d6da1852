import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { AdsyncError, DealerStores, EventFeed, Store } from "@adsync/core";
import type { KeyValueStore } from "@effect/platform";
import * as SqlClient from "@effect/sql/SqlClient";
import { PgClient } from "@effect/sql-pg";
import { SqliteClient } from "@effect/sql-sqlite-node";
import { Context, Effect, Layer, Redacted } from "effect";
import { sqlKeyValueStore } from "./key-value-store.ts";
import { migrate } from "./migrations.ts";
import {
  makeSqlDealerStores,
  makeSqlEventFeed,
  makeSqlStore,
  type SqlStoreOptions,
} from "./sql-store.ts";

/** The store as the `Store` service over any `SqlClient`: migrates, then serves `options.dealer`. */
export const sqlStoreLayer = (
  options: SqlStoreOptions = {},
): Layer.Layer<Store, AdsyncError, SqlClient.SqlClient> =>
  Layer.effect(Store, Effect.zipRight(migrate, makeSqlStore(options)));

/**
 * Every dealer's store (`DealerStores`) and the log across all of them (`EventFeed`) over one
 * `SqlClient`, i.e. one pool for every dealer: migrates, then serves any dealer.
 */
export const sqlDealerStoresLayer: Layer.Layer<
  DealerStores | EventFeed,
  AdsyncError,
  SqlClient.SqlClient
> = Layer.effectContext(
  Effect.zipRight(
    migrate,
    Effect.zipWith(makeSqlDealerStores, makeSqlEventFeed, (stores, feed) =>
      Context.make(DealerStores, stores).pipe(Context.add(EventFeed, feed)),
    ),
  ),
);

/** `sqlStoreLayer()`: the default dealer over whatever `SqlClient` is provided. */
export const SqlStoreLive: Layer.Layer<Store, AdsyncError, SqlClient.SqlClient> = sqlStoreLayer();

const openFailed = (cause: unknown) =>
  new AdsyncError({
    reason: "Store",
    operation: "open",
    message: `SQL store open failed: ${cause instanceof Error ? cause.message : String(cause)}`,
  });

export interface SqliteStoreOptions extends SqlStoreOptions {
  /** The database file (its directory is created when missing); ":memory:" lives with the layer. */
  readonly filename: string;
  /** How long a write waits for another process holding the file's lock (default 5,000 ms). */
  readonly busyTimeoutMillis?: number | undefined;
}

/**
 * A SQLite client for the store: WAL (the client's default), `synchronous = FULL` so the record
 * written before a request survives a power cut, and a busy timeout so several processes on one
 * file wait for each other's transactions instead of failing.
 */
export const sqliteClientLayer = (
  options: SqliteStoreOptions,
): Layer.Layer<SqlClient.SqlClient, AdsyncError> =>
  Layer.effectDiscard(
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient;
      yield* sql.unsafe(`PRAGMA busy_timeout = ${Math.max(0, options.busyTimeoutMillis ?? 5000)}`);
      yield* sql.unsafe("PRAGMA synchronous = FULL");
    }),
  ).pipe(
    Layer.provideMerge(
      Layer.unwrapEffect(
        Effect.try({
          try: () => {
            if (options.filename !== ":memory:" && options.filename !== "") {
              mkdirSync(dirname(options.filename), { recursive: true });
            }
            return SqliteClient.layer({ filename: options.filename });
          },
          catch: openFailed,
        }),
      ),
    ),
    Layer.mapError(openFailed),
  );

/** The store on one SQLite file through `@effect/sql-sqlite-node`: the embedded default. */
export const sqliteStore = (options: SqliteStoreOptions): Layer.Layer<Store, AdsyncError> =>
  sqlStoreLayer(options).pipe(Layer.provide(sqliteClientLayer(options)));

export interface PgStoreOptions
  extends SqlStoreOptions,
    Omit<PgClient.PgClientConfig, "url" | "password"> {
  /** A connection URL, `postgres://user:password@host:port/database`. */
  readonly url?: string | Redacted.Redacted | undefined;
  readonly password?: string | Redacted.Redacted | undefined;
}

const redacted = (value: string | Redacted.Redacted | undefined) =>
  value === undefined || Redacted.isRedacted(value) ? value : Redacted.make(value);

/** A PostgreSQL client (a `pg` pool) for the store. */
export const pgClientLayer = (
  options: PgStoreOptions,
): Layer.Layer<SqlClient.SqlClient, AdsyncError> => {
  const { dealer: _, url, password, ...config } = options;
  return PgClient.layer({
    ...config,
    url: redacted(url),
    password: redacted(password),
    applicationName: config.applicationName ?? "adsync",
  }).pipe(Layer.mapError(openFailed));
};

/** Every dealer's store on one SQLite file (`sqlDealerStoresLayer`). */
export const sqliteDealerStores = (
  options: Omit<SqliteStoreOptions, "dealer">,
): Layer.Layer<DealerStores | EventFeed, AdsyncError> =>
  sqlDealerStoresLayer.pipe(Layer.provide(sqliteClientLayer(options)));

/** Every dealer's store on PostgreSQL, one pool for all of them (`sqlDealerStoresLayer`). */
export const pgDealerStores = (
  options: Omit<PgStoreOptions, "dealer">,
): Layer.Layer<DealerStores | EventFeed, AdsyncError> =>
  sqlDealerStoresLayer.pipe(Layer.provide(pgClientLayer(options)));

/** `sqlKeyValueStore` (table `adsync_kv`) on one SQLite file. */
export const sqliteKeyValueStore = (
  options: Omit<SqliteStoreOptions, "dealer">,
): Layer.Layer<KeyValueStore.KeyValueStore, AdsyncError> =>
  sqlKeyValueStore.pipe(Layer.provide(sqliteClientLayer(options)));

/** `sqlKeyValueStore` (table `adsync_kv`) on PostgreSQL: dealers' credentials every worker reads. */
export const pgKeyValueStore = (
  options: Omit<PgStoreOptions, "dealer">,
): Layer.Layer<KeyValueStore.KeyValueStore, AdsyncError> =>
  sqlKeyValueStore.pipe(Layer.provide(pgClientLayer(options)));

/** The store on PostgreSQL through `@effect/sql-pg`: for many workers on one database. */
export const pgStore = (options: PgStoreOptions): Layer.Layer<Store, AdsyncError> =>
  sqlStoreLayer(options).pipe(Layer.provide(pgClientLayer(options)));
