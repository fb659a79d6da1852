import type { VehicleAd } from "@adsync/core";
import { type BumpOptionName, bumpMeta, deleteDone, type WireAd } from "@adsync/pro-import";
import { Either } from "effect";
import { traderaAdOptions } from "./mapping/to-tradera.ts";

/**
 * Tradera's status rules, the hooks it gives the Pro Import kit: when an ad is deleted and
 * what a listing's ref records.
 */

/**
 * "The ad state remains "created" - check logs for actual deletion status": a done `delete`
 * in the log; an ad answered with `state: "deleted"` (the list's `state` filter takes
 * "created or deleted") is deleted too.
 */
export const isDeleted = (ad: WireAd): boolean => deleteDone(ad) || ad.state === "deleted";

/** Renewal (bump) options: "exclude_blocket", "exclude_bytbil", "premium". */
export const traderaBumpOptions: ReadonlyArray<BumpOptionName> = [
  "excludeBlocket",
  "excludeBytbil",
  "premium",
];

/**
 * What a listing's ref records so later operations that get no ad (renew, remove) still know
 * it: the API version, the dealer code it was created under, and the bump preferences —
 * written true or false every time: a dropped option must not keep costing a bump.
 */
export const listingMeta =
  (configuredDealerCode: string | undefined) =>
  (ad: VehicleAd): Record<string, string> => {
    const chosen = Either.getOrUndefined(traderaAdOptions(ad));
    const dealerCode = chosen?.dealerCode ?? configuredDealerCode;
    return {
      apiVersion: "v3",
      ...(dealerCode === undefined ? {} : { dealerCode }),
      ...bumpMeta(chosen, traderaBumpOptions),
    };
  };
