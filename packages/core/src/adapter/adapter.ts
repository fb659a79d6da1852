import { Context, Effect, type Either, Layer, type Option, type Schema, type Scope } from "effect";
import type { AdsyncError } from "../errors.ts";
import type { HttpRequest } from "../http/marketplace-http.ts";
import type { OperationKind, OperationStatus, Presence } from "../lifecycle/state.ts";
import type { Issue } from "../model/issue.ts";
import type { VehicleAd } from "../model/vehicle-ad.ts";

/** What an adapter can do beyond create/update/remove/observe. */
export interface Capabilities {
  /** Updates can send only what changed (PATCH, JSON Patch) instead of the whole ad. */
  readonly patchUpdates: boolean;
  readonly hide: boolean;
  readonly renew: boolean;
  readonly promote: boolean;
  /** Publication can be scheduled for a later time. */
  readonly schedule: boolean;
  /** The marketplace can validate an ad without saving it. */
  readonly remoteValidation: boolean;
  /** The marketplace can tell the cost of publishing before doing it. */
  readonly costPreview: boolean;
  /** Several listings can be published in one request. */
  readonly batchPublication: boolean;
}

/**
 * How adsync finds a listing again on its marketplace: the marketplace's id for it, other ids
 * it is known by (Blocket's ad id, the Bytbil ad id fed from it, …) and adapter bookkeeping
 * (e.g. which API version wrote it).
 */
export interface ListingRef {
  readonly remoteId: string;
  readonly ids: Readonly<Record<string, string>>;
  readonly meta: Readonly<Record<string, string>>;
}

/**
 * An ad mapped to a marketplace's wire format, ready to send: what `create`, `update`,
 * `validateRemotely`, `quote` and `describe` take as they are, so no adapter maps the ad again.
 */
export interface Prepared<P = unknown> {
  /**
   * The complete payload as the marketplace takes it. The publisher stores it encoded by the
   * adapter's `payloadSchema` as "last sent" and hands it back decoded in `Listing.payload`.
   */
  readonly payload: P;
  /** What the marketplace cannot honour but need not stop the ad (e.g. images over a limit). */
  readonly warnings: ReadonlyArray<Issue>;
}

/** The reduced status of a listing or of one of our requests, as read from the marketplace. */
export interface Progress {
  readonly status: OperationStatus;
  readonly presence?: Presence | undefined;
  readonly issues?: ReadonlyArray<Issue> | undefined;
  readonly warnings?: ReadonlyArray<Issue> | undefined;
  readonly notes?: ReadonlyArray<string> | undefined;
  /** The marketplace's own words for the status, kept beside the normalized ones. */
  readonly raw?: unknown;
  /** Ids learned while observing (e.g. Blocket assigns its ad id once published). */
  readonly ref?: ListingRef | undefined;
}

/**
 * A listing handed to `inspect`: what adsync last left on the marketplace, with the dealer's ad
 * id the marketplace knows it by (`source_id`, `external.id`, the seller's reference).
 */
export interface InspectedListing<P = unknown> extends Listing<P> {
  readonly adId: string;
  /**
   * The kind of adsync's own operation still pending on this listing (its `requestId` is in
   * `requestId`), so the sighting reports that operation's progress; absent when settled.
   */
  readonly pending?: OperationKind | undefined;
}

/**
 * One observation pass over many listings of one marketplace (§ "Keeping listings true").
 *
 * - `"full"`: read every listing given, with the fewest requests the API documents (list
 *   endpoints filtered by the dealer's ids and paged, a command's tasks once for all its
 *   offers). A listing the marketplace no longer has is sighted with presence `removed`.
 * - `"changes"`: read only what changed since `cursor` (Allegro's offer events). Adapters
 *   without such a feed treat it as `"full"`.
 */
export interface InspectRequest<P = unknown> {
  readonly listings: ReadonlyArray<InspectedListing<P>>;
  readonly mode: "full" | "changes";
  /** Where the previous `"changes"` read stopped, as the adapter returned it. */
  readonly cursor?: string | undefined;
  /**
   * The pass this call belongs to: the same object for every page of one settle round or
   * reconcile pass, a new one for the next. An adapter whose read serves listings that the
   * store's paging spreads over several pages (Allegro's tasks of one publication command)
   * keys a `WeakMap` by it and reads once per pass; absent, nothing is shared.
   */
  readonly round?: InspectRound | undefined;
}

/** One observation pass, as `InspectRequest.round` names it (compared by identity). */
export interface InspectRound {
  /** When the pass began (epoch ms): for logs; the object's identity is what is shared. */
  readonly startedAt: number;
}

