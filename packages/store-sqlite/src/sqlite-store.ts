import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import {
  type AdsyncError,
  defaultFeedLimit,
  type Expected,
  type LifecycleEvent,
  type ListingRecord,
  recordConflict,
  Store,
  type StoreService,
} from "@adsync/core";
import Database from "better-sqlite3";
import { Effect, Layer, Option, type ParseResult, Schema, type Scope } from "effect";
import { migrate } from "./migrations.ts";
import { storeError, tryStore } from "./store-error.ts";
import { CursorRow, EventRow, KeyRow, ListingRow, SeqRow } from "./stored-values.ts";

export interface SqliteStoreOptions {
  /**
   * The database file. Its parent directory and the file are created when missing;
   * ":memory:" gives a database that lives as long as the scope.
   */
  readonly path: string;
}

const inMemory = (path: string) => path === ":memory:" || path === "";

export const openDatabase = (path: string): Effect.Effect<Database.Database, AdsyncError> =>
  tryStore("open", () => {
    if (!inMemory(path)) mkdirSync(dirname(path), { recursive: true });
    return new Database(path);
  });

// Closing checkpoints the WAL; if it fails the data is still safe in the WAL file, so the
// failure is only logged: a finalizer has no caller left to hand an error to.
export const closeDatabase = (database: Database.Database): Effect.Effect<void> =>
  tryStore("close", () => database.close()).pipe(
    Effect.catchAll((error) => Effect.logWarning(error.message)),
  );

export const configure = (database: Database.Database): Effect.Effect<void, AdsyncError> =>
  tryStore("open", () => {
    // WAL lets readers (a CLI, a dashboard) run while the publisher writes. FULL syncs the WAL
    // on every commit: the record written before a request must survive a power cut, and with
    // NORMAL the last commits before one can be lost (the WAL is synced only at checkpoints).
    database.pragma("journal_mode = WAL");
    database.pragma("synchronous = FULL");
  });

/** Names a row by its key columns, so an unreadable one can be found and repaired by hand. */
const describeRow = (row: unknown): string => {
  if (typeof row !== "object" || row === null) return "a row";
  const parts: Array<string> = [];
  if ("seq" in row) parts.push(`seq=${String(row.seq)}`);
  if ("marketplace" in row) parts.push(`marketplace=${String(row.marketplace)}`);
  if ("ad_id" in row) parts.push(`ad_id=${String(row.ad_id)}`);
  return parts.length === 0 ? "a row" : `row ${parts.join(" ")}`;
};

const decodeRow = <A, I>(schema: Schema.Schema<A, I>, operation: string) => {
  // Unknown keys are kept: a file written by a newer release still reads as what this one knows.
  const decode = Schema.decodeUnknown(schema, { onExcessProperty: "preserve" });
  return (row: unknown): Effect.Effect<A, AdsyncError> =>
    decode(row).pipe(
      Effect.mapError((error: ParseResult.ParseError) =>
        storeError(operation, `${describeRow(row)} is unreadable: ${error.message}`),
      ),
    );
};

const toEvent = (row: typeof EventRow.Type): LifecycleEvent => ({
  adId: row.ad_id,
  marketplace: row.marketplace,
  observation: row.observation,
  state: row.state,
});

/**
 * A durable store on one SQLite file, closed when the scope closes. Every call is a synchronous
 * better-sqlite3 call, so two calls never interleave inside one process; `record` is one
 * transaction, so a crash leaves either both the listing and its event or neither.
 */
