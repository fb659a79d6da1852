import { Schema } from "effect";
import type { AllegroPayload } from "./to-allegro.ts";

/** The payload the publisher stored from our `prepare`: the content last sent. */
export const isAllegroPayload = (payload: unknown): payload is AllegroPayload =>
  typeof payload === "object" &&
  payload !== null &&
  "sellingMode" in payload &&
  "external" in payload &&
  "category" in payload &&
  "images" in payload;

/**
 * The payload as the store keeps it (`payloadSchema`): the content `toAllegroPayload` made,
 * which is JSON already, so it is stored as it is. Decoding checks the shape the flow reads
 * back (`sellingMode`, `external`, `category`, `images`); the fields follow from the ad alone.
 */
export const allegroPayloadSchema: Schema.Schema<AllegroPayload> = Schema.declare(
  isAllegroPayload,
  { identifier: "AllegroPayload" },
);

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
