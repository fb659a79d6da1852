import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { performance } from "node:perf_hooks";
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
import {
  CursorRow,
  EventRow,
  KeyRow,
  ListingRow,
  parseEvent,
  parseListing,
  SeqRow,
} from "./stored-values.ts";

export interface SqliteStoreOptions {
  /**
   * The database file. Its parent directory and the file are created when missing;
   * ":memory:" gives a database that lives as long as the scope.
   */
  readonly path: string;
  /**
   * The most `record` calls committed in one transaction (default 256). Writes that arrive while
   * the event loop is busy (the concurrent operations of a sync) are queued and committed
   * together at the next turn of the loop — a group commit: one WAL sync for all of them — and
   * each caller resumes only once the transaction holding its write has committed, so a
   * `Started` record is still durable before its request is sent. 1 gives one transaction per
   * `record`.
   */
  readonly groupCommit?: number | undefined;
}

/** What the store spent, for the benchmark: SQLite time (reads and commits) and transactions. */
export interface SqliteStoreStatistics {
  readonly transactions: number;
  readonly writes: number;
  readonly reads: number;
  /** Milliseconds the event loop spent in this store's SQLite calls and row checks. */
  readonly milliseconds: number;
}

/** The SQLite store: the `Store` port plus its statistics. */
export interface SqliteStoreService extends StoreService {
  readonly statistics: () => SqliteStoreStatistics;
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

const isKeyRow = Schema.is(KeyRow);

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

/** An `events` row: checked in place, decoded in full only when the check fails. */
const decodeEvent = (operation: string) => {
  const decode = decodeRow(EventRow, operation);
  return (row: unknown): Effect.Effect<typeof EventRow.Type, AdsyncError> => {
    const parsed = parseEvent(row);
    return parsed === undefined ? decode(row) : Effect.succeed(parsed);
  };
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
): Effect.Effect<SqliteStoreService, AdsyncError, Scope.Scope> =>
  Effect.gen(function* () {
    const database = yield* Effect.acquireRelease(openDatabase(options.path), closeDatabase);
    yield* configure(database);
    yield* migrate(database);

    const statements = yield* tryStore("open", () => ({
      // What a conditional write compares, read inside its write transaction.
      selectClaim: database.prepare(
        `SELECT json_extract(record, '$.state.operation.id') AS operation_id,
                json_extract(record, '$.lease.holder') AS lease_holder, updated_at
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
      selectPage: database.prepare(
        "SELECT marketplace, ad_id, record FROM listings WHERE marketplace = ? AND ad_id > ? ORDER BY ad_id LIMIT ?",
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
      const updatedAt =
        typeof row === "object" && row !== null && "updated_at" in row ? row.updated_at : null;
      return (
        operationId === (expected.operationId ?? null) &&
        leaseHolder === (expected.leaseHolder ?? null) &&
        (expected.updatedAt === undefined || updatedAt === expected.updatedAt)
      );
    };

    const spent = { transactions: 0, writes: 0, reads: 0, milliseconds: 0 };
    /** Runs a synchronous SQLite step and adds its time to the statistics. */
    const timed = <A>(body: () => A): A => {
      const started = performance.now();
      try {
        return body();
      } finally {
        spent.milliseconds += performance.now() - started;
      }
    };
    const read = <A>(operation: string, body: () => A) =>
      tryStore(operation, () => {
        spent.reads += 1;
        return timed(body);
      });

    /** A write ready for the database: its JSON texts, made before any transaction opens. */
    interface Serialized {
      readonly listing: ListingRecord;
      readonly record: string;
      readonly event: LifecycleEvent;
      readonly observation: string;
      readonly state: string;
      readonly expected: Expected | undefined;
    }
    /** Writes one record inside the open transaction; false when its compare-and-set fails. */
    const writeOne = (write: Serialized) => {
      if (write.expected !== undefined && !holdsExpected(write.listing, write.expected))
        return false;
      statements.upsertListing.run(
        write.listing.marketplace,
        write.listing.adId,
        write.record,
        write.listing.updatedAt,
      );
      statements.insertEvent.run(
        write.event.adId,
        write.event.marketplace,
        write.observation,
        write.state,
      );
      return true;
    };
    // Run with `.immediate()`: the write lock is taken before the first read, so each
    // compare-and-set and its write are one step for every process on the file (another waits
    // for the lock). The writes of one group run in the order they were queued, each seeing
    // the ones before it, exactly as if each were its own transaction.
    const writeGroup = database.transaction((group: ReadonlyArray<Serialized>) =>
      group.map(writeOne),
    );

    interface Queued {
      readonly write: Serialized;
      readonly resume: (effect: Effect.Effect<void, AdsyncError>) => void;
    }
    const groupSize = Math.max(1, options.groupCommit ?? 256);
    const queue: Array<Queued> = [];
    let scheduled = false;

    const answer = (entry: Queued, written: boolean) =>
      entry.resume(
        written || entry.write.expected === undefined
          ? Effect.void
          : Effect.fail(
              recordConflict(
                entry.write.listing.adId,
                entry.write.listing.marketplace,
                entry.write.expected,
              ),
            ),
      );

    /** Commits the writes queued so far (up to `groupSize`) in one transaction. */
    const commit = () => {
      scheduled = false;
      const group = queue.splice(0, groupSize);
      if (queue.length > 0) schedule();
      if (group.length === 0) return;
      try {
        const written = timed(() => writeGroup.immediate(group.map((entry) => entry.write)));
        spent.transactions += 1;
        spent.writes += group.length;
        for (const [index, entry] of group.entries()) answer(entry, written[index] === true);
      } catch (cause) {
        // The group was rolled back as a whole: each write is tried alone, so one bad write
        // (or a busy file) fails only its own caller.
        for (const entry of group) {
          try {
            const [written] = timed(() => writeGroup.immediate([entry.write]));
            spent.transactions += 1;
            spent.writes += 1;
            answer(entry, written === true);
          } catch (alone) {
            entry.resume(Effect.fail(storeError("record", alone ?? cause)));
          }
        }
      }
    };
    const schedule = () => {
      if (scheduled) return;
      scheduled = true;
      // After the I/O callbacks of this turn: the writes of every operation whose answer came
      // in this turn share the transaction.
      setImmediate(commit);
    };

    // Writes still queued when the scope closes are committed before the database closes.
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        while (queue.length > 0) commit();
      }),
    );

    const decodeListing = (operation: string) => {
      const decode = decodeRow(ListingRow, operation);
      return (row: unknown): Effect.Effect<ListingRecord, AdsyncError> => {
        // The cheap path: the JSON this store wrote, checked in place (no copy) against the
        // schema; only a row that fails the check is decoded again, for the error message.
        const parsed = parseListing(row);
        return parsed === undefined
          ? Effect.map(decode(row), (decoded) => decoded.record)
          : Effect.succeed(parsed);
      };
    };

    const decodeGet = decodeListing("get");
    const decodeList = decodeListing("list");
    const decodeEvents = decodeEvent("events");
    const decodeFeed = decodeEvent("feed");

    const get: StoreService["get"] = (adId, marketplace) =>
      read("get", () => statements.selectListing.get(marketplace, adId)).pipe(
        Effect.flatMap((row) =>
          row === undefined ? Effect.succeedNone : Effect.map(decodeGet(row), Option.some),
        ),
      );

    const list: StoreService["list"] = (adId) =>
      read("list", () =>
        adId === undefined
          ? statements.selectAllListings.all()
          : statements.selectListingsOfAd.all(adId),
      ).pipe(Effect.flatMap((rows) => Effect.forEach(rows, decodeList)));

    const record: StoreService["record"] = (listing, event, expected) =>
      Effect.flatMap(
        tryStore(
          "record",
          (): Serialized => ({
            listing,
            record: JSON.stringify(listing),
            event,
            observation: JSON.stringify(event.observation),
            state: JSON.stringify(event.state),
            expected,
          }),
        ),
        (write) =>
          Effect.async<void, AdsyncError>((resume) => {
            const entry: Queued = { write, resume };
            queue.push(entry);
            if (queue.length >= groupSize) commit();
            else schedule();
            // Interrupted before its group committed: the write is taken out and never made.
            return Effect.sync(() => {
              const index = queue.indexOf(entry);
              if (index >= 0) queue.splice(index, 1);
            });
          }),
      );

    const events: StoreService["events"] = (adId) =>
      read("events", () => statements.selectEventsOfAd.all(adId)).pipe(
        Effect.flatMap((rows) =>
          Effect.forEach(rows, (row) => Effect.map(decodeEvents(row), toEvent)),
        ),
      );

    const feed: StoreService["feed"] = (query) =>
      read("feed", () =>
        statements.selectFeed.all(Math.max(0, query?.after ?? 0), query?.limit ?? defaultFeedLimit),
      ).pipe(
        Effect.flatMap((rows) =>
          Effect.forEach(rows, (row) =>
            Effect.map(decodeFeed(row), (decoded) => ({
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
      read("keys", () => statements.selectKeys.all(marketplace, after ?? "", limit)).pipe(
        // Checked in place, one effect per page (not per key): a walk of 100,000 keys is the
        // cost of removeMissing and of every reconcile pass. A row that fails goes through the
        // decode for its message.
        Effect.flatMap((rows) =>
          rows.every(isKeyRow)
            ? Effect.succeed(rows.map((row) => row.ad_id))
            : Effect.map(Effect.forEach(rows, decodeRow(KeyRow, "keys")), (decoded) =>
                decoded.map((row) => row.ad_id),
              ),
        ),
      );

    const decodePage = decodeListing("page");
    // A reconcile page in one statement and one effect: each row checked in place; only a row
    // that fails the check takes the decode effect, for its error message.
    const page: NonNullable<StoreService["page"]> = ({ marketplace, after, limit }) =>
      read("page", () => statements.selectPage.all(marketplace, after ?? "", limit)).pipe(
        Effect.flatMap((rows) => {
          const parsed = rows.map(parseListing);
          return parsed.every((record) => record !== undefined)
            ? Effect.succeed(parsed as ReadonlyArray<ListingRecord>)
            : Effect.forEach(rows, decodePage);
        }),
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

    const statistics = () => ({ ...spent });

    return {
      get,
      list,
      record,
      events,
      feed,
      lastSeq,
      keys,
      page,
      cursor,
      saveCursor,
      statistics,
    };
  });

/** The SQLite store as the `Store` service; the database closes with the layer's scope. */
export const sqliteStoreLayer = (options: SqliteStoreOptions): Layer.Layer<Store, AdsyncError> =>
  Layer.scoped(Store, makeSqliteStore(options));
