import type { ListingRef } from "@adsync/core";
import { Schema } from "effect";
import type { BumpOptions } from "./client.ts";

/**
 * The per-ad options both dialects take (`ad.marketplaces.<id>`), named as the Pro Import docs
 * name them; a dialect spreads these fields into its own `…AdOptions` Schema and adds its own.
 */
export const proImportAdOptionFields = {
  /** The dealer this ad belongs to ("dealer_code"); default: the configured one. */
  dealerCode: Schema.optional(Schema.String.pipe(Schema.minLength(1))),
  /** Create the ad hidden ("set visible: false when creating ads" to test without publishing). */
  visible: Schema.optional(Schema.Boolean),
  /** "Set to true if you don't want to publish the ad if any of the images have an error." */
  dontPublishOnFailedImages: Schema.optional(Schema.Boolean),
  /** Renewals (bump) skip Blocket or Bytbil: "exclude_blocket=true or exclude_bytbil=true". */
  excludeBlocket: Schema.optional(Schema.Boolean),
  excludeBytbil: Schema.optional(Schema.Boolean),
} as const;

/** The bump options a dialect documents, by name. */
export type BumpOptionName = keyof BumpOptions;

/**
 * The bump preferences as a listing's ref records them, so renew (which gets no ad) still
 * knows them: written "true" or "false" every time, so a dropped option does not keep costing
 * a bump.
 */
export const bumpMeta = (
  chosen: BumpOptions | undefined,
  names: ReadonlyArray<BumpOptionName>,
): Record<string, string> =>
  Object.fromEntries(names.map((name) => [name, String(chosen?.[name] === true)]));

/** The bump options `bumpMeta` recorded on a listing's ref. */
export const bumpOptionsOf = (ref: ListingRef, names: ReadonlyArray<BumpOptionName>): BumpOptions =>
  Object.fromEntries(names.map((name) => [name, ref.meta[name] === "true"]));
