import { randomUUID } from "node:crypto";
import type { AdStore } from "../pro-import/ad-store.ts";
import type { MarketplaceHooks } from "../pro-import/context.ts";
import type { TraderaAdRecord } from "./ad-record.ts";

/**
 * What publishing means on Tradera, which feeds Blocket: a published ad has its blocket_ad_id
 * ("Can only bump ads that have been published (have an ItemId)"). An ad with visible: false is
 * published hidden, so it stays open to updates: the guide's PATCH example hides an ad, and an
 * ad that never counted as published could never be shown again.
 */
export function traderaPublishing(
  store: AdStore<TraderaAdRecord>,
): MarketplaceHooks<TraderaAdRecord> {
  return {
    publish: (record) => {
      record.blocketAdId ??= store.takeBlocketAdId();
      record.published = true;
    },
    // The guide shows image_refs empty on create and filled later ("image_refs": [...]), without
    // their shape; the fake answers one reference string per downloaded image.
    mediaHandled: (record, downloadedUrls) => {
      record.imageRefs = downloadedUrls.map(() => randomUUID());
    },
  };
}

/**
 * "If the ad hasn't been published yet and create failed, PUT will retry the creation": the
 * ad's last create request ended with its publish action in error.
 */
export function createFailed(record: TraderaAdRecord): boolean {
  if (record.published) return false;
  const lastCreate = record.log.findLast((entry) => entry.action === "create");
  return record.log.some(
    (entry) =>
      entry.requestId === lastCreate?.requestId &&
      entry.action === "publish" &&
      entry.state === "error",
  );
}
