import {
  type BodyType,
  type Colour,
  Findings,
  type Fuel,
  type Location,
  type Money,
  minorUnitsPerMajor,
  type Prices,
  type Vehicle,
} from "@adsync/core";
import { Schema } from "effect";

/**
 * Mapping pieces shared by the Pro Import dialects. Each is pure; what cannot be mapped is
 * written to a `Findings` collector as an issue (the ad cannot be sent) or a warning (sent,
 * but not everything is honoured) — never thrown.
 */
/** The collector the mappings write to (from core), re-exported for the dialects. */
export { Findings };

/**
 * The revision of these shared mapping pieces and their tables (spellings, paths): bump it
 * with any change that may map the same ad differently. Part of Blocket's and Tradera's
 * `mappingVersion`, so the input-fingerprint skip never hides such a change.
 */
export const proImportMappingRevision = "pro-import-1";

/**
 * The unit of price amounts on the wire. The Blocket V4 guide says "Amount is in minor
 * currency units (öre for SEK)"; the V3 and Tradera examples (350000 for a 2019 Volvo XC90)
 * read as whole kronor. Each dialect chooses, and dealers can override.
 */
export type PriceUnit = "minor" | "major";

export interface WirePrice {
  readonly type: "list" | "reduced" | "monthly" | "call";
  readonly amount: number;
  readonly currency: string;
}

/** One amount in the dialect's unit; a rounding is a warning on `path`. */
export const toWireAmount = (
  money: Money,
  unit: PriceUnit,
  path: string,
  findings: Findings,
): number => {
  if (unit === "minor") return money.amount;
  const perMajor = minorUnitsPerMajor(money.currency);
  const whole = Math.round(money.amount / perMajor);
  if (whole * perMajor !== money.amount) {
    findings.warn(
      path,
      "invalid_value",
      `The API takes whole ${money.currency}; ${money.amount} minor units were rounded to ${whole}.`,
      "price.amount",
    );
  }
  return whole;
};

/** Converts a wire amount back to canonical minor units (the inverse of the mapping). */
export const fromWireAmount = (amount: number, currency: string, unit: PriceUnit): number =>
  unit === "minor" ? amount : amount * minorUnitsPerMajor(currency);

/** A `price` entry as a dialect answers it (lenient: the currency may be left out, SEK then). */
export const WirePriceEntry = Schema.Struct({
  type: Schema.String,
  amount: Schema.Number,
  currency: Schema.optional(Schema.String),
});

/** The canonical prices a `price` array says (amounts in minor units). */
export interface CanonicalPrices {
  readonly list?: Money;
  readonly reduced?: Money;
  readonly monthly?: Money;
  readonly callForPrice?: boolean;
}

/** Reads a `price` array back into canonical prices (the inverse of `mapPrices`). */
export const fromWirePrices = (
  entries: ReadonlyArray<typeof WirePriceEntry.Type>,
  unit: PriceUnit,
): CanonicalPrices => {
  const prices: { -readonly [key in keyof CanonicalPrices]: CanonicalPrices[key] } = {};
  for (const entry of entries) {
    const currency = entry.currency ?? "SEK";
    const money = { amount: fromWireAmount(entry.amount, currency, unit), currency };
    if (entry.type === "call") prices.callForPrice = true;
    else if (entry.type === "list" || entry.type === "reduced" || entry.type === "monthly")
      prices[entry.type] = money;
  }
  return prices;
};

/** Canonical prices → the `price` array; only `currency` is accepted (SEK on both dialects). */
export const mapPrices = (
  prices: Prices,
  options: {
    readonly unit: PriceUnit;
    readonly currency: string;
    readonly types: ReadonlyArray<WirePrice["type"]>;
  },
  findings: Findings,
): Array<WirePrice> => {
  const result: Array<WirePrice> = [];
  const add = (type: WirePrice["type"], money: Money | undefined, path: string) => {
    if (money === undefined) return;
    if (!options.types.includes(type)) {
      findings.warn(path, "not_allowed", `No ${type} price is accepted; it was left out.`, "price");
      return;
    }
    if (money.currency !== options.currency) {
      findings.problem(
        `${path}.currency`,
        "invalid_value",
        `Prices must be in ${options.currency}, not ${money.currency}.`,
        "price.currency",
      );
      return;
    }
    result.push({
      type,
      amount: toWireAmount(money, options.unit, path, findings),
      currency: money.currency,
    });
  };
  add("list", prices.list, "price.list");
  add("reduced", prices.reduced, "price.reduced");
  add("monthly", prices.monthly, "price.monthly");
  if (prices.callForPrice === true && options.types.includes("call")) {
    // "call - Call for price (amount: 0)"
    result.push({ type: "call", amount: 0, currency: options.currency });
  }
  if (result.length === 0 && findings.issues.length === 0) {
    findings.problem("price", "required", "At least one price is required.", "price");
  }
  return result;
};

/** A reference-data style slug: "Mercedes-Benz" → "mercedes-benz", "Škoda Octavia" → "skoda-octavia". */
export const slug = (text: string): string =>
  text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .trim()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");

