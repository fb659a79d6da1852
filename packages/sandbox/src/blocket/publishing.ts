import type { AdStore } from "../pro-import/ad-store.ts";
import type { MarketplaceHooks } from "../pro-import/context.ts";
import type { BlocketAdRecord } from "./ad-record.ts";
import { isRegisteredVehicleAd } from "./categories.ts";

/**
 * What publishing means on Blocket: an ad with visible: false is processed but not shown ("Ad
 * states": possibly visible=false); a shown one gets its Blocket ad id, its dealer's store id
 * and, for a registered vehicle, a Bytbil ad id, each once.
 */
export function blocketPublishing(
  store: AdStore<BlocketAdRecord>,
): MarketplaceHooks<BlocketAdRecord> {
  const assignIds = marketplaceIds(store);
  return {
    publish: (record, content) => {
      if (!content.visible) {
        record.published = false;
        return;
      }
      assignIds(record);
      record.published = true;
    },
  };
}

/** Gives a published ad its marketplace ids, once: Bytbil's only for registered vehicles. */
function marketplaceIds(store: AdStore<BlocketAdRecord>): (record: BlocketAdRecord) => void {
  let nextBytbilAdId = 30_000_001;
  const storeIds = new Map<string, string>();
  const storeIdOf = (dealerCode: string): string => {
    const known = storeIds.get(dealerCode);
    if (known !== undefined) return known;
    const storeId = String(5_000_001 + storeIds.size);
    storeIds.set(dealerCode, storeId);
    return storeId;
  };
  return (record) => {
    record.blocketAdId ??= store.takeBlocketAdId();
    record.blocketStoreId ??= storeIdOf(record.dealerCode);
    if (isRegisteredVehicleAd(record.content.categoryId, record.version)) {
      record.bytbilAdId ??= String(nextBytbilAdId++);
    }
  };
}
