import {
  Context,
  Duration,
  Effect,
  FiberRef,
  HashMap,
  Layer,
  Option,
  type Scope,
  Stream,
} from "effect";
import type { AdsyncError } from "../errors.ts";
import { makePublisherWith, type PublisherOptions } from "../publisher/publisher.ts";
import type { PublisherService, TargetOptions } from "../publisher/service.ts";
import { Store } from "../store/store.ts";
import { DealerCredentials } from "./credentials.ts";
import { DealerAdapters, dealerAdaptersLayerFor } from "./dealer-adapters.ts";
import { DealerStores } from "./dealer-stores.ts";
import { type Generation, makeGenerations } from "./generations.ts";

export interface DealerPublishersOptions extends PublisherOptions {
  /**
   * The marketplaces offered. A dealer's publisher publishes to those of them the dealer has a
   * section for in `DealerCredentials` (read when its publisher is built, and again for a target
   * it lacks: one connected since makes it rebuilt once); a target the dealer has not connected
   * is answered like any unknown target (an `unsupported` issue, nothing sent).
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
   * Drops the dealer's publisher: the next use builds it afresh, with the marketplaces the
   * dealer is connected to then. One in use is not closed under its holders (their operations
   * finish on it); it closes when the last of them lets go. Call it after changing a dealer's
   * existing sections, with `DealerAdapters.invalidate` (a newly connected marketplace needs
   * none: the publisher picks it up on the first call naming it).
   */
  readonly invalidate: (dealer: string) => Effect.Effect<void>;
}

export class DealerPublishers extends Context.Tag("@adsync/core/DealerPublishers")<
  DealerPublishers,
  DealerPublishersService
>() {}

/** A dealer's publisher as built: the marketplaces it publishes to are those connected then. */
interface Built {
  /** The publisher itself. */
  readonly publisher: PublisherService;
  readonly connected: ReadonlySet<string>;
  /** What `publisherFor` hands out: `publisher` behind the dealer's layer (one per build). */
  readonly forDealer: PublisherService;
}

/**
 * Every log line of work for a dealer names it (`dealer`, beside the `marketplace` core's HTTP
 * client puts on its own), and every span (`adsync.dealer`, beside `adsync.marketplace`).
 */
const spanAttribute = "adsync.dealer";

/** Every log line and span of work for a dealer names it. */
const forDealer =
  (dealer: string) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    effect.pipe(Effect.annotateLogs({ dealer }), Effect.annotateSpans(spanAttribute, dealer));

/** The same for a stream: its logs and spans name the dealer for as long as it runs. */
const streamForDealer =
  (dealer: string) =>
  <A, E, R>(stream: Stream.Stream<A, E, R>): Stream.Stream<A, E, R> =>
    Stream.unwrapScoped(
      Effect.annotateLogsScoped({ dealer }).pipe(
        Effect.zipRight(
          Effect.locallyScopedWith(
            FiberRef.currentTracerSpanAnnotations,
            HashMap.set<string, unknown>(spanAttribute, dealer),
          ),
        ),
        Effect.as(stream),
      ),
    );

