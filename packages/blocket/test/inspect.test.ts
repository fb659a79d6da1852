import type { InspectedListing, MarketplaceAdapter, VehicleAdInput } from "@adsync/core";
import { BLOCKET_SANDBOX_TOKEN, type BlocketFake, startBlocketFake } from "@adsync/sandbox";
import { FetchHttpClient } from "@effect/platform";
import { Effect, Redacted } from "effect";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  askedIds,
  inspectAll,
  listReads,
  publishListing,
  settled,
  sightingOf,
} from "../../pro-import/test/support/inspect-harness.ts";
import { makeBlocketAdapter } from "../src/index.ts";

/**
 * `inspect` against the fake Blocket: one `GET /v4/ad?source_id__in=…&include=log` per 100
 * listings ("include … Fields excluded by default in this endpoint are: log"), and what each
 * outside change becomes.
 */

const LIST = "/pro-import-api/v4/ad";
type Fake = BlocketFake & { close(): Promise<void> };
let fake: Fake;
let strict: Fake;

beforeAll(async () => {
  fake = await startBlocketFake({ clock: "manual", processingDelayMs: 10 });
  strict = await startBlocketFake({
    clock: "manual",
    processingDelayMs: 10,
    adminChanges: "hidden",
  });
});

afterAll(async () => {
  await Promise.all([fake.close(), strict.close()]);
});

beforeEach(() => {
  fake.clearRequests();
});

const withAdapter = <A>(
  use: (adapter: MarketplaceAdapter) => Effect.Effect<A, unknown>,
  target: Fake = fake,
) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.flatMap(
        makeBlocketAdapter({
          baseUrl: target.url,
          token: Redacted.make(BLOCKET_SANDBOX_TOKEN),
          tokenScope: "dealer_group",
          dealerCode: "DEALER1",
          http: { retry: { baseDelay: "10 millis" } },
        }),
        use,
      ),
    ).pipe(Effect.provide(FetchHttpClient.layer)),
  );

let counter = 0;
const carAd = (name: string, overrides: Partial<VehicleAdInput> = {}): VehicleAdInput => ({
  id: `inspect-${name}-${++counter}`,
  category: "car",
  description: "Volvo XC90 D5 AWD Inscription i fint skick. Nyservad.",
  price: { list: { amount: 35_000_000, currency: "SEK" } },
  images: ["https://cdn.example.com/xc90/1.jpg"],
  location: { postalCode: "111 22" },
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
  },
  ...overrides,
});

const publishMany = (adapter: MarketplaceAdapter, inputs: ReadonlyArray<VehicleAdInput>) =>
  Effect.forEach(inputs, (input) => publishListing(adapter, input));

