import { AdsyncError } from "@adsync/core";
import * as Migrator from "@effect/sql/Migrator";
import * as SqlClient from "@effect/sql/SqlClient";
import { Effect } from "effect";

/** The table the Migrator keeps its applied steps in (not Effect's default, to share a database). */
export const migrationsTable = "adsync_migrations";

/**
 * `ad_id` is compared byte by byte on both dialects, so `keys` pages in the same order
 * everywhere: SQLite's default collation is binary already; PostgreSQL's follows the database
 * locale (where "a-1" may sort before "a"), so the column takes the "C" collation.
 */
const binaryCollation = (sql: SqlClient.SqlClient) =>
  sql.onDialectOrElse({ pg: () => ' COLLATE "C"', orElse: () => "" });

/*
 * One step per version. A shipped step is never edited, only followed by a new one. Every
 * statement runs on SQLite and PostgreSQL alike (BIGINT is INTEGER affinity on SQLite); the only
 * dialect difference is the collation above.
 *
 * The key of a listing is (dealer, marketplace, ad_id): a store serves one dealer and maps every
 * call to it (`defaultDealer` unless configured; `DealerStores` gives one per dealer).
 * `operation_id` and `lease_holder` repeat the two fields of `record` that a
 * conditional write compares, so the compare-and-set is a plain `WHERE` on both dialects.
 * `adsync_log` holds the last `seq` of the event log in one row: each `record` increments it in
 * its own transaction, so numbers follow commit order with no gap on every dialect (a sequence
 * or identity column would hand out numbers that a rollback never returns, and concurrent
 * writers on PostgreSQL would commit them out of order, so a feed reader could skip one).
 */
const initial = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient;
  const collate = binaryCollation(sql);
  const statements = [
    `CREATE TABLE adsync_listings (
      dealer TEXT NOT NULL,
      marketplace TEXT NOT NULL,
      ad_id TEXT${collate} NOT NULL,
      record TEXT NOT NULL,
      operation_id TEXT,
      lease_holder TEXT,
      updated_at BIGINT NOT NULL,
      PRIMARY KEY (dealer, marketplace, ad_id)
    )`,
    "CREATE INDEX adsync_listings_by_ad ON adsync_listings (dealer, ad_id)",
    `CREATE TABLE adsync_events (
      seq BIGINT PRIMARY KEY,
      dealer TEXT NOT NULL,
      ad_id TEXT NOT NULL,
      marketplace TEXT NOT NULL,
      observation TEXT NOT NULL,
      state TEXT NOT NULL
    )`,
    "CREATE INDEX adsync_events_by_ad ON adsync_events (dealer, ad_id, seq)",
    "CREATE INDEX adsync_events_by_dealer ON adsync_events (dealer, seq)",
    "CREATE TABLE adsync_log (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL)",
    "INSERT INTO adsync_log (id, seq) VALUES (1, 0)",
    `CREATE TABLE adsync_cursors (
      dealer TEXT NOT NULL,
      name TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (dealer, name)
    )`,
  ];
  for (const statement of statements) yield* sql.unsafe(statement);
});

/*
 * The key-value table of `sqlKeyValueStore` (`@effect/platform`'s `KeyValueStore`): dealers'
 * credentials and rotated OAuth grants (`keyValueDealerCredentials`), shared by every worker.
 * A value is text; bytes are kept as base64 text with `bytes` = 1, the same on both dialects.
 */
const keyValues = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient;
  yield* sql.unsafe(`CREATE TABLE adsync_kv (
    key TEXT${binaryCollation(sql)} PRIMARY KEY,
    value TEXT NOT NULL,
    bytes INTEGER NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
  )`);
});

/*
 * The fixed windows of `sqlRateLimiter` (replaced by step 4): one row per limit (a dealer's on a marketplace, the
 * application's on one), the start of its current window (milliseconds, the workers' clock) and
 * the permits taken in it. Every worker of one database shares them.
 */
const rateLimits = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient;
  yield* sql.unsafe(`CREATE TABLE adsync_rate_limits (
    key TEXT${binaryCollation(sql)} PRIMARY KEY,
    window_start BIGINT NOT NULL,
    count INTEGER NOT NULL
  )`);
});

/*
 * The GCRA of `sqlRateLimiter` (replacing step 3's fixed windows, which let twice a limit
 * through across a window's boundary): one row per limit, its theoretical arrival time in
 * microseconds of the workers' clock (`tat_us`, the earliest time of its next permit). Step 3's
 * rows are dropped: a limit starts afresh, as after a quiet spell.
 */
const gcraRateLimits = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient;
  yield* sql.unsafe("DROP TABLE adsync_rate_limits");
  yield* sql.unsafe(`CREATE TABLE adsync_rate_limits (
    key TEXT${binaryCollation(sql)} PRIMARY KEY,
    tat_us BIGINT NOT NULL
  )`);
});

const steps = {
  "1_initial": initial,
  "2_key_values": keyValues,
  "3_rate_limits": rateLimits,
  "4_rate_limits_gcra": gcraRateLimits,
};

