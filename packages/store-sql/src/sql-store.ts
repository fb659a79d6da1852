import {
  AdsyncError,
  type DealerStoresService,
  defaultFeedLimit,
  type EventFeedService,
  type Expected,
  type LifecycleEvent,
  type ListingRecord,
  recordConflict,
  type StoreService,
} from "@adsync/core";
import * as SqlClient from "@effect/sql/SqlClient";
import type { SqlError } from "@effect/sql/SqlError";
import type * as Statement from "@effect/sql/Statement";
import { Effect, Option } from "effect";
import {
  type EventRow,
  type ListingRow,
  toEvent,
  toInteger,
  toListing,
  withoutSeq,
} from "./rows.ts";

/**
 * The dealer a store serves when none is given: a store serves one dealer (each of
 * `makeSqlDealerStores` its own), storing every listing, event and cursor under it and naming it
 * on every event it reads.
 */
export const defaultDealer = "default";

export interface SqlStoreOptions {
  /** The dealer this store reads and writes (default `defaultDealer`). */
  readonly dealer?: string | undefined;
}

const describe = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

/** The one way a database failure becomes an error: reason "Store", naming the store operation. */
const failed =
  (operation: string) =>
  (error: SqlError): AdsyncError =>
    new AdsyncError({
      reason: "Store",
      operation,
      message: `SQL store ${operation} failed: ${describe(error.cause ?? error)}`,
    });

const toListedListing = (row: ListingRow) => toListing("list", row);
const toPagedListing = (row: ListingRow) => toListing("page", row);
const toAdEvent = (row: EventRow) => Effect.map(toEvent("events", row), withoutSeq);
const toFeedEvent = (row: EventRow) => toEvent("feed", row);

/**
 * The `Store` port over any `@effect/sql` client (SQLite and PostgreSQL tested), on the schema of
 * `migrate` (run it first, or use `sqlStoreLayer`).
 *
 * `record` is one transaction of three statements: the conditional write of the listing, the
 * increment of the log's one counter row, and the event under that number. The write is
 * conditional in the database itself (an `UPDATE … WHERE operation_id … AND lease_holder …`, or
 * an upsert whose update applies only to a released row), so of two writers — two processes on
 * one PostgreSQL — expecting the same claim exactly one writes and the other gets
 * `recordConflict` with nothing written. The counter row is locked until commit, so `seq` is
 * commit order with no gap, and a feed reader never skips an event that commits late.
 */
