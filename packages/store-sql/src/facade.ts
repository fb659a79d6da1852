import {
  type AdsyncError,
  asyncIterableOn,
  createDealerCredentials,
  type DealerCredentialsClient,
  DealerStores,
  EventFeed,
  type Expected,
  type FeedQuery,
  type FollowFeedOptions,
  followFeedOf,
  type KeysQuery,
  keyValueDealerCredentials,
  type LifecycleEvent,
  type Limiters,
  type ListingRecord,
  type LoggedEvent,
  Store,
  type StoreService,
} from "@adsync/core";
import { KeyValueStore } from "@effect/platform";
import type * as SqlClient from "@effect/sql/SqlClient";
import { Cause, Effect, Exit, type Layer, ManagedRuntime, Option } from "effect";
import {
  type PgStoreOptions,
  pgDealerStores,
  pgStore,
  type SqliteStoreOptions,
  sqliteDealerStores,
  sqliteStore,
} from "./layers.ts";
import { migrate } from "./migrations.ts";
import { sqlRateLimiters } from "./rate-limiter.ts";

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
  /** The listings of the page `keys` answers, in one read. */
  readonly page: (query: KeysQuery) => Promise<ReadonlyArray<ListingRecord>>;
  readonly cursor: (name: string) => Promise<string | undefined>;
  readonly saveCursor: (name: string, value: string) => Promise<void>;
  /** Closes the connection (pool or file). */
  readonly close: () => Promise<void>;
}

/** Runs Effects on a runtime, rejecting with the `AdsyncError` itself (not Effect's FiberFailure). */
const runnerOf =
  <R>(runtime: ManagedRuntime.ManagedRuntime<R, AdsyncError>) =>
  <A>(effect: Effect.Effect<A, AdsyncError, R>) =>
    runtime
      .runPromiseExit(effect)
      .then((exit) =>
        Exit.isSuccess(exit) ? exit.value : Promise.reject(Cause.squash(exit.cause)),
      );

type Run = <A>(effect: Effect.Effect<A, AdsyncError>) => Promise<A>;

/** A store's methods as Promises. */
const promised = (run: Run, store: StoreService): Omit<PromiseStore, "close"> => ({
  get: (adId, marketplace) => run(store.get(adId, marketplace)).then(Option.getOrUndefined),
  list: (adId) => run(store.list(adId)),
  record: (listing, event, expected) => run(store.record(listing, event, expected)),
  events: (adId) => run(store.events(adId)),
  feed: (query) => run(store.feed(query)),
  lastSeq: () => run(store.lastSeq),
  keys: (query) => run(store.keys(query)),
  page: (query) =>
    store.page === undefined
      ? Promise.reject(new Error("this store has no page"))
      : run(store.page(query)),
  cursor: (name) => run(store.cursor(name)).then(Option.getOrUndefined),
  saveCursor: (name, value) => run(store.saveCursor(name, value)),
});

/** Builds a runtime's service, disposing of the runtime when that fails. */
const opened = async <R, A>(
  runtime: ManagedRuntime.ManagedRuntime<R, AdsyncError>,
  make: (run: <B>(effect: Effect.Effect<B, AdsyncError, R>) => Promise<B>) => Promise<A>,
): Promise<A> => {
  try {
    return await make(runnerOf(runtime));
  } catch (error) {
    await runtime.dispose();
    throw error;
  }
};

/** Opens any store layer (e.g. `sqliteStore`, `pgStore`) behind Promises. */
export const openStore = (layer: Layer.Layer<Store, AdsyncError>): Promise<PromiseStore> => {
  const runtime = ManagedRuntime.make(layer);
  return opened(runtime, async (run) => ({
    ...promised(run, await run(Store)),
    close: () => runtime.dispose(),
  }));
};

/** `sqliteStore` behind Promises. */
export const openSqliteStore = (options: SqliteStoreOptions) => openStore(sqliteStore(options));

/** `pgStore` behind Promises. */
export const openPgStore = (options: PgStoreOptions) => openStore(pgStore(options));

