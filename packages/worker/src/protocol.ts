import { AdsyncError } from "@adsync/core";
import { ClusterSchema, Entity } from "@effect/cluster";
import { Rpc } from "@effect/rpc";
import { Workflow } from "@effect/workflow";
import { Schema } from "effect";

/*
 * What runners and clients share: the work items, the entity per (dealer, marketplace) with its
 * two persisted messages, and the durable workflow each operation runs as.
 */

const Common = {
  dealer: Schema.NonEmptyString,
  marketplace: Schema.NonEmptyString,
  /**
   * The DMS's id of this operation: a second submit with the same id (for the same dealer and
   * marketplace) is the same operation, stored and run once.
   */
  operationId: Schema.NonEmptyString,
};

/** Publish (create or update) an ad: `ad` is a `VehicleAd` as JSON, decoded by the worker. */
export const PublishItem = Schema.Struct({
  ...Common,
  kind: Schema.Literal("publish"),
  ad: Schema.Unknown,
});

/** Remove the dealer's listing of `adId` from the marketplace. */
export const RemoveItem = Schema.Struct({
  ...Common,
  kind: Schema.Literal("remove"),
  adId: Schema.NonEmptyString,
});

export const WorkItem = Schema.Union(PublishItem, RemoveItem);
export type WorkItem = typeof WorkItem.Type;

/** How an operation ended for its listing (the full story is in the store's event feed). */
export const OperationSummary = Schema.Struct({
  adId: Schema.String,
  marketplace: Schema.String,
  result: Schema.Literal("accepted", "unchanged", "invalid", "failed"),
  reason: Schema.optional(Schema.String),
  retryable: Schema.optional(Schema.Boolean),
});
export type OperationSummary = typeof OperationSummary.Type;

/**
 * The entity id of a (dealer, marketplace) pair: both parts URL-encoded, so a `/` in a dealer id
 * cannot make two pairs share an id.
 */
export const pairId = (dealer: string, marketplace: string): string =>
  `${encodeURIComponent(dealer)}/${encodeURIComponent(marketplace)}`;

/**
 * One operation, durable: a workflow whose execution id comes from the pair and the operation
 * id, so a message handled twice (entity messages are at-least-once) re-attaches to the same
 * execution instead of starting another.
 */
export const OperationWorkflow = Workflow.make({
  name: "AdsyncOperation",
  payload: {
    ...Common,
    kind: Schema.Literal("publish", "remove"),
    /** The ad (publish). */
    ad: Schema.optional(Schema.Unknown),
    /** The ad id (remove). */
    adId: Schema.optional(Schema.String),
    /**
     * What makes the execution's shard its pair entity's (`placementOf`): the execution, and so
     * its activity, runs on the runner that holds the pair. Absent: wherever its id hashes to.
     */
    placement: Schema.optional(Schema.Number),
  },
  success: OperationSummary,
  error: AdsyncError,
  idempotencyKey: (payload) => operationKey(payload, payload.placement),
});

/** The workflow's idempotency key of an operation, with its placement when it has one. */
export const operationKey = (
  payload: { readonly dealer: string; readonly marketplace: string; readonly operationId: string },
  placement: number | undefined,
): string =>
  `${pairId(payload.dealer, payload.marketplace)}/${payload.operationId}${placement === undefined ? "" : `#${placement}`}`;

export const Publish = Rpc.make("Publish", {
  payload: PublishItem.fields,
  success: OperationSummary,
  error: AdsyncError,
  // The message's key in `cluster_messages` (per entity): a resubmitted operation is stored once.
  primaryKey: (payload) => payload.operationId,
}).annotate(ClusterSchema.Persisted, true);

export const Remove = Rpc.make("Remove", {
  payload: RemoveItem.fields,
  success: OperationSummary,
  error: AdsyncError,
  primaryKey: (payload) => payload.operationId,
}).annotate(ClusterSchema.Persisted, true);

/** One entity per (dealer, marketplace): its operations run one at a time (the pair's lock). */
export const Listings = Entity.make("AdsyncListings", [Publish, Remove]);
