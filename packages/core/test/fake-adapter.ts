import { Effect, Either, Layer, Schema } from "effect";
import {
  AdsyncError,
  adaptersLayer,
  type Capabilities,
  type Inspection,
  type InspectRequest,
  type Issue,
  type Listing,
  type ListingRef,
  type MarketplaceAdapter,
  makeMemoryStore,
  type OperationContext,
  type Prepared,
  type Progress,
  publisherLayer,
  Store,
  type StoreService,
  type Submitted,
  type VehicleAd,
} from "../src/index.ts";

/**
 * A fake marketplace adapter for the publisher tests: it records every call and answers as the
 * test tells it (synchronously settled by default, queued, failing, with warnings).
 */

export const allCapabilities: Capabilities = {
  patchUpdates: true,
  hide: true,
  renew: true,
  promote: false,
  schedule: false,
  remoteValidation: false,
  costPreview: false,
  batchPublication: false,
};

export type Method =
  | "prepare"
  | "create"
  | "update"
  | "hide"
  | "show"
  | "remove"
  | "renew"
  | "observe"
  | "inspect";

export interface Call {
  readonly method: Method;
  readonly ad?: VehicleAd | undefined;
  readonly prepared?: Prepared | undefined;
  readonly listing?: Listing | undefined;
  readonly inspected?: InspectRequest | undefined;
}

type Follow = (listing: Listing) => Effect.Effect<Submitted, AdsyncError>;

export interface Behaviour {
  readonly capabilities?: Partial<Capabilities>;
  readonly prepare?: (ad: VehicleAd) => Either.Either<Prepared, ReadonlyArray<Issue>>;
  readonly create?: (
    ad: VehicleAd,
    prepared: Prepared,
    context?: OperationContext,
  ) => Effect.Effect<Submitted, AdsyncError>;
  readonly update?: (
    listing: Listing,
    ad: VehicleAd,
    prepared: Prepared,
  ) => Effect.Effect<Submitted, AdsyncError>;
  readonly hide?: Follow;
  readonly show?: Follow;
  readonly remove?: Follow;
  readonly renew?: Follow;
  readonly observe?: (listing: Listing, count: number) => Effect.Effect<Progress, AdsyncError>;
  /** Bulk observation; without it the adapter has no `inspect` (observed one at a time). */
  readonly inspect?: (
    request: InspectRequest,
    count: number,
  ) => Effect.Effect<Inspection, AdsyncError>;
  readonly inspectBatchSize?: number;
  /** The adapter's `mappingVersion`; without it the adapter declares none. */
  readonly mappingVersion?: string;
}

export const refOf = (marketplace: string, adId: string): ListingRef => ({
  remoteId: `${marketplace}-${adId}`,
  ids: { ad: `${marketplace}-${adId}` },
  meta: {},
});

/** A bulk read that sees every listing of the request settled and live. */
export const allSettled = (request: InspectRequest) =>
  Effect.succeed({
    sightings: new Map(
      request.listings.map((listing) => [
        listing.adId,
        { status: "succeeded" as const, presence: "live" as const },
      ]),
    ),
  });

/** What a synchronous marketplace answers: settled right away. */
export const settled = (ref: ListingRef, presence?: Progress["presence"]): Submitted => ({
  ref,
  progress: { status: "succeeded", presence },
});

/** What an asynchronous marketplace answers: a request id to poll. */
export const queued = (ref: ListingRef, requestId: string): Submitted => ({
  ref,
  requestId,
  progress: { status: "pending", raw: "processing" },
});

export const payloadOf = (ad: VehicleAd) => ({
  source_id: ad.id,
  subject: ad.title ?? `${ad.vehicle.make} ${ad.vehicle.model}`,
  body: ad.description,
  price: ad.price.list?.amount,
});

