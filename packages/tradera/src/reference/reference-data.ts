import type { AdsyncError } from "@adsync/core";
import { type ListQuery, type ProImportClient, slug } from "@adsync/pro-import";
import { Effect } from "effect";

/**
 * The vehicle reference data: "Use these values exactly as returned in your category_fields
 * when creating or updating ads. Using values not in these lists may cause validation errors."
 */
export interface ReferenceData {
  readonly brands: ReadonlyArray<string>;
  readonly models: ReadonlyArray<string>;
  readonly bodyStyles: ReadonlyArray<string>;
  readonly colors: ReadonlyArray<string>;
  readonly fuels: ReadonlyArray<string>;
  readonly transmissions: ReadonlyArray<string>;
  readonly equipments: ReadonlyArray<string>;
}

export const referenceDataPaths = {
  brands: "/vehicle/brands",
  models: "/vehicle/car-models",
  bodyStyles: "/vehicle/car-body-styles",
  colors: "/vehicle/colors",
  fuels: "/vehicle/fuels",
  transmissions: "/vehicle/transmissions",
  equipments: "/vehicle/equipments",
} as const;

export const fetchReferenceData = (
  client: ProImportClient,
  query?: ListQuery,
): Effect.Effect<ReferenceData, AdsyncError> =>
  Effect.all(
    {
      brands: client.referenceData(referenceDataPaths.brands, query),
      models: client.referenceData(referenceDataPaths.models, query),
      bodyStyles: client.referenceData(referenceDataPaths.bodyStyles, query),
      colors: client.referenceData(referenceDataPaths.colors, query),
      fuels: client.referenceData(referenceDataPaths.fuels, query),
      transmissions: client.referenceData(referenceDataPaths.transmissions, query),
      equipments: client.referenceData(referenceDataPaths.equipments, query),
    },
    { concurrency: 2 },
  );

/**
 * Finds the reference value a canonical value means: the exact slug, the slug without
 * separators ("mercedes-benz" ~ "mercedesbenz"), then its first word ("mercedes-benz" →
 * "mercedes", the guide's own brand list spells it so). Undefined when nothing matches.
 */
export const matchReference = (
  value: string,
  allowed: ReadonlyArray<string>,
): string | undefined => {
  const wanted = slug(value);
  const compact = (text: string) => slug(text).replace(/-/g, "");
  const byCompact = new Map(allowed.map((entry) => [compact(entry), entry]));
  return (
    allowed.find((entry) => slug(entry) === wanted) ??
    byCompact.get(wanted.replace(/-/g, "")) ??
    byCompact.get(wanted.split("-")[0] ?? wanted)
  );
};
