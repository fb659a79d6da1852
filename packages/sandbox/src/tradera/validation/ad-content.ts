import { type ContentValidation, normaliseContent } from "../../pro-import/validation/content.ts";
import { type ErrorNode, type ErrorTree, messages } from "../../pro-import/validation/errors.ts";
import {
  checkBoolean,
  checkChoice,
  checkFields,
  checkHttpUrl,
  checkInteger,
  checkListOfObjects,
  checkNumber,
  checkObject,
  checkString,
  type FieldRules,
  optional,
  parseHttpUrl,
  required,
} from "../../pro-import/validation/fields.ts";
import { checkCategoryFields } from "./category-fields.ts";
import { invalidChoice } from "./messages.ts";

// "Supported Categories": 1020 Cars (Personbilar), 1021 Transport Vehicles (Transportbilar).
const CATEGORY_IDS: ReadonlyArray<number> = [1020, 1021];

/** The content fields an ad keeps and answers, in the order of the guide's ad JSON. */
export const CONTENT_FIELDS = [
  "title",
  "body",
  "price",
  "image_urls",
  "category_fields",
  "location",
  "url",
  "dont_publish_on_failed_images",
] as const;

/** "Required Fields": source_id and dealer_code, on every write (PATCH included). */
export function identityErrors(input: Readonly<Record<string, unknown>>): ErrorTree | undefined {
  return checkFields(input, {
    source_id: required(checkString),
    dealer_code: required(checkString),
  });
}

/** "Price must be an array with currency "SEK" and type "list"". */
const PRICE_RULES: FieldRules = {
  currency: required(checkChoice(["SEK"], invalidChoice)),
  type: required(checkChoice(["list"], invalidChoice)),
  amount: required(checkInteger({ min: 0 })),
};

const AD_RULES: FieldRules = {
  // "The category_id field is numeric, not a string".
  category_id: required(checkCategoryId),
  visible: optional(checkBoolean),
  title: optional(checkString),
  body: required(checkString),
  price: required(checkListOfObjects((item) => checkFields(item, PRICE_RULES))),
  // Required on create only ("Image URLs are required when creating an ad"), with its own
  // plain-string error; see create-handlers.ts.
  image_urls: optional(checkImageUrls),
  category_fields: required(checkCategoryFields),
  location: optional(
    checkObject({
      latitude: required(checkNumber({ min: -90, max: 90 })),
      longitude: required(checkNumber({ min: -180, max: 180 })),
    }),
  ),
  url: optional(checkHttpUrl),
  dont_publish_on_failed_images: optional(checkBoolean),
};

/**
 * Validates an ad's content (everything but source_id and dealer_code) as create, validate,
 * PUT and PATCH (after merging) do.
 */
export function validateContent(input: Readonly<Record<string, unknown>>): ContentValidation {
  const errors = checkFields(input, AD_RULES);
  const categoryId = input.category_id;
  if (errors !== undefined || typeof categoryId !== "number") {
    return { ok: false, errors: errors ?? { category_id: [messages.required] } };
  }
  return { ok: true, content: normaliseContent(input, categoryId, CONTENT_FIELDS) };
}

function checkCategoryId(value: unknown): ErrorNode | undefined {
  if (typeof value !== "number" || !Number.isInteger(value)) return [messages.notInteger];
  return CATEGORY_IDS.includes(value) ? undefined : [invalidChoice(value)];
}

function checkImageUrls(value: unknown): ErrorNode | undefined {
  if (!Array.isArray(value)) return [messages.notList(value)];
  const invalid = value.flatMap((item: unknown, index) =>
    parseHttpUrl(item) === undefined ? [`Item ${index}: ${messages.invalidUrl}`] : [],
  );
  return invalid.length > 0 ? invalid : undefined;
}
