import type { ListingRef, Presence, Progress } from "@adsync/core";
import { enrichmentFields, type WireAdvertisement } from "./wire.ts";

/**
 * Marktplaats is synchronous: a 201/200 settles the operation. `status` is "``online`` or
 * ``deactivated``"; "deactivated advertisements are not visible on the site".
 */
const presenceOf = (status: string | undefined): Presence =>
  status === "deactivated" ? "hidden" : "live";

/**
 * The licence-plate enrichment as notes: "if a valid license plate is provided, they will be
 * enriched with data from a third party partner after posting. This process is asynchronous".
 * Pending while none of the documented fields has arrived; arrived with the fields once any
 * has. Fields the dealer sent count as arrived ("this data is used instead").
 */
const enrichmentNotes = (advertisement: WireAdvertisement): ReadonlyArray<string> => {
  if (advertisement.licensePlate === undefined) return [];
  const arrived = enrichmentFields.filter((field) => advertisement[field] !== undefined);
  return arrived.length === 0
    ? [`enrichment pending: licence plate ${advertisement.licensePlate}`]
    : [`enrichment arrived: ${arrived.join(", ")}`];
};

export const refOf = (
  advertisement: WireAdvertisement,
  meta: Readonly<Record<string, string>>,
): ListingRef => {
  const seller = advertisement.seller;
  const sellerId =
    typeof seller === "object" && seller !== null && "sellerId" in seller
      ? seller.sellerId
      : undefined;
  return {
    remoteId: advertisement.itemId,
    ids:
      typeof sellerId === "number" || typeof sellerId === "string"
        ? { sellerId: String(sellerId) }
        : {},
    meta: {
      ...meta,
      ...(advertisement.categoryId === undefined
        ? {}
        : { categoryId: String(advertisement.categoryId) }),
    },
  };
};

export const progressOf = (advertisement: WireAdvertisement): Progress => {
  const notes = enrichmentNotes(advertisement);
  return {
    status: "succeeded",
    presence: presenceOf(advertisement.status),
    notes,
    raw: {
      itemId: advertisement.itemId,
      status: advertisement.status,
      enrichment: Object.fromEntries(
        enrichmentFields.flatMap((field) =>
          advertisement[field] === undefined ? [] : [[field, advertisement[field]]],
        ),
      ),
      notes,
    },
  };
};

export const removedProgress: Progress = { status: "succeeded", presence: "removed" };
