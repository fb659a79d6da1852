import { FetchHttpClient, type HttpClient } from "@effect/platform";
import { Cause, Effect, Exit, Fiber, Layer, ManagedRuntime, type Scope, Stream } from "effect";
import type { Adapters } from "../adapter/adapter.ts";
import { AdsyncError } from "../errors.ts";
import type { AdInput } from "../model/unchecked-ad.ts";
import type { FeedQuery, LoggedEvent, Store } from "../store/store.ts";
import type { ListingStatus, PublishResult } from "./outcome.ts";
import type { PlanInventory, PlanOptions, PlanResult } from "./plan.ts";
import { asyncIterableOn } from "./promise-service.ts";
import { publisherLayer } from "./publisher.ts";
import type { ReconcileReport } from "./reconcile.ts";
import {
  type AwaitOptions,
  type EventPage,
  type PromoteOptions,
  Publisher,
  type PublisherService,
  type ReconcileEveryOptions,
  type ReconcileOptions,
  type RefreshOptions,
  type SettleOptions,
  type SyncOptions,
  type SyncSummary,
  type TargetOptions,
  type ValidationResult,
  type WatchOptions,
} from "./service.ts";

const inventoryStream = (
  inventory: Iterable<AdInput> | AsyncIterable<AdInput>,
): Stream.Stream<AdInput, AdsyncError> =>
  Symbol.asyncIterator in inventory
    ? Stream.fromAsyncIterable(
        inventory,
        (cause) =>
          new AdsyncError({
            reason: "Configuration",
            message: `The inventory could not be read: ${String(cause)}`,
          }),
      )
    : Stream.fromIterable(inventory);

/**
 * The publisher for code that does not use Effect: every method returns a Promise. A Promise
 * rejects only when the store fails (an `AdsyncError` with reason "Store"); marketplace
 * failures are outcomes, never rejections.
 */
export interface AdsyncClient {
  /**
   * Local validation for every target: the ad is sent nowhere. `ad` is a `VehicleAdInput`
   * (checked by the compiler) or `uncheckedAd(data)` for data of unknown shape.
   */
  readonly validate: (ad: AdInput, options?: TargetOptions) => Promise<ValidationResult>;
  /** `validate`, then the marketplaces' own validation where offered (the ad is sent, not saved). */
  readonly validateRemotely: (ad: AdInput, options?: TargetOptions) => Promise<ValidationResult>;
  /** Creates or updates the ad on every target; `ad` as for `validate`. */
  readonly publish: (ad: AdInput, options?: TargetOptions) => Promise<PublishResult>;
  readonly remove: (adId: string, options?: TargetOptions) => Promise<PublishResult>;
  readonly renew: (adId: string, options?: TargetOptions) => Promise<PublishResult>;
  /** Buys a promotion (e.g. Blocket's "pole_position") for the ad's listings; charges apply. */
  readonly promote: (adId: string, options: PromoteOptions) => Promise<PublishResult>;
  readonly hide: (adId: string, options?: TargetOptions) => Promise<PublishResult>;
  readonly show: (adId: string, options?: TargetOptions) => Promise<PublishResult>;
  /** Publishes a whole stock (an array or any async iterable of ads); see `PublisherService.sync`. */
  readonly sync: (
    inventory: Iterable<AdInput> | AsyncIterable<AdInput>,
    options?: SyncOptions,
  ) => Promise<SyncSummary>;
  readonly status: (adId: string) => Promise<ReadonlyArray<ListingStatus>>;
  readonly refresh: (
    adId: string,
    options?: RefreshOptions,
  ) => Promise<ReadonlyArray<ListingStatus>>;
  readonly awaitSettled: (
    adId: string,
    options?: AwaitOptions,
  ) => Promise<ReadonlyArray<ListingStatus>>;
  /** What publishing would do and send, sending no write; see `PublisherService.plan`. */
  readonly plan: (inventory: PlanInventory, options?: PlanOptions) => Promise<PlanResult>;
  /** One observation pass over the whole store; see `PublisherService.reconcile`. */
  readonly reconcile: (options?: ReconcileOptions) => Promise<ReconcileReport>;
  /**
   * Passes on a schedule until stopped, each report handed to `onReport`; the returned function
   * stops them (after the pass under way, if any, is interrupted).
   */
  readonly reconcileEvery: (
    options: ReconcileEveryOptions,
    onReport: (report: ReconcileReport) => void,
  ) => () => Promise<void>;
  /** One bulk read of every pending operation (or, with `includeSettled`, of every listing). */
  readonly refreshAll: (options?: RefreshOptions) => Promise<ReconcileReport>;
  /** Bulk rounds until nothing is pending or the timeout passes. */
  readonly settle: (options?: SettleOptions) => Promise<ReconcileReport>;
  /** A page of the event log after a cursor; read on from the answer's `cursor`. */
  readonly events: (query?: FeedQuery) => Promise<EventPage>;
  /**
   * Calls `listener` for every lifecycle event (of one ad — `adId` or a string — or all), from
   * `after` or from now on; returns an unsubscribe.
   */
  readonly watch: (
    listener: (event: LoggedEvent) => void,
    options?: string | WatchOptions,
  ) => () => void;
  /**
   * The same events as an async iterable (`for await (const event of client.follow({ after }))`);
   * leaving the loop stops it.
   */
  readonly follow: (options?: WatchOptions) => AsyncIterable<LoggedEvent>;
  /** Releases every resource (HTTP pools, the store). */
  readonly close: () => Promise<void>;
}

