import { AdsyncError } from "@adsync/core";
import { BLOCKET } from "./config.ts";

/**
 * Blocket's error rules on top of the kit's (`@adsync/pro-import`'s status→reason table and
 * error bodies): which refusals mean what for Blocket.
 */

/**
 * A create refused because the source_id exists (the first try landed). V4: "409 Conflict -
 * Duplicate source_id: {"source_id": ["Ad with this source_id already exists."]}"; V3 answers
 * the same body with 400.
 */
export const isDuplicate = (error: AdsyncError): boolean =>
  error.reason === "Conflict" ||
  (error.status === 400 &&
    error.issues.some((entry) => entry.path === "id" && entry.code === "conflict"));

/**
 * A refusal of an update that may be V4's block of a V3 ad. The compatibility table says only
 * "PUT / PATCH … ❌ Blocked — use /migrate endpoint", with no status code or body, so any
 * refusal of the ad's content or state (not credentials, not a missing ad, not a transient
 * failure) is taken as possibly that block.
 */
export const mayBeV3Block = (error: AdsyncError): boolean =>
  error.reason === "Rejected" || error.reason === "Conflict";

/**
 * The update and the migration after it were both refused: the update fails with both
 * answers' issues (a real V4 ad with bad content says why in the first, a V3 ad in the
 * second) — a refused write is never a success.
 */
export const migrationRefused = (rejection: AdsyncError, refused: AdsyncError): AdsyncError =>
  new AdsyncError({
    reason: refused.reason === "NotFound" ? rejection.reason : refused.reason,
    marketplace: BLOCKET,
    operation: "update",
    status: refused.status ?? rejection.status,
    message: `Blocket refused the update (${rejection.message}) and the migration to V4 (${refused.message}).`,
    issues: [...rejection.issues, ...refused.issues],
  });

/**
 * The V4-only categories are "only available as simple ads" through V3, whose validate is the
 * only one documented: their V4 body cannot be checked there, so nothing is sent.
 */
export const validationUnsupported = (categoryId: number): AdsyncError =>
  new AdsyncError({
    reason: "Unsupported",
    marketplace: BLOCKET,
    operation: "validate",
    message: `Blocket documents validation only for V3 (POST /v3/ad/validate), which takes category ${categoryId} only as a simple ad; the V4 ad was validated locally only.`,
  });

/** A validation refusal with findings: they are the answer, not a failure. */
export const isValidationFinding = (error: AdsyncError): boolean =>
  error.reason === "Rejected" && error.issues.length > 0;
