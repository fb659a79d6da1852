import { Context, Duration, Effect, Layer, Option, RcMap, type Scope } from "effect";
import type { AdsyncError } from "../errors.ts";
import { makePublisherWith, type PublisherOptions } from "../publisher/publisher.ts";
import type { PublisherService } from "../publisher/service.ts";
import { Store } from "../store/store.ts";
import { DealerCredentials } from "./credentials.ts";
import { DealerAdapters, dealerAdaptersLayerFor } from "./dealer-adapters.ts";
import { DealerStores } from "./dealer-stores.ts";

export interface DealerPublishersOptions extends PublisherOptions {
  /**
   * The marketplaces offered. A dealer's publisher publishes to those of them the dealer has a
   * section for in `DealerCredentials` (read when its publisher is built); a target the dealer
   * has not connected is answered like any unknown target (an `unsupported` issue, nothing sent).
   */
  readonly marketplaces: ReadonlyArray<string>;
  /** How long a publisher nobody uses stays built before it is closed. Default 5 minutes. */
  readonly idleTimeToLive?: Duration.DurationInput | undefined;
}

/**
 * A publisher per dealer, on that dealer's store (`DealerStores`) and adapters
 * (`DealerAdapters`): every `PublisherService` operation, scoped to one dealer. Publishers are
 * cached per dealer (one instance, so its per-listing queue and its `watch` are shared by every
 * caller), kept while used and closed once idle, which lets go of the dealer's adapters.
 */
export interface DealerPublishersService {
  /**
   * The dealer's publisher, held until the caller's scope closes; built on first use. Fails
   * `Configuration` when an adapter cannot be built (e.g. a section that does not decode).
   */
  readonly publisherFor: (
    dealer: string,
  ) => Effect.Effect<PublisherService, AdsyncError, Scope.Scope>;
  /** Runs `use` with the dealer's publisher held. */
  readonly withPublisher: <A, E, R>(
    dealer: string,
    use: (publisher: PublisherService) => Effect.Effect<A, E, R>,
  ) => Effect.Effect<A, E | AdsyncError, Exclude<R, Scope.Scope>>;
  /**
   * Drops the dealer's publisher (closed once nobody holds it): the next use builds it afresh,
   * with the marketplaces the dealer is connected to then. Call it after changing a dealer's
   * sections, with `DealerAdapters.invalidate`.
   */
  readonly invalidate: (dealer: string) => Effect.Effect<void>;
}

export class DealerPublishers extends Context.Tag("@adsync/core/DealerPublishers")<
  DealerPublishers,
  DealerPublishersService
>() {}

/** The service: each dealer's publisher in an `RcMap`, built from its store and adapters. */
export const makeDealerPublishers = (
  options: DealerPublishersOptions,
): Effect.Effect<
  DealerPublishersService,
  never,
  DealerAdapters | DealerStores | DealerCredentials | Scope.Scope
> =>
  Effect.gen(function* () {
    const dealerAdapters = yield* DealerAdapters;
    const credentials = yield* DealerCredentials;
    const stores = yield* DealerStores;
    const { marketplaces, idleTimeToLive, ...publisherOptions } = options;

    const build = (dealer: string) =>
      Effect.gen(function* () {
        const store = yield* stores.storeFor(dealer);
        const connected = yield* Effect.filter(marketplaces, (marketplace) =>
          Effect.map(credentials.sectionOf(dealer, marketplace), Option.isSome),
        );
        // The dealer's adapters, held for as long as its publisher is built.
        const adapters = yield* Layer.build(dealerAdaptersLayerFor(dealer, connected)).pipe(
          Effect.provideService(DealerAdapters, dealerAdapters),
        );
        return yield* makePublisherWith(publisherOptions).pipe(
          Effect.provide(adapters),
          Effect.provideService(Store, store),
        );
      });

    const publishers = yield* RcMap.make({
      lookup: build,
      idleTimeToLive: idleTimeToLive ?? Duration.minutes(5),
    });

    // A failed build is not kept: the next use tries again (the dealer may have fixed it).
    const publisherFor = (dealer: string) =>
      RcMap.get(publishers, dealer).pipe(
        Effect.tapError(() => RcMap.invalidate(publishers, dealer)),
      );

    return {
      publisherFor,
      withPublisher: (dealer, use) => Effect.scoped(Effect.flatMap(publisherFor(dealer), use)),
      invalidate: (dealer) => RcMap.invalidate(publishers, dealer),
    } satisfies DealerPublishersService;
  });

/** The service as a layer, over the dealers' adapters, stores and credentials. */
export const dealerPublishersLayer = (
  options: DealerPublishersOptions,
): Layer.Layer<DealerPublishers, never, DealerAdapters | DealerStores | DealerCredentials> =>
  Layer.scoped(DealerPublishers, makeDealerPublishers(options));
