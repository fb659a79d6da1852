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

/** A store in memory: the default for tests and short-lived processes. */
export const makeMemoryStore = (): StoreService => {
  const listings = new Map<string, ListingRecord>();
  const events: Array<LoggedEvent> = [];
  const cursors = new Map<string, string>();
  // Each marketplace's ad ids in order, rebuilt only after a new listing was added.
  const sortedKeys = new Map<string, ReadonlyArray<string>>();
  const keysOf = (marketplace: string) => {
    const known = sortedKeys.get(marketplace);
    if (known !== undefined) return known;
    const sorted = [...listings.values()]
      .filter((listing) => listing.marketplace === marketplace)
      .map((listing) => listing.adId)
      .sort(compareIds);
    sortedKeys.set(marketplace, sorted);
    return sorted;
  };
  return {
    get: (adId, marketplace) =>
      Effect.sync(() => Option.fromNullable(listings.get(key(adId, marketplace)))),
    list: (adId) =>
      Effect.sync(() =>
        [...listings.values()].filter((listing) => adId === undefined || listing.adId === adId),
      ),
    record: (listing, event, expected) =>
      Effect.suspend(() => {
        const listingKey = key(listing.adId, listing.marketplace);
        if (expected !== undefined && !matchesExpected(listings.get(listingKey), expected)) {
          return Effect.fail(recordConflict(listing.adId, listing.marketplace, expected));
        }
        if (!listings.has(listingKey)) sortedKeys.delete(listing.marketplace);
        listings.set(listingKey, listing);
        events.push({ ...event, seq: events.length + 1 });
        return Effect.void;
      }),
    events: (adId) =>
      Effect.sync(() =>
        events.filter((event) => event.adId === adId).map(({ seq: _, ...event }) => event),
      ),
    // seq n is at index n - 1: a page is a slice.
    feed: (query) =>
      Effect.sync(() => {
        const after = Math.max(0, query?.after ?? 0);
        return events.slice(after, after + (query?.limit ?? defaultFeedLimit));
      }),
    lastSeq: Effect.sync(() => events.length),
    keys: ({ marketplace, after, limit }) =>
      Effect.sync(() => {
        const sorted = keysOf(marketplace);
        const start = after === undefined ? 0 : firstAfter(sorted, after);
        return sorted.slice(start, start + limit);
      }),
    cursor: (name) => Effect.sync(() => Option.fromNullable(cursors.get(name))),
    saveCursor: (name, value) => Effect.sync(() => void cursors.set(name, value)),
  };
};

export const memoryStoreLayer: Layer.Layer<Store> = Layer.sync(Store, makeMemoryStore);
