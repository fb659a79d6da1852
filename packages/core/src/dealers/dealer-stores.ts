import { Context, Effect, Layer } from "effect";
import type { AdsyncError } from "../errors.ts";
import { makeMemoryStore } from "../store/memory-store.ts";
import {
  defaultFeedLimit,
  EventFeed,
  type EventFeedService,
  type LoggedEvent,
  type StoreService,
} from "../store/store.ts";

/**
 * Each dealer's store: the store port (`StoreService`) serving one dealer, whose listings,
 * events and cursors no other dealer's store sees (two dealers may list the same ad id on the
 * same marketplace), and whose events name that dealer. store-sql gives one over one shared
 * `SqlClient` (one pool for every dealer: `sqlDealerStoresLayer`); core gives one in memory.
 */
export interface DealerStoresService {
  readonly storeFor: (dealer: string) => Effect.Effect<StoreService, AdsyncError>;
}

export class DealerStores extends Context.Tag("@adsync/core/DealerStores")<
  DealerStores,
  DealerStoresService
>() {}

/**
 * Each dealer's own memory store (made on first use), all numbering their events in one shared
 * log, so `seq` is global as on one SQL database; with the log across every dealer as the
 * `EventFeed`. For tests and short runs: gone with the process.
 */
export const makeMemoryDealerStores = (): {
  readonly stores: DealerStoresService;
  readonly feed: EventFeedService;
} => {
  const log: Array<LoggedEvent> = [];
  const stores = new Map<string, StoreService>();
  return {
    stores: {
      storeFor: (dealer) =>
        Effect.sync(() => {
          const known = stores.get(dealer);
          if (known !== undefined) return known;
          const store = makeMemoryStore({ dealer, log });
          stores.set(dealer, store);
          return store;
        }),
    },
    feed: {
      // seq n is at index n - 1 of the shared log: a page is a slice.
      feed: (query) =>
        Effect.sync(() => {
          const after = Math.max(0, query?.after ?? 0);
          return log.slice(after, after + (query?.limit ?? defaultFeedLimit));
        }),
      lastSeq: Effect.sync(() => log.length),
    },
  };
};

/** Each dealer's memory store, and the log across all of them. */
export const memoryDealerStoresLayer: Layer.Layer<DealerStores | EventFeed> = Layer.unwrapEffect(
  Effect.sync(() => {
    const { stores, feed } = makeMemoryDealerStores();
    return Layer.merge(Layer.succeed(DealerStores, stores), Layer.succeed(EventFeed, feed));
  }),
);
