import type { VehicleAd } from "@adsync/core";
import { type ProImportListing, WirePayload } from "@adsync/pro-import";
import { Either } from "effect";
import { traderaAdOptions } from "./mapping/to-tradera.ts";

/**
 * Tradera's payload: the ad's content as `toTraderaPayload` builds it (no `source_id`, no
 * `visible`), a JSON object stored as it is.
 */
export type TraderaPayload = WirePayload;
export const traderaPayloadSchema = WirePayload;

/**
 * A create's body (and a remote validation's): `source_id` (the ad id, or its relisted
 * `<adId>~<n>`), the content, and `visible` when the ad chooses it.
 */
export const createBody = (ad: VehicleAd, content: TraderaPayload): WirePayload => {
  const options = traderaAdOptions(ad);
  const visible = Either.isRight(options) ? options.right.visible : undefined;
  return { source_id: ad.id, ...content, ...(visible === undefined ? {} : { visible }) };
};

/**
 * A PUT or PATCH body: the content (or the changed fields) with what cannot change: "Must
 * include both source_id and dealer_code"; "The source_id in the path must match the
 * source_id in the body".
 */
export const withIdentity = (listing: ProImportListing, fields: WirePayload): WirePayload => ({
  ...fields,
  source_id: listing.ref.remoteId,
  dealer_code: listing.payload?.dealer_code ?? listing.ref.meta.dealerCode,
});
