import type { AllegroPayload } from "./to-allegro.ts";

/** What an offer shows that adsync also sent: its title and price (the list or a GET). */
export interface ShownOffer {
  readonly name?: string | null | undefined;
  readonly sellingMode?:
    | { readonly price?: { readonly amount?: string | null | undefined } | null | undefined }
    | null
    | undefined;
}

/**
 * Allegro's offer read against the payload last sent: `true` when its title or price is not
 * ours (edited in Allegro's own pages), so the next publish sends the whole offer again.
 */
export const driftFrom = (payload: AllegroPayload | undefined, offer: ShownOffer): boolean =>
  payload !== undefined &&
  ((offer.name != null && offer.name !== payload.name) ||
    (offer.sellingMode?.price?.amount != null &&
      offer.sellingMode.price.amount !== payload.sellingMode.price?.amount));
