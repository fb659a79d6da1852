import type { Location, Prices, Vehicle } from "@adsync/core";
import { limits, videoHosts } from "../config.ts";
import type { Findings } from "./findings.ts";

/**
 * The documented top-level fields of an advertisement, one function each. Pure; what cannot
 * be sent is written to `findings`.
 */

/** The advertisement fields the ad's own marketplace options set (`marketplaces.<site>.<field>`). */
export const optionFields: ReadonlyArray<string> = [
  "stickerText",
  "showOnMap",
  "partNumber",
  "locale",
];

/**
 * The fields a JSON Patch may change: "We currently support the operations replace, add, copy,
 * move and remove for the following fields: title, description, priceModel, all optional
 * fields (attributes)".
 */
export const patchableFields: ReadonlyArray<string> = ["title", "description", "priceModel"];

/**
 * The advertisement's own top-level fields, the one list of them (every other key is a
 * category attribute): what the update plan sends by PUT unless patchable, and what an error
 * on a field points at.
 */
export const advertisementFields: ReadonlySet<string> = new Set([
  "categoryId",
  ...patchableFields,
  "licensePlate",
  "seller",
  "location",
  "url",
  "videoUrl",
  ...optionFields,
]);

/** "Urls are not allowed as part of the title": schemes, "www." and host names alike. */
const urlPattern =
  /(?:https?|ftp):\/\/|www\.|[\p{L}\p{N}-]+\.(?:nl|be|com|net|org|eu|de|fr|info|io|biz|shop|auto)(?![\p{L}\p{N}])/iu;
export const containsUrl = (text: string): boolean => urlPattern.test(text);

const squash = (text: string) => text.replace(/\s+/g, " ").trim();

/** The longest run of whole words from `words` that fits `max` characters. */
const fitWords = (words: ReadonlyArray<string>, max: number): string => {
  let text = "";
  for (const word of words) {
    const next = text === "" ? word : `${text} ${word}`;
    if (next.length > max) break;
    text = next;
  }
  return text === "" ? (words[0] ?? "").slice(0, max) : text;
};

/**
 * "Any string with a minimum of 3 characters, up to 60 characters. Urls are not allowed".
 * The dealer's title, shortened at a word with a warning when too long; else one built from
 * the vehicle: make, model, as much of the variant as fits, and the model year.
 */
export const mapTitle = (
  title: string | undefined,
  vehicle: Vehicle,
  findings: Findings,
): string | undefined => {
  if (title !== undefined) {
    const text = squash(title);
    if (containsUrl(text)) {
      findings.problem(
        "title",
        "invalid_value",
        "Marktplaats allows no URLs in the title.",
        "title",
      );
      return undefined;
    }
    if (text.length < limits.titleMin) {
      findings.problem("title", "too_short", "The title needs at least 3 characters.", "title");
      return undefined;
    }
    if (text.length <= limits.titleMax) return text;
    const byWords = fitWords(text.split(" "), limits.titleMax);
    // A first word longer than the limit leaves nothing at a word boundary: cut the text
    // itself then, since the title is "required: true" with "a minimum of 3 characters".
    const short =
      byWords.length >= limits.titleMin
        ? byWords
        : [...text].slice(0, limits.titleMax).join("").trimEnd();
    findings.warn(
      "title",
      "too_long",
      `Marktplaats takes 60 characters; the title was shortened to "${short}".`,
      "title",
    );
    return short;
  }
  const base = [squash(vehicle.make), squash(vehicle.model)];
  if (base.some(containsUrl)) {
    findings.problem(
      "title",
      "invalid_value",
      "The make or model reads as a URL, which a Marktplaats title may not contain: give a title.",
      "title",
    );
    return undefined;
  }
  const variant = vehicle.variant === undefined ? [] : squash(vehicle.variant).split(" ");
  const safeVariant = variant.filter((word) => !containsUrl(word));
  const year = String(vehicle.modelYear);
  const withoutYear = fitWords([...base.join(" ").split(" "), ...safeVariant], limits.titleMax - 5);
  const derived = fitWords([...withoutYear.split(" "), year], limits.titleMax);
  if (derived.length < limits.titleMin || containsUrl(derived)) {
    findings.problem(
      "title",
      "required",
      "Marktplaats needs a title of 3 to 60 characters.",
      "title",
    );
    return undefined;
  }
  return derived;
};

