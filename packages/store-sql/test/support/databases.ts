import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AdsyncError, StoreService } from "@adsync/core";
import * as SqlClient from "@effect/sql/SqlClient";
import {
  Context,
  Deferred,
  Effect,
  Fiber,
  Layer,
  ManagedRuntime,
  Schedule,
  type Scope,
} from "effect";
import { afterAll, beforeAll, inject } from "vitest";
import { pgClientLayer, sqliteClientLayer } from "../../src/layers.ts";
import { migrate } from "../../src/migrations.ts";
import { makeSqlStore, type SqlStoreOptions } from "../../src/sql-store.ts";

type ClientLayer = Layer.Layer<SqlClient.SqlClient, AdsyncError>;

/** The database of one test file, on SQLite or on the package's PostgreSQL. */
export interface TestDatabase {
  readonly dialect: "sqlite" | "pg";
  /** The SQLite file or the PostgreSQL URL. */
  readonly location: () => string;
  /**
   * A store on this database, emptied first: what the conformance suite calls a fresh store. It
   * shares the file's one connection (opening one per store made the property test slow).
   */
  readonly freshStore: (
    options?: SqlStoreOptions,
  ) => Effect.Effect<StoreService, AdsyncError, Scope.Scope>;
  /** A store with a connection (pool or file handle) of its own, as another process opens it. */
  readonly openStore: (
    options?: SqlStoreOptions,
  ) => Effect.Effect<StoreService, AdsyncError, Scope.Scope>;
  /** Empties every table and restarts the log at 0. */
  readonly empty: Effect.Effect<void>;
  /** A client of its own on this database, for reading the tables directly. */
  readonly client: () => ClientLayer;
}

/** Migrates (as every process opening the store does) and serves the store on a new client. */
const storeOn = (client: ClientLayer, options?: SqlStoreOptions) =>
  Effect.flatMap(Layer.build(client), (context) =>
    Effect.provide(Effect.zipRight(migrate, makeSqlStore(options)), context),
  );

const emptyTables = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient;
  yield* sql`DELETE FROM adsync_listings`;
  yield* sql`DELETE FROM adsync_events`;
  yield* sql`DELETE FROM adsync_cursors`;
  yield* sql`DELETE FROM adsync_kv`;
  yield* sql`DELETE FROM adsync_rate_limits`;
  yield* sql`UPDATE adsync_log SET seq = 0`;
}).pipe(Effect.orDie);

/**
 * Made in `beforeAll` and removed in `afterAll`; one connection is kept to empty the tables
 * between tests, and each store opens its own.
 */
const testDatabase = (
  dialect: TestDatabase["dialect"],
  location: () => string,
  client: () => ClientLayer,
  create: () => Promise<void>,
  remove: () => Promise<void>,
  migrated: boolean,
): TestDatabase => {
  let runtime: ManagedRuntime.ManagedRuntime<SqlClient.SqlClient, AdsyncError> | undefined;
  beforeAll(async () => {
    await create();
    runtime = ManagedRuntime.make(client());
    if (migrated) await runtime.runPromise(migrate);
  });
  afterAll(async () => {
    try {
      await runtime?.dispose();
    } finally {
      await remove();
    }
  });
  const open = Effect.suspend(() =>
    runtime === undefined ? Effect.die("the test database is not open") : Effect.succeed(runtime),
  );
  const empty = Effect.flatMap(open, (each) => Effect.promise(() => each.runPromise(emptyTables)));
  return {
    dialect,
    location,
    empty,
    client,
    freshStore: (options) =>
      Effect.zipRight(
        empty,
        Effect.flatMap(open, (each) =>
          Effect.flatMap(
            Effect.promise(() => each.runtime()),
            (shared) => Effect.provide(makeSqlStore(options), shared.context),
          ),
        ),
      ),
    openStore: (options) => storeOn(client(), options),
  };
};

/** A SQLite file in a new temp directory, removed after the file's tests. */
export const sqliteDatabase = ({ migrated = true } = {}): TestDatabase => {
  let directory: string | undefined;
  const filename = () => {
    directory ??= mkdtempSync(join(tmpdir(), "adsync-store-sql-"));
    return join(directory, "store.db");
  };
  return testDatabase(
    "sqlite",
    filename,
    () => sqliteClientLayer({ filename: filename() }),
    async () => void filename(),
    async () => {
      if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
    },
    migrated,
  );
};

const postgresUrl = (database: string) => {
  const url = new URL(inject("postgresUrl"));
  url.pathname = `/${database}`;
  return url.toString();
};

/** Runs one statement on the server's "postgres" database (for CREATE/DROP DATABASE). */
const administer = (statement: string) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const context = yield* Layer.build(pgClientLayer({ url: inject("postgresUrl") }));
        const sql = Context.get(context, SqlClient.SqlClient);
        yield* Effect.orDie(sql.unsafe(statement));
      }),
    ),
  );

/** A new database on the package's PostgreSQL (test/support/postgres.ts), dropped afterwards. */
export const postgresDatabase = ({ migrated = true } = {}): TestDatabase => {
  const name = `adsync_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  return testDatabase(
    "pg",
    () => postgresUrl(name),
    () => pgClientLayer({ url: postgresUrl(name), maxConnections: 4 }),
    // A locale-aware collation, as a production database has (ICU en-US: case-insensitive
    // first, punctuation weighed after letters), so byte-order paging is really put to the test.
    () =>
      administer(
        `CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'`,
      ),
    () => administer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    migrated,
  );
};

/** Backends of this database waiting for a lock (a row, a table or an advisory lock). */
export const lockWaiters = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient;
  const rows = yield* sql<{ readonly waiting: unknown }>`
    SELECT count(*) AS waiting FROM pg_stat_activity
    WHERE datname = current_database() AND wait_event_type = 'Lock'`;
  return Number(rows[0]?.waiting ?? 0);
});

/**
 * A real race on PostgreSQL: a connection of its own takes `lock` in a transaction (in a fiber
 * of its own: a fiber forked inside it would inherit its connection), `racing` starts, and once
 * two backends wait at that lock it is released, so both contenders go at once. Answers
 * `racing`'s result; fails after 60 s if they never both wait (the lock is not theirs).
 */
export const releasedTogether = <A, E, R>(
  database: TestDatabase,
  lock: (sql: SqlClient.SqlClient) => Effect.Effect<unknown, unknown>,
  racing: Effect.Effect<A, E, R>,
) =>
  Effect.gen(function* () {
    const gate = yield* Layer.build(database.client());
    const sql = Context.get(gate, SqlClient.SqlClient);
    const locked = yield* Deferred.make<void>();
    const release = yield* Deferred.make<void>();
    const holding = yield* Effect.fork(
      sql.withTransaction(
        Effect.gen(function* () {
          yield* lock(sql);
          yield* Deferred.succeed(locked, undefined);
          yield* Deferred.await(release);
        }),
      ),
    );
    yield* Deferred.await(locked);
    const running = yield* Effect.fork(racing);
    yield* Effect.provide(lockWaiters, gate).pipe(
      Effect.repeat({ schedule: Schedule.spaced("20 millis"), until: (count) => count >= 2 }),
      Effect.timeout("60 seconds"),
    );
    yield* Deferred.succeed(release, undefined);
    yield* Fiber.join(holding);
    return yield* Fiber.join(running);
  });
