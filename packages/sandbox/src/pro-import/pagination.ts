/**
 * The limit/offset pagination both Pro Import APIs share on their list and log endpoints:
 * `{count, next, previous, results}` with next/previous as absolute URLs or null, as Django REST
 * framework's LimitOffsetPagination writes them (the shape both docs show).
 */

/** A dialect's page sizes: `limit` defaults to `defaultLimit` and is capped at `maxLimit`. */
export interface PageLimits {
  readonly defaultLimit: number;
  readonly maxLimit: number;
}

export interface Page<Item> {
  readonly count: number;
  readonly next: string | null;
  readonly previous: string | null;
  readonly results: ReadonlyArray<Item>;
}

export function paginate<Item>(
  items: ReadonlyArray<Item>,
  url: URL,
  limits: PageLimits,
): Page<Item> {
  const limit = Math.min(
    parseAtLeast(url.searchParams.get("limit"), limits.defaultLimit, 1),
    limits.maxLimit,
  );
  const offset = parseAtLeast(url.searchParams.get("offset"), 0, 0);
  return {
    count: items.length,
    next: offset + limit < items.length ? pageUrl(url, limit, offset + limit) : null,
    previous: offset > 0 ? pageUrl(url, limit, Math.max(offset - limit, 0)) : null,
    results: items.slice(offset, offset + limit),
  };
}

/** DRF falls back to the default on a value that is not an integer at least `minimum`. */
function parseAtLeast(value: string | null, fallback: number, minimum: number): number {
  if (value === null || !/^\d+$/.test(value)) return fallback;
  const number = Number(value);
  return number >= minimum ? number : fallback;
}

function pageUrl(url: URL, limit: number, offset: number): string {
  const page = new URL(url);
  page.searchParams.set("limit", String(limit));
  // DRF drops offset=0 from the previous link rather than writing it.
  if (offset === 0) page.searchParams.delete("offset");
  else page.searchParams.set("offset", String(offset));
  return page.toString();
}
