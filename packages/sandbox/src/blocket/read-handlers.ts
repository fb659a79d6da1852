import type { FakeResponse } from "../http/fake-request.ts";
import { adToWire, logEntryToWire } from "./ad-json.ts";
import { LOG_ACTIONS, LOG_STATES, type LogEntry } from "./ad-record.ts";
import { findAd } from "./call-helpers.ts";
import type { BlocketCall } from "./context.ts";
import { orderAds, parseListFilters } from "./list-filters.ts";
import { paginate } from "./pagination.ts";
import { badRequest, notFound, ok } from "./responses.ts";
import { errorTree, messages } from "./validation/errors.ts";
import { isOneOf } from "./validation/fields.ts";

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
  const query = call.request.query;
  const filters = parseListFilters(query);
  if (!filters.ok) return badRequest(filters.errors);
  const visible = call.context.store
    .all()
    .filter((record) => call.grant.dealerCodes.has(record.dealerCode) && filters.matches(record));
  const page = paginate(orderAds(visible, query.ordering), call.request.url);
  const includeLog = commaList(query.include).includes("log");
  const fields = commaList(query.fields);
  const results = page.results.map((record) => {
    const wire = adToWire(record, { includeLog });
    return fields.length === 0
      ? wire
      : Object.fromEntries(Object.entries(wire).filter(([field]) => fields.includes(field)));
  });
  return ok({ ...page, results });
}

/** GET /vN/ad/{source_id}/log: every log entry, filtered by action and state, paginated. */
export function getAdLog(call: BlocketCall, sourceId: string): FakeResponse {
  const record = findAd(call, sourceId);
  if (record === undefined) return notFound();
  const { action, state, ordering } = call.request.query;
  const errors = errorTree([
    [
      "action",
      action !== undefined && !isOneOf(LOG_ACTIONS, action)
        ? [messages.invalidFilterChoice(action)]
        : undefined,
    ],
    [
      "state",
      state !== undefined && !isOneOf(LOG_STATES, state)
        ? [messages.invalidFilterChoice(state)]
        : undefined,
    ],
  ]);
  if (errors !== undefined) return badRequest(errors);
  const entries = record.log.filter(
    (entry) =>
      (action === undefined || entry.action === action) &&
      (state === undefined || entry.state === state),
  );
  const page = paginate(orderLog(entries, ordering), call.request.url);
  return ok({ ...page, results: page.results.map(logEntryToWire) });
}

/** ordering: "created" (the fake's default, oldest first) or "-created". */
function orderLog(entries: ReadonlyArray<LogEntry>, ordering: string | undefined): LogEntry[] {
  const descending = ordering?.trim() === "-created";
  return [...entries].sort((left, right) => {
    const order = left.createdAt - right.createdAt || left.sequence - right.sequence;
    return descending ? -order : order;
  });
}

function commaList(value: string | undefined): ReadonlyArray<string> {
  if (value === undefined) return [];
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}
