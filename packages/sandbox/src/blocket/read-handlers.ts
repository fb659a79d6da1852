import type { FakeResponse } from "../http/fake-request.ts";
import { queryAds, queryLog } from "../pro-import/ad-queries.ts";
import { ok } from "../pro-import/responses.ts";
import { adToWire } from "./ad-json.ts";
import { findAd } from "./call-helpers.ts";
import type { BlocketCall } from "./context.ts";
import { BLOCKET_AD_QUERY, BLOCKET_LOG_QUERY } from "./list-filters.ts";
import { badRequest, notFound } from "./responses.ts";

/** GET /vN/ad/{source_id}: the ad with its last 100 log entries. */
export function getAd(call: BlocketCall, sourceId: string): FakeResponse {
  const record = findAd(call, sourceId);
  return record === undefined ? notFound() : ok(adToWire(record, { includeLog: true }));
}

/**
 * GET /vN/ad: the token's ads of both versions ("returns both V3 and V4 ads"), filtered,
 * ordered and paginated; the log only with include=log, and only the given `fields` if any.
 */
export function listAds(call: BlocketCall): FakeResponse {
  const { request, context, grant } = call;
  const result = queryAds(
    context.store,
    grant.dealerCodes,
    request.url,
    request.query,
    BLOCKET_AD_QUERY,
  );
  if (!result.ok) return badRequest(result.errors);
  const includeLog = commaList(request.query.include).includes("log");
  const fields = commaList(request.query.fields);
  const results = result.page.results.map((record) => {
    const wire = adToWire(record, { includeLog });
    return fields.length === 0
      ? wire
      : Object.fromEntries(Object.entries(wire).filter(([field]) => fields.includes(field)));
  });
  return ok({ ...result.page, results });
}

/** GET /vN/ad/{source_id}/log: every log entry, filtered by action and state, paginated. */
export function getAdLog(call: BlocketCall, sourceId: string): FakeResponse {
  const record = findAd(call, sourceId);
  if (record === undefined) return notFound();
  const result = queryLog(record.log, call.request, BLOCKET_LOG_QUERY, " ");
  return result.ok ? ok(result.page) : badRequest(result.errors);
}

function commaList(value: string | undefined): ReadonlyArray<string> {
  if (value === undefined) return [];
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}
