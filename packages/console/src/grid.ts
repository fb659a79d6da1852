import type { ListingRecord, ListingRef } from "@adsync/core";
import type { GridCell, GridFilters, GridView, OperationStatus, Presence } from "./wire.ts";

/**
 * The listings grid: ads × marketplaces, built from the store's records alone (no request).
 * Pure, so the filters and counts are tested without a server.
 */

/**
 * Patterns of public listing pages per marketplace, e.g.
 * `{ allegro: "https://allegro.pl/oferta/{remoteId}" }`: `{remoteId}` and `{ids.NAME}` are
 * replaced. None is built in: the marketplaces' API docs give no public URL pattern, so a
 * dealer who wants links configures the ones they trust.
 */
export type ListingUrlPatterns = Readonly<Record<string, string>>;

export const listingUrl = (
  pattern: string | undefined,
  ref: ListingRef | undefined,
): string | undefined => {
  if (pattern === undefined || ref === undefined) return undefined;
  let missing = false;
  const url = pattern.replace(/\{(remoteId|ids\.([A-Za-z0-9_]+))\}/g, (_, _whole, idName) => {
    const value = idName === undefined ? ref.remoteId : ref.ids[idName];
    if (value === undefined || value === "") missing = true;
    return encodeURIComponent(value ?? "");
  });
  return missing ? undefined : url;
};

/** A title from the stored payload (the field names of the marketplaces' wire formats). */
export const titleOf = (payload: unknown): string | undefined => {
  if (typeof payload !== "object" || payload === null) return undefined;
  for (const key of ["title", "name", "subject"]) {
    const value: unknown = Reflect.get(payload, key);
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
};

/** A title for an ad of the dealer's stock: its own, else make, model and model year. */
export const titleOfAd = (ad: unknown): string | undefined => {
  const own = titleOf(ad);
  if (own !== undefined || typeof ad !== "object" || ad === null) return own;
  const vehicle: unknown = Reflect.get(ad, "vehicle");
  if (typeof vehicle !== "object" || vehicle === null) return undefined;
  const words = ["make", "model", "modelYear"]
    .map((key): unknown => Reflect.get(vehicle, key))
    .filter((word) => typeof word === "string" || typeof word === "number");
  return words.length > 0 ? words.join(" ") : undefined;
};

export const cellOf = (record: ListingRecord, patterns: ListingUrlPatterns = {}): GridCell => {
  const operation = record.state.operation;
  return {
    adId: record.adId,
    marketplace: record.marketplace,
    presence: record.state.presence,
    ...(operation === undefined
      ? {}
      : {
          operation: {
            kind: operation.kind,
            status: operation.status,
            startedAt: operation.startedAt,
            settledAt: operation.settledAt,
          },
        }),
    remoteId: record.ref?.remoteId,
    ids: record.ref?.ids ?? {},
    url: listingUrl(patterns[record.marketplace], record.ref),
    issues: operation?.issues.length ?? 0,
    warnings: operation?.warnings.length ?? 0,
    updatedAt: record.updatedAt,
  };
};

const matches = (cell: GridCell, title: string | undefined, filters: GridFilters): boolean => {
  if (filters.marketplace !== undefined && cell.marketplace !== filters.marketplace) return false;
  if (
    filters.state !== undefined &&
    cell.presence !== filters.state &&
    cell.operation?.status !== filters.state
  ) {
    return false;
  }
  if (filters.hasIssues === true && cell.issues + cell.warnings === 0) return false;
  const text = filters.text?.trim().toLowerCase();
  if (text !== undefined && text !== "") {
    const haystack = [cell.adId, title ?? "", cell.remoteId ?? "", ...Object.values(cell.ids)];
    if (!haystack.some((value) => value.toLowerCase().includes(text))) return false;
  }
  return true;
};

const increment = <K extends string>(counts: Partial<Record<K, number>>, key: K) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** The grid of every record, filtered; rows sorted by ad id, cells by marketplace. */
export const buildGrid = (
  records: ReadonlyArray<ListingRecord>,
  options: {
    readonly filters?: GridFilters | undefined;
    readonly marketplaces?: ReadonlyArray<string> | undefined;
    readonly urls?: ListingUrlPatterns | undefined;
  } = {},
): GridView => {
  const filters = options.filters ?? {};
  const presence: Partial<Record<Presence, number>> = {};
  const operation: Partial<Record<OperationStatus, number>> = {};
  let withIssues = 0;
  const byAd = new Map<string, { title: string | undefined; cells: Array<GridCell> }>();
  const sorted = [...records].sort(
    (left, right) =>
      left.adId.localeCompare(right.adId) || left.marketplace.localeCompare(right.marketplace),
  );
  for (const record of sorted) {
    const cell = cellOf(record, options.urls);
    increment(presence, cell.presence);
    if (cell.operation !== undefined) increment(operation, cell.operation.status);
    if (cell.issues + cell.warnings > 0) withIssues += 1;
    const row = byAd.get(record.adId) ?? { title: undefined, cells: [] };
    row.title ??= titleOf(record.payload ?? record.pendingPayload);
    byAd.set(record.adId, row);
    if (matches(cell, row.title, filters)) row.cells.push(cell);
  }
  const marketplaces = [
    ...new Set([...(options.marketplaces ?? []), ...records.map((record) => record.marketplace)]),
  ].sort();
  return {
    marketplaces,
    rows: [...byAd.entries()].flatMap(([adId, row]) =>
      row.cells.length > 0 ? [{ adId, title: row.title, cells: row.cells }] : [],
    ),
    counts: { listings: records.length, presence, operation, withIssues },
  };
};
