import { Schema } from "effect";
import { Issue } from "./model/issue.ts";

/**
 * Why an operation failed. Retryability is decided here, in one place.
 */
export const ErrorReason = Schema.Literal(
  /** The connection failed or was dropped before an answer arrived. */
  "Transport",
  /** No complete answer (headers and body) within the timeout. */
  "Timeout",
  /** 429: the marketplace asked us to slow down. */
  "RateLimited",
  /** 5xx: the marketplace could not serve the request. */
  "Unavailable",
  /** 401: credentials missing, wrong or expired. */
  "Unauthorized",
  /** 403: the credentials do not cover this resource (e.g. another dealer's code). */
  "Forbidden",
  /** The listing does not exist on the marketplace. */
  "NotFound",
  /** The marketplace refused because of the listing's current state. */
  "Conflict",
  /** The marketplace rejected the ad's content: see `issues`. */
  "Rejected",
  /** The ad failed local validation: see `issues`. No request was sent. */
  "Invalid",
  /** An answer we could not understand. */
  "InvalidResponse",
  /** The marketplace does not offer this operation. */
  "Unsupported",
  /** The store could not read or write. */
  "Store",
  /** The adapter's configuration is missing or wrong. */
  "Configuration",
  /**
   * Not sent: the circuit breaker of the marketplace (repeated 5xx/timeouts) or of the dealer's
   * credentials (repeated 401/403) is open. Retryable: the operation resumes once it closes.
   */
  "CircuitOpen",
);
export type ErrorReason = typeof ErrorReason.Type;

const retryableReasons: ReadonlySet<ErrorReason> = new Set([
  "Transport",
  "Timeout",
  "RateLimited",
  "Unavailable",
  "CircuitOpen",
]);

/**
 * The one error type of adsync. It never carries secrets: messages are built from method,
 * path, status and the marketplace's own error text, never from request headers.
 */
export class AdsyncError extends Schema.TaggedError<AdsyncError>()("AdsyncError", {
  reason: ErrorReason,
  message: Schema.String,
  marketplace: Schema.optional(Schema.String),
  /** What was being done, e.g. "create", "GET /v4/ad/{source_id}". */
  operation: Schema.optional(Schema.String),
  status: Schema.optional(Schema.Number),
  /** Seconds the marketplace asked us to wait (429/503 Retry-After). */
  retryAfterSeconds: Schema.optional(Schema.Number),
  issues: Schema.optionalWith(Schema.Array(Issue), { default: () => [] }),
  /**
   * Set when the request certainly never reached the marketplace (the connection was refused):
   * sending it again cannot create a duplicate.
   */
  unapplied: Schema.optional(Schema.Boolean),
}) {
  /** Whether trying the same request again later can succeed. */
  get isRetryable(): boolean {
    return retryableReasons.has(this.reason);
  }
}

export const isRetryable = (error: AdsyncError): boolean => error.isRetryable;

/**
 * Whether the marketplace certainly did not apply the request that failed so, so sending it
 * again cannot apply it twice (`retry: "unapplied"`):
 * - 429 `RateLimited`: the marketplace refused to serve it.
 * - a refused connection (`unapplied`): it was never sent.
 * Not a timeout, a reset connection or a 5xx: the request may have been read and applied
 * before the answer was lost. Not even a 503: most come from a gateway before the application,
 * but nothing in RFC 9110 promises that a 503 was not processed, and an application server
 * behind the gateway may answer 503 after a write. The caller reconciles those instead.
 */
export const certainlyUnapplied = (error: AdsyncError): boolean =>
  error.reason === "RateLimited" || error.unapplied === true;
