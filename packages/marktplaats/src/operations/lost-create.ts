import { AdsyncError, issue } from "@adsync/core";
import { Effect, Option } from "effect";
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

/**
 * A create whose outcome cannot be settled without a human: never sent a second time. `find`
 * (the publisher's look-up of such a create) fails with it too: several matches are never
 * guessed between.
 */
export const doubtfulCreate = (
  site: string,
  detail: string,
  operation: "create" | "find" = "create",
) =>
  new AdsyncError({
    reason: "Conflict",
    marketplace: site,
    operation,
    message: `${site} ${operation}: ${detail}`,
    issues: [
      issue(
        "",
        "conflict",
        `The ad may already be on ${site} (${detail}); it was not sent again. Check the seller's ads, then publish again.`,
        { marketplace: site },
      ),
    ],
  });

/**
 * The one advertisement with this key, `None` when the seller has none; several fail as a
 * doubtful create (a human must decide which, if any, is the dealer's ad).
 */
export const lookUpOne = (
  site: string,
  client: MarktplaatsClient,
  key: MatchKey,
  operation: "create" | "find",
): Effect.Effect<Option.Option<WireAdvertisement>, AdsyncError> =>
  Effect.flatMap(lookUp(client, key), (lookup) =>
    lookup._tag === "Found"
      ? Effect.succeed(Option.some(lookup.advertisement))
      : lookup._tag === "Ambiguous"
        ? Effect.fail(
            doubtfulCreate(
              site,
              `several advertisements match: ${lookup.itemIds.join(", ")}`,
              operation,
            ),
          )
        : Effect.succeed(Option.none()),
  );

/**
 * `find` without a key: the advertisement has no field for the dealer's ad id, so the ad is
 * recognised only by what was sent (its licence plate and category). Without them the
 * look-up fails rather than answering `None`, which the publisher would read as "no such
 * listing" (a removal that landed).
 */
export const cannotFind = (site: string, adId: string, why: string) =>
  new AdsyncError({
    reason: "Unsupported",
    marketplace: site,
    operation: "find",
    message: `${site} cannot look ad ${adId} up by its id: an advertisement has no field for the dealer's reference ("itemId" is the server's, and needs to be omitted in a POST), so the ad is recognised by its licence plate in its category, and ${why}.`,
  });
