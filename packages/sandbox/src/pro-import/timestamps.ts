/**
 * Timestamps at whole seconds, in UTC. Blocket writes them "YYYY-MM-DD HH:MM:SS" (the format of
 * its list filters); Tradera "2026-02-17T10:30:00" (every example of its guide).
 */
export type TimestampSeparator = " " | "T";

export function formatTimestamp(epochMs: number, separator: TimestampSeparator): string {
  return new Date(epochMs).toISOString().slice(0, 19).replace("T", separator);
}

/** The epoch milliseconds of the whole second `epochMs` falls in: what a timestamp shows. */
export function wholeSecond(epochMs: number): number {
  return Math.floor(epochMs / 1000) * 1000;
}

/**
 * A created__gt/... filter value, "YYYY-MM-DD HH:MM:SS" or with a "T" separator (the seconds
 * may be left out), as epoch milliseconds; undefined when it is not one.
 */
export function parseTimestampFilter(value: string): number | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?$/.exec(value.trim());
  if (match === null) return undefined;
  const [, date, minutes, seconds] = match;
  const epochMs = Date.parse(`${date}T${minutes}${seconds ?? ":00"}Z`);
  return Number.isNaN(epochMs) ? undefined : epochMs;
}
