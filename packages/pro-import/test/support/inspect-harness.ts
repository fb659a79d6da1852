import {
  type InspectedListing,
  type MarketplaceAdapter,
  type Sighting,
  VehicleAd,
  type VehicleAdInput,
} from "@adsync/core";
import { Effect, Either, Schema } from "effect";
import { expect } from "vitest";

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

/** What these tests use of a sandbox fake. */
export interface InspectedFake {
  readonly requests: ReadonlyArray<Received>;
  clearRequests(): void;
  readonly processing: { flush(): void };
  readonly outside: {
    expire(adId: string): boolean;
    delete(adId: string): boolean;
    deactivate(adId: string): boolean;
    reject(adId: string, reason?: string): boolean;
    edit(adId: string, change: { readonly title?: string; readonly price?: number }): boolean;
  };
}

/**
 * Publishes the ads, then inspects them three times — creates pending, creates settled (read
 * through the list), and as settled listings — checking every pass costs `reads` list reads of
 * `pageSize` and nothing else. Answers the listings and the list reads of the first pass.
 */
export const bulkPasses = (
  adapter: MarketplaceAdapter,
  fake: InspectedFake,
  path: string,
  inputs: ReadonlyArray<VehicleAdInput>,
) =>
  Effect.gen(function* () {
    const listings = yield* Effect.forEach(inputs, (input) => publishListing(adapter, input));
    const size = adapter.inspectBatchSize ?? 100;
    const pass = (of: ReadonlyArray<InspectedListing>) =>
      Effect.gen(function* () {
        fake.clearRequests();
        const sightings = yield* inspectAll(adapter, of);
        expect(fake.requests).toHaveLength(Math.ceil(of.length / size));
        expect(listReads(fake.requests, path)).toHaveLength(fake.requests.length);
        expect(sightings.size).toBe(of.length);
        return sightings;
      });
    const pending = yield* pass(listings);
    const reads = listReads(fake.requests, path);
    expect(askedIds(reads).flat()).toEqual(listings.map((listing) => listing.ref.remoteId));
    for (const sighting of pending.values()) {
      expect(sighting).toMatchObject({ status: "pending", presence: "pending" });
    }
    fake.processing.flush();
    for (const sighting of (yield* pass(listings)).values()) {
      expect(sighting).toMatchObject({ status: "succeeded", presence: "live" });
    }
    for (const sighting of (yield* pass(listings.map(settled))).values()) {
      expect(sighting).toMatchObject({ status: "succeeded", presence: "live", drift: false });
      expect(sighting.issues).toEqual([]);
    }
    return { listings, reads };
  });

/** The outside changes these tests make, one listing each, and one listing left alone. */
export const outsideChangeNames = [
  "expired",
  "deleted",
  "hidden",
  "rejected",
  "retitled",
  "repriced",
  "untouched",
] as const;
export type OutsideChangeName = (typeof outsideChangeNames)[number];

/**
 * Publishes one ad per change, lets the fake settle them, makes each change outside adsync and
 * inspects them all: one list read, and each change becomes its sighting. Answers the
 * sightings by change for the marketplace's own checks.
 */
export const outsidePass = (
  adapter: MarketplaceAdapter,
  fake: InspectedFake,
  marketplace: string,
  inputOf: (name: OutsideChangeName) => VehicleAdInput,
) =>
  Effect.gen(function* () {
    const listings = new Map<OutsideChangeName, InspectedListing>();
    for (const name of outsideChangeNames) {
      listings.set(name, settled(yield* publishListing(adapter, inputOf(name))));
    }
    fake.processing.flush();
    const idOf = (name: OutsideChangeName) => listings.get(name)?.adId ?? name;
    const reason = "The ad breaks the rules.";
    expect(fake.outside.expire(idOf("expired"))).toBe(true);
    expect(fake.outside.delete(idOf("deleted"))).toBe(true);
    expect(fake.outside.deactivate(idOf("hidden"))).toBe(true);
    expect(fake.outside.reject(idOf("rejected"), reason)).toBe(true);
    expect(fake.outside.edit(idOf("retitled"), { title: "Volvo XC90, sold as is" })).toBe(true);
    expect(fake.outside.edit(idOf("repriced"), { price: 299_000 })).toBe(true);
    // A change to a listing already taken down, or to one the fake does not hold, is refused.
    expect(fake.outside.expire(idOf("expired"))).toBe(false);
    expect(fake.outside.reject("no-such-ad")).toBe(false);
    fake.clearRequests();

    const sightings = yield* inspectAll(adapter, [...listings.values()]);
    expect(fake.requests).toHaveLength(1);
    const seen = (name: OutsideChangeName) => sightingOf(sightings, idOf(name));
    expect(seen("expired")).toMatchObject({
      status: "succeeded",
      presence: "removed",
      notes: [`unpublish on ${marketplace}: The ad expired.`],
    });
    expect(seen("deleted")).toMatchObject({ status: "succeeded", presence: "removed" });
    expect(seen("hidden")).toMatchObject({ presence: "hidden", drift: false });
    expect(seen("rejected").presence).toBe("removed");
    expect(seen("rejected").issues?.map((entry) => entry.message)).toEqual([reason]);
    expect(seen("retitled")).toMatchObject({ presence: "live", drift: true });
    expect(seen("repriced")).toMatchObject({ presence: "live", drift: true });
    expect(seen("untouched")).toMatchObject({ presence: "live", drift: false, issues: [] });
    // One listing read through `observe` reduces like the bulk read (a deleted Tradera ad
    // whose state stays "created" is removed, not live): one GET each, nothing else.
    fake.clearRequests();
    for (const name of outsideChangeNames) {
      const listing = listings.get(name);
      if (listing === undefined) continue;
      const observed: Sighting = yield* adapter.observe(listing);
      expect({ name, ...reading(observed) }).toEqual({ name, ...reading(seen(name)) });
    }
    expect(fake.requests.map((request) => request.method)).toEqual(
      outsideChangeNames.map(() => "GET"),
    );
    return seen;
  });

/** What a sighting says of a listing, for comparing two reads of it. */
const reading = (sighting: Sighting) => ({
  status: sighting.status,
  presence: sighting.presence,
  issues: (sighting.issues ?? []).map((entry) => entry.message),
  warnings: (sighting.warnings ?? []).map((entry) => entry.path),
  notes: sighting.notes ?? [],
  drift: sighting.drift === true,
});

/** A car both dialects take, for the inspect tests. */
export const inspectedCar = (
  id: string,
  overrides: Partial<VehicleAdInput> = {},
): VehicleAdInput => ({
  id,
  category: "car",
  title: "Volvo XC90 D5 AWD",
  description: "Välvårdad Volvo XC90 med full servicehistorik. Perfekt familjebil.",
  price: { list: { amount: 35_000_000, currency: "SEK" } },
  images: ["https://cdn.example.com/xc90/1.jpg"],
  vehicle: {
    make: "Volvo",
    model: "XC90",
    modelYear: 2019,
    bodyType: "suv",
    colour: "black",
    registrationNumber: "ABC 123",
    mileage: { value: 4500, unit: "mil" },
    fuels: ["diesel"],
    transmission: "automatic",
    equipment: [],
  },
  ...overrides,
});
