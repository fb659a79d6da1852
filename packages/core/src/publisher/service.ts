import { Context, type Duration, type Effect, type Stream } from "effect";
import type { AdsyncError } from "../errors.ts";
import type { Issue } from "../model/issue.ts";
import type { AdInput } from "../model/unchecked-ad.ts";
import type { LifecycleEvent } from "../store/store.ts";
import type { ListingStatus, OutcomeResult, PublishResult } from "./outcome.ts";
import type { PlanInventory, PlanOptions, PlanResult } from "./plan.ts";

export interface TargetOptions {
  /** Marketplace ids; default: every configured adapter (for publish) or every listing of the ad. */
  readonly to?: ReadonlyArray<string> | undefined;
}

export interface RefreshOptions extends TargetOptions {
  /**
   * Also read listings with no pending operation (one request each), so a change made on the
   * marketplace's side (a listing ended, deactivated or deleted there) reaches the store as a
   * `Seen` observation. Default false: only pending operations are polled.
   */
  readonly includeSettled?: boolean | undefined;
}

export interface AwaitOptions extends TargetOptions {
  /** How often to poll; default every 500 ms. */
  readonly interval?: Duration.DurationInput | undefined;
  /** Give up waiting after this long (the listings stay pending); default 2 minutes. */
  readonly timeout?: Duration.DurationInput | undefined;
}

export interface ValidationResult {
  readonly adId: string | undefined;
  readonly valid: boolean;
  /** Issues per marketplace; schema issues of the canonical ad are reported under every target. */
  readonly issues: Readonly<Record<string, ReadonlyArray<Issue>>>;
  /** With `validateRemotely`: what each marketplace's own validation did. */
  readonly remote?: Readonly<Record<string, RemoteValidation>> | undefined;
}

/**
 * `validated`: the marketplace checked the ad (its findings are the issues); `unavailable`: it
 * offers no validation for this ad (local checks only); `not_sent`: local validation failed
 * first; `failed`: the validation request itself failed (the issue says why).
 */
export type RemoteValidation = "validated" | "unavailable" | "not_sent" | "failed";

/** Which promotion to buy, and where. */
export interface PromoteOptions extends TargetOptions {
  readonly product: string;
  /** Product-specific options, passed to the adapter. */
  readonly options?: Readonly<Record<string, unknown>> | undefined;
}

export interface SyncOptions extends TargetOptions {
  /** Ads published at once (default 8). */
  readonly concurrency?: number | undefined;
  /** Remove the listings of ads that are no longer in the inventory (default false). */
  readonly removeMissing?: boolean | undefined;
}

/** What a sync did: outcome counts per marketplace and result, and the ads it removed. */
export interface SyncSummary {
  readonly ads: number;
  readonly outcomes: Readonly<Record<string, Readonly<Partial<Record<OutcomeResult, number>>>>>;
  readonly removed: ReadonlyArray<string>;
}

export interface PublisherService {
  /**
   * Local validation for every target: the ad is sent nowhere. An adapter's `warmUp` may load
   * reference data once (cached), as Tradera's vehicle lists.
   */
  readonly validate: (ad: AdInput, options?: TargetOptions) => Effect.Effect<ValidationResult>;
  /**
   * `validate`, then each target's own validation of the ad exactly as `create` would send it
   * (`MarketplaceAdapter.validateRemotely`: sends the ad, saves nothing), where offered.
   */
  readonly validateRemotely: (
    ad: AdInput,
    options?: TargetOptions,
  ) => Effect.Effect<ValidationResult>;
  /**
   * Creates or updates the ad on every target, concurrently and independently: one outcome per
   * marketplace, and one marketplace failing never fails the others. An unchanged ad costs zero
   * requests. Fails only when the store fails.
   */
  readonly publish: (
    ad: AdInput,
    options?: TargetOptions,
  ) => Effect.Effect<PublishResult, AdsyncError>;
  readonly remove: (
    adId: string,
    options?: TargetOptions,
  ) => Effect.Effect<PublishResult, AdsyncError>;
  /**
   * Buys a promotion (`product`, one of the adapter's `promotions`, e.g. Blocket's
   * "pole_position") for the ad's live listings; targets without that product answer an
   * `unsupported` issue and send nothing.
   */
  readonly promote: (
    adId: string,
    options: PromoteOptions,
  ) => Effect.Effect<PublishResult, AdsyncError>;
  readonly renew: (
    adId: string,
    options?: TargetOptions,
  ) => Effect.Effect<PublishResult, AdsyncError>;
  readonly hide: (
    adId: string,
    options?: TargetOptions,
  ) => Effect.Effect<PublishResult, AdsyncError>;
  readonly show: (
    adId: string,
    options?: TargetOptions,
  ) => Effect.Effect<PublishResult, AdsyncError>;
  /** The lifecycle as the store knows it: no request. */
  readonly status: (adId: string) => Effect.Effect<ReadonlyArray<ListingStatus>, AdsyncError>;
  /**
   * One status read per pending listing of the ad (and, with `includeSettled`, per settled
   * listing too), reduced into the store.
   */
  readonly refresh: (
    adId: string,
    options?: RefreshOptions,
  ) => Effect.Effect<ReadonlyArray<ListingStatus>, AdsyncError>;
  /** Polls on a schedule until no operation of the ad is pending, or the timeout passes. */
  readonly awaitSettled: (
    adId: string,
    options?: AwaitOptions,
  ) => Effect.Effect<ReadonlyArray<ListingStatus>, AdsyncError>;
  /**
   * Publishes a whole stock with bounded concurrency: unchanged ads cost zero requests. With
   * `removeMissing`, listings of ads absent from the inventory are removed.
   */
  readonly sync: (
    inventory: Stream.Stream<AdInput, AdsyncError>,
    options?: SyncOptions,
  ) => Effect.Effect<SyncSummary, AdsyncError>;
  /**
   * What publishing (or, with `removeMissing`, syncing) the inventory would do, per ad and
   * marketplace, with the exact requests and, where the marketplace quotes it, the cost. It
   * sends no write and changes nothing in the store; it may read reference data and quotes.
   */
  readonly plan: (
    inventory: PlanInventory,
    options?: PlanOptions,
  ) => Effect.Effect<PlanResult, AdsyncError>;
  /** Every lifecycle event from now on (of one ad, or of all). */
  readonly watch: (adId?: string) => Stream.Stream<LifecycleEvent>;
}

export class Publisher extends Context.Tag("@adsync/core/Publisher")<
  Publisher,
  PublisherService
>() {}
