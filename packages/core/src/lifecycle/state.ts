import { Schema } from "effect";
import { Issue } from "../model/issue.ts";

/** Where the listing is on the marketplace, whatever words the marketplace uses for it. */
export const Presence = Schema.Literal("absent", "draft", "pending", "live", "hidden", "removed");
export type Presence = typeof Presence.Type;

export const OperationKind = Schema.Literal(
  "create",
  "update",
  "hide",
  "show",
  "renew",
  "promote",
  "remove",
);
export type OperationKind = typeof OperationKind.Type;

export const OperationStatus = Schema.Literal(
  "pending",
  "succeeded",
  "succeeded_with_warnings",
  "failed",
);
export type OperationStatus = typeof OperationStatus.Type;

export const isTerminal = (status: OperationStatus): boolean => status !== "pending";

/**
 * The last operation adsync started on a listing. An operation is identified by our own id
 * (written to the store before the request) and, once the marketplace accepted it, by the
 * marketplace's handle for it (`requestId`: a Pro Import request_id, an Allegro command id).
 */
export const Operation = Schema.Struct({
  id: Schema.String,
  kind: OperationKind,
  status: OperationStatus,
  requestId: Schema.optional(Schema.String),
  startedAt: Schema.Number,
  settledAt: Schema.optional(Schema.Number),
  /** Why it failed; non-empty exactly when `status` is "failed". */
  issues: Schema.Array(Issue),
  /** What the marketplace could not honour although the operation succeeded. */
  warnings: Schema.Array(Issue),
  /** The presence when the operation started: where a failed operation leaves the listing. */
  presenceBefore: Presence,
});
export type Operation = typeof Operation.Type;

/**
 * The lifecycle of one ad on one marketplace: presence and last operation are separate, so an
 * update that fails leaves a live listing live. `raw` keeps the marketplace's own status beside
 * the normalized one; `notes` carries facts that are neither (e.g. "enrichment pending").
 */
export const ListingState = Schema.Struct({
  presence: Presence,
  operation: Schema.optional(Operation),
  /**
   * What the marketplace said of the listing when it was last observed, beside our operation's
   * outcome: `issues` (rejected after acceptance) and `warnings` (an image that failed to
   * download). Set by a `Seen` observation that carries them; absent when there are none.
   */
  seen: Schema.optional(
    Schema.Struct({ issues: Schema.Array(Issue), warnings: Schema.Array(Issue) }),
  ),
  raw: Schema.optional(Schema.Unknown),
  notes: Schema.Array(Schema.String),
});
export type ListingState = typeof ListingState.Type;

export const initialState: ListingState = { presence: "absent", notes: [] };

/** What the marketplace says with an observation: its findings, notes and own words, and when. */
const marketplaceReport = {
  issues: Schema.optional(Schema.Array(Issue)),
  warnings: Schema.optional(Schema.Array(Issue)),
  notes: Schema.optional(Schema.Array(Schema.String)),
  raw: Schema.optional(Schema.Unknown),
  at: Schema.Number,
};

/** Where one of our operations stands, as the marketplace reported it (`Accepted`, `Progress`). */
const operationReport = {
  status: OperationStatus,
  presence: Schema.optional(Presence),
  ...marketplaceReport,
};

/**
 * Something learned about a listing. The reducer turns a sequence of these into a state.
 *
 * - `Started`: we are about to send a request (written before the request, so a crash
 *   between request and answer is visible as an unsettled operation).
 * - `Accepted`: the marketplace acknowledged the request, possibly already settling it
 *   (synchronous marketplaces) — a status of "pending" means the work goes on asynchronously.
 * - `Rejected`: the request failed (validation, HTTP error): the operation failed.
 * - `Progress`: an observation of an asynchronous operation (logs, tasks, offer status).
 * - `Seen`: the listing's presence observed with no operation of ours involved, with what the
 *   marketplace says of it (`issues`, `warnings`: kept in the state's `seen`; absent keeps the
 *   last ones, empty clears them) and whether it holds other content than we sent (`drift`).
 */
export const Observation = Schema.Union(
  Schema.TaggedStruct("Started", {
    operationId: Schema.String,
    kind: OperationKind,
    at: Schema.Number,
  }),
  Schema.TaggedStruct("Accepted", {
    operationId: Schema.String,
    requestId: Schema.optional(Schema.String),
    ...operationReport,
  }),
  Schema.TaggedStruct("Rejected", {
    operationId: Schema.String,
    issues: Schema.Array(Issue),
    at: Schema.Number,
  }),
  Schema.TaggedStruct("Progress", { operationId: Schema.String, ...operationReport }),
  Schema.TaggedStruct("Seen", {
    presence: Presence,
    /** The marketplace holds other content than the last payload adsync confirmed. */
    drift: Schema.optional(Schema.Boolean),
    ...marketplaceReport,
  }),
);
export type Observation = typeof Observation.Type;
