import {
  AdsyncError,
  issue,
  type ListingRef,
  type MarketplaceAdapter,
  type OperationContext,
  type Prepared,
  type Submitted,
  type VehicleAd,
} from "@adsync/core";
import { type ProImportClient, refFromAd } from "@adsync/pro-import";
import { Effect, Option } from "effect";
import { TRADERA } from "../config.ts";
import { dealerCodeChange, isUpdateOfDeleted } from "../errors.ts";
import { isDeleted } from "../status.ts";
import type { TraderaPayload } from "../wire.ts";

type TraderaAdapter = MarketplaceAdapter<TraderaPayload, TraderaPayload>;

/**
 * Decision D6. Tradera never lets a deleted `source_id` be used again: a create answers "A
 * PublicAd with SourceId '…' already exists." ("After deletion, the ad is still retrievable
 * but marked as deleted") and an update "Cannot update ad that has been deleted.". A car whose
 * sale fell through is therefore listed again under `<adId>~<n>`, the first suffix Tradera has
 * not seen. `~` cannot occur in a canonical ad id, so a suffixed id never meets a dealer's own.
 * The listing's `ref.remoteId` holds the suffixed id, so every later update, hide, renew,
 * status read and removal addresses that ad. An ad that was never removed keeps its plain id.
 */
const relistSeparator = "~";

/** The most listings of one ad this adapter walks through before giving up. */
const maxRelistings = 100;

/** The n-th `source_id` of an ad: the ad id itself, then `<adId>~1`, `<adId>~2`, … */
const relistedSourceId = (adId: string, n: number): string =>
  n === 0 ? adId : `${adId}${relistSeparator}${n}`;

/** Which listing of its ad a `source_id` is (0 for the plain ad id). */
const relistNumber = (sourceId: string): number => {
  const match = /~(\d+)$/.exec(sourceId);
  return match === null ? 0 : Number(match[1]);
};

const deletedOperation = "create: deleted source_id";

/** What the dialect's `revive` answers: this source_id is spent, try the next one. */
export const deletedSourceId = (sourceId: string): AdsyncError =>
  new AdsyncError({
    reason: "Conflict",
    marketplace: TRADERA,
    operation: deletedOperation,
    message: `tradera create: the ad ${sourceId} was deleted and Tradera does not let its source_id be used again.`,
    issues: [
      issue(
        "id",
        "conflict",
        `Tradera holds a deleted ad under ${sourceId}, and ${maxRelistings} listings of this ad were tried; publish it under a new id.`,
        { marketplace: TRADERA, marketplacePath: "source_id" },
      ),
    ],
  });

const isDeletedSourceId = (error: AdsyncError) =>
  error.reason === "Conflict" && error.operation === deletedOperation;

/**
 * The Pro Import adapter with Tradera's relisting (D6) and dealer-code rule around it: create
 * walks `<adId>`, `<adId>~1`, … past deleted ads (each spent id costs its POST and GET),
 * an update of an ad deleted meanwhile creates the next listing, and `find` follows the same
 * chain to the listing that is not deleted.
 */
export const withRelisting = (kit: TraderaAdapter, client: ProImportClient): TraderaAdapter => {
  const createFrom = (
    ad: VehicleAd,
    prepared: Prepared<TraderaPayload>,
    context: OperationContext | undefined,
    first: number,
  ): Effect.Effect<Submitted<TraderaPayload>, AdsyncError> => {
    const attempt = (n: number): Effect.Effect<Submitted<TraderaPayload>, AdsyncError> =>
      kit.create({ ...ad, id: relistedSourceId(ad.id, n) }, prepared, context).pipe(
        Effect.catchIf(
          (error) => isDeletedSourceId(error) && n < maxRelistings,
          () => attempt(n + 1),
        ),
      );
    return attempt(first);
  };

  const find = (adId: string): Effect.Effect<Option.Option<ListingRef>, AdsyncError> => {
    const look = (n: number): Effect.Effect<Option.Option<ListingRef>, AdsyncError> =>
      client.get("v3", relistedSourceId(adId, n)).pipe(
        Effect.flatMap((ad) =>
          isDeleted(ad) && n < maxRelistings
            ? look(n + 1)
            : Effect.succeed(
                isDeleted(ad) ? Option.none() : Option.some(refFromAd(ad, { apiVersion: "v3" })),
              ),
        ),
        Effect.catchIf(
          (error) => error.reason === "NotFound",
          () => Effect.succeed(Option.none()),
        ),
      );
    return look(0);
  };

  const describe = kit.describe;
  return {
    ...kit,
    find,
    // A plan shows the create as sent; the relisting it may turn into is said beside it.
    ...(describe === undefined
      ? {}
      : {
          describe: {
            ...describe,
            create: (ad, prepared) =>
              describe.create(ad, prepared).map((request) => ({
                ...request,
                note: [
                  request.note,
                  `A deleted ad under this source_id is listed again as ${relistedSourceId(ad.id, 1)}, ${relistedSourceId(ad.id, 2)}, … (one POST and one GET per earlier listing).`,
                ]
                  .filter((part) => part !== undefined)
                  .join(" "),
              })),
          },
        }),
    create: (ad, prepared, context) => createFrom(ad, prepared, context, 0),
    update: (listing, ad, prepared, context) => {
      const refusal = dealerCodeChange(listing, prepared.payload);
      if (refusal !== undefined) return Effect.fail(refusal);
      return kit
        .update(listing, ad, prepared, context)
        .pipe(
          Effect.catchIf(isUpdateOfDeleted, () =>
            Effect.zipRight(
              Effect.logInfo(
                `tradera: ${listing.ref.remoteId} was deleted; listing ${ad.id} again under a new source_id`,
              ),
              createFrom(ad, prepared, context, relistNumber(listing.ref.remoteId) + 1),
            ),
          ),
        );
    },
  };
};
