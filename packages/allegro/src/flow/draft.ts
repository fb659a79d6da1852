import type { AllegroPayload } from "../mapping/to-allegro.ts";
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
export const draftBody = (content: AllegroPayload, categoryId: string) => ({
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
export const offerFields = (content: AllegroPayload, resolved: Resolved) => ({
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

type OfferFields = ReturnType<typeof offerFields>;
type OfferKey = keyof OfferFields;

/**
 * The offer as `/sale/product-offers` takes it: OpenAPI `SaleProductOffer` lists `images` as
 * an array of URLs (`/sale/offers` had `[{url}]`). `contact` is not in the 2021 OpenAPI copy
 * but is in today's product-offer schema (classifieds' "contact": {"id"}), so it is carried.
 */
const productOfferFields = (fields: Partial<OfferFields>): Readonly<Record<string, unknown>> =>
  fields.images === undefined
    ? fields
    : { ...fields, images: fields.images.map((image) => image.url) };

/**
 * `POST /sale/product-offers` carries the complete offer at once, so there is no separate
 * draft POST + complete PUT. `stock` is required by `SaleProductOfferRequestV3`; a vehicle is
 * one unit.
 */
export const productOfferCreateBody = (fields: OfferFields) => ({
  ...productOfferFields(fields),
  stock: { available: 1, unit: "UNIT" },
});

/** An offer read from either API in `/sale/offers`' shape (`images: [{url}]`), for the fee preview. */
export const asSaleOffer = (
  offer: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> =>
  Array.isArray(offer.images)
    ? {
        ...offer,
        images: offer.images.map((image: unknown) =>
          typeof image === "string" ? { url: image } : image,
        ),
      }
    : offer;

/** Which offer fields each part of our content feeds. */
const offerKeysOf: Readonly<Record<keyof AllegroPayload, ReadonlyArray<OfferKey>>> = {
  name: ["name"],
  category: ["category", "parameters"],
  vehicle: ["parameters"],
  parameterOverrides: ["parameters"],
  description: ["description"],
  // Description images are gallery URLs: a new gallery rewrites the description too.
  images: ["images", "description"],
  sellingMode: ["sellingMode"],
  location: ["location"],
  contact: ["contact"],
  payments: ["payments"],
  external: ["external"],
  // Packages, the schedule and draftOnly are not offer fields.
  packages: [],
  scheduledFor: [],
  draftOnly: [],
};

export const allOfferKeys: ReadonlyArray<OfferKey> = [
  "name",
  "category",
  "parameters",
  "description",
  "images",
  "sellingMode",
  "location",
  "contact",
  "payments",
  "external",
];

/** Offer fields whose value needs Allegro's ids (leaf category, parameters, contact, images). */
export const needsResolution = (keys: ReadonlyArray<OfferKey>): boolean =>
  keys.some((key) => ["category", "parameters", "description", "images", "contact"].includes(key));

const same = (left: unknown, right: unknown) => JSON.stringify(left) === JSON.stringify(right);

/**
 * The offer fields a `PATCH` must carry to take the offer from `previous` (the content last
 * sent, the publisher's stored payload) to `next`: only what changed.
 */
export const changedOfferKeys = (
  previous: AllegroPayload,
  next: AllegroPayload,
): ReadonlyArray<OfferKey> => {
  const keys = new Set<OfferKey>();
  for (const [key, offerKeys] of Object.entries(offerKeysOf) as Array<
    [keyof AllegroPayload, ReadonlyArray<OfferKey>]
  >)
    if (!same(previous[key], next[key])) for (const offerKey of offerKeys) keys.add(offerKey);
  return allOfferKeys.filter((key) => keys.has(key));
};

/**
 * The `PATCH /sale/product-offers/{id}` body: the changed fields only; a field that is gone
 * is sent as `null` ("null removes one").
 */
export const patchBody = (
  fields: Partial<OfferFields>,
  keys: ReadonlyArray<OfferKey>,
): Readonly<Record<string, unknown>> => {
  const picked = productOfferFields(
    Object.fromEntries(
      keys.flatMap((key) => (fields[key] === undefined ? [] : [[key, fields[key]]])),
    ),
  );
  return Object.fromEntries(keys.map((key) => [key, picked[key] ?? null]));
};