/** Every dealer's store and the log across them, behind Promises (one connection for all). */
export interface PromiseDealerStores {
  /** The store of one dealer (its listings, its events, each naming it). */
  readonly storeFor: (dealer: string) => Promise<Omit<PromiseStore, "close">>;
  /** The log across every dealer after a cursor, in `seq` order, each event naming its dealer. */
  readonly feed: (query?: FeedQuery) => Promise<ReadonlyArray<LoggedEvent>>;
  readonly lastSeq: () => Promise<number>;
  /**
   * That log followed from a cursor (`after`: the last `seq` handled; absent, from now on), as
   * an async iterable (core's `followFeed`): how a DMS reads the workers' outcomes. Leaving the
   * loop stops it.
   */
  readonly follow: (options?: FollowFeedOptions) => AsyncIterable<LoggedEvent>;
  /** Closes the connection (pool or file). */
  readonly close: () => Promise<void>;
}

/** Opens any dealer stores layer (e.g. `pgDealerStores`) behind Promises. */
export const openDealerStores = (
  layer: Layer.Layer<DealerStores | EventFeed, AdsyncError>,
): Promise<PromiseDealerStores> => {
  const runtime = ManagedRuntime.make(layer);
  return opened(runtime, async (run) => {
    const stores = await run(DealerStores);
    const feed = await run(EventFeed);
    return {
      storeFor: (dealer) => run(stores.storeFor(dealer)).then((store) => promised(run, store)),
      feed: (query) => run(feed.feed(query)),
      lastSeq: () => run(feed.lastSeq),
      follow: (options) => asyncIterableOn(runtime, followFeedOf(feed, options)),
      close: () => runtime.dispose(),
    };
  });
};

/** `sqliteDealerStores` behind Promises. */
export const openSqliteDealerStores = (options: Omit<SqliteStoreOptions, "dealer">) =>
  openDealerStores(sqliteDealerStores(options));

/** `pgDealerStores` behind Promises. */
export const openPgDealerStores = (options: Omit<PgStoreOptions, "dealer">) =>
  openDealerStores(pgDealerStores(options));

/** A dealer credentials store behind Promises, and the connection it holds. */
export interface PromiseDealerCredentials extends DealerCredentialsClient {
  /** Closes the connection (pool or file). */
  readonly close: () => Promise<void>;
}

/**
 * Dealers' credentials (`keyValueDealerCredentials`) in a key-value store layer, e.g.
 * `pgKeyValueStore({ url })`, behind Promises: what a DMS writes each dealer's sections with.
 */
export const openDealerCredentials = (
  layer: Layer.Layer<KeyValueStore.KeyValueStore, AdsyncError>,
): Promise<PromiseDealerCredentials> => {
  const runtime = ManagedRuntime.make(layer);
  return opened(runtime, async (run) => ({
    ...createDealerCredentials(keyValueDealerCredentials(await run(KeyValueStore.KeyValueStore))),
    close: () => runtime.dispose(),
  }));
};

/** The database's rate limiters for the Promise facades, and their connection's end. */
export interface PromiseRateLimiters {
  /** `DealerAdapters`' `limiters`: `createDealersAdsync({ …, limiters })`. */
  readonly limiters: Limiters;
  /** Closes the connection, after the adapters using the limiters are closed. */
  readonly close: () => Promise<void>;
}

/**
 * `sqlRateLimiters` on a connection of its own (`pgClientLayer({ url })`,
 * `sqliteClientLayer({ filename })`), the schema migrated first: rate limits every process on
 * the database shares, for `createDealersAdsync` or `createDealerAdapters`.
 */
export const openRateLimiters = (
  layer: Layer.Layer<SqlClient.SqlClient, AdsyncError>,
): Promise<PromiseRateLimiters> => {
  const runtime = ManagedRuntime.make(layer);
  return opened(runtime, async (run) => ({
    limiters: await run(Effect.zipRight(migrate, sqlRateLimiters)),
    close: () => runtime.dispose(),
  }));
};
