import { Context, type Duration, type Effect, type Schedule, type Stream } from "effect";
import type { AdsyncError } from "../errors.ts";
import type { Issue } from "../model/issue.ts";
import type { AdInput } from "../model/unchecked-ad.ts";
import type { FeedQuery, LoggedEvent } from "../store/store.ts";
import type { ListingStatus, OutcomeResult, PublishResult } from "./outcome.ts";
import type { PlanInventory, PlanOptions, PlanResult } from "./plan.ts";
import type { ReconcileReport } from "./reconcile.ts";

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

export interface ReconcileOptions extends TargetOptions {
  /**
   * `"full"` (default) reads every listing; `"changes"` asks adapters with a change feed
   * (Allegro's offer events) only for what changed since the cursor stored by the last pass.
   */
  readonly mode?: "full" | "changes" | undefined;
}

export interface ReconcileEveryOptions extends ReconcileOptions {
  /** The time between passes (from the end of one to the start of the next). */
  readonly every?: Duration.DurationInput | undefined;
  /** Any schedule instead of `every` (e.g. spaced and jittered, or a fixed number of passes). */
  readonly schedule?: Schedule.Schedule<unknown> | undefined;
}

export interface SettleOptions extends AwaitOptions {
  /** Only the listings of these ads; default every pending listing of the targets. */
  readonly adIds?: ReadonlyArray<string> | undefined;
}

export interface WatchOptions {
  /** Only the events of this ad. */
  readonly adId?: string | undefined;
  /**
   * The cursor to resume from: the `seq` of the last event already handled. Absent: from now
   * on (events recorded after the watch starts).
   */
  readonly after?: number | undefined;
  /**
   * How often the store is read for events written by other processes (this process's own
   * writes wake the watch at once); default 1 second.
   */
  readonly interval?: Duration.DurationInput | undefined;
}

/** A page of the event log and the cursor to read on from (unchanged when the page is empty). */
export interface EventPage {
  readonly events: ReadonlyArray<LoggedEvent>;
  readonly cursor: number;
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
  /**
   * How many listings a sync hands to a marketplace's batch calls at once (default 1000):
   * creates on a batch-publishing marketplace are sent as soon as this many are kept, not at
   * the end of the stock, and `removeMissing` removes through `removeMany` in groups this big.
   */
  readonly batchSize?: number | undefined;
  /**
   * After publishing, poll the operations the sync left pending, in bulk (`settle`), until they
   * settle or the timeout passes. Default false: the sync answers once the requests are sent.
   */
  readonly settle?: boolean | AwaitOptions | undefined;
}

/** What a sync did: outcome counts per marketplace and result, and the ads it removed. */
export interface SyncSummary {
  readonly ads: number;
  readonly outcomes: Readonly<Record<string, Readonly<Partial<Record<OutcomeResult, number>>>>>;
  readonly removed: ReadonlyArray<string>;
  /** The last settle round, with `settle`: what is still pending per marketplace. */
  readonly settled?: ReconcileReport | undefined;
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
  /**
   * One observation pass over the whole store (§ "Keeping listings true"): per marketplace, the
   * listings in pages of the adapter's `inspectBatchSize` through its bulk `inspect` (or one
   * `observe` each without it). Pending operations are recorded as `Progress`, settled listings
   * as `Seen` — only what changed — and the adapter's cursor is stored for the next pass.
   */
  readonly reconcile: (options?: ReconcileOptions) => Effect.Effect<ReconcileReport, AdsyncError>;
  /**
   * Passes on a schedule, one report each, for as long as the stream is run (fork it, or run it
   * in a scope): the first pass at once, the next `every` after the end of the previous one.
   */
  readonly reconcileEvery: (
    options: ReconcileEveryOptions,
  ) => Stream.Stream<ReconcileReport, AdsyncError>;
  /**
   * One bulk read of every pending operation of the targets (with `includeSettled`, of every
   * listing: a reconcile pass), through `inspect` a page at a time.
   */
  readonly refreshAll: (options?: RefreshOptions) => Effect.Effect<ReconcileReport, AdsyncError>;
  /**
   * Bulk rounds of `refreshAll` on a schedule until no operation is pending (or the timeout
   * passes); answers the last round's report.
   */
  readonly settle: (options?: SettleOptions) => Effect.Effect<ReconcileReport, AdsyncError>;
  /** A page of the store's event log after a cursor (`seq`), oldest first. */
  readonly events: (query?: FeedQuery) => Effect.Effect<EventPage, AdsyncError>;
  /**
   * Every lifecycle event, of every ad or of one (`adId`, or a string for it), from `after` (a
   * cursor) or from now on: read from the store's log, so a watcher resuming from its last
   * `seq` misses none and sees none twice, whichever process wrote them.
   */
  readonly watch: (options?: string | WatchOptions) => Stream.Stream<LoggedEvent, AdsyncError>;
}

export class Publisher extends Context.Tag("@adsync/core/Publisher")<
  Publisher,
  PublisherService
>() {}