/** A marketplace adapter that records every call; it answers asynchronously (after a yield). */
export const fakeAdapter = (id: string, behaviour: Behaviour = {}) => {
  const calls: Array<Call> = [];
  let observed = 0;
  let inspected = 0;
  const follow =
    (method: "hide" | "show" | "remove" | "renew", presence: Progress["presence"]) =>
    (listing: Listing) =>
      Effect.suspend(() => {
        calls.push({ method, listing });
        const custom = behaviour[method];
        return custom === undefined
          ? Effect.yieldNow().pipe(Effect.as(settled(listing.ref, presence)))
          : custom(listing);
      });
  const adapter: MarketplaceAdapter = {
    id,
    capabilities: { ...allCapabilities, ...behaviour.capabilities },
    // Its payload is plain JSON already (`payloadOf`): stored and handed back as it is.
    payloadSchema: Schema.Unknown,
    ...(behaviour.mappingVersion === undefined ? {} : { mappingVersion: behaviour.mappingVersion }),
    prepare: (ad) => {
      calls.push({ method: "prepare", ad });
      return behaviour.prepare === undefined
        ? Either.right({ payload: payloadOf(ad), warnings: [] })
        : behaviour.prepare(ad);
    },
    create: (ad, prepared, context) =>
      Effect.suspend(() => {
        calls.push({ method: "create", ad, prepared });
        return behaviour.create === undefined
          ? Effect.yieldNow().pipe(Effect.as(settled(refOf(id, ad.id), "live")))
          : behaviour.create(ad, prepared, context);
      }),
    update: (listing, ad, prepared) =>
      Effect.suspend(() => {
        calls.push({ method: "update", listing, ad, prepared });
        return behaviour.update === undefined
          ? Effect.yieldNow().pipe(Effect.as(settled(listing.ref)))
          : behaviour.update(listing, ad, prepared);
      }),
    hide: follow("hide", "hidden"),
    show: follow("show", "live"),
    remove: follow("remove", "removed"),
    renew: follow("renew", undefined),
    ...(behaviour.inspectBatchSize === undefined
      ? {}
      : { inspectBatchSize: behaviour.inspectBatchSize }),
    ...(behaviour.inspect === undefined
      ? {}
      : {
          inspect: (request: InspectRequest) =>
            Effect.suspend(() => {
              calls.push({ method: "inspect", inspected: request });
              inspected += 1;
              return behaviour.inspect === undefined
                ? Effect.succeed<Inspection>({ sightings: new Map() })
                : behaviour.inspect(request, inspected);
            }),
        }),
    observe: (listing) =>
      Effect.suspend(() => {
        calls.push({ method: "observe", listing });
        observed += 1;
        return behaviour.observe === undefined
          ? Effect.succeed<Progress>({ status: "succeeded", presence: "live" })
          : behaviour.observe(listing, observed);
      }),
  };
  const callsOf = (method: Method) => calls.filter((call) => call.method === method);
  /** Calls that would cost a request (everything but the local `prepare`). */
  const requests = () => calls.filter((call) => call.method !== "prepare");
  return { adapter, calls, callsOf, requests };
};

export type Fake = ReturnType<typeof fakeAdapter>;

export const adaptersOf = (...fakes: ReadonlyArray<Fake>) =>
  adaptersLayer(...fakes.map((fake) => Effect.succeed(fake.adapter)));

/** A publisher over the fakes and a store the test can read. */
export const publisherOver = (
  fakes: ReadonlyArray<Fake>,
  store: StoreService = makeMemoryStore(),
) =>
  publisherLayer.pipe(
    Layer.provide(Layer.merge(adaptersOf(...fakes), Layer.succeed(Store, store))),
  );

export const down = (marketplace: string) =>
  new AdsyncError({
    reason: "Unavailable",
    marketplace,
    status: 503,
    message: `${marketplace} is down`,
  });

/**
 * A meeting point for `parties` calls: each waits until all have arrived. Calls made one after
 * the other never meet, and fail with a Timeout after a while.
 */
export const meeting = (parties: number) => {
  const everyoneArrived = Effect.unsafeMakeLatch(false);
  let arrivals = 0;
  return Effect.suspend(() => {
    arrivals += 1;
    return arrivals === parties ? everyoneArrived.open : Effect.void;
  }).pipe(
    Effect.zipRight(everyoneArrived.await),
    Effect.timeoutFail({
      duration: "2 seconds",
      onTimeout: () => new AdsyncError({ reason: "Timeout", message: "calls did not overlap" }),
    }),
  );
};

/** An asynchronous marketplace: creates are queued, `observe` answers from `progress`. */
export const asyncAdapter = (
  id: string,
  progress: (count: number) => Effect.Effect<Progress, AdsyncError>,
) =>
  fakeAdapter(id, {
    create: (created) => Effect.succeed(queued(refOf(id, created.id), `req-${created.id}`)),
    observe: (_listing, count) => progress(count),
  });
