import type { FakeResponse } from "../http/fake-request.ts";
import { booleanParameterErrors } from "../pro-import/request-input.ts";
import { ok } from "../pro-import/responses.ts";
import { formatTimestamp } from "../pro-import/timestamps.ts";
import { DONE, startRequest } from "../pro-import/workflows.ts";
import { adToWire } from "./ad-json.ts";
import { findAd } from "./call-helpers.ts";
import type { TraderaCall } from "./context.ts";
import { fieldErrors, message, notFound } from "./responses.ts";

// "exclude_blocket", "exclude_bytbil", "premium": booleans, "default: false". Excluding both
// still bumps on Tradera itself, so the fake refuses no combination.
const BUMP_FLAGS = ["exclude_blocket", "exclude_bytbil", "premium"];

/**
 * GET /pro-import-api/v3/ad/{source_id}/bump: "Can only bump ads that have been published
 * (have an ItemId)". A deleted ad is refused with a message of the fake's own, in the guide's
 * wording: the guide names no error for it.
 */
export function bumpAd(call: TraderaCall, sourceId: string): FakeResponse {
  const record = findAd(call, sourceId);
  if (record === undefined) return notFound();
  const errors = booleanParameterErrors(call.request.query, BUMP_FLAGS);
  if (errors !== undefined) return fieldErrors(errors);
  if (record.state === "deleted") return message(400, "Cannot bump ad that has been deleted.");
  if (!record.published) return message(400, "Cannot bump ad that has not been published yet.");
  record.updatedAt = call.context.now();
  startRequest(call.context, record, [{ action: "bump", complete: () => DONE }]);
  return ok(adToWire(record));
}

/**
 * GET /pro-import-api/v3/ad/{source_id}/retry: "not supported by Tradera. It will always return
 * an error", as a 200 whose log holds that one entry. Nothing is retried or stored: the entry
 * has no request and is not in the ad's log afterwards.
 */
export function retryAd(call: TraderaCall, sourceId: string): FakeResponse {
  const record = findAd(call, sourceId);
  if (record === undefined) return notFound();
  const retry = {
    action: "retry",
    state: "error",
    created: formatTimestamp(call.context.now(), "T"),
    external_message: "Not supported by Tradera",
    request_id: null,
  };
  return ok({ ...adToWire(record), log: [retry] });
}
