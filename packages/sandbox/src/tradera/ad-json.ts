import { contentFieldsToWire, logEntryToWire } from "../pro-import/ad-json.ts";
import { formatTimestamp } from "../pro-import/timestamps.ts";
import type { TraderaAdRecord } from "./ad-record.ts";

/**
 * The ad as every endpoint answers it, in the order of the guide's "Response (201 Created)".
 * Optional fields that were not sent are null, as the guide's `"blocket_ad_id": null` and
 * `"offer_id": null` are: the fake's reading of a serializer that writes every field.
 */
export function adToWire(record: TraderaAdRecord): Record<string, unknown> {
  const content = record.content;
  return {
    id: record.id,
    source_id: record.sourceId,
    dealer_code: record.dealerCode,
    // "The ad state remains "created" - check logs for actual deletion status".
    state: "created",
    created: formatTimestamp(record.createdAt, "T"),
    updated: formatTimestamp(record.updatedAt, "T"),
    blocket_ad_id: record.blocketAdId,
    // Tradera's own item id; the guide only ever shows it null.
    offer_id: null,
    category_id: content.categoryId,
    visible: content.visible,
    ...contentFieldsToWire(content, ["title", "body", "price", "image_urls"], "null"),
    image_refs: [...record.imageRefs],
    ...contentFieldsToWire(
      content,
      ["category_fields", "location", "url", "dont_publish_on_failed_images"],
      "null",
    ),
    log: record.log.map((entry) => logEntryToWire(entry, "T")),
  };
}
