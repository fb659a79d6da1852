import type { VehicleAd } from "@adsync/core";
import {
  type ApiVersion,
  type BumpOptionName,
  bumpMeta,
  deleteDone,
  type ProImportListing,
  type WireAd,
} from "@adsync/pro-import";
import { Either } from "effect";
import { blocketAdOptions } from "./mapping/to-blocket.ts";
import { blocketCategoryId, v4OnlyCategories } from "./reference/categories.ts";

/**
 * Blocket's status rules, the hooks it gives the Pro Import kit: when an ad is deleted, what
 * a listing's ref records, and which API version wrote it.
 */

/**
 * "The ad itself will have a state indicating if the ad was created or deleted" (`state:
 * "deleted"`). A delete is processed as a delete then an unpublish, and the state turns only
 * after both: a done `delete` in the log already means deleted.
 */
export const isDeleted = (ad: WireAd): boolean => ad.state === "deleted" || deleteDone(ad);

/** "For registered vehicles, you can choose to exclude either Blocket or Bytbil." */
export const blocketBumpOptions: ReadonlyArray<BumpOptionName> = [
  "excludeBlocket",
  "excludeBytbil",
];

/**
 * What a listing's ref records so later operations that get no ad (renew, remove) still know
 * it: the API version and category that wrote it, and the bump preferences — written true or
 * false every time: a dropped option must not keep costing a bump.
 */
export const listingMeta = (ad: VehicleAd, apiVersion: ApiVersion): Record<string, string> => {
  const chosen = Either.getOrUndefined(blocketAdOptions(ad));
  return {
    apiVersion,
    categoryId: String(blocketCategoryId[ad.category]),
    ...bumpMeta(chosen, blocketBumpOptions),
  };
};

/** After `POST /v4/ad/{source_id}/migrate` the ad is a V4 ad ("preserving ad ID and history"). */
export const migratedMeta = { apiVersion: "v4" } as const;

/** The listing's category is one of those V4 takes only through `/migrate` from V3. */
export const inV4OnlyCategory = (listing: ProImportListing): boolean =>
  v4OnlyCategories.has(Number(listing.ref.meta.categoryId));

/** A V3 ad in a V4-only category, known as such, under V4: its update is a migration. */
export const knownV3 = (listing: ProImportListing, version: ApiVersion): boolean =>
  version === "v4" && listing.ref.meta.apiVersion === "v3" && inV4OnlyCategory(listing);
