import type { Timers } from "../http/timers.ts";
import type { OutsideChanges } from "../http/types.ts";
import type { AdvertisementStore, StoredAdvertisement } from "./store.ts";

/**
 * Changes made on Marktplaats' side, as the advertisement doc describes its states:
 * - `status` is "``online`` or ``deactivated``; deactivated advertisements are not visible on
 *   the site": `deactivate` (the seller pauses it on the site) sets `deactivated`;
 * - `closeDate` is "the date the advertisement will be closed" and `renewPossible` "shows if
 *   advertisement can be renewed with the renew operation": `expire` brings the close date to
 *   now, the ad stays in the seller's list, `deactivated` (the only documented status besides
 *   online), renewable;
 * - a deleted advertisement answers 404 `advertisement-not-found` and leaves the list: `delete`;
 * - the doc has no state for an ad rejected after placement: `reject` answers false;
 * - `edit` changes the title and/or the asking price (whole euros → the cents the fake holds,
 *   as the adapter sends them by default) as the seller would on the site.
 *
 * The advertisement has no field for the dealer's own reference ("itemId … needs to be omitted
 * in a POST"): listings are named by their `itemId`, the `remoteId` adsync stores.
 */
export const marktplaatsOutside = (store: AdvertisementStore, timers: Timers): OutsideChanges => {
  const change = (itemId: string, apply: (stored: StoredAdvertisement) => void): boolean => {
    const stored = store.get(itemId);
    if (stored === undefined || stored.deleted) return false;
    apply(stored);
    return true;
  };
  return {
    expire: (itemId) =>
      change(itemId, (stored) => {
        // The fake's clock may run ahead of the machine's (manual advance): the close date is
        // never later than either, so it reads as reached by any clock.
        const closedAt = Math.min(timers.now(), Date.now()) - 1_000;
        stored.document = {
          ...stored.document,
          status: "deactivated",
          closeDate: new Date(closedAt).toISOString(),
          renewPossible: true,
        };
      }),
    delete: (itemId) =>
      change(itemId, (stored) => {
        stored.deleted = true;
      }),
    deactivate: (itemId) =>
      change(itemId, (stored) => {
        stored.document = { ...stored.document, status: "deactivated" };
      }),
    reject: () => false,
    edit: (itemId, { title, price }) =>
      change(itemId, (stored) => {
        const priceModel = stored.document.priceModel;
        stored.document = {
          ...stored.document,
          ...(title === undefined ? {} : { title }),
          ...(price === undefined
            ? {}
            : {
                priceModel: {
                  ...(typeof priceModel === "object" && priceModel !== null ? priceModel : {}),
                  askingPrice: Math.round(price * 100),
                },
              }),
        };
      }),
  };
};