/**
 * What the marketplace shows of one listing. For a listing with a pending operation, `status`
 * is that operation's progress (as `observe` reports it); for a settled one, `presence`,
 * `issues` (rejected after acceptance), `warnings` (an image that failed to download) and
 * `notes` are what was seen, and `status` is "succeeded".
 */
export interface Sighting extends Progress {
  /**
   * The marketplace holds other content than `listing.payload` (edited outside adsync): the
   * next publish sends a full update.
   */
  readonly drift?: boolean | undefined;
}

/** The answer of one `inspect` pass. */
export interface Inspection {
  /**
   * By the dealer's ad id: one sighting per listing the pass learned something about. A listing
   * given but absent here was not read this pass (or, in `"changes"` mode, did not change).
   */
  readonly sightings: ReadonlyMap<string, Sighting>;
  /** Where the next `"changes"` pass starts; the publisher stores it per marketplace. */
  readonly cursor?: string | undefined;
}

/**
 * A paid promotion of a live listing (§7.10): a Blocket pole position, a Marktplaats bump or
 * top-ad feature, an extra Allegro package. `product` is one of the adapter's `promotions`.
 */
export interface Promotion {
  readonly product: string;
  /** Product-specific options (e.g. a duration in days), decoded by the adapter. */
  readonly options?: Readonly<Record<string, unknown>> | undefined;
}

/** A request the marketplace accepted. */
export interface Submitted<P = unknown> {
  readonly ref: ListingRef;
  /** The marketplace's handle for this request, to find its progress later. */
  readonly requestId?: string | undefined;
  /**
   * What the marketplace now holds as the listing's content, to diff the next update against.
   * Absent after a create or update: the prepared payload sent is what it holds.
   */
  readonly payload?: P | undefined;
  /** The status known right away: "pending" for asynchronous marketplaces. */
  readonly progress: Progress;
}

/** What `find` is told of the ad besides its id: what adsync last sent for it, if known. */
export interface FindHint<P = unknown> {
  readonly payload?: P | undefined;
}

/** What the publisher tells an adapter about the operation it runs. */
export interface OperationContext {
  /** adsync's id of the operation, written to the store before the request. */
  readonly operationId: string;
  /**
   * True when this operation was interrupted before its answer (crash, lost connection) and
   * runs again under the same id: the first try may have landed, so look before creating.
   */
  readonly resumed: boolean;
}

/** One create of a batch. */
export interface CreateRequest<P = unknown> {
  readonly ad: VehicleAd;
  readonly prepared: Prepared<P>;
  readonly context: OperationContext;
}

/** The listing as adsync last left it, passed back to the adapter for follow-up operations. */
export interface Listing<P = unknown> {
  readonly ref: ListingRef;
  /**
   * The payload last sent (what the marketplace holds, as far as we know), decoded by the
   * adapter's `payloadSchema` once, by the publisher: adapters use it as it is. `undefined`
   * when not known (never sent, or content in doubt: the update then sends the whole content).
   */
  readonly payload: P | undefined;
  /** The marketplace's handle of the last request, if it is still being processed. */
  readonly requestId?: string | undefined;
}

/**
 * A request an operation would send, described without sending it (`plan`): method, path and
 * query as the adapter's client builds them, and the body exactly as it would go on the wire.
 */
export interface PlannedRequest
  extends Pick<HttpRequest, "method" | "path" | "query" | "contentType"> {
  readonly body?: unknown;
  /**
   * What the description cannot know before sending, or why the request is there, e.g.
   * "{itemId} comes from the POST's answer" or "the body is the offer as read, with our fields".
   */
  readonly note?: string | undefined;
}

/** A request as `plan` shows it: what goes on the wire, without the client's own settings. */
export const plannedRequest = (request: HttpRequest, note?: string): PlannedRequest => ({
  method: request.method,
  path: request.path,
  ...(request.query === undefined ? {} : { query: request.query }),
  ...(request.body === undefined ? {} : { body: request.body }),
  ...(request.contentType === undefined ? {} : { contentType: request.contentType }),
  ...(note === undefined ? {} : { note }),
});

/**
 * The requests of each write operation, built by the same functions that build the real
 * requests, so a plan and a publish never disagree. Pure: describing sends nothing.
 */
export interface RequestDescriber<P = unknown> {
  readonly create: (ad: VehicleAd, prepared: Prepared<P>) => ReadonlyArray<PlannedRequest>;
  readonly update: (
    listing: Listing<P>,
    ad: VehicleAd,
    prepared: Prepared<P>,
  ) => ReadonlyArray<PlannedRequest>;
  readonly remove: (listing: Listing<P>) => ReadonlyArray<PlannedRequest>;
}

