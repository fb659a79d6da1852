import type { InspectedListing, Listing } from "../adapter/adapter.ts";
import type { AdsyncError, ErrorReason } from "../errors.ts";
import { initialState, type OperationKind, type OperationStatus } from "../lifecycle/state.ts";
import { type Issue, type IssueCode, issue } from "../model/issue.ts";
import { jsonEqual } from "../model/json.ts";
import type { ListingRecord } from "../store/store.ts";
import type { ListingOutcome, ListingStatus } from "./outcome.ts";

/**
 * The publisher's rules about one listing, pure: when a listing counts as existing, what an
 * adapter is handed, where a payload goes once an operation's status is known, how errors
 * become issues.
 */

export const codeOfReason = (reason: ErrorReason): IssueCode => {
  switch (reason) {
    case "NotFound":
      return "not_found";
    case "Unauthorized":
      return "unauthorized";
    case "Forbidden":
      return "forbidden";
    case "Conflict":
      return "conflict";
    case "Unsupported":
      return "unsupported";
    case "Invalid":
    case "Rejected":
      return "invalid_value";
    case "Transport":
    case "Timeout":
    case "RateLimited":
    case "Unavailable":
    case "InvalidResponse":
    case "Store":
    case "Configuration":
    case "CircuitOpen":
      return "remote_error";
  }
};

/** The issues an error carries, or one that describes it. */
export const issuesOf = (error: AdsyncError): ReadonlyArray<Issue> =>
  error.issues.length > 0
    ? error.issues
    : [issue("", codeOfReason(error.reason), error.message, marketplaceOf(error))];

export const marketplaceOf = (error: AdsyncError) =>
  error.marketplace === undefined ? undefined : { marketplace: error.marketplace };

export const withMarketplace = (
  issues: ReadonlyArray<Issue>,
  marketplace: string,
): ReadonlyArray<Issue> =>
  issues.map((entry) => (entry.marketplace === undefined ? { ...entry, marketplace } : entry));

/**
 * The marketplace holds (or may still hold) this listing: adsync knows how to find it and has
 * not seen it removed. A listing whose presence is `absent` but which has a ref (its create
 * failed after the marketplace accepted it, or a pending create was superseded) is treated as
 * existing: updates and removals go to it rather than pretending it is gone.
 *
 * A create whose outcome is unknown (`createOutcomeUnknown`) is not: a ref it still carries is
 * the one of a listing removed before it (a republish), and the listing the create may have
 * made is found by the dealer's ad id (`find`, or the adapter's resumed create), never by it.
 */
export const hasRemoteListing = (
  record: ListingRecord | undefined,
): record is ListingRecord & { ref: NonNullable<ListingRecord["ref"]> } =>
  record?.ref !== undefined && record.state.presence !== "removed" && !createOutcomeUnknown(record);

/** What publishing a prepared payload does to a listing. */
export type PublishAction = "create" | "update" | "unchanged";

/**
 * The one decision `publish`, `sync` and `plan` share. Without a listing on the marketplace (or
 * a removed one, or a create whose outcome is unknown) it is a create: the adapter reconciles
 * through the dealer's ad id. A listing whose last sent payload equals this one is unchanged,
 * unless its operation failed, was interrupted (pending with no requestId) or is a removal
 * (a pending removal is not undone by doing nothing), or content an unanswered attempt sent
 * is still unconfirmed (`unconfirmedSince`). Anything else is an update.
 */
export const publishAction = (
  existing: ListingRecord | undefined,
  payload: unknown,
): PublishAction => {
  if (!hasRemoteListing(existing)) return "create";
  const operation = existing.state.operation;
  const interrupted = operation?.status === "pending" && operation.requestId === undefined;
  const unchanged =
    !interrupted &&
    operation?.status !== "failed" &&
    operation?.kind !== "remove" &&
    // Content an unanswered attempt sent may have landed since, or the marketplace was seen
    // holding other content: send a full update.
    !contentInDoubt(existing) &&
    jsonEqual(sentPayload(existing), payload);
  return unchanged ? "unchanged" : "update";
};

/**
 * A create the marketplace is still processing: an update first reads its progress and is
 * not sent while it goes on (superseding it would lose track of the create).
 */
export const createInProgress = (record: ListingRecord): boolean => {
  const operation = record.state.operation;
  return (
    operation?.kind === "create" &&
    operation.status === "pending" &&
    operation.requestId !== undefined
  );
};

