import type { ListingRef } from "../adapter/adapter.ts";
import type { ErrorReason } from "../errors.ts";
import type { ListingState, OperationKind } from "../lifecycle/state.ts";
import type { Issue } from "../model/issue.ts";

/**
 * What one call did on one marketplace.
 * - `accepted`: a request was sent and accepted; `state.operation` tells whether it is still
 *   pending (asynchronous marketplaces) or settled;
 * - `unchanged`: nothing to do, zero requests (the marketplace already holds this content);
 * - `invalid`: the ad failed local validation, zero requests;
 * - `failed`: the request failed; `issues` says why and `reason` classifies it.
 */
export type OutcomeResult = "accepted" | "unchanged" | "invalid" | "failed";

export interface ListingOutcome {
  readonly adId: string;
  readonly marketplace: string;
  /** The operation attempted, if any. */
  readonly operation?: OperationKind | undefined;
  readonly result: OutcomeResult;
  readonly state: ListingState;
  readonly ref?: ListingRef | undefined;
  readonly issues: ReadonlyArray<Issue>;
  readonly warnings: ReadonlyArray<Issue>;
  readonly reason?: ErrorReason | undefined;
  readonly retryable?: boolean | undefined;
}

/** The listing's lifecycle as the store knows it. */
export interface ListingStatus {
  readonly adId: string;
  readonly marketplace: string;
  readonly state: ListingState;
  readonly ref?: ListingRef | undefined;
  readonly updatedAt: number;
}

export interface PublishResult {
  readonly adId: string;
  readonly outcomes: ReadonlyArray<ListingOutcome>;
}

/** Whether a listing has nothing left to wait for. */
export const isSettled = (status: { readonly state: ListingState }): boolean =>
  status.state.operation?.status !== "pending" || status.state.operation.requestId === undefined;
