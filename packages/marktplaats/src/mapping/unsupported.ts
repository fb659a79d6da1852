import type { VehicleAd } from "@adsync/core";
import type { Findings } from "./findings.ts";

/**
 * The canonical fields an advertisement has no place for (#12: mapped or warned, never
 * dropped in silence). Each is one `unsupported` warning on its path when the ad holds it.
 * Vehicle fields that may be a category attribute are warned by `mapAttributes` instead.
 */
const noField: ReadonlyArray<{
  readonly path: string;
  readonly has: (ad: VehicleAd) => boolean;
  readonly why: string;
}> = [
  {
    path: "contact.email",
    has: (ad) => ad.contact?.email !== undefined,
    why: "buyers write through the site (seller.showEmail switches that on or off)",
  },
  {
    path: "location.street",
    has: (ad) => ad.location?.street !== undefined,
    why: "the location is a postcode or a city",
  },
  {
    path: "location.country",
    has: (ad) => ad.location?.country !== undefined,
    why: "the site decides the country (a city alone reads as abroad)",
  },
  {
    path: "location.coordinates",
    has: (ad) => ad.location?.coordinates !== undefined,
    why: "the map position comes from the postcode",
  },
  {
    path: "location.regionCodes",
    has: (ad) => Object.keys(ad.location?.regionCodes ?? {}).length > 0,
    why: "Marktplaats has no region codes",
  },
  {
    path: "terms.productDeclarationUrl",
    has: (ad) => ad.terms?.productDeclarationUrl !== undefined,
    why: "an advertisement has no document link",
  },
  { path: "vehicle.vin", has: (ad) => ad.vehicle.vin !== undefined, why: "no VIN field" },
  { path: "vehicle.beds", has: (ad) => ad.vehicle.beds !== undefined, why: "no beds field" },
  {
    path: "vehicle.kerbWeightKg",
    has: (ad) => ad.vehicle.kerbWeightKg !== undefined,
    why: "no weight field",
  },
  {
    path: "vehicle.grossWeightKg",
    has: (ad) => ad.vehicle.grossWeightKg !== undefined,
    why: "no weight field",
  },
  {
    path: "vehicle.lengthMm",
    has: (ad) => ad.vehicle.lengthMm !== undefined,
    why: "no length field",
  },
  { path: "vehicle.widthMm", has: (ad) => ad.vehicle.widthMm !== undefined, why: "no width field" },
];

export const warnUnsupported = (
  ad: VehicleAd,
  sent: { readonly title: string | undefined; readonly postcodeSent: boolean },
  findings: Findings,
): void => {
  for (const field of noField) {
    if (field.has(ad))
      findings.warn(field.path, "unsupported", `Not sent to Marktplaats: ${field.why}.`, "");
  }
  if (sent.postcodeSent && ad.location?.city !== undefined) {
    findings.warn(
      "location.city",
      "unsupported",
      "Not sent: with a postcode Marktplaats sets the city itself (a city sent with it would win and could mark the ad as abroad).",
      "location.cityName",
    );
  }
  const variant = ad.vehicle.variant;
  if (variant !== undefined && !(sent.title ?? "").includes(variant.trim())) {
    findings.warn(
      "vehicle.variant",
      "unsupported",
      "Marktplaats has no variant field; it shows only in a title adsync builds, and did not fit or a title was given.",
      "title",
    );
  }
  ad.vehicle.fuels.slice(1).forEach((_fuel, index) => {
    findings.warn(
      `vehicle.fuels.${index + 1}`,
      "unsupported",
      "Marktplaats takes one fuel; only the first is sent.",
      "fuel",
    );
  });
};
