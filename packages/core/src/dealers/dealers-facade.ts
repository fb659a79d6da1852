import { FetchHttpClient, type HttpClient } from "@effect/platform";
import { Cause, type Duration, Effect, Exit, Layer, ManagedRuntime } from "effect";
import type { AdsyncError } from "../errors.ts";
import { type AdsyncClient, publisherClient } from "../publisher/facade.ts";
import { asyncIterableOn } from "../publisher/promise-service.ts";
import type { PublisherOptions } from "../publisher/publisher.ts";
import type { EventPage } from "../publisher/service.ts";
import { type FollowFeedOptions, followFeed } from "../store/follow-feed.ts";
import { EventFeed, type FeedQuery, type LoggedEvent } from "../store/store.ts";
import type { DealerCredentials } from "./credentials.ts";
import {
  DealerAdapters,
  type DealerAdaptersOptions,
  dealerAdaptersLayer,
} from "./dealer-adapters.ts";
import { DealerPublishers, dealerPublishersLayer } from "./dealer-publishers.ts";
import type { DealerStores } from "./dealer-stores.ts";

export interface DealersAdsyncOptions extends DealerAdaptersOptions, PublisherOptions {
  /** Each dealer's sections and grants, e.g. `memoryDealerCredentialsLayer(…)`, or over store-sql's `sqlKeyValueStore`. */
  readonly credentials: Layer.Layer<DealerCredentials, AdsyncError>;
  /**
   * Each dealer's store and the log across every dealer: `memoryDealerStoresLayer` (core),
   * `sqliteDealerStores` / `pgDealerStores` (store-sql, one pool for every dealer).
   */
  readonly stores: Layer.Layer<DealerStores | EventFeed, AdsyncError>;
  /**
   * Anything else the adapters read: an `HttpTransport`, `CircuitBreakers`, a
   * `SecretEnvironment`, an HTTP client (the platform's `fetch` when none is given).
   */
  readonly layer?: Layer.Layer<never, AdsyncError, HttpClient.HttpClient> | undefined;
  /** How long a dealer's publisher nobody uses stays built. Default 5 minutes. */
  readonly publisherIdleTimeToLive?: Duration.DurationInput | undefined;
}

/** One dealer's publisher as Promises: `AdsyncClient`'s methods, on that dealer's listings. */
export type DealerAdsyncClient = Omit<AdsyncClient, "close">;

/** adsync for many dealers, embedded in one process, for DMS code that does not use Effect. */
export interface DealersAdsyncClient {
  /**
   * The publisher of one dealer: `publish`, `sync`, `status`, `watch`, … exactly as
   * `createAdsync`'s client, on that dealer's store with that dealer's credentials.
   */
  readonly dealer: (dealer: string) => DealerAdsyncClient;
  /**
   * A page of the log across every dealer after a cursor (`seq`), oldest first, each event
   * naming its dealer; read on from the answer's `cursor`.
   */
  readonly events: (query?: FeedQuery) => Promise<EventPage>;
  /**
   * The log across every dealer followed from a cursor (`after`: the last `seq` handled; absent,
   * from now on), as an async iterable: `for await (const event of adsync.follow({ after }))`.
   * Leaving the loop stops it.
   */
  readonly follow: (options?: FollowFeedOptions) => AsyncIterable<LoggedEvent>;
  /**
   * Invalidates a dealer's adapters and publisher, after its existing sections changed (a
   * marketplace connected since is picked up without it); operations running finish first.
   */
  readonly reconnect: (dealer: string) => Promise<void>;
  /** Releases every resource (adapters, HTTP pools, the stores). */
  readonly close: () => Promise<void>;
}

/**
 * Many dealers in one process: each dealer's adapters from `marketplaces` (the CLI registry's
 * descriptors) with that dealer's credentials, its store, its publisher, built on first use and
 * closed once idle.
 *
 * ```ts
 * const adsync = createDealersAdsync({ marketplaces, credentials, stores });
 * await adsync.dealer("d-17").publish(ad, { to: ["blocket"] });
 * const { events, cursor } = await adsync.events({ after: lastSeen });
 * ```
 */
export const createDealersAdsync = (options: DealersAdsyncOptions): DealersAdsyncClient => {
  const { credentials, stores, layer, publisherIdleTimeToLive, leaseDuration, owner, ...rest } =
    options;
  const services = Layer.mergeAll(credentials, stores, layer ?? Layer.empty);
  const complete = dealerPublishersLayer({
    marketplaces: rest.marketplaces.map((descriptor) => descriptor.id),
    idleTimeToLive: publisherIdleTimeToLive,
    leaseDuration,
    owner,
  }).pipe(
    Layer.provideMerge(dealerAdaptersLayer(rest)),
    Layer.provideMerge(services),
    Layer.provide(FetchHttpClient.layer),
  );
  const runtime = ManagedRuntime.make(complete);
  const run = <A>(
    effect: Effect.Effect<A, AdsyncError, DealerAdapters | DealerPublishers | EventFeed>,
  ) =>
    runtime
      .runPromiseExit(effect)
      .then((exit) =>
        Exit.isSuccess(exit) ? exit.value : Promise.reject(Cause.squash(exit.cause)),
      );
  return {
    dealer: (dealer) =>
      publisherClient(
        runtime,
        Effect.flatMap(DealerPublishers, (publishers) => publishers.publisherFor(dealer)),
      ),
    events: (query) =>
      run(
        Effect.flatMap(EventFeed, (feed) =>
          Effect.map(feed.feed(query), (events) => ({
            events,
            cursor: events[events.length - 1]?.seq ?? Math.max(0, query?.after ?? 0),
          })),
        ),
      ),
    follow: (options) => asyncIterableOn(runtime, followFeed(options)),
    reconnect: (dealer) =>
      run(
        Effect.gen(function* () {
          const adapters = yield* DealerAdapters;
          for (const { id } of rest.marketplaces) yield* adapters.invalidate(dealer, id);
          yield* (yield* DealerPublishers).invalidate(dealer);
        }),
      ),
    close: () => runtime.dispose(),
  };
};