/**
 * The marketplace holds or may hold a listing for this record: one adsync knows how to find
 * (`hasRemoteListing`) or one a create of unknown outcome may have made (found by the dealer's
 * ad id). `removeMissing` must not skip the latter: the stock no longer has the ad, and the
 * create may have landed.
 */
export const mayHoldListing = (record: ListingRecord | undefined): record is ListingRecord =>
  hasRemoteListing(record) || (record !== undefined && createOutcomeUnknown(record));

/** The listings `removeMissing` removes: on a target (or maybe), of an ad not in the inventory. */
export const missingListings = (
  records: ReadonlyArray<ListingRecord>,
  seen: ReadonlySet<string>,
  to: ReadonlyArray<string> | undefined,
) =>
  records
    .filter(mayHoldListing)
    .filter((record) => !seen.has(record.adId))
    .filter((record) => to === undefined || to.includes(record.marketplace));

/**
 * A create whose outcome adsync never learned (its answer was lost, or the process stopped):
 * read from the create itself, not from the ref — a listing removed and published again keeps
 * the removed listing's ref. It is a create of a listing that was not there (`presenceBefore`
 * absent or removed) that the marketplace never gave a handle (`requestId`), pending (interrupted)
 * or failed (its answer may have been lost), and that nothing has since seen on the marketplace
 * (a lookup that found it makes the presence live).
 */
export const createOutcomeUnknown = (
  record: ListingRecord | undefined,
): record is ListingRecord => {
  const operation = record?.state.operation;
  return (
    operation !== undefined &&
    operation.kind === "create" &&
    operation.requestId === undefined &&
    (operation.presenceBefore === "absent" || operation.presenceBefore === "removed") &&
    (operation.status === "pending" || operation.status === "failed") &&
    (record?.state.presence === "pending" ||
      record?.state.presence === "absent" ||
      record?.state.presence === "removed")
  );
};

export const toStatus = (record: ListingRecord): ListingStatus => ({
  adId: record.adId,
  marketplace: record.marketplace,
  state: record.state,
  ref: record.ref,
  updatedAt: record.updatedAt,
});

/**
 * The listing as an adapter works on it. Its payload is the confirmed one: an update diffs
 * against what the marketplace is known to hold (a pending update may still fail), and a
 * follow-up operation never confirms a pending update's content.
 */
export const toListing = (
  record: ListingRecord & { ref: NonNullable<ListingRecord["ref"]> },
): Listing => ({
  ref: record.ref,
  payload: record.payload,
  requestId: record.state.operation?.requestId,
});

/**
 * The listing an update starts from. While the marketplace's content is in doubt
 * (`contentInDoubt`: an unanswered attempt may have landed, or drift was seen), it is not known: no base payload is
 * handed over, so the adapter sends (or reads and sends) the whole content, not a diff.
 */
export const toUpdateBase = (
  record: ListingRecord & { ref: NonNullable<ListingRecord["ref"]> },
): Listing => {
  const listing = toListing(record);
  return contentInDoubt(record) ? { ...listing, payload: undefined } : listing;
};

/**
 * Whether what the marketplace holds is not known to be `payload`: content sent by an unanswered
 * attempt may have landed (`unconfirmedSince`), or an observation saw other content there
 * (`driftSince`, edited outside adsync). Publishing then sends the whole content.
 */
export const contentInDoubt = (record: ListingRecord): boolean =>
  record.unconfirmedSince !== undefined || record.driftSince !== undefined;

/**
 * A removal whose outcome adsync does not know: still pending, interrupted before its answer,
 * or failed (its answer may have been lost after the marketplace deleted the ad).
 */
export const removalUnsettled = (record: ListingRecord | undefined): boolean => {
  const operation = record?.state.operation;
  return (
    operation?.kind === "remove" &&
    (operation.status === "pending" || operation.status === "failed")
  );
};

/**
 * The answer to a publish (or a removal, hide, …: `kind`) that met a create or a removal the
 * marketplace is still processing (read once just before, by its handle): nothing is sent,
 * and trying again once it settled is retryable. An operation with no handle is not known to
 * be processing (interrupted before its answer, or answered without one): it is not waited
 * for — that would answer the same Conflict for good, since nothing can read it.
 */
