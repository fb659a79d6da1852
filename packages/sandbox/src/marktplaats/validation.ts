import { attributesOf, type FakeAttribute, findCategory } from "./categories.ts";
import type { FieldError } from "./responses.ts";

/**
 * The advertisement doc's field constraints, checked on a whole document (after a POST or PUT
 * body is read, and after a PATCH is applied). Field-error codes are the doc's.
 */
export interface ValidationSettings {
  readonly site: "marktplaats" | "2dehands";
  readonly apiPartner: boolean;
  /** "MUST have a special privilege allowing category changes in the system". */
  readonly categoryChange?: boolean | undefined;
}

/**
 * The price models the fake knows and whether each takes an `askingPrice`. Our copy of the
 * doc lists none ("one of supported price models", the Price Model page is not in it); the
 * names are the sandbox's reading of the site's price types. `input-not-allowed` is the doc's:
 * "returned when you try to set for example an askingPrice for a priceModel which doesn't
 * support that".
 */
export const fakePriceModels: Readonly<Record<string, "required" | "optional" | "forbidden">> = {
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

/** Fields the server writes; a body may carry them (the PUT example does) but never sets them. */
export const serverFields = [
  "itemId",
  "startDate",
  "closeDate",
  "status",
  "renewPossible",
  "_links",
  "_embedded",
];

/** The advertisement's own fields; every other key is a category attribute. */
export const documentedFields: ReadonlySet<string> = new Set([
  "categoryId",
  "title",
  "description",
  "priceModel",
  "licensePlate",
  "seller",
  "location",
  "url",
  "stickerText",
  "videoUrl",
  "showOnMap",
  "partNumber",
  "locale",
  ...serverFields,
]);

const urlLike =
  /(?:https?|ftp):\/\/|www\.|[\p{L}\p{N}-]+\.(?:nl|be|com|net|org|eu)(?![\p{L}\p{N}])/iu;
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function validateAdvertisement(
  document: Record<string, unknown>,
  settings: ValidationSettings,
): ReadonlyArray<FieldError> {
  const errors: Array<FieldError> = [];
  const error: ErrorSink = (field, code, message, value) => {
    errors.push({ field, code, message, ...(value === undefined ? {} : { value }) });
    return undefined;
  };
  const text = (
    field: string,
    value: unknown,
    options: { min?: number; max: number; required?: boolean },
  ) => {
    if (value === undefined || value === "") {
      if (options.required) error(field, "missing-required-field", `${field} is required`);
      return;
    }
    if (typeof value !== "string")
      return error(field, "input-invalid", `${field} must be a string`);
    if (options.min !== undefined && value.length < options.min)
      error(field, "input-too-short", `${field} is too short`, options.min);
    if (value.length > options.max)
      error(field, "input-too-long", `${field} is too long`, options.max);
  };

  const category =
    typeof document.categoryId === "number" ? findCategory(document.categoryId) : undefined;
  if (document.categoryId === undefined)
    error("categoryId", "missing-required-field", "categoryId is required");
  else if (category === undefined)
    error("categoryId", "ad-change-or-placement-not-allowed", "Not an L2 category");

  text("title", document.title, { min: 3, max: 60, required: true });
  if (typeof document.title === "string" && urlLike.test(document.title))
    error("title", "input-invalid", "Urls are not allowed in the title");
  text("description", document.description, { max: 65_535, required: true });
  validatePriceModel(document.priceModel, error);
  if (document.licensePlate !== undefined) {
    const plate = document.licensePlate;
    if (typeof plate !== "string" || (plate.length !== 6 && plate.length !== 8))
      error("licensePlate", "input-invalid", "6 chars or 8 chars");
  }
  validateSeller(document.seller, settings, error, text);
  validateLocation(document.location, settings, error);
  if (
    document.url !== undefined &&
    !(typeof document.url === "string" && /^(https?|ftp):\/\/\S+$/.test(document.url))
  ) {
    error("url", "input-invalid", "a valid URL (http, https or ftp)");
  }
  text("stickerText", document.stickerText, { max: 18 });
  text("videoUrl", document.videoUrl, { max: 150 });
  if (typeof document.videoUrl === "string") {
    const host = URL.canParse(document.videoUrl) ? new URL(document.videoUrl).hostname : "";
    if (host !== "marktplaats.carviewer.nl" && host !== "marktplaats.movieplayer.nl")
      error("videoUrl", "input-invalid", "video host not allowed");
  }
  if (document.showOnMap !== undefined && typeof document.showOnMap !== "boolean")
    error("showOnMap", "input-invalid", "true or false");
  text("partNumber", document.partNumber, { max: 25 });
  const locales = settings.site === "marktplaats" ? ["nl-NL"] : ["nl-BE", "fr-BE"];
  if (document.locale !== undefined && !locales.includes(String(document.locale)))
    error("locale", "input-invalid", "locale not allowed", locales);

  const attributes =
    category === undefined ? [] : (attributesOf(category.category.categoryId) ?? []);
  for (const [key, value] of Object.entries(document)) {
    if (documentedFields.has(key)) continue;
    const attribute = attributes.find((entry) => entry.key === key);
    if (attribute === undefined)
      error(key, "unknown-field", `${key} does not exist in this category`);
    else validateAttribute(attribute, value, error);
  }
  for (const attribute of attributes) {
    if (attribute.mandatory && document[attribute.key] === undefined)
      error(attribute.key, "missing-required-field", `${attribute.label} is required`);
  }
  return errors;
}

type ErrorSink = (field: string, code: string, message: string, value?: unknown) => undefined;

function validatePriceModel(priceModel: unknown, error: ErrorSink): undefined {
  if (priceModel === undefined)
    return error("priceModel", "missing-required-field", "priceModel is required");
  if (!isObject(priceModel))
    return error("priceModel", "input-invalid", "priceModel must be an object");
  const rule =
    typeof priceModel.modelType === "string" ? fakePriceModels[priceModel.modelType] : undefined;
  if (rule === undefined)
    return error(
      "priceModel.modelType",
      "input-invalid",
      "unsupported price model",
      Object.keys(fakePriceModels),
    );
  const asking = priceModel.askingPrice;
  if (asking === undefined) {
    if (rule === "required")
      error("priceModel.askingPrice", "missing-required-field", "askingPrice is required");
    return;
  }
  if (rule === "forbidden")
    return error(
      "priceModel.askingPrice",
      "input-not-allowed",
      `the price model ${String(priceModel.modelType)} takes no askingPrice`,
    );
  if (typeof asking !== "number")
    return error("priceModel.askingPrice", "input-not-numeric", "askingPrice is a number");
  if (!Number.isInteger(asking) || asking < 0)
    error("priceModel.askingPrice", "field-value-out-of-range", "cents, 0 or more");
}

function validateSeller(
  seller: unknown,
  settings: ValidationSettings,
  error: ErrorSink,
  text: (field: string, value: unknown, options: { max: number; required?: boolean }) => void,
): undefined {
  if (seller === undefined) return;
  if (!isObject(seller)) return error("seller", "input-invalid", "seller must be an object");
  text("seller.sellerName", seller.sellerName, {
    max: settings.apiPartner ? 60 : 30,
    required: true,
  });
  if (seller.phoneNumber !== undefined && seller.phoneNumber !== "") {
    const phone = seller.phoneNumber;
    const valid =
      typeof phone === "string" && phone.length <= 12 && /^\+?[0-9][0-9 -]{7,}[0-9]$/.test(phone);
    if (!valid) error("seller.phoneNumber", "input-invalid", "max. 12 chars, has to be valid");
  }
  if (
    seller.kvkNumber !== undefined &&
    !(Number.isInteger(seller.kvkNumber) && Number(seller.kvkNumber) > 0)
  ) {
    error("seller.kvkNumber", "input-invalid", "a positive number greater than 0");
  }
  if (
    seller.vestiging !== undefined &&
    !(typeof seller.vestiging === "string" && /^[A-Za-z0-9]+$/.test(seller.vestiging))
  ) {
    error("seller.vestiging", "input-invalid", "numbers and letters");
  }
  for (const flag of ["showEmail", "acceptPaypal"]) {
    if (seller[flag] !== undefined && typeof seller[flag] !== "boolean")
      error(`seller.${flag}`, "input-invalid", "true or false");
  }
}

function validateLocation(
  location: unknown,
  settings: ValidationSettings,
  error: ErrorSink,
): undefined {
  if (!isObject(location) || (location.postcode === undefined && location.cityName === undefined)) {
    return error("location.postcode", "missing-required-field", "postcode or cityName is required");
  }
  const postcode = location.postcode;
  const pattern = settings.site === "marktplaats" ? /^[1-9][0-9]{3}[A-Z]{2}$/ : /^[1-9][0-9]{3}$/;
  if (
    postcode !== undefined &&
    !(typeof postcode === "string" && postcode.length <= 6 && pattern.test(postcode))
  ) {
    error("location.postcode", "input-invalid", "not a valid postcode");
  }
  const city = location.cityName;
  if (
    city !== undefined &&
    !(typeof city === "string" && city.length <= 60 && /^[\p{L}\p{N}_,-]+$/u.test(city))
  ) {
    error(
      "location.cityName",
      "input-invalid",
      "letters, numbers, dashes, underscores and commas only",
    );
  }
}

function validateAttribute(attribute: FakeAttribute, value: unknown, error: ErrorSink): undefined {
  if (!attribute.writable)
    return error(attribute.key, "field-not-editable", `${attribute.key} is not writable`);
  if (attribute.type === "NUMERIC") {
    if (typeof value !== "number")
      error(attribute.key, "input-not-numeric", `${attribute.key} is numeric`);
    return;
  }
  const values = attribute.type === "LIST" && Array.isArray(value) ? value : [value];
  if (attribute.type !== "LIST" && Array.isArray(value))
    return error(attribute.key, "too-many-field-values", "one value");
  for (const entry of values) {
    if (typeof entry !== "string") return error(attribute.key, "input-invalid", "a string");
    if (attribute.values.length > 0 && !attribute.values.includes(entry)) {
      return error(attribute.key, "input-invalid", `${entry} is not allowed`, attribute.values);
    }
  }
}

/**
 * What an update (PATCH or PUT) may not change, given the stored document: attributes whose
 * category lists them `updateable: false`, and a category move outside the doc's rules ("An
 * L2 category can only be moved within the same L1 * MUST have a special privilege … * Can
 * only change the category of an advertisement once * Can only change it in a specific time
 * period (usually 7 days) of the startdate").
 */
export function updateRefusals(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
  context: {
    readonly settings: ValidationSettings;
    readonly categoryChanged: boolean;
    readonly now: number;
  },
): ReadonlyArray<FieldError> {
  const errors: Array<FieldError> = [];
  const category = typeof before.categoryId === "number" ? before.categoryId : undefined;
  for (const attribute of category === undefined ? [] : (attributesOf(category) ?? [])) {
    if (attribute.updateable) continue;
    if (JSON.stringify(before[attribute.key]) !== JSON.stringify(after[attribute.key])) {
      errors.push({
        field: attribute.key,
        code: "field-not-editable",
        message: `${attribute.label} cannot be changed after placement`,
      });
    }
  }
  if (after.categoryId !== undefined && after.categoryId !== before.categoryId) {
    const from = category === undefined ? undefined : findCategory(category);
    const to = typeof after.categoryId === "number" ? findCategory(after.categoryId) : undefined;
    const start = typeof before.startDate === "string" ? Date.parse(before.startDate) : Number.NaN;
    const message = (reason: string) => `Not allowed to change the category: ${reason}`;
    if (from === undefined || to === undefined || from.root !== to.root) {
      errors.push({
        field: "categoryId",
        code: "ad-change-or-placement-not-allowed",
        message: "Not allowed to change or place ad in category (another L1)",
      });
    } else if (context.settings.categoryChange !== true) {
      errors.push({
        field: "categoryId",
        code: "category-change-not-allowed",
        message: message("no privilege"),
      });
    } else if (context.categoryChanged) {
      errors.push({
        field: "categoryId",
        code: "category-change-not-allowed",
        message: message("already changed once"),
      });
    } else if (!(context.now - start <= categoryChangeWindowMs)) {
      errors.push({
        field: "categoryId",
        code: "category-change-not-allowed",
        message: message("more than 7 days after the start date"),
      });
    }
  }
  return errors;
}

/** "usually 7 days" of the start date. */
export const categoryChangeWindowMs = 7 * 86_400_000;
