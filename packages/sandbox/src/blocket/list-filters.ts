import {
  adOrdering,
  categoryField,
  commonAdFilters,
  commonLogFilters,
  LOG_ORDERING,
  type QueryDialect,
} from "../pro-import/ad-queries.ts";
import type { LogEntry } from "../pro-import/ad-record.ts";
import type { PageLimits } from "../pro-import/pagination.ts";
import { containsFilter, exactFilter } from "../pro-import/query-filters.ts";
import { BLOCKET_LOG_ACTIONS, type BlocketAdRecord } from "./ad-record.ts";
import { isRegisteredVehicleAd } from "./categories.ts";

// The docs give no default or maximum page size; these are the fake's choice.
const PAGE_LIMITS: PageLimits = { defaultLimit: 100, maxLimit: 1000 };

/**
 * GET /vN/ad ("List ads" in the V3 doc): the shared filters with created/updated __gt and __lt
 * only, plus Blocket's search and blocket_store_id; ordering "-created", "created", "updated",
 * "-updated".
 */
export const BLOCKET_AD_QUERY: QueryDialect<BlocketAdRecord> = {
  filters: [
    ...commonAdFilters<BlocketAdRecord>({
      timeLookups: ["gt", "lt"],
      hasRegistration: (record) => isRegisteredVehicleAd(record.content.categoryId, record.version),
    }),
    ["search", containsFilter(searchableText)],
    ["blocket_store_id", exactFilter((record) => record.blocketStoreId)],
  ],
  ordering: adOrdering(),
  limits: PAGE_LIMITS,
};

/** GET /vN/ad/{source_id}/log: action and state filters, ordering "created" or "-created". */
export const BLOCKET_LOG_QUERY: QueryDialect<LogEntry> = {
  filters: commonLogFilters(BLOCKET_LOG_ACTIONS),
  ordering: LOG_ORDERING,
  limits: PAGE_LIMITS,
};

/** The text "search" looks in; the docs only say "Freetext search". */
function searchableText(record: BlocketAdRecord): ReadonlyArray<string> {
  const texts = [record.sourceId];
  for (const field of ["title", "body"]) {
    const value = record.content.fields[field];
    if (typeof value === "string") texts.push(value);
  }
  for (const field of ["brand", "model", "registration_number"]) {
    const value = categoryField(record, field);
    if (value !== undefined) texts.push(value);
  }
  return texts;
}
