import { Context, type Effect, type Option } from "effect";
import type { ListingRef } from "../adapter/adapter.ts";
import { AdsyncError } from "../errors.ts";
import type { ListingState, Observation } from "../lifecycle/state.ts";

/** What adsync remembers about one ad on one marketplace. */
export interface ListingRecord {
  readonly adId: string;
  readonly marketplace: string;
  /** How to find the listing on the marketplace; absent until a create was accepted. */
  readonly ref?: ListingRef | undefined;
  /**
   * The content the marketplace holds, as far as adsync knows: the payload of the last
   * operation that succeeded. Unchanged ads cost zero requests; diffs are computed from it.
   */
  readonly payload?: unknown;
  /**
   * The payload of the operation still pending; it becomes `payload` when the operation
   * succeeds and is dropped when it fails, so a failed update never poisons later diffs.
   */
  readonly pendingPayload?: unknown;
  /**
   * The input fingerprint of `payload` (`publisher/fingerprint.ts`): a hash of the ad exactly
   * as the stock gave it and of the adapter's mapping identity (`mappingVersion`), set with
   * `payload` by the operation that sent it. A sync that meets the same fingerprint on a
   * settled, confirmed listing answers `unchanged` without decoding or preparing the ad.
   * Absent when unknown (the adapter declares no mapping version, or records older than it).
   */
  readonly fingerprint?: string | undefined;
  /** The fingerprint of `pendingPayload`: follows it into `fingerprint` or away with it. */
  readonly pendingFingerprint?: string | undefined;
  /**
   * Set when content was sent by an attempt whose outcome adsync never learned (its answer
   * timed out or was lost): the time of the latest such attempt. That attempt may still land
   * on the marketplace after a newer one succeeded, so `payload` is not trusted to be what the
   * marketplace holds: publishing sends a full update rather than answering `unchanged`, until
   * an update started well after this time succeeds (see docs/lifecycle.md).
   */
  readonly unconfirmedSince?: number | undefined;
  /**
   * Set when an observation saw the marketplace hold other content than `payload` (edited
   * outside adsync, a sighting with `drift`): the time it was seen. Like `unconfirmedSince`,
   * publishing then sends a full update rather than a diff or `unchanged`; the first create or
   * update started after this time that succeeds clears it.
   */
  readonly driftSince?: number | undefined;
  /**
   * The claim of the writer running an operation on this listing right now (between its
   * `Started` record and its answer). Written with the `Started` record and cleared with the
   * answer; another writer — another process on the same store — does not start an operation
   * while an unexpired lease is held, so two processes never both create the listing.
   */
  readonly lease?: Lease | undefined;
  readonly state: ListingState;
  readonly updatedAt: number;
}

/** A writer's claim on a listing: who holds it and until when (epoch milliseconds). */
export interface Lease {
  /** Unique per claim (not per process), so a resumed operation is a new claim. */
  readonly holder: string;
  /** The publisher instance that took it (one per process, in practice). */
  readonly owner: string;
  readonly expiresAt: number;
}

/**
 * What a conditional write expects the stored listing to be: its current operation's id and
 * its lease holder, as the writer read them (`undefined` for none; a listing never recorded
 * has neither).
 */
export interface Expected {
  readonly operationId: string | undefined;
  readonly leaseHolder: string | undefined;
  /**
   * When present, the stored listing's `updatedAt` must be this too: nothing at all was written
   * since the record was read, so a write derived from that record needs no second read under
   * the listing's lock (`unchangedSince`). The publisher keeps `updatedAt` increasing per
   * listing, so it is the record's version.
   */
  readonly updatedAt?: number | undefined;
}

/** The expectation that a write derived from `record` holds: nothing changed since it was read. */
export const expectedOf = (record: ListingRecord | undefined): Expected => ({
  operationId: record?.state.operation?.id,
  leaseHolder: record?.lease?.holder,
});

/** The stricter expectation: `record` itself is still what is stored (its `updatedAt` too). */
export const unchangedSince = (record: ListingRecord): Expected => ({
  ...expectedOf(record),
  updatedAt: record.updatedAt,
});

/** Whether a stored listing (or its absence) is what a conditional write expects. */
export const matchesExpected = (stored: ListingRecord | undefined, expected: Expected): boolean =>
  stored?.state.operation?.id === expected.operationId &&
  stored?.lease?.holder === expected.leaseHolder &&
  (expected.updatedAt === undefined || stored?.updatedAt === expected.updatedAt);

/**
 * The error of a conditional write that found the listing changed by another writer (another
 * process on the same store): reason `Conflict`, operation `record`. Nothing was written.
 */
export const recordConflict = (adId: string, marketplace: string, expected: Expected) =>
  new AdsyncError({
    reason: "Conflict",
    operation: "record",
    marketplace,
    message: `The listing of ${adId} on ${marketplace} changed since it was read (expected operation ${expected.operationId ?? "none"}, lease ${expected.leaseHolder ?? "none"}): another writer got there first.`,
  });

/** Whether an error is a conditional write's conflict (`recordConflict`). */
export const isRecordConflict = (error: AdsyncError): boolean =>
  error.reason === "Conflict" && error.operation === "record";

