import {
  adOrdering,
  commonAdFilters,
  commonLogFilters,
  LOG_ORDERING,
  type QueryDialect,
} from "../pro-import/ad-queries.ts";
import { LOG_ACTIONS, type LogEntry } from "../pro-import/ad-record.ts";
import type { PageLimits } from "../pro-import/pagination.ts";
import {
  containsFilter,
  exactFilter,
  type FilterSet,
  type TimeLookup,
  timeFilters,
} from "../pro-import/query-filters.ts";
import type { TraderaAdRecord } from "./ad-record.ts";

// "limit - Number of results per page (max 50, default 50)", on the list and on the log.
const PAGE_LIMITS: PageLimits = { defaultLimit: 50, maxLimit: 50 };

// "created - Filter by exact creation date", "created__gt", "__gte", "__lt", "__lte".
const TIME_LOOKUPS: ReadonlyArray<TimeLookup> = ["exact", "gt", "gte", "lt", "lte"];

const AD_FILTERS: FilterSet<TraderaAdRecord> = [
  // Every Tradera ad is a car or transport vehicle, so every ad has a registration number field.
  ...commonAdFilters<TraderaAdRecord>({ timeLookups: TIME_LOOKUPS, hasRegistration: () => true }),
  ["source_id__icontains", containsFilter((record) => [record.sourceId])],
];

const LOG_FILTERS: FilterSet<LogEntry> = [
  ...commonLogFilters(LOG_ACTIONS),
  ["request_id", exactFilter((entry) => entry.requestId)],
  ...timeFilters("created", (entry: LogEntry) => entry.createdAt, TIME_LOOKUPS),
];

/**
 * GET /pro-import-api/v3/ad and its "Query Parameters". "ordering - Order results (specify
 * field name)" names no fields: the fake orders by created, updated and source_id.
 */
export const TRADERA_AD_QUERY: QueryDialect<TraderaAdRecord> = {
  filters: AD_FILTERS,
  ordering: adOrdering<TraderaAdRecord>({ source_id: (record) => record.sourceId }),
  limits: PAGE_LIMITS,
};

/** GET /pro-import-api/v3/ad/{source_id}/log: action, state, request_id and created filters. */
export const TRADERA_LOG_QUERY: QueryDialect<LogEntry> = {
  filters: LOG_FILTERS,
  ordering: LOG_ORDERING,
  limits: PAGE_LIMITS,
};
