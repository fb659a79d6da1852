import { contentFieldsToWire, logEntryToWire } from "../pro-import/ad-json.ts";
import { formatTimestamp } from "../pro-import/timestamps.ts";
import type { BlocketAdRecord } from "./ad-record.ts";

// "Only includes the last 100 log messages" (GET /ad/<source_id>, and the list's include=log).
const LOG_ENTRIES_IN_AD = 100;

// The content fields in the order the ad JSON shows them, after the ad's own fields.
export const CONTENT_FIELD_ORDER = [
  "title",
  "body",
  "price",
  "image_urls",
  "video_url",
  "location",
  "contact",
  "category_fields",
  "url",
  "dont_publish_on_failed_images",
  "product_declaration",
  "warranty",
  "return_policy",
  "service_history",
  "home_delivery",
] as const;

/** The ad as the API answers it; optional input fields that were not sent are left out. */
export function adToWire(
  record: BlocketAdRecord,
  options: { readonly includeLog: boolean },
): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    source_id: record.sourceId,
    dealer_code: record.dealerCode,
    category_id: record.content.categoryId,
    state: record.state,
    visible: record.content.visible,
    created: formatTimestamp(record.createdAt, " "),
    updated: formatTimestamp(record.updatedAt, " "),
    blocket_ad_id: record.blocketAdId,
    blocket_store_id: record.blocketStoreId,
    bytbil_ad_id: record.bytbilAdId,
  };
  Object.assign(wire, contentFieldsToWire(record.content, CONTENT_FIELD_ORDER, "omit"));
  if (options.includeLog) {
    wire.log = record.log.slice(-LOG_ENTRIES_IN_AD).map((entry) => logEntryToWire(entry, " "));
  }
  return wire;
}