/** What publishing an ad would cost, as the marketplace quotes it before publication. */
export interface CostQuote {
  /** The sum, as the marketplace writes amounts ("39.00"). */
  readonly total: { readonly amount: string; readonly currency: string };
  /** The dealer's configured ceiling (Allegro's `maxFee`), if any. */
  readonly maximum?: number | undefined;
  /** Whether the total is above the ceiling: publishing would then stop before the charge. */
  readonly aboveMaximum: boolean;
  /** The marketplace's own quote, kept beside the normalized total. */
  readonly raw?: unknown;
}

/**
 * A marketplace adapter. Every method that talks to the marketplace returns an Effect failing
 * only with `AdsyncError`; `prepare` is pure and sends nothing, so a bad ad costs zero requests.
 *
 * `create` must be safe to run again for the same ad after an unknown outcome (timeout, dropped
 * connection, crash): the adapter reconciles through the dealer's ad id (Pro Import's
 * `source_id` conflict, Allegro's `external.id` lookup) and never creates a second listing.
 *
 * `P` is the adapter's payload (what `prepare` makes and `create`/`update` send), `I` its
 * JSON-encodable form as the store keeps it (`payloadSchema`). Registries, layers and the
 * publisher hold adapters with the payload type forgotten (`MarketplaceAdapter`, see
 * `anyPayloadAdapter`); the publisher decodes a stored payload with the adapter's own schema
 * before handing it to the same adapter.
 */
