import type { FakeResponse } from "../http/fake-request.ts";
import { queryAds, queryLog } from "../pro-import/ad-queries.ts";
import { ok } from "../pro-import/responses.ts";
import { adToWire } from "./ad-json.ts";
import { findAd } from "./call-helpers.ts";
import type { TraderaCall } from "./context.ts";
import { TRADERA_AD_QUERY, TRADERA_LOG_QUERY } from "./list-filters.ts";
import { dealerForbidden, fieldErrors, notFound } from "./responses.ts";

/** GET /pro-import-api/v3/ad/{source_id}/log: the ad's log, filtered and paginated. */
export function getAdLog(call: TraderaCall, sourceId: string): FakeResponse {
  const record = findAd(call, sourceId);
  if (record === undefined) return notFound();
  const result = queryLog(record.log, call.request, TRADERA_LOG_QUERY, "T");
  return result.ok ? ok(result.page) : fieldErrors(result.errors);
}

/** GET /pro-import-api/v3/ad/{source_id}: the ad with its whole log. */
export function getAd(call: TraderaCall, sourceId: string): FakeResponse {
  const record = findAd(call, sourceId);
  return record === undefined ? notFound() : ok(adToWire(record));
}

/**
 * GET /pro-import-api/v3/ad: "all ads belonging to your dealer code(s)", each as GET answers it
 * (the guide's list example elides the fields after title). A dealer_code filter naming a
 * dealer the token may not use is refused like a write for it (403), rather than answered empty.
 */
export function listAds(call: TraderaCall): FakeResponse {
  const { context, request, dealerCodes } = call;
  const dealerCode = request.query.dealer_code;
  if (dealerCode !== undefined && !dealerCodes.has(dealerCode)) {
    return dealerForbidden(dealerCode, dealerCodes);
  }
  const result = queryAds(context.store, dealerCodes, request.url, request.query, TRADERA_AD_QUERY);
  if (!result.ok) return fieldErrors(result.errors);
  return ok({ ...result.page, results: result.page.results.map(adToWire) });
}
