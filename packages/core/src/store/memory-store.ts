import { Effect, Layer, Option } from "effect";
import {
  type LifecycleEvent,
  type ListingRecord,
  matchesExpected,
  recordConflict,
  Store,
  type StoreService,
} from "./store.ts";

const key = (adId: string, marketplace: string) => `${marketplace}\u0000${adId}`;

/** A store in memory: the default for tests and short-lived processes. */
export const makeMemoryStore = (): StoreService => {
  const listings = new Map<string, ListingRecord>();
  const events: Array<LifecycleEvent> = [];
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
        listings.set(listingKey, listing);
        events.push(event);
        return Effect.void;
      }),
    events: (adId) => Effect.sync(() => events.filter((event) => event.adId === adId)),
  };
};

export const memoryStoreLayer: Layer.Layer<Store> = Layer.sync(Store, makeMemoryStore);
