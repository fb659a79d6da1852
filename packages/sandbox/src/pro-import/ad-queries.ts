import type { FakeRequest } from "../http/fake-request.ts";
import { logEntryToWire } from "./ad-json.ts";
import { AD_STATES, type AdRecord, LOG_STATES, type LogEntry } from "./ad-record.ts";
import type { AdStore } from "./ad-store.ts";
import { type Page, type PageLimits, paginate } from "./pagination.ts";
import {
  choiceFilter,
  exactFilter,
  type FilterSet,
  inListFilter,
  type Ordering,
  orderItems,
  parseFilters,
  type TimeLookup,
  timeFilters,
} from "./query-filters.ts";
import type { TimestampSeparator } from "./timestamps.ts";
import type { ErrorTree } from "./validation/errors.ts";
import { isRecord } from "./validation/fields.ts";

/** The filters, ordering and page sizes of one API's list or log endpoint. */
export interface QueryDialect<Item> {
  readonly filters: FilterSet<Item>;
  readonly ordering: Ordering<Item>;
  readonly limits: PageLimits;
}

export type QueryResult<Item> =
  | { readonly ok: true; readonly page: Page<Item> }
  | { readonly ok: false; readonly errors: ErrorTree };

/** Filters, orders and paginates items as the query asks. */
export function queryItems<Item>(
  items: ReadonlyArray<Item>,
  url: URL,
  query: Readonly<Record<string, string>>,
  dialect: QueryDialect<Item>,
): QueryResult<Item> {
  const filters = parseFilters(query, dialect.filters);
  if (!filters.ok) return filters;
  const ordered = orderItems(items.filter(filters.matches), query.ordering, dialect.ordering);
  return { ok: true, page: paginate(ordered, url, dialect.limits) };
}

/** GET .../ad/{source_id}/log of either API: a page of the ad's log entries as JSON. */
export function queryLog(
  log: ReadonlyArray<LogEntry>,
  request: FakeRequest,
  dialect: QueryDialect<LogEntry>,
  separator: TimestampSeparator,
): QueryResult<Record<string, unknown>> {
  const result = queryItems(log, request.url, request.query, dialect);
  if (!result.ok) return result;
  const results = result.page.results.map((entry) => logEntryToWire(entry, separator));
  return { ok: true, page: { ...result.page, results } };
}

/** The ads of these dealers, as the list endpoint (GET /ad) of either API answers them. */
export function queryAds<Ad extends AdRecord>(
  store: AdStore<Ad>,
  dealerCodes: ReadonlySet<string>,
  url: URL,
  query: Readonly<Record<string, string>>,
  dialect: QueryDialect<Ad>,
): QueryResult<Ad> {
  const own = store.all().filter((record) => dealerCodes.has(record.dealerCode));
  return queryItems(own, url, query, dialect);
}

/**
 * The list filters both docs document alike: state, source_id, source_id__in, dealer_code,
 * blocket_ad_id, registration_number ("Only works for registered vehicles", hence
 * `hasRegistration`) and created/updated with the given lookups.
 */
export function commonAdFilters<Ad extends AdRecord>(options: {
  readonly timeLookups: ReadonlyArray<TimeLookup>;
  readonly hasRegistration: (record: Ad) => boolean;
}): FilterSet<Ad> {
  return [
    ["state", choiceFilter(AD_STATES, (record) => record.state)],
    ["source_id", exactFilter((record) => record.sourceId)],
    ["source_id__in", inListFilter((record) => record.sourceId)],
    ["dealer_code", exactFilter((record) => record.dealerCode)],
    ["blocket_ad_id", exactFilter((record) => record.blocketAdId)],
    [
      "registration_number",
      (value) => {
        const wanted = normaliseRegistration(value);
        return (record) => {
          const stored = categoryField(record, "registration_number");
          return (
            options.hasRegistration(record) &&
            stored !== undefined &&
            normaliseRegistration(stored) === wanted
          );
        };
      },
    ],
    ...timeFilters("created", (record: Ad) => record.createdAt, options.timeLookups),
    ...timeFilters("updated", (record: Ad) => record.updatedAt, options.timeLookups),
  ];
}

/** created and updated, newest first by default: the docs name no default, so the fakes choose. */
export function adOrdering<Ad extends AdRecord>(
  extraKeys: Readonly<Record<string, (record: Ad) => number | string>> = {},
): Ordering<Ad> {
  return {
    keys: {
      created: (record: Ad) => record.createdAt,
      updated: (record: Ad) => record.updatedAt,
      ...extraKeys,
    },
    defaultOrdering: "-created",
    sequenceOf: (record) => record.sequence,
  };
}

/** The log filters both docs document: action (among `actions`) and state. */
export function commonLogFilters(actions: ReadonlyArray<string>): FilterSet<LogEntry> {
  return [
    ["action", choiceFilter(actions, (entry) => entry.action)],
    ["state", choiceFilter(LOG_STATES, (entry) => entry.state)],
  ];
}

/** A log in the order it happened unless asked otherwise ("-created"). */
export const LOG_ORDERING: Ordering<LogEntry> = {
  keys: { created: (entry) => entry.createdAt },
  defaultOrdering: "created",
  sequenceOf: (entry) => entry.sequence,
};

/** A string field of the ad's category_fields. */
export function categoryField(record: AdRecord, field: string): string | undefined {
  const categoryFields = record.content.fields.category_fields;
  if (!isRecord(categoryFields)) return undefined;
  const value = categoryFields[field];
  return typeof value === "string" ? value : undefined;
}

function normaliseRegistration(registration: string): string {
  return registration.replace(/\s+/g, "").toUpperCase();
}
