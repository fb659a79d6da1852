import {
  type CanonicalPrices,
  fromWirePrices,
  type PriceUnit,
  WirePriceEntry,
} from "@adsync/pro-import";
import { Schema } from "effect";
import { traderaCategoryId } from "../config.ts";

/**
 * What Tradera returns, read back into canonical terms: the fields adsync maps both ways
 * (`toTraderaPayload` is the other direction). Lenient: unknown keys are ignored, absent ones
 * stay absent.
 */
export const WireTraderaAd = Schema.Struct({
  source_id: Schema.String,
  dealer_code: Schema.optional(Schema.String),
  // "The category_id field is numeric, not a string"; a string is read too.
  category_id: Schema.Union(Schema.Number, Schema.String),
  title: Schema.optional(Schema.String),
  body: Schema.optional(Schema.String),
  price: Schema.optionalWith(Schema.Array(WirePriceEntry), { default: () => [] }),
  image_urls: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
  category_fields: Schema.optional(
    Schema.Struct({
      model_year: Schema.optional(Schema.Number),
      registration_number: Schema.optional(Schema.String),
    }),
  ),
});

export interface TraderaView {
  /** The source_id: the ad id, or its relisted `<adId>~<n>`. */
  readonly id: string;
  readonly dealerCode: string | undefined;
  readonly category: keyof typeof traderaCategoryId | undefined;
  readonly title: string | undefined;
  readonly description: string | undefined;
  /** Tradera shows one price, the `list` entry: the ad's reduced price when it has one. */
  readonly price: CanonicalPrices;
  readonly images: ReadonlyArray<string>;
  readonly modelYear: number | undefined;
  readonly registrationNumber: string | undefined;
}

/** "1020 - Cars (Personbilar), 1021 - Transport Vehicles (Transportbilar)". */
const categoryOf = (id: number | string): TraderaView["category"] =>
  Number(id) === traderaCategoryId.car
    ? "car"
    : Number(id) === traderaCategoryId.van
      ? "van"
      : undefined;

/** Reads a Tradera ad back into canonical terms (prices in minor units). */
export const fromTraderaAd = (ad: typeof WireTraderaAd.Type, unit: PriceUnit): TraderaView => ({
  id: ad.source_id,
  dealerCode: ad.dealer_code,
  category: categoryOf(ad.category_id),
  title: ad.title,
  description: ad.body,
  price: fromWirePrices(ad.price, unit),
  images: ad.image_urls,
  modelYear: ad.category_fields?.model_year,
  registrationNumber: ad.category_fields?.registration_number,
});
