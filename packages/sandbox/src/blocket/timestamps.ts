/** The API's timestamp format, "YYYY-MM-DD HH:MM:SS" (UTC here), as in the list filters. */
export function formatTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19).replace("T", " ");
}

/**
 * A created__gt/... filter value in the API's format (a "T" separator and a missing seconds
 * part are tolerated), normalised so it compares as a string with formatTimestamp's output.
 */
export function parseTimestampFilter(value: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?$/.exec(value.trim());
  if (match === null) return undefined;
  const [, date, minutes, seconds] = match;
  const normalised = `${date} ${minutes}${seconds ?? ":00"}`;
  return Number.isNaN(Date.parse(`${normalised.replace(" ", "T")}Z`)) ? undefined : normalised;
}
