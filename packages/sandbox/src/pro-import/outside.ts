import { randomUUID } from "node:crypto";
import type { OutsideChanges } from "../http/types.ts";
import type { AdRecord, LogAction, LogState } from "./ad-record.ts";
import type { ProImportContext } from "./context.ts";
import { newLogEntry } from "./workflows.ts";

/**
 * Changes on the marketplace's side, outside the API client, in the terms both Pro Import docs
 * give an ad: its state (`created`, `deleted`), `visible`, and the log actions
 * (`unpublish`: "Action for unpublishing the ad on marketplaces"; `publish` in state `error`:
 * "other marketplace error could cause the ad not to be published, see log messages"). Each
 * change lands at once, logged under a request id of its own, as the marketplace's own
 * workers would log it.
 */
export interface OutsideDialect<Ad extends AdRecord> {
  /** Whether changes made in the marketplace's admin show through the API (see Blocket). */
  readonly adminChangesShow: boolean;
  /** The `price[].amount` the API answers for a price in whole currency units. */
  readonly priceAmount: (record: Ad, price: number) => number;
  /**
   * Marketplace bookkeeping of an ad taken off the marketplace without being deleted (Blocket:
   * no longer live, no pole position; Tradera keeps its item id, so it stays open to updates).
   */
  readonly takenDown: (record: Ad) => void;
}

export function proImportOutside<Ad extends AdRecord>(
  context: ProImportContext<Ad>,
  dialect: OutsideDialect<Ad>,
): OutsideChanges {
  /** The dealer's ad by source_id: a current one before a deleted one. */
  const find = (adId: string): Ad | undefined => {
    const ads = context.store.all().filter((record) => record.sourceId === adId);
    return ads.find((record) => record.state === "created") ?? ads[0];
  };
  /** Shown on the marketplace: published, and not taken down since its last publish. */
  const live = (adId: string): Ad | undefined => {
    const record = find(adId);
    if (record?.state !== "created" || !record.published) return undefined;
    const last = record.log.findLast(
      (entry) =>
        (entry.action === "publish" && entry.state !== "processing") ||
        (entry.action === "unpublish" && entry.state === "done"),
    );
    return last?.action === "publish" && last.state === "done" ? record : undefined;
  };
  const log = (record: Ad, action: LogAction, state: LogState, message: string | null) => {
    const entry = newLogEntry(context, action, randomUUID());
    record.log.push({ ...entry, state, externalMessage: message });
    record.updatedAt = context.now();
  };
  const setFields = (record: Ad, fields: Readonly<Record<string, unknown>>) => {
    record.content = { ...record.content, fields: { ...record.content.fields, ...fields } };
    record.updatedAt = context.now();
  };

  return {
    // Neither doc names an expiry; the marketplace unpublishing the ad is how the log says it.
    expire: (adId) => {
      const record = live(adId);
      if (record === undefined) return false;
      dialect.takenDown(record);
      log(record, "unpublish", "done", "The ad expired.");
      return true;
    },
    delete: (adId) => {
      const record = find(adId);
      if (record === undefined || record.state === "deleted" || !dialect.adminChangesShow) {
        return false;
      }
      dialect.takenDown(record);
      record.published = false;
      record.state = "deleted";
      log(record, "delete", "done", "Deleted in the marketplace's admin.");
      return true;
    },
    deactivate: (adId) => {
      const record = live(adId);
      if (record === undefined || !dialect.adminChangesShow || !record.content.visible) {
        return false;
      }
      dialect.takenDown(record);
      record.content = { ...record.content, visible: false };
      setFields(record, { visible: false });
      return true;
    },
    reject: (adId, reason) => {
      const record = live(adId);
      if (record === undefined) return false;
      dialect.takenDown(record);
      log(record, "publish", "error", reason ?? "The ad was rejected by moderation.");
      return true;
    },
    edit: (adId, change) => {
      const record = live(adId);
      if (record === undefined || !dialect.adminChangesShow) return false;
      const fields: Record<string, unknown> = {};
      if (change.title !== undefined) fields.title = change.title;
      if (change.price !== undefined) {
        const prices = record.content.fields.price;
        const first = Array.isArray(prices) ? prices[0] : undefined;
        const amount = dialect.priceAmount(record, change.price);
        fields.price = [
          typeof first === "object" && first !== null
            ? { ...first, amount }
            : { type: "list", amount },
          ...(Array.isArray(prices) ? prices.slice(1) : []),
        ];
      }
      setFields(record, fields);
      return true;
    },
  };
}