/**
 * The service: each dealer's publisher built from its store and adapters, cached per dealer
 * (`generations.ts`: an `RcMap` whose invalidation never closes a publisher in use).
 *
 * What `publisherFor` hands out is the cached publisher behind a thin layer that, per call,
 * (1) annotates the call's logs and spans with the dealer and (2) when the call names a target
 * (`to`) that the cached publisher was built without, reads the dealer's sections for it again:
 * if the dealer has connected it since (the DMS put its section in `DealerCredentials`), the
 * publisher is rebuilt once (callers that found the same publisher stale rebuild it together)
 * and the call runs on the new one; a target still not connected is answered by the cached one
 * (`unsupported`, nothing sent), with no rebuild.
 */
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
    const offered = new Set(marketplaces);

    /** Those of `targets` the dealer has a section for now. */
    const connectedOf = (dealer: string, targets: ReadonlyArray<string>) =>
      Effect.filter(targets, (marketplace) =>
        Effect.map(credentials.sectionOf(dealer, marketplace), Option.isSome),
      );

    const build = (
      dealer: string,
      generation: number,
    ): Effect.Effect<Built, AdsyncError, Scope.Scope> =>
      Effect.gen(function* () {
        const store = yield* stores.storeFor(dealer);
        const connected = yield* connectedOf(dealer, marketplaces);
        // The dealer's adapters, held for as long as its publisher is built.
        const adapters = yield* Layer.build(dealerAdaptersLayerFor(dealer, connected)).pipe(
          Effect.provideService(DealerAdapters, dealerAdapters),
        );
        // A rebuilt publisher may run beside its predecessor until the predecessor's last
        // operation ends. With a fixed `owner`, the same name would make each take the other's
        // running operations (leases of its owner that none of its own fibers holds) for
        // abandoned ones; so a rebuild writes its leases under `<owner>#<generation>`.
        const owner =
          publisherOptions.owner === undefined || generation === 0
            ? publisherOptions.owner
            : `${publisherOptions.owner}#${generation}`;
        const publisher = yield* makePublisherWith({ ...publisherOptions, owner }).pipe(
          Effect.provide(adapters),
          Effect.provideService(Store, store),
        );
        const built = { publisher, connected: new Set(connected) };
        return { ...built, forDealer: dealerPublisher(dealer, { value: built, generation }) };
      }).pipe(forDealer(dealer));

    const publishers = yield* makeGenerations({
      lookup: build,
      idleTimeToLive: idleTimeToLive ?? Duration.minutes(5),
    });

    /**
     * The publisher a call to `to` runs on, held in the caller's scope: the cached one, or, when
     * `to` names an offered marketplace it lacks and the dealer is connected to now, a new one.
     */
    const publisherTo = (
      dealer: string,
      held: Generation<Omit<Built, "forDealer">>,
      to: ReadonlyArray<string> | undefined,
    ): Effect.Effect<PublisherService, never, Scope.Scope> => {
      const missing = (to ?? []).filter(
        (marketplace) => offered.has(marketplace) && !held.value.connected.has(marketplace),
      );
      if (missing.length === 0) return Effect.succeed(held.value.publisher);
      return Effect.gen(function* () {
        const connected = yield* connectedOf(dealer, missing);
        if (connected.length === 0) return held.value.publisher;
        yield* Effect.logInfo(
          `connected since its publisher was built: ${connected.join(", ")}; building it again`,
        );
        yield* publishers.rebuild(dealer, held.generation);
        const fresh = yield* publishers.get(dealer);
        return fresh.value.publisher;
      }).pipe(
        // The sections cannot be read, or the new publisher cannot be built (a section that
        // does not decode): the call runs on the cached publisher, as before the connect.
        Effect.catchAll((error) =>
          Effect.as(
            Effect.logWarning(`cannot connect ${missing.join(", ")}: ${error.message}`),
            held.value.publisher,
          ),
        ),
      );
    };

    /** The cached publisher, each call annotated and run on the publisher that knows its targets. */
    const dealerPublisher = (
      dealer: string,
      held: Generation<Omit<Built, "forDealer">>,
    ): PublisherService => {
      const run = <A, E>(
        to: ReadonlyArray<string> | undefined,
        call: (publisher: PublisherService) => Effect.Effect<A, E>,
      ): Effect.Effect<A, E> =>
        Effect.scoped(Effect.flatMap(publisherTo(dealer, held, to), call)).pipe(forDealer(dealer));
      // A method taking its targets in its only argument, or in its second.
      const one =
        <O extends TargetOptions | undefined, A, E>(
          method: (publisher: PublisherService) => (options: O) => Effect.Effect<A, E>,
        ) =>
        (options: O) =>
          run(options?.to, (publisher) => method(publisher)(options));
      const two =
        <X, O extends TargetOptions | undefined, A, E>(
          method: (publisher: PublisherService) => (first: X, options: O) => Effect.Effect<A, E>,
        ) =>
        (first: X, options: O) =>
          run(options?.to, (publisher) => method(publisher)(first, options));
      const { publisher } = held.value;
      return {
        validate: two((each) => each.validate),
        validateRemotely: two((each) => each.validateRemotely),
        publish: two((each) => each.publish),
        remove: two((each) => each.remove),
        promote: two((each) => each.promote),
        renew: two((each) => each.renew),
        hide: two((each) => each.hide),
        show: two((each) => each.show),
        refresh: two((each) => each.refresh),
        awaitSettled: two((each) => each.awaitSettled),
        sync: two((each) => each.sync),
        plan: two((each) => each.plan),
        reconcile: one((each) => each.reconcile),
        refreshAll: one((each) => each.refreshAll),
        settle: one((each) => each.settle),
        reconcileEvery: (options) =>
          Stream.unwrapScoped(
            Effect.map(publisherTo(dealer, held, options.to), (each) =>
              each.reconcileEvery(options),
            ),
          ).pipe(streamForDealer(dealer)),
        status: (adId) => forDealer(dealer)(publisher.status(adId)),
        events: (query) => forDealer(dealer)(publisher.events(query)),
        watch: (options) => publisher.watch(options).pipe(streamForDealer(dealer)),
      };
    };

    const publisherFor = (dealer: string) =>
      Effect.map(publishers.get(dealer), (held) => held.value.forDealer);

    return {
      publisherFor,
      withPublisher: (dealer, use) =>
        Effect.scoped(Effect.flatMap(publisherFor(dealer), use)).pipe(forDealer(dealer)),
      invalidate: (dealer) => publishers.invalidate(dealer),
    } satisfies DealerPublishersService;
  });

/** The service as a layer, over the dealers' adapters, stores and credentials. */
export const dealerPublishersLayer = (
  options: DealerPublishersOptions,
): Layer.Layer<DealerPublishers, never, DealerAdapters | DealerStores | DealerCredentials> =>
  Layer.scoped(DealerPublishers, makeDealerPublishers(options));