export const makeSqlStore = (
  options: SqlStoreOptions = {},
): Effect.Effect<StoreService, never, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient;
    const dealer = options.dealer ?? defaultDealer;

    /** Writes the listing if it is as expected; answers whether it wrote. */
    const writeListing = (listing: ListingRecord, expected: Expected | undefined) => {
      const values = {
        record: JSON.stringify(listing),
        operation_id: listing.state.operation?.id ?? null,
        lease_holder: listing.lease?.holder ?? null,
        updated_at: listing.updatedAt,
      };
      const key = sql.and([
        sql`dealer = ${dealer}`,
        sql`marketplace = ${listing.marketplace}`,
        sql`ad_id = ${listing.adId}`,
      ]);
      const upsert = (condition: string) =>
        sql<{ readonly ad_id: string }>`
          INSERT INTO adsync_listings ${sql.insert({ dealer, marketplace: listing.marketplace, ad_id: listing.adId, ...values })}
          ON CONFLICT (dealer, marketplace, ad_id) DO UPDATE SET
            record = excluded.record, operation_id = excluded.operation_id,
            lease_holder = excluded.lease_holder, updated_at = excluded.updated_at
          ${sql.unsafe(condition)}
          RETURNING ad_id`;
      if (expected === undefined) return upsert("");
      // A listing never recorded holds neither an operation nor a lease: the only expectation
      // an absent row meets, so only then may the write insert.
      // (An expected `updatedAt` was read from a row: only an update can meet it.)
      if (
        expected.operationId === undefined &&
        expected.leaseHolder === undefined &&
        expected.updatedAt === undefined
      ) {
        return upsert(
          "WHERE adsync_listings.operation_id IS NULL AND adsync_listings.lease_holder IS NULL",
        );
      }
      const equals = (column: string, value: string | undefined) =>
        value === undefined ? sql`${sql(column)} IS NULL` : sql`${sql(column)} = ${value}`;
      return sql<{ readonly ad_id: string }>`
        UPDATE adsync_listings SET ${sql.update(values)}
        WHERE ${key} AND ${equals("operation_id", expected.operationId)}
          AND ${equals("lease_holder", expected.leaseHolder)}
          ${expected.updatedAt === undefined ? sql`` : sql`AND updated_at = ${expected.updatedAt}`}
        RETURNING ad_id`;
    };

    const appendEvent = (event: LifecycleEvent) =>
      Effect.gen(function* () {
        const [counter] = yield* sql<{
          readonly seq: unknown;
        }>`UPDATE adsync_log SET seq = seq + 1 WHERE id = 1 RETURNING seq`;
        const seq = yield* toInteger("record", "the log counter", counter?.seq);
        yield* sql`INSERT INTO adsync_events ${sql.insert({
          seq,
          dealer,
          ad_id: event.adId,
          marketplace: event.marketplace,
          observation: JSON.stringify(event.observation),
          state: JSON.stringify(event.state),
        })}`;
      });

    const record: StoreService["record"] = (listing, event, expected) =>
      Effect.gen(function* () {
        const written = yield* writeListing(listing, expected);
        if (written.length === 0 && expected !== undefined) {
          return yield* recordConflict(listing.adId, listing.marketplace, expected);
        }
        yield* appendEvent(event);
      }).pipe(
        sql.withTransaction,
        Effect.catchTag("SqlError", (error) => Effect.fail(failed("record")(error))),
      );

    const get: StoreService["get"] = (adId, marketplace) =>
      sql<ListingRow>`SELECT marketplace, ad_id, record FROM adsync_listings
        WHERE dealer = ${dealer} AND marketplace = ${marketplace} AND ad_id = ${adId}`.pipe(
        Effect.mapError(failed("get")),
        Effect.flatMap(([row]) =>
          row === undefined ? Effect.succeedNone : Effect.asSome(toListing("get", row)),
        ),
      );

    const list: StoreService["list"] = (adId) =>
      sql<ListingRow>`SELECT marketplace, ad_id, record FROM adsync_listings
        WHERE ${sql.and([sql`dealer = ${dealer}`, ...(adId === undefined ? [] : [sql`ad_id = ${adId}`])])}
        ORDER BY marketplace, ad_id`.pipe(
        Effect.mapError(failed("list")),
        Effect.flatMap(Effect.forEach(toListedListing)),
      );

    const events: StoreService["events"] = (adId) =>
      sql<EventRow>`SELECT ${sql.unsafe(eventColumns)} FROM adsync_events
        WHERE dealer = ${dealer} AND ad_id = ${adId} ORDER BY seq`.pipe(
        Effect.mapError(failed("events")),
        Effect.flatMap(Effect.forEach(toAdEvent)),
      );

    const { feed, lastSeq } = makeFeed(sql, sql`dealer = ${dealer}`);

    // The primary key (dealer, marketplace, ad_id) is the index this walks: one page in memory.
    const keys: StoreService["keys"] = ({ marketplace, after, limit }) =>
      sql<{ readonly ad_id: string }>`SELECT ad_id FROM adsync_listings
        WHERE dealer = ${dealer} AND marketplace = ${marketplace} AND ad_id > ${after ?? ""}
        ORDER BY ad_id LIMIT ${limit}`.pipe(
        Effect.mapError(failed("keys")),
        Effect.map((rows) => rows.map((row) => row.ad_id)),
      );

    // The same walk as `keys`, each listing read with its key: one statement per page.
    const page: NonNullable<StoreService["page"]> = ({ marketplace, after, limit }) =>
      sql<ListingRow>`SELECT marketplace, ad_id, record FROM adsync_listings
        WHERE dealer = ${dealer} AND marketplace = ${marketplace} AND ad_id > ${after ?? ""}
        ORDER BY ad_id LIMIT ${limit}`.pipe(
        Effect.mapError(failed("page")),
        Effect.flatMap(Effect.forEach(toPagedListing)),
      );

    const cursor: StoreService["cursor"] = (name) =>
      sql<{ readonly value: string }>`SELECT value FROM adsync_cursors
        WHERE dealer = ${dealer} AND name = ${name}`.pipe(
        Effect.mapError(failed("cursor")),
        Effect.map(([row]) => Option.fromNullable(row?.value)),
      );

    const saveCursor: StoreService["saveCursor"] = (name, value) =>
      sql`INSERT INTO adsync_cursors ${sql.insert({ dealer, name, value })}
        ON CONFLICT (dealer, name) DO UPDATE SET value = excluded.value`.pipe(
        Effect.mapError(failed("cursor")),
        Effect.asVoid,
      );

    return { get, list, record, events, feed, lastSeq, keys, page, cursor, saveCursor };
  });