/**
 * Canonical fuel → Pro Import fuel. The docs list gasoline, diesel, electric, hybrid; the other
 * values follow the reference-data endpoint (`/vehicle/fuels`) naming. `undefined`: no wire value.
 */
const wireFuel = (fuel: Fuel): string | undefined => {
  switch (fuel) {
    case "petrol":
      return "gasoline";
    case "diesel":
      return "diesel";
    case "electric":
      return "electric";
    case "hybrid":
      return "hybrid";
    case "plugin_hybrid":
      return "plugin_hybrid";
    case "ethanol":
      return "ethanol";
    case "cng":
    case "lpg":
      return "gas";
    case "hydrogen":
      return "hydrogen";
    case "other":
      return undefined;
  }
};

const wireBodyType: Readonly<Record<BodyType, string>> = {
  sedan: "sedan",
  hatchback: "hatchback",
  wagon: "wagon",
  suv: "suv",
  coupe: "coupe",
  convertible: "convertible",
  minivan: "minivan",
  van: "van",
  pickup: "pickup",
  chassis_cab: "other",
  bus: "other",
  moped: "moped",
  scooter: "moped",
  motorcycle: "motorcycle",
  integrated: "integrated",
  semi_integrated: "semi_integrated",
  alcove: "alcove",
  caravan: "caravan",
  trailer: "trailer",
  boat: "other",
  other: "other",
};

const wireColour = (colour: Colour): string => colour;

export interface CategoryFieldRules {
  /**
   * The V4 field reference's extra fields: `condition.is_new_vehicle`, `powertrain.power` and
   * `physics`. Tradera's "Category Fields (for Cars)" lists none of them, so it sends none.
   */
  readonly extendedFields: boolean;
  /** Motorised vehicles need mileage, transmission and fuels; trailers and caravans do not. */
  readonly motorised: boolean;
  /** Tradera requires colour and an equipment list; Blocket does not. */
  readonly colourRequired: boolean;
  readonly equipmentRequired: boolean;
  /**
   * Whether a body type is required (default true). Blocket requires `category_fields` only
   * for registered vehicles ("Yes (except for non-registered vehicles)"): a boat's are optional.
   */
  readonly bodyTypeRequired?: boolean | undefined;
}

/**
 * The vehicle → `category_fields` (brand, model, model_year, body_type, condition,
 * powertrain, physics, …), the shape both dialects share (V4 guide "Field Reference",
 * Tradera "Category Fields"). Required fields missing → issues on the canonical path.
 */
export const mapCategoryFields = (
  vehicle: Vehicle,
  rules: CategoryFieldRules,
  findings: Findings,
): Record<string, unknown> => {
  const fields: Record<string, unknown> = {
    brand: slug(vehicle.make),
    model: slug(vehicle.model),
    model_year: vehicle.modelYear,
  };
  // Reference values are Latin slugs: a make written without one letter or digit of them
  // would be sent blank and refused ("may not be blank").
  if (fields.brand === "") {
    findings.problem(
      "vehicle.make",
      "invalid_value",
      "The make needs Latin letters or digits.",
      "category_fields.brand",
    );
  }
  if (fields.model === "") {
    findings.problem(
      "vehicle.model",
      "invalid_value",
      "The model needs Latin letters or digits.",
      "category_fields.model",
    );
  }
  if (vehicle.variant !== undefined) fields.model_type = vehicle.variant;
  if (vehicle.bodyType === undefined) {
    if (rules.bodyTypeRequired !== false)
      findings.problem(
        "vehicle.bodyType",
        "required",
        "A body type is required.",
        "category_fields.body_type",
      );
  } else fields.body_type = wireBodyType[vehicle.bodyType];
  if (vehicle.colour !== undefined) fields.color = wireColour(vehicle.colour);
  else if (rules.colourRequired) {
    findings.problem(
      "vehicle.colour",
      "required",
      "A colour is required.",
      "category_fields.color",
    );
  }
  if (vehicle.registrationNumber !== undefined) {
    fields.registration_number = vehicle.registrationNumber.replace(/\s+/g, "").toUpperCase();
  }

  const condition: Record<string, unknown> = rules.extendedFields
    ? { is_new_vehicle: vehicle.condition === "new" }
    : {};
  if (vehicle.mileage !== undefined)
    condition.mileage = { unit: vehicle.mileage.unit, value: vehicle.mileage.value };
  else if (rules.motorised) {
    findings.problem(
      "vehicle.mileage",
      "required",
      "The mileage is required.",
      "category_fields.condition.mileage",
    );
  }
  fields.condition = condition;

  if (rules.motorised) {
    const powertrain: Record<string, unknown> = {};
    if (vehicle.transmission === undefined) {
      findings.problem(
        "vehicle.transmission",
        "required",
        "The transmission is required.",
        "category_fields.powertrain.transmission",
      );
    } else powertrain.transmission = vehicle.transmission;
    const fuels = vehicle.fuels.flatMap((fuel) => wireFuel(fuel) ?? []);
    if (vehicle.fuels.includes("other")) {
      findings.warn(
        "vehicle.fuels",
        "unsupported",
        'The fuel "other" has no value on this marketplace; it was left out.',
        "category_fields.powertrain.fuels",
      );
    }
    const distinctFuels = [...new Set(fuels)];
    if (distinctFuels.length === 0) {
      findings.problem(
        "vehicle.fuels",
        "required",
        "At least one fuel is required.",
        "category_fields.powertrain.fuels",
      );
    }
    powertrain.fuels = distinctFuels;
    if (vehicle.power !== undefined && rules.extendedFields)
      powertrain.power = { unit: vehicle.power.unit, value: vehicle.power.value };
    fields.powertrain = powertrain;
  }

  const physics: Record<string, unknown> = {};
  if (vehicle.grossWeightKg !== undefined)
    physics.gross_weight = { unit: "kg", value: vehicle.grossWeightKg };
  // The V4 camper example gives length in metres: `"length": {"unit": "m", "value": 7.5}`.
  if (vehicle.lengthMm !== undefined)
    physics.length = { unit: "m", value: vehicle.lengthMm / 1000 };
  if (vehicle.beds !== undefined) physics.number_of_beds = vehicle.beds;
  if (Object.keys(physics).length > 0 && rules.extendedFields) fields.physics = physics;

  if (vehicle.equipment.length > 0 || rules.equipmentRequired)
    fields.equipments = [...vehicle.equipment];
  return fields;
};

