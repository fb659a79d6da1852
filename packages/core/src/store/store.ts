import { Context, type Effect, type Option } from "effect";
import type { ListingRef } from "../adapter/adapter.ts";
import type { AdsyncError } from "../errors.ts";
import type { ListingState, Observation } from "../lifecycle/state.ts";

/** What adsync remembers about one ad on one marketplace. */
export interface ListingRecord {
  readonly adId: string;
  readonly marketplace: string;
  /** How to find the listing on the marketplace; absent until a create was accepted. */
  readonly ref?: ListingRef | undefined;
  /**
   * The content the marketplace holds, as far as adsync knows: the payload of the last
   * operation that succeeded. Unchanged ads cost zero requests; diffs are computed from it.
   */
  readonly payload?: unknown;
  /**
   * The payload of the operation still pending; it becomes `payload` when the operation
   * succeeds and is dropped when it fails, so a failed update never poisons later diffs.
   */
  readonly pendingPayload?: unknown;
  readonly state: ListingState;
  readonly updatedAt: number;
}

/** One entry of the operation log: an observation and the state it led to. */
export interface LifecycleEvent {
  readonly adId: string;
  readonly marketplace: string;
  readonly observation: Observation;
  readonly state: ListingState;
}

/**
 * The store port. Small on purpose, so a DMS can back it with its own database.
 *
 * `record` writes the listing and appends its event in one atomic step: the publisher calls it
 * with the `Started` observation *before* sending a request, so after a crash the record shows
 * an operation whose outcome must be reconciled.
 */
export interface StoreService {
  readonly get: (
    adId: string,
    marketplace: string,
  ) => Effect.Effect<Option.Option<ListingRecord>, AdsyncError>;
  /** Every listing of one ad, or of every ad when `adId` is absent. */
  readonly list: (adId?: string) => Effect.Effect<ReadonlyArray<ListingRecord>, AdsyncError>;
  readonly record: (
    listing: ListingRecord,
    event: LifecycleEvent,
  ) => Effect.Effect<void, AdsyncError>;
  /** The operation log of one ad, oldest first. */
  readonly events: (adId: string) => Effect.Effect<ReadonlyArray<LifecycleEvent>, AdsyncError>;
}

export class Store extends Context.Tag("@adsync/core/Store")<Store, StoreService>() {}
