import {
  type AdsyncError,
  isTerminal,
  type ListingRecord,
  type LoggedEvent,
  type StoreService,
} from "@adsync/core";
import { Effect } from "effect";
import type { FakeListing, MultiDealerFake } from "../http/dealers.ts";

/**
 * The check "store ≡ sandboxes" of the scale test and script (#13): after many workers synced
 * many dealers, compare what the store says with what the fakes hold, and the event feed with
 * itself. Pure over a snapshot (`compareSnapshot`), so it is tested on generated snapshots; the
 * snapshot is read from any core `StoreService` per dealer and the running fakes
 * (`takeSnapshot`).
 */

/** One piece of work the DMS submitted (the worker's `WorkItem` without its ad). */
export interface SubmittedWork {
  readonly dealer: string;
  readonly marketplace: string;
  readonly adId: string;
  readonly kind: "publish" | "remove";
}

/** A listing as one dealer's store holds it. */
export interface StoredListing {
  readonly dealer: string;
  readonly listing: ListingRecord;
}

/** An event of the feed, with the dealer it belongs to (the cross-dealer feed names it). */
export interface FedEvent {
  readonly dealer: string;
  readonly event: LoggedEvent;
}

/** Everything the check compares, read at one moment. */
export interface Snapshot {
  readonly submitted: ReadonlyArray<SubmittedWork>;
  readonly store: ReadonlyArray<StoredListing>;
  /** Each fake's listings of every dealer, by marketplace id. */
  readonly fakes: Readonly<Record<string, ReadonlyArray<FakeListing>>>;
  /** The feed as the DMS read it, in the order read. */
  readonly feed: ReadonlyArray<FedEvent>;
}

/** A (dealer, marketplace, ad id) the findings name. */
export interface ListingKey {
  readonly dealer: string;
  readonly marketplace: string;
  readonly adId: string;
}

export interface Duplicate extends ListingKey {
  /** The remote ids of the live listings the fake holds under this key (more than one). */
  readonly remoteIds: ReadonlyArray<string>;
}

export interface Lost extends ListingKey {
  readonly why: "not in the store" | "not settled in the store" | "not on the marketplace";
}

export interface Mismatch extends ListingKey {
  /** What the store says: its `ref.remoteId` and presence. */
  readonly store: { readonly remoteId: string | undefined; readonly presence: string };
  /** What the fake holds under the key: live remote ids (none: empty). */
  readonly fake: ReadonlyArray<string>;
}

export interface RepeatedEvent extends ListingKey {
  /** The operation settled more than once, or the `seq` read more than once. */
  readonly operationId: string | undefined;
  readonly seqs: ReadonlyArray<number>;
}

export interface CheckReport {
  /** More than one live listing on a fake for one (dealer, ad). */
  readonly duplicates: ReadonlyArray<Duplicate>;
  /** A listing the fake created more than once (a removed one created again), live now. */
  readonly recreated: ReadonlyArray<ListingKey & { readonly creations: number }>;
  /** Submitted, but not settled in the store or not on the marketplace. */
  readonly lost: ReadonlyArray<Lost>;
  /** The store and the fake disagree on a listing that was not lost. */
  readonly mismatches: ReadonlyArray<Mismatch>;
  /** Live listings on a fake that no store listing of that dealer refers to. */
  readonly orphans: ReadonlyArray<FakeListing & { readonly marketplace: string }>;
  /** Operations settled by more than one event, and feed entries read twice. */
  readonly repeatedEvents: ReadonlyArray<RepeatedEvent>;
  /** Operations that failed (settled, so not lost; reported apart). */
  readonly failed: ReadonlyArray<ListingKey & { readonly issues: ReadonlyArray<string> }>;
  readonly counts: {
    readonly submitted: number;
    readonly storeListings: number;
    readonly fakeListings: number;
    readonly events: number;
  };
}

/** Whether a report shows the store and the sandboxes in agreement (failures aside). */
export const isClean = (report: CheckReport): boolean =>
  report.duplicates.length === 0 &&
  report.recreated.length === 0 &&
  report.lost.length === 0 &&
  report.mismatches.length === 0 &&
  report.orphans.length === 0 &&
  report.repeatedEvents.length === 0;

const keyOf = (dealer: string, marketplace: string, adId: string): string =>
  JSON.stringify([dealer, marketplace, adId]);

const group = <A>(items: ReadonlyArray<A>, key: (item: A) => string): Map<string, Array<A>> => {
  const groups = new Map<string, Array<A>>();
  for (const item of items) {
    const name = key(item);
    const list = groups.get(name);
    if (list === undefined) groups.set(name, [item]);
    else list.push(item);
  }
  return groups;
};

/** Where the store believes the listing exists on the marketplace. */
const heldByStore = (listing: ListingRecord): boolean =>
  listing.ref !== undefined &&
  listing.state.presence !== "removed" &&
  listing.state.presence !== "absent";

