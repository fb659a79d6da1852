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
import type { PlanOptions } from "../publisher/plan.ts";
import { makePublisherWith, type PublisherOptions } from "../publisher/publisher.ts";
import type {
  AwaitOptions,
  PromoteOptions,
  PublisherService,
  ReconcileEveryOptions,
  ReconcileOptions,
  RefreshOptions,
  SettleOptions,
  SyncOptions,
  TargetOptions,
} from "../publisher/service.ts";
import { Store } from "../store/store.ts";
import { DealerCredentials } from "./credentials.ts";
import { DealerAdapters, dealerAdaptersLayerFor } from "./dealer-adapters.ts";
import { DealerStores } from "./dealer-stores.ts";
import { type Generation, makeGenerations } from "./generations.ts";

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

/** A dealer's publisher as built: the marketplaces it publishes to are those connected then. */
interface Built {
  /** The publisher itself. */
  readonly publisher: PublisherService;
  readonly connected: ReadonlySet<string>;
  /** What `publisherFor` hands out: `publisher` behind the dealer's layer (one per build). */
  readonly forDealer: PublisherService;
}

/** Every log line and span of work for a dealer names it. */
const forDealer =
  (dealer: string) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    effect.pipe(Effect.annotateLogs({ dealer }), Effect.annotateSpans({ dealer }));

/** The same for a stream: its logs and spans name the dealer for as long as it runs. */
const streamForDealer =
  (dealer: string) =>
  <A, E, R>(stream: Stream.Stream<A, E, R>): Stream.Stream<A, E, R> =>
    Stream.unwrapScoped(
      Effect.annotateLogsScoped({ dealer }).pipe(
        Effect.zipRight(
          Effect.locallyScopedWith(
            FiberRef.currentTracerSpanAnnotations,
            HashMap.set<string, unknown>("dealer", dealer),
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

    /** Those of `targets` the dealer has a section for now (a failed read counts as none). */
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
        const publisher = yield* makePublisherWith(publisherOptions).pipe(
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
      const on =
        <O extends TargetOptions | undefined, A, E>(
          call: (publisher: PublisherService, options: O) => Effect.Effect<A, E>,
        ) =>
        (options: O): Effect.Effect<A, E> =>
          Effect.scoped(
            Effect.flatMap(publisherTo(dealer, held, options?.to), (publisher) =>
              call(publisher, options),
            ),
          ).pipe(forDealer(dealer));
      const streamOn =
        <O extends TargetOptions | undefined, A, E>(
          call: (publisher: PublisherService, options: O) => Stream.Stream<A, E>,
        ) =>
        (options: O): Stream.Stream<A, E> =>
          Stream.unwrapScoped(
            Effect.map(publisherTo(dealer, held, options?.to), (publisher) =>
              call(publisher, options),
            ),
          ).pipe(streamForDealer(dealer));
      const { publisher } = held.value;
      return {
        validate: (ad, options) =>
          on((p, o: TargetOptions | undefined) => p.validate(ad, o))(options),
        validateRemotely: (ad, options) =>
          on((p, o: TargetOptions | undefined) => p.validateRemotely(ad, o))(options),
        publish: (ad, options) =>
          on((p, o: TargetOptions | undefined) => p.publish(ad, o))(options),
        remove: (adId, options) =>
          on((p, o: TargetOptions | undefined) => p.remove(adId, o))(options),
        promote: (adId, options) => on((p, o: PromoteOptions) => p.promote(adId, o))(options),
        renew: (adId, options) =>
          on((p, o: TargetOptions | undefined) => p.renew(adId, o))(options),
        hide: (adId, options) => on((p, o: TargetOptions | undefined) => p.hide(adId, o))(options),
        show: (adId, options) => on((p, o: TargetOptions | undefined) => p.show(adId, o))(options),
        status: (adId) => forDealer(dealer)(publisher.status(adId)),
        refresh: (adId, options) =>
          on((p, o: RefreshOptions | undefined) => p.refresh(adId, o))(options),
        awaitSettled: (adId, options) =>
          on((p, o: AwaitOptions | undefined) => p.awaitSettled(adId, o))(options),
        sync: (inventory, options) =>
          on((p, o: SyncOptions | undefined) => p.sync(inventory, o))(options),
        plan: (inventory, options) =>
          on((p, o: PlanOptions | undefined) => p.plan(inventory, o))(options),
        reconcile: on((p, o: ReconcileOptions | undefined) => p.reconcile(o)),
        reconcileEvery: streamOn((p, o: ReconcileEveryOptions) => p.reconcileEvery(o)),
        refreshAll: on((p, o: RefreshOptions | undefined) => p.refreshAll(o)),
        settle: on((p, o: SettleOptions | undefined) => p.settle(o)),
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
