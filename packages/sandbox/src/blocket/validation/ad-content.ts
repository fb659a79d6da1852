import { type ContentValidation, normaliseContent } from "../../pro-import/validation/content.ts";
import { type ErrorNode, errorTree, messages } from "../../pro-import/validation/errors.ts";
import {
  checkBoolean,
  checkDictionary,
  checkField,
  checkHttpUrl,
  checkString,
} from "../../pro-import/validation/fields.ts";
import { CONTENT_FIELD_ORDER } from "../ad-json.ts";
import type { ApiVersion } from "../ad-record.ts";
import { checkCategory, isRegisteredVehicleAd, requiresV4 } from "../categories.ts";
import { checkRegisteredCategoryFields } from "./category-fields.ts";
import { checkContact, checkLocation } from "./location-and-contact.ts";
import { checkImageUrls, checkVideoUrl } from "./media.ts";
import { checkPrice } from "./price.ts";

// The dealer's terms that the V3 doc's changelog lists as new in /v4/ad ("warranty,
// return_policy, service_history, product_declaration, home_delivery"); product_declaration is
// also in the V3 field table, so only these four are dropped from a V3 write.
const V4_ONLY_FIELDS: ReadonlySet<string> = new Set([
  "warranty",
  "return_policy",
  "service_history",
  "home_delivery",
]);

/**
 * Validates an ad's content as create, PUT, PATCH (after merging) and migrate do, for one API
 * version; source_id and dealer_code are the caller's business.
 */
export function validateAdContent(
  input: Readonly<Record<string, unknown>>,
  version: ApiVersion,
): ContentValidation {
  const category = parseCategoryId(input.category_id, version);
  const categoryId = typeof category === "number" ? category : undefined;
  const registered = categoryId !== undefined && isRegisteredVehicleAd(categoryId, version);
  const errors = errorTree([
    ["category_id", typeof category === "number" ? undefined : category],
    // title and contact: "Yes (except for registered vehicle categories)"
    ["title", checkField(input.title, !registered, checkString)],
    ["body", checkField(input.body, true, checkString)],
    ["price", checkField(input.price, true, checkPrice)],
    ["image_urls", checkField(input.image_urls, false, checkImageUrls(version))],
    ["url", checkField(input.url, false, checkHttpUrl)],
    ["video_url", checkField(input.video_url, false, checkVideoUrl)],
    ["location", checkField(input.location, false, checkLocation)],
    ["contact", checkField(input.contact, !registered, checkContact)],
    ["category_fields", checkCategoryFields(input.category_fields, categoryId, version)],
    ["visible", checkField(input.visible, false, checkBoolean)],
    [
      "dont_publish_on_failed_images",
      checkField(input.dont_publish_on_failed_images, false, checkBoolean),
    ],
    ["product_declaration", checkField(input.product_declaration, false, checkHttpUrl)],
  ]);
  if (errors !== undefined || categoryId === undefined) {
    return { ok: false, errors: errors ?? { category_id: [messages.required] } };
  }
  // V4-only fields are dropped from a V3 write.
  const fieldNames = CONTENT_FIELD_ORDER.filter(
    (name) => version === "v4" || !V4_ONLY_FIELDS.has(name),
  );
  return { ok: true, content: normaliseContent(input, categoryId, fieldNames) };
}

/** The category id, or its errors. V4 examples send it as a string of digits, V3 types it int. */
function parseCategoryId(value: unknown, version: ApiVersion): number | ErrorNode {
  if (value === undefined) return [messages.required];
  if (value === null) return [messages.notNull];
  const accepted = version === "v4" && typeof value === "string" && /^\d+$/.test(value);
  const categoryId = accepted ? Number(value) : value;
  if (typeof categoryId !== "number" || !Number.isInteger(categoryId)) return [messages.notInteger];
  switch (checkCategory(categoryId)) {
    case "known":
      return categoryId;
    case "unknown":
      return [messages.invalidChoice(categoryId)];
    case "not_yet_supported":
      return [`Category ${categoryId} is not yet supported.`];
  }
}

function checkCategoryFields(
  value: unknown,
  categoryId: number | undefined,
  version: ApiVersion,
): ErrorNode | undefined {
  if (categoryId === undefined) return checkField(value, false, checkDictionary);
  if (version === "v3" && requiresV4(categoryId)) {
    // "These categories are only available as simple ads via the legacy /v3/ad endpoint."
    const present = value !== undefined && value !== null;
    return present ? ["Not available for this category in v3; use /v4/ad."] : undefined;
  }
  if (isRegisteredVehicleAd(categoryId, version)) {
    return checkField(value, true, checkRegisteredCategoryFields(categoryId));
  }
  return checkField(value, false, checkDictionary);
}