export interface ImageRules {
  readonly max: number;
  readonly httpsOnly: boolean;
  /** Over the limit: send the first `max` with a warning, or refuse the ad. */
  readonly tooMany: "truncate" | "reject";
}

/** Ordered image URLs within the dialect's limits. */
export const mapImages = (
  images: ReadonlyArray<string>,
  rules: ImageRules,
  findings: Findings,
): Array<string> => {
  images.forEach((url, index) => {
    if (rules.httpsOnly && !url.toLowerCase().startsWith("https://")) {
      findings.problem(
        `images.${index}`,
        "invalid_value",
        "Only HTTPS image URLs are accepted.",
        `image_urls.${index}`,
      );
    }
  });
  if (images.length <= rules.max) return [...images];
  const message = `At most ${rules.max} images are accepted; ${images.length} were given.`;
  if (rules.tooMany === "reject") findings.problem("images", "too_many", message, "image_urls");
  else
    findings.warn(
      "images",
      "too_many",
      `${message} The first ${rules.max} are sent.`,
      "image_urls",
    );
  return images.slice(0, rules.max);
};

const videoHosts = /^(?:www\.|m\.)?(?:youtube\.com|youtu\.be|vimeo\.com|player\.vimeo\.com)$/i;

/** "URL to Youtube or Vimeo video that is shown on the ad page." */
export const mapVideo = (url: string | undefined, findings: Findings): string | undefined => {
  if (url === undefined) return undefined;
  if (!videoHosts.test(new URL(url).hostname)) {
    findings.problem(
      "video",
      "invalid_value",
      "Only YouTube and Vimeo videos are accepted.",
      "video_url",
    );
    return undefined;
  }
  return url;
};

/** "Phone number (only digits)". */
export const digitsOnly = (phone: string): string => phone.replace(/\D+/g, "");

export const checkMaxLength = (
  text: string | undefined,
  max: number,
  path: string,
  marketplacePath: string,
  findings: Findings,
): string | undefined => {
  if (text !== undefined && text.length > max) {
    findings.problem(
      path,
      "too_long",
      `At most ${max} characters (${text.length} given).`,
      marketplacePath,
    );
  }
  return text;
};

/**
 * "There are three alternatives available for setting ad location. zip code, lkf or
 * coordinates". We send one, most precise first: an LKF code the dealer gave explicitly
 * (it "increases location accuracy" in Stockholm, Göteborg and Malmö), then the zip code,
 * then coordinates.
 */
export const mapLocation = (
  location: Location | undefined,
  findings: Findings,
): Record<string, unknown> | undefined => {
  if (location === undefined) return undefined;
  const lkf = location.regionCodes?.lkf;
  if (lkf !== undefined) {
    if (!/^\d{4}(\d{2})?$/.test(lkf)) {
      findings.problem(
        "location.regionCodes.lkf",
        "invalid_value",
        "An LKF code has four or six digits.",
        "location.lkf",
      );
    }
    return { lkf };
  }
  if (location.postalCode !== undefined) {
    // "zip/postal code without spaces"
    const zipcode = location.postalCode.replace(/\s+/g, "");
    if (!/^\d{5}$/.test(zipcode)) {
      findings.problem(
        "location.postalCode",
        "invalid_value",
        "A Swedish postal code has five digits.",
        "location.zipcode",
      );
    }
    return { zipcode };
  }
  if (location.coordinates !== undefined) {
    return { latitude: location.coordinates.latitude, longitude: location.coordinates.longitude };
  }
  return undefined;
};