describe("Blocket inspect", () => {
  it("reads 120 listings with 2 list requests of at most 100, with their logs", async () => {
    await withAdapter((adapter) =>
      Effect.gen(function* () {
        expect(adapter.inspectBatchSize).toBe(100);
        const inputs = Array.from({ length: 120 }, (_, index) => carAd(`bulk${index}`));
        const listings = yield* publishMany(adapter, inputs);
        fake.clearRequests();

        const pending = yield* inspectAll(adapter, listings);
        const reads = listReads(fake.requests, LIST);
        expect(fake.requests).toHaveLength(2);
        expect(reads.map((read) => [read.query.limit, read.query.include])).toEqual([
          ["100", "log"],
          ["100", "log"],
        ]);
        expect(askedIds(reads).map((ids) => ids.length)).toEqual([100, 20]);
        for (const sighting of pending.values()) expect(sighting.status).toBe("pending");

        fake.processing.flush();
        fake.clearRequests();
        const done = yield* inspectAll(adapter, listings);
        expect(fake.requests).toHaveLength(2);
        expect(done.size).toBe(120);
        for (const sighting of done.values()) {
          expect(sighting).toMatchObject({ status: "succeeded", presence: "live" });
          expect(sighting.ref?.ids.blocket_ad_id).toBeDefined();
        }

        fake.clearRequests();
        const again = yield* inspectAll(adapter, listings.map(settled));
        expect(fake.requests).toHaveLength(2);
        for (const sighting of again.values()) {
          expect(sighting).toMatchObject({ presence: "live", drift: false, issues: [] });
        }
      }),
    );
  });

  it("sees each outside change as its sighting, in one list request", async () => {
    await withAdapter((adapter) =>
      Effect.gen(function* () {
        const names = ["expired", "deleted", "hidden", "rejected", "retitled", "repriced", "same"];
        const listings = yield* publishMany(
          adapter,
          names.map((name) => carAd(name)),
        );
        fake.processing.flush();
        const [expired, deleted, hidden, rejected, retitled, repriced, same] = listings.map(
          settled,
        ) as [
          InspectedListing,
          InspectedListing,
          InspectedListing,
          InspectedListing,
          InspectedListing,
          InspectedListing,
          InspectedListing,
        ];
        expect(fake.outside.expire(expired.adId)).toBe(true);
        expect(fake.outside.delete(deleted.adId)).toBe(true);
        expect(fake.outside.deactivate(hidden.adId)).toBe(true);
        expect(fake.outside.reject(rejected.adId, "Annonsen bryter mot reglerna.")).toBe(true);
        expect(fake.outside.edit(retitled.adId, { title: "Volvo XC90 – säljes" })).toBe(true);
        expect(fake.outside.edit(repriced.adId, { price: 299_000 })).toBe(true);
        // A change on a listing that is gone, or unknown, is refused.
        expect(fake.outside.expire(expired.adId)).toBe(false);
        expect(fake.outside.reject("no-such-ad")).toBe(false);
        fake.clearRequests();

        const sightings = yield* inspectAll(adapter, [
          expired,
          deleted,
          hidden,
          rejected,
          retitled,
          repriced,
          same,
        ]);
        expect(fake.requests).toHaveLength(1);
        expect(sightingOf(sightings, expired.adId)).toMatchObject({
          presence: "removed",
          notes: ["unpublish on blocket: The ad expired."],
        });
        expect(sightingOf(sightings, deleted.adId)).toMatchObject({
          presence: "removed",
          raw: { state: "deleted" },
        });
        expect(sightingOf(sightings, hidden.adId)).toMatchObject({ presence: "hidden" });
        expect(sightingOf(sightings, rejected.adId).issues?.map((entry) => entry.message)).toEqual([
          "Annonsen bryter mot reglerna.",
        ]);
        expect(sightingOf(sightings, rejected.adId).presence).toBe("removed");
        expect(sightingOf(sightings, retitled.adId)).toMatchObject({
          presence: "live",
          drift: true,
        });
        expect(sightingOf(sightings, repriced.adId)).toMatchObject({
          presence: "live",
          drift: true,
        });
        expect(sightingOf(sightings, same.adId)).toMatchObject({ presence: "live", drift: false });
      }),
    );
  });

  it("with the doc's strict reading, Blocket Admin changes do not show through the API", async () => {
    await withAdapter(
      (adapter) =>
        Effect.gen(function* () {
          const [listing] = yield* publishMany(adapter, [carAd("admin")]);
          if (listing === undefined) throw new Error("not published");
          strict.processing.flush();
          // "Any changes made directly in Blocket Admin will not be reflected when retrieving
          // the ad via the API."
          expect(strict.outside.delete(listing.adId)).toBe(false);
          expect(strict.outside.deactivate(listing.adId)).toBe(false);
          expect(strict.outside.edit(listing.adId, { title: "Ändrad" })).toBe(false);
          expect(strict.outside.expire(listing.adId)).toBe(true);
          const sightings = yield* inspectAll(adapter, [settled(listing)]);
          expect(sightingOf(sightings, listing.adId).presence).toBe("removed");
        }),
      strict,
    );
  });
});
