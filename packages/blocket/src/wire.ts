import type { VehicleAd } from "@adsync/core";
import { WirePayload } from "@adsync/pro-import";
import { blocketCategoryId } from "./reference/categories.ts";

/**
 * Blocket's payload: the ad's content as `toBlocketPayload` builds it (V3 or V4 body, no
 * `source_id`), a JSON object stored as it is.
 */
export type BlocketPayload = WirePayload;
export const blocketPayloadSchema = WirePayload;

/** A create's body: the content (it carries `visible` when the ad sets it) and the source_id. */
export const createBody = (ad: VehicleAd, content: BlocketPayload): WirePayload => ({
  source_id: ad.id,
  ...content,
});

/** "Requires: A complete V4 payload with all required category_fields for the category." */
export const migrationBody = (sourceId: string, content: BlocketPayload): WirePayload => ({
  source_id: sourceId,
  ...content,
});

/**
 * The body of `POST /v3/ad/validate` for the body `create` would send. V3 reads the V4 body of
 * the categories the compatibility table calls compatible; the one difference it does not read:
 * its field table types `category_id` `int`.
 */
export const validationBody = (ad: VehicleAd, content: BlocketPayload): WirePayload => ({
  ...createBody(ad, content),
  category_id: blocketCategoryId[ad.category],
});