/** Whether a price model takes an `askingPrice`. */
export type AskingPriceRule = "required" | "optional" | "forbidden";

/**
 * The price models adsync knows. Our copy of the doc says only "one of supported price models"
 * and, for `input-not-allowed`, "when you try to set for example an askingPrice for a
 * priceModel which doesn't support that"; the guide shows `fixed`. The other names are our
 * reading of the site's price types (fixed, minimum bid, bidding, negotiable, on request, see
 * description, exchange, free, reserved): `priceModels` in the config adds or corrects them.
 */
export const defaultPriceModels: Readonly<Record<string, AskingPriceRule>> = {
  fixed: "required",
  "min-bid": "required",
  bidding: "optional",
  negotiable: "forbidden",
  "on-request": "forbidden",
  "see-description": "forbidden",
  exchange: "forbidden",
  free: "forbidden",
  reserved: "forbidden",
};

interface PriceSettings {
  readonly unit: "cents" | "euros";
  /** The dealer's `priceModelType`, if any. */
  readonly modelType: string | undefined;
  readonly optionsPath: string;
  readonly models: Readonly<Record<string, AskingPriceRule>>;
  /** The model `price.callForPrice` becomes (default "on-request"). */
  readonly callForPriceModel: string;
}

/**
 * `priceModel`: `{modelType, askingPrice}` in euro cents (decision D1); euros only. The model
 * is the dealer's `priceModelType`, else `callForPriceModel` when the ad asks buyers to call,
 * else "fixed". A model that takes no asking price gets none (the price is warned about).
 */
export const mapPriceModel = (
  price: Prices,
  settings: PriceSettings,
  findings: Findings,
): Record<string, unknown> | undefined => {
  const callForPrice = price.callForPrice === true;
  const modelType = settings.modelType ?? (callForPrice ? settings.callForPriceModel : "fixed");
  if (callForPrice && settings.modelType !== undefined) {
    findings.warn(
      "price.callForPrice",
      "unsupported",
      `The price model is ${modelType} (${settings.optionsPath}.priceModelType), not the call-for-price model ${settings.callForPriceModel}.`,
      "priceModel.modelType",
    );
  }
  const rule = settings.models[modelType] ?? "optional";
  if (price.monthly !== undefined) {
    findings.warn(
      "price.monthly",
      "unsupported",
      "Marktplaats takes no monthly price; it was left out.",
      "priceModel",
    );
  }
  if (rule === "forbidden") {
    for (const key of ["list", "reduced"] as const) {
      if (price[key] === undefined) continue;
      findings.warn(
        `price.${key}`,
        "unsupported",
        `The price model ${modelType} shows no asking price; the price was left out.`,
        "priceModel.askingPrice",
      );
    }
    return { modelType };
  }
  const asking = price.reduced ?? price.list;
  if (price.reduced !== undefined && price.list !== undefined) {
    findings.warn(
      "price.list",
      "unsupported",
      "Marktplaats shows one asking price: the reduced price is sent, without the original list price.",
      "priceModel.askingPrice",
    );
  }
  if (asking === undefined) {
    if (rule === "required") {
      findings.problem(
        "price.list",
        "required",
        `The price model ${modelType} needs a list price; for another price model set ${settings.optionsPath}.priceModelType.`,
        "priceModel.askingPrice",
      );
      return undefined;
    }
    return { modelType };
  }
  const path = price.reduced === undefined ? "price.list" : "price.reduced";
  if (asking.currency !== "EUR") {
    findings.problem(
      path,
      "invalid_value",
      `Marktplaats takes euros, not ${asking.currency}.`,
      "priceModel.askingPrice",
    );
    return undefined;
  }
  if (settings.unit === "cents") return { modelType, askingPrice: asking.amount };
  const euros = Math.round(asking.amount / 100);
  if (euros * 100 !== asking.amount) {
    findings.warn(
      path,
      "invalid_value",
      `Whole euros only: ${asking.amount} cents were rounded to €${euros}.`,
      "priceModel.askingPrice",
    );
  }
  return { modelType, askingPrice: euros };
};