export const makeSqliteStore = (
  options: SqliteStoreOptions,
): Effect.Effect<StoreService, AdsyncError, Scope.Scope> =>
  Effect.gen(function* () {
    const database = yield* Effect.acquireRelease(openDatabase(options.path), closeDatabase);
    yield* configure(database);
    yield* migrate(database);

    const statements = yield* tryStore("open", () => ({
      // What a conditional write compares, read inside its write transaction.
      selectClaim: database.prepare(
        `SELECT json_extract(record, '$.state.operation.id') AS operation_id,
                json_extract(record, '$.lease.holder') AS lease_holder
         FROM listings WHERE marketplace = ? AND ad_id = ?`,
      ),
      selectListing: database.prepare(
        "SELECT marketplace, ad_id, record FROM listings WHERE marketplace = ? AND ad_id = ?",
      ),
      // rowid order is first-insert order (an upsert keeps the rowid), as the memory store lists.
      selectListingsOfAd: database.prepare(
        "SELECT marketplace, ad_id, record FROM listings WHERE ad_id = ? ORDER BY rowid",
      ),
      selectAllListings: database.prepare(
        "SELECT marketplace, ad_id, record FROM listings ORDER BY rowid",
      ),
      upsertListing: database.prepare(
        `INSERT INTO listings (marketplace, ad_id, record, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (marketplace, ad_id)
         DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at`,
      ),
      insertEvent: database.prepare(
        "INSERT INTO events (ad_id, marketplace, observation, state) VALUES (?, ?, ?, ?)",
      ),
      // seq is INTEGER PRIMARY KEY AUTOINCREMENT, assigned inside record's transaction: a
      // rolled-back write takes no number, so the log has no gap and never reuses one.
      selectFeed: database.prepare(
        "SELECT seq, ad_id, marketplace, observation, state FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
      ),
      selectLastSeq: database.prepare("SELECT coalesce(max(seq), 0) AS seq FROM events"),
      // The primary key (marketplace, ad_id) is the index this walks.
      selectKeys: database.prepare(
        "SELECT ad_id FROM listings WHERE marketplace = ? AND ad_id > ? ORDER BY ad_id LIMIT ?",
      ),
      selectCursor: database.prepare("SELECT value FROM cursors WHERE name = ?"),
      upsertCursor: database.prepare(
        "INSERT INTO cursors (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
      ),
      selectEventsOfAd: database.prepare(
        "SELECT seq, ad_id, marketplace, observation, state FROM events WHERE ad_id = ? ORDER BY seq",
      ),
    }));

    /** Whether the stored listing is what the writer expects (no row: neither id nor lease). */
    const holdsExpected = (listing: ListingRecord, expected: Expected): boolean => {
      const row: unknown = statements.selectClaim.get(listing.marketplace, listing.adId);
      const operationId =
        typeof row === "object" && row !== null && "operation_id" in row ? row.operation_id : null;
      const leaseHolder =
        typeof row === "object" && row !== null && "lease_holder" in row ? row.lease_holder : null;
      return (
        operationId === (expected.operationId ?? null) &&
        leaseHolder === (expected.leaseHolder ?? null)
      );
    };

    // Run with `.immediate()`: the write lock is taken before the read, so the compare and the
    // write are one step for every process on the file (another waits for the lock).
    const writeRecord = database.transaction(
      (listing: ListingRecord, event: LifecycleEvent, expected: Expected | undefined) => {
        if (expected !== undefined && !holdsExpected(listing, expected)) return false;
        statements.upsertListing.run(
          listing.marketplace,
          listing.adId,
          JSON.stringify(listing),
          listing.updatedAt,
        );
        statements.insertEvent.run(
          event.adId,
          event.marketplace,
          JSON.stringify(event.observation),
          JSON.stringify(event.state),
        );
        return true;
      },
    );

    const decodeListing = (operation: string) => {
      const decode = decodeRow(ListingRow, operation);
      return (row: unknown) => Effect.map(decode(row), (decoded) => decoded.record);
    };

    const get: StoreService["get"] = (adId, marketplace) =>
      tryStore("get", () => statements.selectListing.get(marketplace, adId)).pipe(
        Effect.flatMap((row) =>
          row === undefined
            ? Effect.succeedNone
            : Effect.map(decodeListing("get")(row), Option.some),
        ),
      );

    const list: StoreService["list"] = (adId) =>
      tryStore("list", () =>
        adId === undefined
          ? statements.selectAllListings.all()
          : statements.selectListingsOfAd.all(adId),
      ).pipe(Effect.flatMap((rows) => Effect.forEach(rows, decodeListing("list"))));

    const record: StoreService["record"] = (listing, event, expected) =>
      tryStore("record", () => writeRecord.immediate(listing, event, expected)).pipe(
        Effect.flatMap((written) =>
          written || expected === undefined
            ? Effect.void
            : Effect.fail(recordConflict(listing.adId, listing.marketplace, expected)),
        ),
      );

    const events: StoreService["events"] = (adId) =>
      tryStore("events", () => statements.selectEventsOfAd.all(adId)).pipe(
        Effect.flatMap((rows) =>
          Effect.forEach(rows, (row) => Effect.map(decodeRow(EventRow, "events")(row), toEvent)),
        ),
      );

    const feed: StoreService["feed"] = (query) =>
      tryStore("feed", () =>
        statements.selectFeed.all(Math.max(0, query?.after ?? 0), query?.limit ?? defaultFeedLimit),
      ).pipe(
        Effect.flatMap((rows) =>
          Effect.forEach(rows, (row) =>
            Effect.map(decodeRow(EventRow, "feed")(row), (decoded) => ({
              ...toEvent(decoded),
              seq: decoded.seq,
            })),
          ),
        ),
      );

    const lastSeq: StoreService["lastSeq"] = tryStore("feed", () =>
      statements.selectLastSeq.get(),
    ).pipe(
      Effect.flatMap(decodeRow(SeqRow, "feed")),
      Effect.map((row) => row.seq),
    );

    const keys: StoreService["keys"] = ({ marketplace, after, limit }) =>
      tryStore("keys", () => statements.selectKeys.all(marketplace, after ?? "", limit)).pipe(
        Effect.flatMap(Effect.forEach(decodeRow(KeyRow, "keys"))),
        Effect.map((rows) => rows.map((row) => row.ad_id)),
      );

    const cursor: StoreService["cursor"] = (name) =>
      tryStore("cursor", () => statements.selectCursor.get(name)).pipe(
        Effect.flatMap((row) =>
          row === undefined
            ? Effect.succeedNone
            : Effect.map(decodeRow(CursorRow, "cursor")(row), (decoded) =>
                Option.some(decoded.value),
              ),
        ),
      );

    const saveCursor: StoreService["saveCursor"] = (name, value) =>
      tryStore("cursor", () => void statements.upsertCursor.run(name, value));

    return { get, list, record, events, feed, lastSeq, keys, cursor, saveCursor };
  });

/** The SQLite store as the `Store` service; the database closes with the layer's scope. */
export const sqliteStoreLayer = (options: SqliteStoreOptions): Layer.Layer<Store, AdsyncError> =>
  Layer.scoped(Store, makeSqliteStore(options));
