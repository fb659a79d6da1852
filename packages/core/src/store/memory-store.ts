import { Effect, Layer, Option } from "effect";
import {
  defaultFeedLimit,
  type ListingRecord,
  type LoggedEvent,
  matchesExpected,
  recordConflict,
  Store,
  type StoreService,
} from "./store.ts";

/** The order `keys` pages in (UTF-16 code units); each store pages in its own total order. */
export const compareIds = (left: string, right: string) =>
  left < right ? -1 : left > right ? 1 : 0;

/** The index of the first id greater than `after` in a sorted list (binary search). */
const firstAfter = (sorted: ReadonlyArray<string>, after: string) => {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? "") <= after) low = middle + 1;
    else high = middle;
  }
  return low;
};

const key = (adId: string, marketplace: string) => `${marketplace}\u0000${adId}`;

export interface MemoryStoreOptions {
  /** The dealer this store serves: named on every event it reads (`LifecycleEvent.dealer`). */
  readonly dealer?: string | undefined;
  /**
   * A log shared by several memory stores (each dealer's, `makeMemoryDealerStores`): every
   * event is appended there and numbered by its place in it, so `seq` is global as on one SQL
   * database, and this store's `feed` is its own part of that log. Default: a log of its own.
   */
  readonly log?: Array<LoggedEvent> | undefined;
}

/** The index of the first event with a `seq` greater than `after` (binary search). */
const firstEventAfter = (events: ReadonlyArray<LoggedEvent>, after: number) => {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((events[middle]?.seq ?? 0) <= after) low = middle + 1;
    else high = middle;
  }
  return low;
};

/** A store in memory: the default for tests and short-lived processes. */
export const makeMemoryStore = (options: MemoryStoreOptions = {}): StoreService => {
  const dealer = options.dealer;
  const listings = new Map<string, ListingRecord>();
  // Indexes, so every lookup costs the size of its answer, not the size of the store: the
  // listing keys of each ad (in first-insert order, as `list` answers) and each ad's events.
  const keysOfAd = new Map<string, Array<string>>();
  const eventsOfAd = new Map<string, Array<LoggedEvent>>();
  // The log events are numbered in, and this store's own events (the same array unless shared).
  const log: Array<LoggedEvent> = options.log ?? [];
  const events: Array<LoggedEvent> = options.log === undefined ? log : [];
  const cursors = new Map<string, string>();
  // Each marketplace's ad ids in order, rebuilt only after a new listing was added.
  const sortedKeys = new Map<string, ReadonlyArray<string>>();
  const idsOfMarketplace = new Map<string, Array<string>>();
  const keysOf = (marketplace: string) => {
    const known = sortedKeys.get(marketplace);
    if (known !== undefined) return known;
    const sorted = [...(idsOfMarketplace.get(marketplace) ?? [])].sort(compareIds);
    sortedKeys.set(marketplace, sorted);
    return sorted;
  };
  const append = <V>(index: Map<string, Array<V>>, name: string, value: V) => {
    const values = index.get(name);
    if (values === undefined) index.set(name, [value]);
    else values.push(value);
  };
  const listingsOf = (keys: ReadonlyArray<string>) =>
    keys.flatMap((listingKey) => {
      const listing = listings.get(listingKey);
      return listing === undefined ? [] : [listing];
    });
  return {
    get: (adId, marketplace) =>
      Effect.sync(() => Option.fromNullable(listings.get(key(adId, marketplace)))),
    list: (adId) =>
      Effect.sync(() =>
        adId === undefined ? [...listings.values()] : listingsOf(keysOfAd.get(adId) ?? []),
      ),
    record: (listing, event, expected) =>
      Effect.suspend(() => {
        const listingKey = key(listing.adId, listing.marketplace);
        if (expected !== undefined && !matchesExpected(listings.get(listingKey), expected)) {
          return Effect.fail(recordConflict(listing.adId, listing.marketplace, expected));
        }
        if (!listings.has(listingKey)) {
          sortedKeys.delete(listing.marketplace);
          append(idsOfMarketplace, listing.marketplace, listing.adId);
          append(keysOfAd, listing.adId, listingKey);
        }
        listings.set(listingKey, listing);
        const seq = log.length + 1;
        const logged: LoggedEvent =
          dealer === undefined ? { ...event, seq } : { ...event, dealer, seq };
        log.push(logged);
        if (events !== log) events.push(logged);
        append(eventsOfAd, event.adId, logged);
        return Effect.void;
      }),
    events: (adId) =>
      Effect.sync(() => (eventsOfAd.get(adId) ?? []).map(({ seq: _, ...event }) => event)),
    // In a log of its own, seq n is at index n - 1: a page is a slice.
    feed: (query) =>
      Effect.sync(() => {
        const after = Math.max(0, query?.after ?? 0);
        const start = events === log ? after : firstEventAfter(events, after);
        return events.slice(start, start + (query?.limit ?? defaultFeedLimit));
      }),
    lastSeq: Effect.sync(() => events[events.length - 1]?.seq ?? 0),
    keys: ({ marketplace, after, limit }) =>
      Effect.sync(() => {
        const sorted = keysOf(marketplace);
        const start = after === undefined ? 0 : firstAfter(sorted, after);
        return sorted.slice(start, start + limit);
      }),
    page: ({ marketplace, after, limit }) =>
      Effect.sync(() => {
        const sorted = keysOf(marketplace);
        const start = after === undefined ? 0 : firstAfter(sorted, after);
        return sorted
          .slice(start, start + limit)
          .flatMap((adId) => listings.get(key(adId, marketplace)) ?? []);
      }),
    cursor: (name) => Effect.sync(() => Option.fromNullable(cursors.get(name))),
    saveCursor: (name, value) => Effect.sync(() => void cursors.set(name, value)),
  };
};

export const memoryStoreLayer: Layer.Layer<Store> = Layer.sync(Store, () => makeMemoryStore());