/** One entry of the operation log: an observation and the state it led to. */
export interface LifecycleEvent {
  /**
   * The dealer whose listing this is, filled by a store that serves a dealer (each store of
   * `DealerStores`, store-sql's stores, a memory store made with `{ dealer }`) on every event it
   * reads, so a feed across dealers, or a DMS listening to many, knows whose event it is. A
   * store's own dealer wins over one the writer put on the event. Absent from a store that
   * knows no dealer (`makeMemoryStore()`, store-sqlite).
   */
  readonly dealer?: string | undefined;
  readonly adId: string;
  readonly marketplace: string;
  readonly observation: Observation;
  readonly state: ListingState;
}

/**
 * An event as the global log holds it: `seq` is its place in the log, assigned by the store in
 * the same atomic step as the record, increasing by one per event (a DMS resumes after `seq`).
 */
export interface LoggedEvent extends LifecycleEvent {
  readonly seq: number;
}

/** A page of the global log: events with `seq` greater than `after`, oldest first. */
export interface FeedQuery {
  /** The cursor: the `seq` of the last event already read; 0 (default) reads from the start. */
  readonly after?: number | undefined;
  /** The most events answered; default 1000. */
  readonly limit?: number | undefined;
}

/** A page of one marketplace's listing keys (ad ids, ascending), after `after`. */
export interface KeysQuery {
  readonly marketplace: string;
  /** The last ad id of the previous page; absent for the first page. */
  readonly after?: string | undefined;
  readonly limit: number;
}

export const defaultFeedLimit = 1000;

/**
 * The store port. Small on purpose, so a DMS can back it with its own database.
 *
 * `record` writes the listing and appends its event in one atomic step: the publisher calls it
 * with the `Started` observation *before* sending a request, so after a crash the record shows
 * an operation whose outcome must be reconciled.
 *
 * `record` with `expected` is a compare-and-set: in the same atomic step the store reads the
 * listing's current operation id and lease holder, and writes only when both equal `expected`
 * (`matchesExpected`); otherwise it writes nothing and fails with `recordConflict`. This is what
 * makes a claim on a listing hold across processes sharing one store. Without `expected` the
 * write is unconditional (tests, repairs).
 */
export interface StoreService {
  readonly get: (
    adId: string,
    marketplace: string,
  ) => Effect.Effect<Option.Option<ListingRecord>, AdsyncError>;
  /** Every listing of one ad, or of every ad when `adId` is absent. */
  readonly list: (adId?: string) => Effect.Effect<ReadonlyArray<ListingRecord>, AdsyncError>;
  readonly record: (
    listing: ListingRecord,
    event: LifecycleEvent,
    expected?: Expected,
  ) => Effect.Effect<void, AdsyncError>;
  /** The operation log of one ad, oldest first. */
  readonly events: (adId: string) => Effect.Effect<ReadonlyArray<LifecycleEvent>, AdsyncError>;
  /**
   * The global log after a cursor, in `seq` order: every event `record` wrote, of every ad.
   * Reading on from the last `seq` answered never misses nor repeats an event, across restarts.
   */
  readonly feed: (query?: FeedQuery) => Effect.Effect<ReadonlyArray<LoggedEvent>, AdsyncError>;
  /** The `seq` of the last event recorded; 0 for an empty log. */
  readonly lastSeq: Effect.Effect<number, AdsyncError>;
  /**
   * The ad ids of one marketplace's listings, ascending, one page at a time: reconcile walks
   * a store of any size with memory bounded by the page.
   */
  readonly keys: (query: KeysQuery) => Effect.Effect<ReadonlyArray<string>, AdsyncError>;
  /**
   * Optional: the listings of the same page `keys` answers (ascending ad id, after `after`),
   * read together — one statement and one effect for a page instead of a `get` per key. A
   * reconcile pass uses it when the store offers it; a store without it is read key by key.
   */
  readonly page?: (query: KeysQuery) => Effect.Effect<ReadonlyArray<ListingRecord>, AdsyncError>;
  /** A stored cursor by name (an adapter's `Inspection.cursor`, per marketplace). */
  readonly cursor: (name: string) => Effect.Effect<Option.Option<string>, AdsyncError>;
  readonly saveCursor: (name: string, value: string) => Effect.Effect<void, AdsyncError>;
}

export class Store extends Context.Tag("@adsync/core/Store")<Store, StoreService>() {}

/**
 * The global log of a store shared by many dealers, across all of them: `feed` answers every
 * event in `seq` order, each naming its `dealer` (what a DMS or a worker follows to learn the
 * outcome of every dealer's operations). A dealer's own `StoreService.feed` is that dealer's
 * part of it.
 */
export interface EventFeedService {
  readonly feed: (query?: FeedQuery) => Effect.Effect<ReadonlyArray<LoggedEvent>, AdsyncError>;
  /** The `seq` of the last event recorded by any dealer; 0 for an empty log. */
  readonly lastSeq: Effect.Effect<number, AdsyncError>;
}

export class EventFeed extends Context.Tag("@adsync/core/EventFeed")<
  EventFeed,
  EventFeedService
>() {}