/** The columns an `EventRow` reads. */
const eventColumns = "seq, dealer, ad_id, marketplace, observation, state";

/** `feed` and `lastSeq` over the events `scope` selects (one dealer's, or every dealer's). */
const makeFeed = (sql: SqlClient.SqlClient, scope: Statement.Fragment): EventFeedService => ({
  feed: (query) =>
    sql<EventRow>`SELECT ${sql.unsafe(eventColumns)} FROM adsync_events
      WHERE ${scope} AND seq > ${Math.max(0, query?.after ?? 0)}
      ORDER BY seq LIMIT ${query?.limit ?? defaultFeedLimit}`.pipe(
      Effect.mapError(failed("feed")),
      Effect.flatMap(Effect.forEach(toFeedEvent)),
    ),
  lastSeq: sql<{
    readonly seq: unknown;
  }>`SELECT coalesce(max(seq), 0) AS seq FROM adsync_events WHERE ${scope}`.pipe(
    Effect.mapError(failed("feed")),
    Effect.flatMap(([row]) => toInteger("feed", "the last seq", row?.seq ?? 0)),
  ),
});

/**
 * The global log of every dealer on the database (the cross-dealer feed): every event in `seq`
 * order, each naming its dealer. What a DMS (or a worker's client) follows to learn the outcome
 * of every dealer's operations; each dealer's store's `feed` is that dealer's part of it, under
 * the same numbers.
 */
export const makeSqlEventFeed: Effect.Effect<EventFeedService, never, SqlClient.SqlClient> =
  Effect.map(SqlClient.SqlClient, (sql) => makeFeed(sql, sql`1 = 1`));

/**
 * The dealers with listings on a marketplace, ascending: whom a cross-dealer pass (the worker's
 * reconcile cron) visits. Read from the listings' primary key `(dealer, marketplace, ad_id)`.
 */
export const sqlDealersOn = (
  marketplace: string,
): Effect.Effect<ReadonlyArray<string>, AdsyncError, SqlClient.SqlClient> =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      sql<{
        readonly dealer: string;
      }>`SELECT DISTINCT dealer FROM adsync_listings WHERE marketplace = ${marketplace} ORDER BY dealer`,
  ).pipe(
    Effect.map((rows) => rows.map((row) => row.dealer)),
    Effect.mapError(failed("dealers")),
  );

/**
 * Each dealer's store over one `SqlClient` (one pool for every dealer): `storeFor(dealer)` is
 * `makeSqlStore({ dealer })`, a view of the shared tables that costs nothing to make.
 */
export const makeSqlDealerStores: Effect.Effect<DealerStoresService, never, SqlClient.SqlClient> =
  Effect.map(Effect.context<SqlClient.SqlClient>(), (context) => ({
    storeFor: (dealer) => Effect.provide(makeSqlStore({ dealer }), context),
  }));
