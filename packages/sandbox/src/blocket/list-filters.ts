import { AD_STATES, type AdRecord } from "./ad-record.ts";
import { isRegisteredVehicleAd } from "./categories.ts";
import { formatTimestamp, parseTimestampFilter } from "./timestamps.ts";
import { type ErrorTree, errorTree, messages } from "./validation/errors.ts";
import { isOneOf, isRecord } from "./validation/fields.ts";

type Filter = (record: AdRecord) => boolean;

export type ListFilters =
  | { readonly ok: true; readonly matches: Filter }
  | { readonly ok: false; readonly errors: ErrorTree };

/** The filters of GET /vN/ad ("List ads" in the V3 doc); an absent parameter filters nothing. */
export function parseListFilters(query: Readonly<Record<string, string>>): ListFilters {
  const filters: Filter[] = [];
  const errorEntries: Array<readonly [string, ReadonlyArray<string>]> = [];

  const state = query.state;
  if (state !== undefined) {
    if (isOneOf(AD_STATES, state)) filters.push((record) => record.state === state);
    else errorEntries.push(["state", [messages.invalidFilterChoice(state)]]);
  }
  const exact = (parameter: string, fieldOf: (record: AdRecord) => string | null) => {
    const wanted = query[parameter];
    if (wanted !== undefined) filters.push((record) => fieldOf(record) === wanted);
  };
  exact("source_id", (record) => record.sourceId);
  exact("dealer_code", (record) => record.dealerCode);
  exact("blocket_store_id", (record) => record.blocketStoreId);
  exact("blocket_ad_id", (record) => record.blocketAdId);

  const sourceIds = query.source_id__in;
  if (sourceIds !== undefined) {
    const wanted = new Set(sourceIds.split(",").map((sourceId) => sourceId.trim()));
    filters.push((record) => wanted.has(record.sourceId));
  }
  const search = query.search;
  if (search !== undefined) {
    const needle = search.toLowerCase();
    filters.push((record) =>
      searchableText(record).some((text) => text.toLowerCase().includes(needle)),
    );
  }
  const registrationNumber = query.registration_number;
  if (registrationNumber !== undefined) {
    // "Only works for registered vehicles."
    const wanted = normaliseRegistration(registrationNumber);
    filters.push((record) => {
      const stored = categoryField(record, "registration_number");
      return (
        isRegisteredVehicleAd(record.content.categoryId, record.version) &&
        stored !== undefined &&
        normaliseRegistration(stored) === wanted
      );
    });
  }
  for (const [parameter, timeOf, compare] of TIME_FILTERS) {
    const value = query[parameter];
    if (value === undefined) continue;
    const bound = parseTimestampFilter(value);
    if (bound === undefined) errorEntries.push([parameter, [messages.invalidDateTime]]);
    else filters.push((record) => compare(formatTimestamp(timeOf(record)), bound));
  }

  const errors = errorTree(errorEntries);
  if (errors !== undefined) return { ok: false, errors };
  return { ok: true, matches: (record) => filters.every((filter) => filter(record)) };
}

const after = (time: string, bound: string) => time > bound;
const before = (time: string, bound: string) => time < bound;
const TIME_FILTERS: ReadonlyArray<
  readonly [string, (record: AdRecord) => number, (time: string, bound: string) => boolean]
> = [
  ["created__gt", (record) => record.createdAt, after],
  ["created__lt", (record) => record.createdAt, before],
  ["updated__gt", (record) => record.updatedAt, after],
  ["updated__lt", (record) => record.updatedAt, before],
];

/** The text "search" looks in; the docs only say "Freetext search". */
function searchableText(record: AdRecord): ReadonlyArray<string> {
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

function categoryField(record: AdRecord, field: string): string | undefined {
  const categoryFields = record.content.fields.category_fields;
  if (!isRecord(categoryFields)) return undefined;
  const value = categoryFields[field];
  return typeof value === "string" ? value : undefined;
}

function normaliseRegistration(registration: string): string {
  return registration.replace(/\s+/g, "").toUpperCase();
}

const ORDERING_FIELDS = ["created", "updated"] as const;
type OrderingField = (typeof ORDERING_FIELDS)[number];

/**
 * ordering: "-created", "created", "updated", "-updated", comma separated for several keys;
 * unknown terms are ignored as DRF's OrderingFilter does. The default (newest first) is the
 * fake's choice: the docs name none.
 */
export function orderAds(
  records: ReadonlyArray<AdRecord>,
  ordering: string | undefined,
): AdRecord[] {
  const terms = (ordering ?? "-created")
    .split(",")
    .map((term) => term.trim())
    .flatMap((term) => {
      const descending = term.startsWith("-");
      const field = descending ? term.slice(1) : term;
      return isOneOf(ORDERING_FIELDS, field) ? [{ field, descending }] : [];
    });
  const [first] = terms;
  const tieBreakDescending = first?.descending ?? true;
  return [...records].sort((left, right) => {
    for (const term of terms) {
      const difference = timeOf(left, term.field) - timeOf(right, term.field);
      if (difference !== 0) return term.descending ? -difference : difference;
    }
    const order = left.sequence - right.sequence;
    return tieBreakDescending ? -order : order;
  });
}

function timeOf(record: AdRecord, field: OrderingField): number {
  return field === "created" ? record.createdAt : record.updatedAt;
}
