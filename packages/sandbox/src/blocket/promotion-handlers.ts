import type { FakeResponse } from "../http/fake-request.ts";
import { booleanParameterErrors, parseBooleanParameter } from "../pro-import/request-input.ts";
import { ok } from "../pro-import/responses.ts";
import { adToWire } from "./ad-json.ts";
import { findAd, isLive } from "./call-helpers.ts";
import type { BlocketCall } from "./context.ts";
import { badRequest, detail, notFound } from "./responses.ts";
import { startBump, startPolePosition } from "./workflows.ts";

// "Pole position lasts for 3 days."
const POLE_POSITION_MS = 3 * 24 * 60 * 60 * 1000;

/**
 * GET /vN/ad/{source_id}/bump: "make the ad appear as new again". For registered vehicles
 * exclude_blocket=true or exclude_bytbil=true renews on one marketplace only.
 */
export function bumpAd(call: BlocketCall, sourceId: string): FakeResponse {
  const record = findAd(call, sourceId);
  if (record === undefined) return notFound();
  const query = call.request.query;
  const errors = booleanParameterErrors(query, ["exclude_blocket", "exclude_bytbil"]);
  if (errors !== undefined) return badRequest(errors);
  if (
    parseBooleanParameter(query.exclude_blocket) === true &&
    parseBooleanParameter(query.exclude_bytbil) === true
  ) {
    return detail(400, "exclude_blocket and exclude_bytbil cannot both be true.");
  }
  if (!isLive(record)) return detail(400, "Only published ads can be bumped.");
  const now = call.context.now();
  if (record.poleUntil !== undefined && record.poleUntil > now) {
    return detail(400, "Currently, ads on pole position cannot be bumped/renewed");
  }
  record.updatedAt = now;
  startBump(call.context, record);
  return ok(adToWire(record, { includeLog: true }));
}

/** GET /vN/ad/{source_id}/pole_position: first in search results for 3 days. */
export function setPolePosition(call: BlocketCall, sourceId: string): FakeResponse {
  const record = findAd(call, sourceId);
  if (record === undefined) return notFound();
  if (!isLive(record)) return detail(400, "Only published ads can be given pole position.");
  const now = call.context.now();
  // Recorded at once, so that a bump right after is refused even while this is processing.
  record.poleUntil = now + POLE_POSITION_MS;
  record.updatedAt = now;
  startPolePosition(call.context, record);
  return ok(adToWire(record, { includeLog: true }));
}
