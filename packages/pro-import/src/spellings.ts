import type { BodyType, Colour, Fuel, Transmission } from "@adsync/core";

/**
 * How a canonical value may be spelled in a Pro Import marketplace's reference lists, the most
 * likely spelling first. The guides give samples only (Tradera: body types "e.g. suv, sedan,
 * coupe"; Blocket: "moped", "integrated"; fuels "gasoline", "diesel", "electric", "hybrid") and
 * send the rest to the reference endpoints (Tradera `GET /vehicle/car-body-styles`, Blocket
 * `GET /v3/vehicle/body_types`: "Use these values exactly as returned"). Both are Swedish
 * marketplaces, whose own words name a wagon "kombi", a convertible "cab": a canonical value is
 * sent as the first of its spellings the list holds, and one none of them matches is an issue on
 * the canonical field, never a value the marketplace refuses.
 */
export const bodyTypeSpellings: Readonly<Record<BodyType, ReadonlyArray<string>>> = {
  sedan: ["sedan"],
  hatchback: ["hatchback", "halvkombi"],
  wagon: ["wagon", "kombi", "stationwagon", "estate"],
  suv: ["suv"],
  coupe: ["coupe"],
  convertible: ["convertible", "cab", "cabriolet"],
  minivan: ["minivan", "familjebuss", "mpv"],
  van: ["van", "transportbil", "skapbil"],
  pickup: ["pickup"],
  chassis_cab: ["chassis_cab", "chassi", "other"],
  bus: ["bus", "buss", "other"],
  moped: ["moped"],
  scooter: ["scooter", "moped"],
  motorcycle: ["motorcycle", "mc"],
  integrated: ["integrated", "integrerad"],
  semi_integrated: ["semi_integrated", "halvintegrerad"],
  alcove: ["alcove", "alkov"],
  caravan: ["caravan", "husvagn"],
  trailer: ["trailer", "slap"],
  boat: ["boat", "bat", "other"],
  other: ["other", "ovrigt"],
};

export const colourSpellings: Readonly<Record<Colour, ReadonlyArray<string>>> = {
  black: ["black", "svart"],
  white: ["white", "vit"],
  silver: ["silver"],
  grey: ["grey", "gray", "gra"],
  blue: ["blue", "bla"],
  red: ["red", "rod"],
  green: ["green", "gron"],
  yellow: ["yellow", "gul"],
  orange: ["orange"],
  brown: ["brown", "brun"],
  beige: ["beige"],
  gold: ["gold", "guld"],
  purple: ["purple", "lila"],
  other: ["other", "ovrig"],
};

/** "other" has no spelling: a fuel no list names is left out (with a warning). */
export const fuelSpellings: Readonly<Record<Fuel, ReadonlyArray<string>>> = {
  petrol: ["gasoline", "petrol", "bensin"],
  diesel: ["diesel"],
  electric: ["electric", "el"],
  hybrid: ["hybrid"],
  plugin_hybrid: ["plugin_hybrid", "laddhybrid"],
  ethanol: ["ethanol", "etanol"],
  cng: ["gas", "cng", "fordonsgas"],
  lpg: ["gas", "lpg"],
  hydrogen: ["hydrogen", "vatgas"],
  other: [],
};

export const transmissionSpellings: Readonly<Record<Transmission, ReadonlyArray<string>>> = {
  manual: ["manual", "manuell"],
  automatic: ["automatic", "automat"],
};

/** The first spelling `match` finds in the list, if any. */
export const firstListed = (
  spellings: ReadonlyArray<string>,
  match: (spelling: string) => string | undefined,
): string | undefined => {
  for (const spelling of spellings) {
    const found = match(spelling);
    if (found !== undefined) return found;
  }
  return undefined;
};
