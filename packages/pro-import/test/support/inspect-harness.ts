import {
  type InspectedListing,
  type MarketplaceAdapter,
  type Sighting,
  VehicleAd,
  type VehicleAdInput,
} from "@adsync/core";
import { Effect, Either, Schema } from "effect";

/**
 * Shared steps of the Blocket and Tradera `inspect` contract tests: publish through the
 * adapter itself, turn its answers into the listings the publisher would hand to `inspect`,
 * and read back the list requests a fake received.
 */

/** A request as a fake recorded it (the part these tests read). */
export interface Received {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
}

/** Creates the ad through the adapter: the listing with its create still pending. */
export const publishListing = (
  adapter: MarketplaceAdapter,
  input: VehicleAdInput,
): Effect.Effect<InspectedListing, unknown> =>
  Effect.gen(function* () {
    if (adapter.warmUp !== undefined) yield* adapter.warmUp;
    const ad = yield* Schema.decodeUnknown(VehicleAd)(input);
    const prepared = adapter.prepare(ad);
    if (Either.isLeft(prepared)) return yield* Effect.fail(prepared.left);
    const submitted = yield* adapter.create(ad, prepared.right);
    return {
      adId: ad.id,
      ref: submitted.ref,
      payload: submitted.payload ?? prepared.right.payload,
      requestId: submitted.requestId,
      pending: "create",
    };
  });

/** The listing once its operation settled: what the publisher inspects on a reconcile pass. */
export const settled = (listing: InspectedListing): InspectedListing => ({
  adId: listing.adId,
  ref: listing.ref,
  payload: listing.payload,
});

/** Runs `inspect` over the listings, in the adapter's batches as the publisher would. */
export const inspectAll = (
  adapter: MarketplaceAdapter,
  listings: ReadonlyArray<InspectedListing>,
): Effect.Effect<ReadonlyMap<string, Sighting>, unknown> =>
  Effect.gen(function* () {
    const inspect = adapter.inspect;
    if (inspect === undefined) return yield* Effect.fail("the adapter has no inspect");
    const size = adapter.inspectBatchSize ?? 100;
    const sightings = new Map<string, Sighting>();
    for (let start = 0; start < listings.length; start += size) {
      const inspection = yield* inspect({
        listings: listings.slice(start, start + size),
        mode: "full",
      });
      for (const [adId, sighting] of inspection.sightings) sightings.set(adId, sighting);
    }
    return sightings;
  });

/** The list reads (`GET {path}`) among the received requests. */
export const listReads = (
  requests: ReadonlyArray<Received>,
  path: string,
): ReadonlyArray<Received> =>
  requests.filter((request) => request.method === "GET" && request.path === path);

/** The ids each list read asked for, in order. */
export const askedIds = (reads: ReadonlyArray<Received>): ReadonlyArray<ReadonlyArray<string>> =>
  reads.map((read) => (read.query.source_id__in ?? "").split(","));

/** A sighting by ad id, failing the test when there is none. */
export const sightingOf = (sightings: ReadonlyMap<string, Sighting>, adId: string): Sighting => {
  const sighting = sightings.get(adId);
  if (sighting === undefined) throw new Error(`no sighting for ${adId}`);
  return sighting;
};
