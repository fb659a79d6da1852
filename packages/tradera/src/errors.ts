import { AdsyncError, type Issue, issue } from "@adsync/core";
import type { ProImportListing } from "@adsync/pro-import";
import { TRADERA } from "./config.ts";
import type { TraderaPayload } from "./wire.ts";

/**
 * Tradera's error rules on top of the kit's: Tradera answers its refusals as plain strings
 * with 400, so what a refusal means is read from its text.
 */

const refusedWith = (error: AdsyncError, text: RegExp) =>
  error.status === 400 && error.issues.some((entry) => text.test(entry.message));

/**
 * A create refused because the source_id exists (the first try landed): "The source_id must
 * be unique - you'll get a 400 error if it already exists", answered as "A PublicAd with
 * SourceId 'my-car-12345' already exists."
 */
export const isDuplicate = (error: AdsyncError): boolean => refusedWith(error, /already exists/i);

/**
 * "Cannot update ad that has not been published yet.": the create is still being processed.
 * The kit follows the create instead of failing (its `createStillProcessing` hook).
 */
export const createStillProcessing = (error: AdsyncError): boolean =>
  refusedWith(error, /not been published yet/i);

/** "Cannot update ad that has been deleted." (PUT and PATCH), deleted outside adsync too. */
export const isUpdateOfDeleted = (error: AdsyncError): boolean =>
  refusedWith(error, /has been deleted/i);

/**
 * "You cannot change the dealer_code after creation" ("Cannot change the dealer_code" on PUT
 * and PATCH). The stored ad keeps the code it was created with; an update asking for another
 * one is refused here, with no request, instead of recording a code Tradera never took.
 */
export const dealerCodeChange = (
  listing: ProImportListing,
  wanted: TraderaPayload,
): AdsyncError | undefined => {
  const held = listing.payload?.dealer_code ?? listing.ref.meta.dealerCode;
  const code = wanted.dealer_code;
  if (typeof held !== "string" || typeof code !== "string" || held === code) return undefined;
  const problem: Issue = issue(
    `marketplaces.${TRADERA}.dealerCode`,
    "not_allowed",
    `Tradera keeps the dealer code an ad was created with ("You cannot change the dealer_code after creation"): this ad is listed under '${held}', not '${code}'. Set marketplaces.tradera.dealerCode to '${held}' to update it, or remove it and publish it again to list it under '${code}'.`,
    { marketplace: TRADERA, marketplacePath: "dealer_code" },
  );
  return new AdsyncError({
    reason: "Invalid",
    marketplace: TRADERA,
    operation: "update",
    message: `tradera update: the dealer code cannot change ('${held}' → '${code}').`,
    issues: [problem],
  });
};
