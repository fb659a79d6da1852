import type { Money } from "@adsync/core";
import { isJsonObject } from "../json-patch.ts";
import { enrichmentFields, type WireAdvertisement } from "../wire.ts";
import { htmlToText } from "./description.ts";
import type { MarktplaatsPayload } from "./to-marktplaats.ts";

/** A Marktplaats advertisement read back into canonical terms (the fields mapped both ways). */
export interface CanonicalView {
  readonly itemId: string;
  readonly title: string | undefined;
  readonly description: string | undefined;
  readonly price: { readonly list?: Money };
  readonly postalCode: string | undefined;
  readonly city: string | undefined;
  readonly registrationNumber: string | undefined;
  /** The values Marktplaats added from the licence plate, by field name. */
  readonly enrichment: Readonly<Record<string, unknown>>;
}

const text = (value: unknown): string | undefined =>
  typeof value === "string" ? value : undefined;

export const fromMarktplaatsAdvertisement = (
  advertisement: WireAdvertisement,
  priceUnit: "cents" | "euros",
): CanonicalView => {
  const priceModel = isJsonObject(advertisement.priceModel) ? advertisement.priceModel : {};
  const asking = priceModel.askingPrice;
  const location = isJsonObject(advertisement.location) ? advertisement.location : {};
  const description = text(advertisement.description);
  return {
    itemId: advertisement.itemId,
    title: text(advertisement.title),
    description: description === undefined ? undefined : htmlToText(description).trim(),
    price:
      typeof asking === "number"
        ? { list: { amount: priceUnit === "cents" ? asking : asking * 100, currency: "EUR" } }
        : {},
    postalCode: text(location.postcode),
    city: text(location.cityName),
    registrationNumber: advertisement.licensePlate,
    enrichment: enrichmentOf(advertisement),
  };
};

/** The enrichment fields the advertisement holds now. */
export const enrichmentOf = (advertisement: WireAdvertisement): Readonly<Record<string, unknown>> =>
  Object.fromEntries(
    enrichmentFields.flatMap((field) =>
      advertisement[field] === undefined ? [] : [[field, advertisement[field]] as const],
    ),
  );

/** A stored payload as the shape adsync writes, or undefined (e.g. before the first answer). */
export const asMarktplaatsPayload = (value: unknown): MarktplaatsPayload | undefined => {
  if (!isJsonObject(value) || !isJsonObject(value.advertisement)) return undefined;
  const imageUrls = Array.isArray(value.imageUrls)
    ? value.imageUrls.filter((url): url is string => typeof url === "string")
    : [];
  return { advertisement: value.advertisement, imageUrls };
};
