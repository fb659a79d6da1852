import { AdsyncError, issue } from "@adsync/core";
import { Effect } from "effect";
import type { MarktplaatsClient } from "../client.ts";
import type { MarktplaatsPayload } from "../mapping/to-marktplaats.ts";
import type { WireAdvertisement } from "../wire.ts";

/**
 * Finding a create that landed although its answer was lost. "Needs to be omitted in a POST
 * action": the server chooses `itemId`, and the advertisement has no field for the dealer's own
 * reference, so the dealer's ad is recognised by what identifies the vehicle: its licence plate
 * (compared without dashes, spaces and case) in the same category (decision D8).
 */
export interface MatchKey {
  readonly licensePlate: string;
  readonly categoryId: number;
}

/** A licence plate compared without dashes, spaces and case. */
export const plateOf = (value: unknown): string | undefined =>
  typeof value === "string" ? value.toUpperCase().replace(/[^A-Z0-9]/g, "") : undefined;

export const matchKeyOf = (payload: MarktplaatsPayload): MatchKey | undefined => {
  const licensePlate = plateOf(payload.advertisement.licensePlate);
  const categoryId = payload.advertisement.categoryId;
  return licensePlate === undefined || typeof categoryId !== "number"
    ? undefined
    : { licensePlate, categoryId };
};

type Lookup =
  | { readonly _tag: "None" }
  | { readonly _tag: "Found"; readonly advertisement: WireAdvertisement }
  | { readonly _tag: "Ambiguous"; readonly itemIds: ReadonlyArray<string> };

/** The seller's ads with this key: none, exactly one, or several (a human must decide). */
export const lookUp = (
  client: MarktplaatsClient,
  key: MatchKey,
): Effect.Effect<Lookup, AdsyncError> =>
  Effect.map(client.list, (advertisements) => {
    const matches = advertisements.filter(
      (advertisement) =>
        plateOf(advertisement.licensePlate) === key.licensePlate &&
        advertisement.categoryId === key.categoryId,
    );
    const [only] = matches;
    if (only === undefined) return { _tag: "None" };
    if (matches.length === 1) return { _tag: "Found", advertisement: only };
    return { _tag: "Ambiguous", itemIds: matches.map((entry) => entry.itemId) };
  });

/** A create whose outcome cannot be settled without a human: never sent a second time. */
export const doubtfulCreate = (site: string, detail: string) =>
  new AdsyncError({
    reason: "Conflict",
    marketplace: site,
    operation: "create",
    message: `${site} create: ${detail}`,
    issues: [
      issue(
        "",
        "conflict",
        `The ad may already be on ${site} (${detail}); it was not sent again. Check the seller's ads, then publish again.`,
        { marketplace: site },
      ),
    ],
  });
