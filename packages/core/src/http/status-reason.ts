import { AdsyncError, type ErrorReason } from "../errors.ts";
import type { Issue, IssueCode } from "../model/issue.ts";
import { codeOfReason } from "../publisher/listing-rules.ts";
import type { HttpResponse } from "./marketplace-http.ts";

/**
 * The one status → reason table of adsync: every adapter's error mapper reads it, so the same
 * status means the same thing on every marketplace.
 *
 * - 400, 422: the marketplace refused the content we sent (`Rejected`, issues say what).
 * - 401 `Unauthorized`, 403 `Forbidden`, 409 `Conflict`, 429 `RateLimited`, 5xx `Unavailable`.
 * - 404 and 410 (gone for good): `NotFound`.
 * - Every other 4xx — 405, 406, 411, 412, 413 and 415 among them — is `Rejected` too. A 413
 *   (payload too large) or 415 (unsupported media type) says *our request* did not suit the
 *   server: it read the request and refused it as sent. That is neither an answer we could not
 *   understand (`InvalidResponse` would send people looking at the marketplace's side) nor
 *   transient (sending it again gets the same answer); `Rejected` with a `remote_error` issue
 *   says "refused as sent, not the dealer's field". Pro Import and Marktplaats used to call
 *   these `InvalidResponse`, Allegro `Rejected`; this table settles it.
 * - Anything else that is not a success (1xx, 3xx): `InvalidResponse`.
 */
export const reasonOfStatus = (status: number): ErrorReason => {
  switch (status) {
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
    case 410:
      return "NotFound";
    case 409:
      return "Conflict";
    case 429:
      return "RateLimited";
    default:
      if (status >= 500) return "Unavailable";
      return status >= 400 && status < 500 ? "Rejected" : "InvalidResponse";
  }
};

/**
 * The issue code for an error body that names no field: the publisher's `codeOfReason`, except
 * that a request refused as sent (`Rejected` with no field) is adsync's to fix, not a value.
 */
export const issueCodeOfReason = (reason: ErrorReason): IssueCode =>
  reason === "Rejected" ? "remote_error" : codeOfReason(reason);

/** Whether a status is a success (2xx). */
export const isSuccessStatus = (status: number): boolean => status >= 200 && status < 300;

/**
 * What only a marketplace's error body says: its words, the issues on canonical paths and,
 * rarely, a reason the status alone does not give (Pro Import's duplicate `source_id`).
 */
export interface ErrorBody {
  /** The marketplace's own text; default: the issues' messages joined, or "no detail". */
  readonly detail?: string | undefined;
  readonly issues?: ReadonlyArray<Issue> | undefined;
  /** Overrides `reasonOfStatus`. */
  readonly reason?: ErrorReason | undefined;
}

/** A marketplace's reading of an error answer; `context` is what the call site knows. */
export type ErrorBodyHook<Context = void> = (response: HttpResponse, context: Context) => ErrorBody;

/**
 * An answer that is not a success as an `AdsyncError`: the reason from `reasonOfStatus` (or
 * the body's override), the message `<marketplace> <operation>: <status> <detail>`.
 */
export const errorOfResponse = (
  marketplace: string,
  operation: string,
  response: HttpResponse,
  body: ErrorBody = {},
): AdsyncError => {
  const issues = body.issues ?? [];
  const detail =
    body.detail ??
    (issues.length > 0 ? issues.map((entry) => entry.message).join("; ") : "no detail");
  return new AdsyncError({
    reason: body.reason ?? reasonOfStatus(response.status),
    marketplace,
    operation,
    status: response.status,
    message: `${marketplace} ${operation}: ${response.status} ${detail}`,
    issues,
  });
};

/** A success whose body does not have the documented shape. */
export const invalidResponseError = (
  marketplace: string,
  operation: string,
  detail: string,
  status?: number,
): AdsyncError =>
  new AdsyncError({
    reason: "InvalidResponse",
    marketplace,
    operation,
    ...(status === undefined ? {} : { status }),
    message: `${marketplace} ${operation}: ${detail}`,
  });
