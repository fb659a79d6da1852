import { AdsyncError } from "@adsync/core";
import { Either } from "effect";
import { ALLEGRO } from "../config.ts";

/** One ad's answer in a batch, by the dealer's ad id. */
export interface AdOutcome<A> {
  readonly adId: string;
  readonly result: Either.Either<A, AdsyncError>;
}

/**
 * The batch's answers in the order of its requests (`createMany` answers one per request, in
 * order): one pass to index the answers by ad id (the first answer of an id wins), one to read
 * them — linear in the batch, where a search per request was quadratic (issue #14). A request
 * without an answer fails with `InvalidResponse`.
 */
export const inRequestOrder = <A>(
  requests: ReadonlyArray<{ readonly ad: { readonly id: string } }>,
  outcomes: ReadonlyArray<AdOutcome<A>>,
): ReadonlyArray<Either.Either<A, AdsyncError>> => {
  const byAd = new Map<string, Either.Either<A, AdsyncError>>();
  for (const outcome of outcomes)
    if (!byAd.has(outcome.adId)) byAd.set(outcome.adId, outcome.result);
  return requests.map(
    (request) =>
      byAd.get(request.ad.id) ??
      Either.left(
        new AdsyncError({
          reason: "InvalidResponse",
          marketplace: ALLEGRO,
          operation: "create",
          message: `No outcome for ${request.ad.id} in the batch.`,
        }),
      ),
  );
};

/** Offer ids grouped by their schedule ("" for now), appended in place: linear in the batch. */
export const bySchedule = (
  ready: ReadonlyArray<{ readonly offerId: string; readonly scheduledFor?: string | undefined }>,
): ReadonlyMap<string, ReadonlyArray<string>> => {
  const groups = new Map<string, Array<string>>();
  for (const entry of ready) {
    const key = entry.scheduledFor ?? "";
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [entry.offerId]);
    else group.push(entry.offerId);
  }
  return groups;
};
