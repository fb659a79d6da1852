import type { Fuel, VehicleCategory } from "@adsync/core";
import {
  type CanonicalPrices,
  fromWirePrices,
  type PriceUnit,
  WirePriceEntry,
} from "@adsync/pro-import";
import { Schema } from "effect";
import { blocketCategoryId } from "../reference/categories.ts";

/**
 * What Blocket returns, read back into canonical terms: the fields adsync maps both ways.
 * Lenient: unknown keys are ignored, absent ones stay absent.
 */
const WireVehicle = Schema.Struct({
  brand: Schema.optional(Schema.String),
  model: Schema.optional(Schema.String),
  model_year: Schema.optional(Schema.Number),
  registration_number: Schema.optional(Schema.String),
  condition: Schema.optional(
    Schema.Struct({
      mileage: Schema.optional(
        Schema.Struct({ unit: Schema.Literal("km", "mil"), value: Schema.Number }),
      ),
    }),
  ),
  powertrain: Schema.optional(
    Schema.Struct({
      transmission: Schema.optional(Schema.String),
      fuels: Schema.optional(Schema.Array(Schema.String)),
    }),
  ),
  physics: Schema.optional(
    Schema.Struct({
      length: Schema.optional(Schema.Struct({ unit: Schema.String, value: Schema.Number })),
      gross_weight: Schema.optional(Schema.Struct({ unit: Schema.String, value: Schema.Number })),
      number_of_beds: Schema.optional(Schema.Number),
    }),
  ),
});

export const WireBlocketAd = Schema.Struct({
  source_id: Schema.String,
  category_id: Schema.Union(Schema.String, Schema.Number),
  title: Schema.optional(Schema.String),
  body: Schema.optional(Schema.String),
  price: Schema.optionalWith(Schema.Array(WirePriceEntry), { default: () => [] }),
  image_urls: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
  category_fields: Schema.optional(WireVehicle),
});

export interface CanonicalView {
  readonly id: string;
  readonly category: VehicleCategory | undefined;
  readonly description: string | undefined;
  readonly price: CanonicalPrices;
  readonly images: ReadonlyArray<string>;
  readonly modelYear: number | undefined;
  readonly mileage: { readonly value: number; readonly unit: "km" | "mil" } | undefined;
  /** Canonical fuels; Blocket's `gas` (CNG or LPG) has no single canonical name and is left out. */
  readonly fuels: ReadonlyArray<Fuel>;
  readonly lengthMm: number | undefined;
}

const categoryById = new Map<number, VehicleCategory>(
  Object.entries(blocketCategoryId).flatMap(([category, id]) =>
    isCategory(category) ? [[id, category] as const] : [],
  ),
);

function isCategory(value: string): value is VehicleCategory {
  return value in blocketCategoryId;
}

/** Canonical fuel names for Blocket's, where one exists (`gas` stands for both CNG and LPG). */
const canonicalFuel: Readonly<Record<string, Fuel>> = {
  gasoline: "petrol",
  diesel: "diesel",
  electric: "electric",
  hybrid: "hybrid",
  plugin_hybrid: "plugin_hybrid",
  ethanol: "ethanol",
  hydrogen: "hydrogen",
};

/** Reads a Blocket ad back into canonical terms (prices in minor units, length in mm). */
export const fromBlocketAd = (ad: typeof WireBlocketAd.Type, unit: PriceUnit): CanonicalView => {
  const fields = ad.category_fields;
  const length = fields?.physics?.length;
  return {
    id: ad.source_id,
    category: categoryById.get(Number(ad.category_id)),
    description: ad.body,
    price: fromWirePrices(ad.price, unit),
    images: ad.image_urls,
    modelYear: fields?.model_year,
    mileage: fields?.condition?.mileage,
    fuels: (fields?.powertrain?.fuels ?? []).flatMap((fuel) => canonicalFuel[fuel] ?? []),
    lengthMm: length?.unit === "m" ? Math.round(length.value * 1000) : undefined,
  };
};