export interface MarketplaceAdapter<P = unknown, I = unknown> {
  /** Stable id, e.g. "blocket". */
  readonly id: string;
  readonly capabilities: Capabilities;
  /**
   * The payload as the store keeps it: the publisher encodes `Prepared.payload` and
   * `Submitted.payload` with it before storing them, and decodes the stored payload once
   * before handing it back in `Listing.payload` (a payload that no longer decodes fails the
   * operation with a `Store` error naming the listing). `I` must be JSON (the SQLite store
   * writes it as JSON text). An adapter whose payload is plain JSON already may declare
   * `Schema.Unknown`.
   */
  readonly payloadSchema: Schema.Schema<P, I>;
  /**
   * The identity of this adapter's mapping: change it whenever `prepare` may map the same ad
   * differently (a new mapping release, a configuration that reaches the mapping). With it, a
   * sync answers `unchanged` for an ad whose input is exactly what a settled, confirmed
   * listing was published from without decoding or preparing it (`publisher/fingerprint.ts`);
   * without it every ad is prepared and compared.
   */
  readonly mappingVersion?: string | undefined;
  /**
   * Loads what `prepare` needs beyond the ad (e.g. Tradera's vehicle reference data), once
   * and cached. The publisher runs it before `prepare`; adapters whose mapping needs nothing
   * leave it out.
   */
  readonly warmUp?: Effect.Effect<void, AdsyncError> | undefined;
  /** Validates and maps an ad for this marketplace, with no request. */
  readonly prepare: (ad: VehicleAd) => Either.Either<Prepared<P>, ReadonlyArray<Issue>>;
  readonly create: (
    ad: VehicleAd,
    prepared: Prepared<P>,
    context?: OperationContext,
  ) => Effect.Effect<Submitted<P>, AdsyncError>;
  /**
   * Creates many listings with as few requests as the marketplace allows (Allegro: one
   * publication command for many offers). Answers one result per request, in order; the
   * effect fails only if nothing could be attempted. Used by `sync` when the adapter states
   * the `batchPublication` capability.
   */
  readonly createMany?: (
    requests: ReadonlyArray<CreateRequest<P>>,
  ) => Effect.Effect<ReadonlyArray<Either.Either<Submitted<P>, AdsyncError>>, AdsyncError>;
  /**
   * Removes many listings with as few requests as the marketplace allows (Allegro: one END
   * command per 1,000 offers). One result per listing, in order; fails only if nothing could
   * be attempted. Optional: without it, `remove` runs per listing.
   */
  readonly removeMany?: (
    listings: ReadonlyArray<Listing<P>>,
  ) => Effect.Effect<ReadonlyArray<Either.Either<Submitted<P>, AdsyncError>>, AdsyncError>;
  /** Sends the fewest requests that turn `listing.payload` into `prepared.payload`. */
  readonly update: (
    listing: Listing<P>,
    ad: VehicleAd,
    prepared: Prepared<P>,
    context?: OperationContext,
  ) => Effect.Effect<Submitted<P>, AdsyncError>;
  readonly hide: (listing: Listing<P>) => Effect.Effect<Submitted<P>, AdsyncError>;
  readonly show: (listing: Listing<P>) => Effect.Effect<Submitted<P>, AdsyncError>;
  readonly remove: (listing: Listing<P>) => Effect.Effect<Submitted<P>, AdsyncError>;
  readonly renew: (listing: Listing<P>) => Effect.Effect<Submitted<P>, AdsyncError>;
  /**
   * Finds a listing by the dealer's ad id, for a create whose outcome is unknown (its answer
   * was lost, or the process stopped): `None` when the marketplace has no such listing.
   * Without it, such a create cannot be removed until it is published again.
   *
   * `sent` is what adsync last sent for this ad (the pending create's payload, else the
   * listing's payload), decoded by `payloadSchema`, for marketplaces whose listings have no
   * field for the dealer's reference (Marktplaats recognises the ad by its licence plate in its
   * category). Adapters that find by the ad id itself ignore it (Pro Import by `source_id`,
   * Allegro by `external.id`). An adapter that cannot look without it fails (never `None`: the
   * publisher reads `None` as "the listing is gone").
   */
  readonly find?:
    | ((adId: string, sent?: FindHint<P>) => Effect.Effect<Option.Option<ListingRef>, AdsyncError>)
    | undefined;
  /** Describes the requests `create`, `update` and `remove` would send, without sending them. */
  readonly describe?: RequestDescriber<P> | undefined;
  /**
   * What publishing the ad would cost (with the `costPreview` capability). It may read the
   * marketplace (reference data, a fee preview) but never writes.
   */
  readonly quote?:
    | ((ad: VehicleAd, prepared: Prepared<P>) => Effect.Effect<CostQuote, AdsyncError>)
    | undefined;
  /**
   * Observes many listings in bulk (settled ones and pending operations alike): requests grow
   * with the marketplace's pages, not with the number of listings. The publisher hands it at
   * most `inspectBatchSize` listings per call. Adapters without it are observed one listing at
   * a time through `observe`.
   */
  readonly inspect?:
    | ((request: InspectRequest<P>) => Effect.Effect<Inspection, AdsyncError>)
    | undefined;
  /** The most listings one `inspect` call takes (e.g. one list page's worth); default 100. */
  readonly inspectBatchSize?: number | undefined;
  /**
   * Asks the marketplace to validate the ad exactly as `create` would send it, saving nothing
   * (with the `remoteValidation` capability). Answers the marketplace's findings as issues;
   * an empty list means the marketplace accepted it.
   */
  readonly validateRemotely?:
    | ((ad: VehicleAd, prepared: Prepared<P>) => Effect.Effect<ReadonlyArray<Issue>, AdsyncError>)
    | undefined;
  /** The promotion products `promote` takes (with the `promote` capability). */
  readonly promotions?: ReadonlyArray<string> | undefined;
  /** Buys a promotion for a live listing (with the `promote` capability). */
  readonly promote?:
    | ((listing: Listing<P>, promotion: Promotion) => Effect.Effect<Submitted<P>, AdsyncError>)
    | undefined;
  /** One status read, reduced to the lifecycle (for the request in `listing.requestId`). */
  readonly observe: (listing: Listing<P>) => Effect.Effect<Progress, AdsyncError>;
}

/**
 * The adapter with its payload type forgotten, for a registry, `adaptersLayer` or a map of
 * adapters by id. Sound because the publisher only ever hands an adapter the payloads it
 * decoded with that adapter's own `payloadSchema` (and the ones its `prepare` made).
 */
export const anyPayloadAdapter = <P, I>(adapter: MarketplaceAdapter<P, I>): MarketplaceAdapter =>
  adapter as unknown as MarketplaceAdapter;

/** The adapters a publisher can target, by id. */
export class Adapters extends Context.Tag("@adsync/core/Adapters")<
  Adapters,
  ReadonlyMap<string, MarketplaceAdapter>
>() {}

/** The adapters layer from adapter constructors, e.g. `adaptersLayer(makeBlocketAdapter(config))`. */
export const adaptersLayer = <E, R>(
  ...adapters: ReadonlyArray<Effect.Effect<MarketplaceAdapter, E, R>>
): Layer.Layer<Adapters, E, Exclude<R, Scope.Scope>> =>
  Layer.scoped(
    Adapters,
    Effect.map(
      Effect.all(adapters),
      (list) => new Map(list.map((adapter) => [adapter.id, adapter])),
    ),
  );