/**
 * Builds an `AdsyncClient` from a layer providing the adapters and the store, e.g.
 * `Layer.mergeAll(adaptersLayer(makeBlocketAdapter(config)), sqliteStoreLayer({ path }))`.
 * Adapters that still need an HTTP client get the platform's `fetch` (`FetchHttpClient`; on Node
 * that is undici) unless the layer provides one, e.g. `Layer.provide(NodeHttpClient.layerUndici)`
 * from `@effect/platform-node`. Core depends on no runtime's platform package, so it runs
 * wherever `fetch` does.
 */
export const createAdsync = (
  layer: Layer.Layer<Adapters | Store, AdsyncError, HttpClient.HttpClient>,
): AdsyncClient => {
  const complete = layer.pipe(Layer.provide(FetchHttpClient.layer));
  const runtime = ManagedRuntime.make(publisherLayer.pipe(Layer.provideMerge(complete)));
  return { ...publisherClient(runtime, Publisher), close: () => runtime.dispose() };
};

/**
 * The Promise methods of an `AdsyncClient` over a runtime and the publisher it runs on:
 * `acquire` holds the publisher (the one of `createAdsync`, or a dealer's from
 * `DealerPublishers`) until its scope closes, so it is held for each call, and for as long as a
 * `watch` or `follow` runs. The runtime's disposal is the caller's (`close`).
 */
export const publisherClient = <R>(
  runtime: ManagedRuntime.ManagedRuntime<R, AdsyncError>,
  acquire: Effect.Effect<PublisherService, AdsyncError, R | Scope.Scope>,
): Omit<AdsyncClient, "close"> => {
  const hold = <A>(use: (publisher: PublisherService) => Effect.Effect<A, AdsyncError>) =>
    Effect.scoped(Effect.flatMap(acquire, use));
  // Rejects with the AdsyncError itself (not Effect's FiberFailure wrapper), so DMS code can
  // `catch (error) { if (error instanceof AdsyncError) … }`.
  const use = <A>(f: (publisher: PublisherService) => Effect.Effect<A, AdsyncError>) =>
    runtime
      .runPromiseExit(hold(f))
      .then((exit) =>
        Exit.isSuccess(exit) ? exit.value : Promise.reject(Cause.squash(exit.cause)),
      );
  /** Runs a stream of the publisher's in the background until the returned function stops it. */
  const forkAndStop = <A>(
    stream: (publisher: PublisherService) => Stream.Stream<A, AdsyncError>,
    each: (value: A) => void,
  ) => {
    const fiber = runtime.runFork(
      hold((publisher) =>
        Stream.runForEach(stream(publisher), (value) => Effect.sync(() => each(value))),
      ).pipe(Effect.tapErrorCause((cause) => Effect.logError(cause))),
    );
    return () => runtime.runPromise(Fiber.interrupt(fiber)).then(() => undefined);
  };
  return {
    validate: (ad, options) => use((publisher) => publisher.validate(ad, options)),
    validateRemotely: (ad, options) => use((publisher) => publisher.validateRemotely(ad, options)),
    publish: (ad, options) => use((publisher) => publisher.publish(ad, options)),
    remove: (adId, options) => use((publisher) => publisher.remove(adId, options)),
    renew: (adId, options) => use((publisher) => publisher.renew(adId, options)),
    promote: (adId, options) => use((publisher) => publisher.promote(adId, options)),
    hide: (adId, options) => use((publisher) => publisher.hide(adId, options)),
    show: (adId, options) => use((publisher) => publisher.show(adId, options)),
    sync: (inventory, options) =>
      use((publisher) => publisher.sync(inventoryStream(inventory), options)),
    status: (adId) => use((publisher) => publisher.status(adId)),
    refresh: (adId, options) => use((publisher) => publisher.refresh(adId, options)),
    awaitSettled: (adId, options) => use((publisher) => publisher.awaitSettled(adId, options)),
    plan: (inventory, options) => use((publisher) => publisher.plan(inventory, options)),
    reconcile: (options) => use((publisher) => publisher.reconcile(options)),
    reconcileEvery: (options, onReport) =>
      forkAndStop((publisher) => publisher.reconcileEvery(options), onReport),
    refreshAll: (options) => use((publisher) => publisher.refreshAll(options)),
    settle: (options) => use((publisher) => publisher.settle(options)),
    events: (query) => use((publisher) => publisher.events(query)),
    watch: (listener, options) => {
      const stop = forkAndStop((publisher) => publisher.watch(options), listener);
      return () => {
        void stop();
      };
    },
    // The publisher is held while the loop reads (released when it leaves).
    follow: (options) =>
      asyncIterableOn(
        runtime,
        Stream.unwrapScoped(Effect.map(acquire, (publisher) => publisher.watch(options))),
      ),
  };
};