/**
 * `licensePlate`: "6 chars or 8 chars" — a Dutch plate without (6) or with (8) its two dashes.
 * We send the 6-character form; anything else is left out with a warning (no enrichment).
 */
export const mapLicensePlate = (
  registration: string | undefined,
  findings: Findings,
): string | undefined => {
  if (registration === undefined) return undefined;
  const compact = registration.toUpperCase().replace(/[\s.-]/g, "");
  if (/^[A-Z0-9]{6}$/.test(compact)) return compact;
  findings.warn(
    "vehicle.registrationNumber",
    "invalid_value",
    "Marktplaats takes a licence plate of 6 characters (8 with dashes); it was left out, so no data is added from it.",
    "licensePlate",
  );
  return undefined;
};

/** "max. 12 chars, has to be valid": digits with an optional leading "+" ("00" becomes "+"). */
export const normalizePhone = (phone: string): string | undefined => {
  const compact = phone.replace(/[\s().-]/g, "").replace(/^00/, "+");
  return /^\+?[0-9]{9,11}$/.test(compact) && compact.length <= limits.phoneNumber
    ? compact
    : undefined;
};

const cityPattern = /^[\p{L}\p{N}_,-]+$/u;

/**
 * `location`: "Either provide postcode or cityName, if both are provided, the cityName is used
 * and postcode ignored", and a city alone means "abroad … not displayed on the map". So the
 * postcode alone when there is one; the city alone only when there is none.
 */
export const mapLocation = (
  location: Location | undefined,
  findings: Findings,
): Record<string, string> | undefined => {
  const postcode = location?.postalCode?.toUpperCase().replace(/\s/g, "");
  if (postcode !== undefined) {
    if (postcode.length > limits.postcode || !/^[0-9]{4}([A-Z]{2})?$/.test(postcode)) {
      findings.problem(
        "location.postalCode",
        "invalid_value",
        "Marktplaats takes a Dutch (1234AB) or Belgian (1234) postcode of at most 6 characters.",
        "location.postcode",
      );
      return undefined;
    }
    return { postcode };
  }
  const city = location?.city;
  if (city === undefined) {
    findings.problem(
      "location.postalCode",
      "required",
      "Marktplaats needs a postcode.",
      "location.postcode",
    );
    return undefined;
  }
  if (city.length > limits.cityName || !cityPattern.test(city)) {
    findings.problem(
      "location.city",
      "invalid_value",
      "A city may only contain letters, numbers, dashes, underscores and commas (max. 60); give a postcode instead.",
      "location.cityName",
    );
    return undefined;
  }
  findings.warn(
    "location.postalCode",
    "required",
    'Without a postcode Marktplaats shows the ad as abroad ("Buitenland") and not on the map.',
    "location.postcode",
  );
  return { cityName: city };
};

/** `videoUrl`: "max 150 chars" on marktplaats.carviewer.nl or marktplaats.movieplayer.nl. */
export const mapVideoUrl = (video: string | undefined, findings: Findings): string | undefined => {
  if (video === undefined) return undefined;
  const host = URL.canParse(video) ? new URL(video).hostname : "";
  if (video.length <= limits.videoUrl && videoHosts.has(host)) return video;
  findings.warn(
    "video",
    "unsupported",
    "Marktplaats shows videos from marktplaats.carviewer.nl or marktplaats.movieplayer.nl only (max. 150 characters); it was left out.",
    "videoUrl",
  );
  return undefined;
};

/** A text option with a documented maximum: an issue on the option when longer. */
export const checkMax = (
  value: string | undefined,
  max: number,
  path: string,
  marketplacePath: string,
  findings: Findings,
): string | undefined => {
  if (value === undefined || value.length <= max) return value;
  findings.problem(path, "too_long", `At most ${max} characters.`, marketplacePath);
  return undefined;
};