/** Compares one snapshot: the findings listed in `CheckReport`. */
export function compareSnapshot(snapshot: Snapshot): CheckReport {
  const fakeEntries = Object.entries(snapshot.fakes).flatMap(([marketplace, listings]) =>
    listings.map((listing) => ({ ...listing, marketplace })),
  );
  const live = fakeEntries.filter((listing) => listing.live);
  const liveByKey = group(live, (listing) =>
    keyOf(listing.dealer, listing.marketplace, listing.key),
  );
  const liveByRemote = group(live, (listing) =>
    keyOf(listing.dealer, listing.marketplace, listing.remoteId),
  );
  const storeByKey = new Map(
    snapshot.store.map((entry) => [
      keyOf(entry.dealer, entry.listing.marketplace, entry.listing.adId),
      entry,
    ]),
  );

  const duplicates: Array<Duplicate> = [];
  const recreated: Array<ListingKey & { readonly creations: number }> = [];
  for (const listings of liveByKey.values()) {
    const [first] = listings;
    if (first === undefined) continue;
    const key = { dealer: first.dealer, marketplace: first.marketplace, adId: first.key };
    if (listings.length > 1)
      duplicates.push({ ...key, remoteIds: listings.map((listing) => listing.remoteId) });
    else if (first.creations > 1) recreated.push({ ...key, creations: first.creations });
  }

  /** The fake's live listings for a stored listing: by ad id where the fake keeps one, else by ref. */
  const onFake = (dealer: string, listing: ListingRecord): ReadonlyArray<FakeListing> => {
    const byAd = liveByKey.get(keyOf(dealer, listing.marketplace, listing.adId)) ?? [];
    const byRef =
      listing.ref === undefined
        ? []
        : (liveByRemote.get(keyOf(dealer, listing.marketplace, listing.ref.remoteId)) ?? []);
    return [...new Set([...byAd, ...byRef])];
  };

  const lost: Array<Lost> = [];
  const failed: Array<ListingKey & { readonly issues: ReadonlyArray<string> }> = [];
  const lastWork = new Map(
    snapshot.submitted.map((work) => [keyOf(work.dealer, work.marketplace, work.adId), work]),
  );
  for (const [name, work] of lastWork) {
    const key = { dealer: work.dealer, marketplace: work.marketplace, adId: work.adId };
    const stored = storeByKey.get(name);
    const operation = stored?.listing.state.operation;
    if (stored === undefined) lost.push({ ...key, why: "not in the store" });
    else if (operation === undefined || !isTerminal(operation.status))
      lost.push({ ...key, why: "not settled in the store" });
    else if (operation.status === "failed")
      failed.push({ ...key, issues: operation.issues.map((issue) => issue.message) });
    else if (work.kind === "publish" && onFake(work.dealer, stored.listing).length === 0)
      lost.push({ ...key, why: "not on the marketplace" });
  }
  const lostKeys = new Set(lost.map((entry) => keyOf(entry.dealer, entry.marketplace, entry.adId)));

  const mismatches: Array<Mismatch> = [];
  const referenced = new Set<string>();
  for (const { dealer, listing } of snapshot.store) {
    const name = keyOf(dealer, listing.marketplace, listing.adId);
    const held = onFake(dealer, listing);
    for (const entry of held) referenced.add(keyOf(dealer, listing.marketplace, entry.remoteId));
    if (lostKeys.has(name)) continue;
    const remoteId = listing.ref?.remoteId;
    const agrees = heldByStore(listing)
      ? held.length === 1 && held[0]?.remoteId === remoteId
      : held.length === 0;
    // A listing whose first operation never settled may not be on the fake yet: lost, not a mismatch.
    const unsettled =
      listing.state.operation !== undefined && !isTerminal(listing.state.operation.status);
    if (!agrees && !(unsettled && listing.ref === undefined))
      mismatches.push({
        dealer,
        marketplace: listing.marketplace,
        adId: listing.adId,
        store: { remoteId, presence: listing.state.presence },
        fake: held.map((entry) => entry.remoteId),
      });
  }
  const orphans = live.filter(
    (listing) => !referenced.has(keyOf(listing.dealer, listing.marketplace, listing.remoteId)),
  );

  return {
    duplicates,
    recreated,
    lost,
    mismatches,
    orphans,
    repeatedEvents: repeatedEvents(snapshot.feed),
    failed,
    counts: {
      submitted: lastWork.size,
      storeListings: snapshot.store.length,
      fakeListings: live.length,
      events: snapshot.feed.length,
    },
  };
}

/**
 * Events delivered more than once: a `seq` read twice, or an operation settled by more than one
 * event (an event whose state settles the operation, after one that had already settled it).
 * A `Started` written again by a resumed operation is not a repeat: it settles nothing.
 */
