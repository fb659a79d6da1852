import type { AllegroContent } from "../mapping/to-allegro.ts";
import type { WireDescription, WireDescriptionItem, WireParameter } from "../wire.ts";

/** What only Allegro knows, resolved for one ad before its offer is built. */
export interface Resolved {
  readonly categoryId: string;
  readonly parameters: ReadonlyArray<WireParameter>;
  readonly contactId: string;
  /** Source URL → allegroimg URL. */
  readonly images: ReadonlyMap<string, string>;
}

/**
 * Section 6: "You can transfer partial data (at least title and ad category)". The draft
 * carries `external.id` from the start, so a create whose answer was lost is found again
 * through `GET /sale/offers?external.id=…` before anything is re-sent.
 */
export const draftBody = (content: AllegroContent, categoryId: string) => ({
  name: content.name,
  category: { id: categoryId },
  external: content.external,
});

/** "use only images that are saved in the ad gallery": description images are gallery URLs. */
const withGalleryImages = (
  description: WireDescription,
  images: ReadonlyMap<string, string>,
): WireDescription => ({
  sections: description.sections.map((section) => ({
    items: section.items.flatMap((item): ReadonlyArray<WireDescriptionItem> => {
      if (item.type === "TEXT") return [item];
      const url = images.get(item.url);
      return url === undefined ? [] : [{ type: "IMAGE" as const, url }];
    }),
  })),
});

/** The fields of the offer we own (OpenAPI `Offer`), complete as section 7 lists them. */
export const offerFields = (content: AllegroContent, resolved: Resolved) => ({
  name: content.name,
  category: { id: resolved.categoryId },
  parameters: resolved.parameters,
  description: withGalleryImages(content.description, resolved.images),
  images: content.images.flatMap((source) => {
    const url = resolved.images.get(source);
    return url === undefined ? [] : [{ url }];
  }),
  sellingMode: content.sellingMode,
  location: content.location,
  contact: { id: resolved.contactId },
  payments: content.payments,
  external: content.external,
});

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Drops `null` values. The guide's samples send nulls back ("ean": null, "delivery":
 * {"shippingRates": null, …}) but the OpenAPI `Offer` schema declares none of them nullable;
 * leaving a field out means the same to Allegro, so the body satisfies both.
 */
export const withoutNulls = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.filter((entry) => entry !== null).map(withoutNulls);
  if (!isRecord(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (entry !== null) result[key] = withoutNulls(entry);
  }
  return result;
};

/**
 * Section "Editing ad data": "Even if you want to change one field, you must transfer the whole
 * structure you have retrieved by calling GET /sale/offers/{offerId}". Our fields replace
 * theirs; everything else Allegro holds is sent back as it came.
 */
export const mergeOffer = (
  existing: Readonly<Record<string, unknown>>,
  ours: Readonly<Record<string, unknown>>,
) => withoutNulls({ ...existing, ...ours });
