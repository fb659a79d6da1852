import type { AdContent } from "../ad-record.ts";
import type { ErrorTree } from "./errors.ts";

/** A validated ad content, or the errors of the fields that are not valid. */
export type ContentValidation =
  | { readonly ok: true; readonly content: AdContent }
  | { readonly ok: false; readonly errors: ErrorTree };

/**
 * The content of a validated input: the named fields as sent (absent and null ones left out),
 * and category_id, visible (default true) and dont_publish_on_failed_images (default false)
 * normalised. Fields without a name in `fieldNames` are ignored, as DRF ignores unknown input.
 */
export function normaliseContent(
  input: Readonly<Record<string, unknown>>,
  categoryId: number,
  fieldNames: ReadonlyArray<string>,
): AdContent {
  const fields: Record<string, unknown> = {};
  for (const name of fieldNames) {
    const value = input[name];
    if (value !== undefined && value !== null) fields[name] = structuredClone(value);
  }
  const visible = typeof input.visible === "boolean" ? input.visible : true;
  const dontPublishOnFailedImages = input.dont_publish_on_failed_images === true;
  const imageUrls = Array.isArray(input.image_urls)
    ? input.image_urls.filter((url): url is string => typeof url === "string")
    : [];
  // category_id is answered as an integer whichever form it came in.
  fields.category_id = categoryId;
  fields.visible = visible;
  fields.dont_publish_on_failed_images = dontPublishOnFailedImages;
  return { categoryId, visible, dontPublishOnFailedImages, imageUrls, fields };
}