export function repeatedEvents(feed: ReadonlyArray<FedEvent>): ReadonlyArray<RepeatedEvent> {
  // By dealer and seq: a per-dealer feed (a store per dealer) numbers its own events.
  const seqs = group(feed, (entry) => JSON.stringify([entry.dealer, entry.event.seq]));
  const unique = [...seqs.values()].flatMap((entries) => entries.slice(0, 1));
  const settling = unique
    .filter((entry) => {
      const operation = entry.event.state.operation;
      // A `Seen` (an observation of no operation) or a `Started` written again settles nothing.
      const tag = entry.event.observation._tag;
      return (
        operation !== undefined &&
        isTerminal(operation.status) &&
        tag !== "Seen" &&
        tag !== "Started"
      );
    })
    .sort((left, right) => left.event.seq - right.event.seq);
  const settlements = group(settling, (entry) =>
    JSON.stringify([
      entry.dealer,
      entry.event.marketplace,
      entry.event.adId,
      entry.event.state.operation?.id,
    ]),
  );
  const repeatsOf = (groups: Map<string, Array<FedEvent>>, withOperation: boolean) =>
    [...groups.values()].flatMap((entries): ReadonlyArray<RepeatedEvent> => {
      const [first] = entries;
      if (first === undefined || entries.length < 2) return [];
      return [
        {
          dealer: first.dealer,
          marketplace: first.event.marketplace,
          adId: first.event.adId,
          operationId: withOperation ? first.event.state.operation?.id : undefined,
          seqs: entries.map((entry) => entry.event.seq),
        },
      ];
    });
  return [...repeatsOf(seqs, false), ...repeatsOf(settlements, true)];
}

/** Where `takeSnapshot` reads the store and the feed. */
export interface SnapshotSources {
  readonly submitted: ReadonlyArray<SubmittedWork>;
  /** Each dealer's store (core `StoreService`: store-sql's per dealer, a memory store, …). */
  readonly storeFor: (dealer: string) => StoreService;
  /** The fakes by marketplace id. */
  readonly fakes: Readonly<Record<string, MultiDealerFake>>;
  /**
   * The event feed across dealers, one page after a cursor (the cross-dealer feed), or
   * undefined to read each dealer's store `feed`.
   */
  readonly feed?: (after: number) => Effect.Effect<ReadonlyArray<FedEvent>, AdsyncError>;
  /** The page size of feed reads (default 1000). */
  readonly pageSize?: number;
}

/** Reads every page of a feed after 0, as a DMS would, following the last `seq` read. */
const readAll = (
  page: (after: number) => Effect.Effect<ReadonlyArray<FedEvent>, AdsyncError>,
): Effect.Effect<ReadonlyArray<FedEvent>, AdsyncError> =>
  Effect.iterate(
    { after: 0, read: [] as ReadonlyArray<FedEvent>, done: false },
    {
      while: (state) => !state.done,
      body: (state) =>
        Effect.map(page(state.after), (events) => ({
          after: events.at(-1)?.event.seq ?? state.after,
          read: [...state.read, ...events],
          done: events.length === 0,
        })),
    },
  ).pipe(Effect.map((state) => state.read));

/** Reads a snapshot: every dealer's listings and feed, every fake's listings of those dealers. */
export const takeSnapshot = (sources: SnapshotSources): Effect.Effect<Snapshot, AdsyncError> =>
  Effect.gen(function* () {
    const dealers = [...new Set(sources.submitted.map((work) => work.dealer))];
    const pageSize = sources.pageSize ?? 1000;
    const store = yield* Effect.forEach(
      dealers,
      (dealer) =>
        Effect.map(sources.storeFor(dealer).list(), (listings) =>
          listings.map((listing) => ({ dealer, listing })),
        ),
      { concurrency: 8 },
    );
    const feed =
      sources.feed === undefined
        ? (yield* Effect.forEach(
            dealers,
            (dealer) =>
              readAll((after) =>
                Effect.map(sources.storeFor(dealer).feed({ after, limit: pageSize }), (events) =>
                  events.map((event) => ({ dealer, event })),
                ),
              ),
            { concurrency: 8 },
          )).flat()
        : yield* readAll(sources.feed);
    const fakes = Object.fromEntries(
      Object.entries(sources.fakes).map(([marketplace, fake]) => [
        marketplace,
        dealers.flatMap((dealer) => fake.dealers.listings(dealer)),
      ]),
    );
    return { submitted: sources.submitted, store: store.flat(), fakes, feed };
  });

/** Reads a snapshot and compares it (Effect). */
export const checkStoreAgainstSandbox = (
  sources: SnapshotSources,
): Effect.Effect<CheckReport, AdsyncError> => Effect.map(takeSnapshot(sources), compareSnapshot);

/** The Promise facade of `checkStoreAgainstSandbox`. */
export const checkStoreAgainstSandboxPromise = (sources: SnapshotSources): Promise<CheckReport> =>
  Effect.runPromise(checkStoreAgainstSandbox(sources));
