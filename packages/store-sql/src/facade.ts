import {
  type AdsyncError,
  type Expected,
  type FeedQuery,
  type KeysQuery,
  type LifecycleEvent,
  type ListingRecord,
  type LoggedEvent,
  Store,
} from "@adsync/core";
import { Cause, type Effect, Exit, type Layer, ManagedRuntime, Option } from "effect";
import { type PgStoreOptions, pgStore, type SqliteStoreOptions, sqliteStore } from "./layers.ts";

/**
 * The store port for code that does not use Effect: every method returns a Promise, which
 * rejects with the `AdsyncError` itself.
 */
export interface PromiseStore {
  readonly get: (adId: string, marketplace: string) => Promise<ListingRecord | undefined>;
  readonly list: (adId?: string) => Promise<ReadonlyArray<ListingRecord>>;
  /** Rejects with an `AdsyncError` whose reason is "Conflict" when `expected` does not hold. */
  readonly record: (
    listing: ListingRecord,
    event: LifecycleEvent,
    expected?: Expected,
  ) => Promise<void>;
  readonly events: (adId: string) => Promise<ReadonlyArray<LifecycleEvent>>;
  readonly feed: (query?: FeedQuery) => Promise<ReadonlyArray<LoggedEvent>>;
  readonly lastSeq: () => Promise<number>;
  readonly keys: (query: KeysQuery) => Promise<ReadonlyArray<string>>;
  readonly cursor: (name: string) => Promise<string | undefined>;
  readonly saveCursor: (name: string, value: string) => Promise<void>;
  /** Closes the connection (pool or file). */
  readonly close: () => Promise<void>;
}

/** Opens any store layer (e.g. `sqliteStore`, `pgStore`) behind Promises. */
export const openStore = async (layer: Layer.Layer<Store, AdsyncError>): Promise<PromiseStore> => {
  const runtime = ManagedRuntime.make(layer);
  // Rejects with the AdsyncError itself (not Effect's FiberFailure wrapper), as the
  // publisher's facade does.
  const run = <A>(effect: Effect.Effect<A, AdsyncError, Store>) =>
    runtime
      .runPromiseExit(effect)
      .then((exit) =>
        Exit.isSuccess(exit) ? exit.value : Promise.reject(Cause.squash(exit.cause)),
      );
  try {
    const store = await run(Store);
    return {
      get: (adId, marketplace) => run(store.get(adId, marketplace)).then(Option.getOrUndefined),
      list: (adId) => run(store.list(adId)),
      record: (listing, event, expected) => run(store.record(listing, event, expected)),
      events: (adId) => run(store.events(adId)),
      feed: (query) => run(store.feed(query)),
      lastSeq: () => run(store.lastSeq),
      keys: (query) => run(store.keys(query)),
      cursor: (name) => run(store.cursor(name)).then(Option.getOrUndefined),
      saveCursor: (name, value) => run(store.saveCursor(name, value)),
      close: () => runtime.dispose(),
    };
  } catch (error) {
    await runtime.dispose();
    throw error;
  }
};

/** `sqliteStore` behind Promises. */
export const openSqliteStore = (options: SqliteStoreOptions) => openStore(sqliteStore(options));

/** `pgStore` behind Promises. */
export const openPgStore = (options: PgStoreOptions) => openStore(pgStore(options));