export const stillProcessing = (
  record: ListingRecord,
  kind: OperationKind = "update",
): ListingOutcome | undefined => {
  const operation = record.state.operation;
  if (operation?.status !== "pending" || operation.requestId === undefined) return undefined;
  if (operation.kind !== "create" && operation.kind !== "remove") return undefined;
  const processing = operation.kind === "create" ? "creation" : "removal";
  const again = kind === "update" ? "publish the change" : `${kind} it`;
  return conflictOutcome(
    record,
    kind,
    `${record.marketplace} is still processing this listing's ${processing}; ${again} again once it has settled.`,
  );
};

/** A retryable `Conflict` outcome for a listing: nothing was sent, trying again later may work. */
export const conflictOutcome = (
  record: ListingRecord,
  kind: OperationKind | undefined,
  message: string,
): ListingOutcome => ({
  adId: record.adId,
  marketplace: record.marketplace,
  ...(kind === undefined ? {} : { operation: kind }),
  result: "failed",
  state: record.state,
  ref: record.ref,
  issues: [issue("", "conflict", message, { marketplace: record.marketplace })],
  warnings: [],
  reason: "Conflict",
  retryable: true,
});

export const emptyRecord = (adId: string, marketplace: string): ListingRecord => ({
  adId,
  marketplace,
  state: initialState,
  updatedAt: 0,
});

export const unknownTarget = (adId: string, marketplace: string): ListingOutcome => {
  const issues = [
    issue("", "unsupported", `No adapter is configured for marketplace "${marketplace}".`, {
      marketplace,
    }),
  ];
  return {
    adId,
    marketplace,
    result: "failed",
    state: initialState,
    issues,
    warnings: [],
    reason: "Configuration",
    retryable: false,
  };
};

export const adIdOf = (input: unknown): string | undefined =>
  typeof input === "object" && input !== null && "id" in input && typeof input.id === "string"
    ? input.id
    : undefined;

/** What adsync last sent: the pending operation's payload, else the confirmed one. */
export const sentPayload = (record: ListingRecord): unknown =>
  record.pendingPayload ?? record.payload;

/**
 * Where a payload goes once an operation's status is known: confirmed when it succeeded,
 * kept aside while it is pending, dropped when it failed. Its fingerprint (the input it was
 * prepared from, `fingerprint.ts`) goes with it, so `fingerprint` always describes `payload`;
 * a payload sent without one leaves the listing without a fingerprint.
 */
export const payloadAfter = (
  record: ListingRecord,
  status: OperationStatus,
  sent: unknown,
  sentFingerprint: string | undefined = record.pendingFingerprint,
): Pick<ListingRecord, "payload" | "pendingPayload" | "fingerprint" | "pendingFingerprint"> => {
  switch (status) {
    case "pending":
      return {
        payload: record.payload,
        fingerprint: record.fingerprint,
        pendingPayload: sent,
        pendingFingerprint: sent === undefined ? undefined : sentFingerprint,
      };
    case "succeeded":
    case "succeeded_with_warnings":
      return sent === undefined
        ? {
            payload: record.payload,
            fingerprint: record.fingerprint,
            pendingPayload: undefined,
            pendingFingerprint: undefined,
          }
        : {
            payload: sent,
            fingerprint: sentFingerprint,
            pendingPayload: undefined,
            pendingFingerprint: undefined,
          };
    case "failed":
      return {
        payload: record.payload,
        fingerprint: record.fingerprint,
        pendingPayload: undefined,
        pendingFingerprint: undefined,
      };
  }
};

/** An operation of ours the marketplace is still processing, with its handle. */
export const pendingWithHandle = (record: ListingRecord): boolean =>
  record.state.operation?.status === "pending" && record.state.operation.requestId !== undefined;

/**
 * A listing as `inspect` is handed it: the dealer's ad id, the ref, the last payload sent and,
 * for an operation of ours pending with its handle, that operation's kind and `requestId`.
 */
export const toInspected = (
  record: ListingRecord & { ref: NonNullable<ListingRecord["ref"]> },
): InspectedListing => {
  const pending = pendingWithHandle(record) ? record.state.operation : undefined;
  return {
    adId: record.adId,
    ref: record.ref,
    payload: sentPayload(record),
    requestId: pending?.requestId,
    pending: pending?.kind,
  };
};
