import type { AdContent, LogEntry } from "./ad-record.ts";
import { formatTimestamp, type TimestampSeparator } from "./timestamps.ts";

/** A log entry as both APIs answer it: {action, state, created, request_id, external_message}. */
export function logEntryToWire(
  entry: LogEntry,
  separator: TimestampSeparator,
): Record<string, unknown> {
  return {
    action: entry.action,
    state: entry.state,
    created: formatTimestamp(entry.createdAt, separator),
    request_id: entry.requestId,
    external_message: entry.externalMessage,
  };
}

/**
 * The content fields in `order`. A field that was not sent is left out, or answered as null
 * when `missing` is "null".
 */
export function contentFieldsToWire(
  content: AdContent,
  order: ReadonlyArray<string>,
  missing: "omit" | "null",
): Record<string, unknown> {
  const wire: Record<string, unknown> = {};
  for (const field of order) {
    const value = content.fields[field];
    if (value !== undefined) wire[field] = structuredClone(value);
    else if (missing === "null") wire[field] = null;
  }
  return wire;
}