/** The schema version this release writes. */
export const schemaVersion = Object.keys(steps).length;

const migrationError = (message: string) =>
  new AdsyncError({ reason: "Store", operation: "migrate", message });

/** An error's message, with the driver's own beneath it (a `SqlError` says only "Failed to …"). */
const describe = (cause: unknown): string => {
  if (!(cause instanceof Error)) return String(cause);
  const inner = cause.cause;
  return inner instanceof Error && inner.message !== cause.message
    ? `${cause.message}: ${describe(inner)}`
    : cause.message;
};

const runMigrator = Migrator.make({})({
  loader: Migrator.fromRecord(steps),
  table: migrationsTable,
});

/** The highest step applied to the database (0 for none). */
const appliedVersion = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient;
  const rows = yield* sql.unsafe<{ readonly version: unknown }>(
    `SELECT coalesce(max(migration_id), 0) AS version FROM ${migrationsTable}`,
  );
  return Number(rows[0]?.version ?? 0);
});

/**
 * The key of the PostgreSQL advisory lock every migration takes first ("adsy" in ASCII): one
 * number for every adsync database, as the lock is per database already.
 */
export const migrationLockKey = 0x61647379;

/**
 * The table whose one row a SQLite migration writes first, so its transaction holds the file's
 * write lock from its first statement (what `BEGIN IMMEDIATE` does): another process migrating
 * waits for it (busy timeout) instead of reading a schema about to change.
 */
const sqliteLockTable = "adsync_migration_lock";

/**
 * Runs `effect` in a transaction that first takes the database's migration lock, held until it
 * commits: PostgreSQL `pg_advisory_xact_lock`, SQLite the file's write lock (a write as the
 * first statement). Two processes migrating at once run one after the other; the second finds
 * every step applied.
 */
const underMigrationLock = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient;
    const lock = sql.onDialectOrElse({
      pg: () => sql`SELECT pg_advisory_xact_lock(${migrationLockKey})`,
      orElse: () =>
        sql`INSERT INTO ${sql(sqliteLockTable)} (id, at) VALUES (1, ${Date.now()})
          ON CONFLICT (id) DO UPDATE SET at = excluded.at`,
    });
    // SQLite: the lock's table, made outside the transaction (idempotent; a write that waits
    // its turn), so the transaction's first statement is the write that takes the lock.
    yield* sql.onDialectOrElse({
      pg: () => Effect.void,
      orElse: () =>
        sql`CREATE TABLE IF NOT EXISTS ${sql(sqliteLockTable)} (id INTEGER PRIMARY KEY, at BIGINT NOT NULL)`,
    });
    // PostgreSQL: the Migrator's own table, as the Migrator makes it, made here under the lock:
    // the Migrator looks for it with a statement that fails when it is missing, which would
    // abort the transaction holding the lock.
    const migratorTable = sql.onDialectOrElse({
      pg: () => sql`CREATE TABLE IF NOT EXISTS ${sql(migrationsTable)} (
        migration_id integer primary key,
        created_at timestamp with time zone not null default now(),
        name text not null
      )`,
      orElse: () => Effect.void,
    });
    // SQLite's driver runs statements synchronously, and a statement waiting for the file's
    // lock waits synchronously too (busy timeout), holding up the whole thread: were the
    // transaction holding the lock to yield to another fiber between its statements (Effect
    // yields every 2,048 operations), another connection of the same process waiting for the
    // lock would stop it from ever committing, until the busy timeout failed the waiter. So the
    // transaction runs to its end without yielding (PostgreSQL's statements are asynchronous:
    // nothing changes there). Seen once step 4 made the migration long enough to yield.
    return yield* sql
      .withTransaction(Effect.zipRight(Effect.zipRight(lock, migratorTable), effect))
      .pipe(Effect.withMaxOpsBeforeYield(Number.MAX_SAFE_INTEGER));
  });

/**
 * Brings the database to `schemaVersion` with `@effect/sql`'s Migrator, under the migration
 * lock (`underMigrationLock`): the Migrator's own table and its transaction (a savepoint of
 * ours) run while this process holds it, so several processes starting on a new database at
 * once apply each step once, with no collision to retry. A database written by a newer release
 * is refused rather than written with a schema this release does not know.
 */
export const migrate: Effect.Effect<void, AdsyncError, SqlClient.SqlClient> = Effect.gen(
  function* () {
    yield* underMigrationLock(runMigrator).pipe(
      Effect.catchAllDefect((defect) => Effect.fail(defect)),
      Effect.mapError((cause) => migrationError(`Migrating the store failed: ${describe(cause)}`)),
    );
    const found = yield* appliedVersion.pipe(
      Effect.mapError((cause) => migrationError(describe(cause))),
    );
    if (found > schemaVersion) {
      return yield* migrationError(
        `The database has schema version ${found}; this release reads up to ${schemaVersion}`,
      );
    }
  },
);
