import type { MarketplaceAdapter, VehicleAdInput } from "@adsync/core";
import { BLOCKET_SANDBOX_TOKEN, type BlocketFake, startBlocketFake } from "@adsync/sandbox";
import { FetchHttpClient } from "@effect/platform";
import { Effect, Redacted } from "effect";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  askedIds,
  bulkPasses,
  inspectAll,
  inspectedCar,
  outsidePass,
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
const carAd = (name: string, overrides: Partial<VehicleAdInput> = {}): VehicleAdInput =>
  inspectedCar(`inspect-${name}-${++counter}`, overrides);

const publishMany = (adapter: MarketplaceAdapter, inputs: ReadonlyArray<VehicleAdInput>) =>
  Effect.forEach(inputs, (input) => publishListing(adapter, input));

describe("Blocket inspect", () => {
  it("reads 120 listings with 2 list requests of at most 100, with their logs", async () => {
    await withAdapter((adapter) =>
      Effect.gen(function* () {
        expect(adapter.inspectBatchSize).toBe(100);
        const inputs = Array.from({ length: 120 }, (_, index) => carAd(`bulk${index}`));
        const { reads } = yield* bulkPasses(adapter, fake, LIST, inputs);
        expect(reads.map((read) => [read.query.limit, read.query.include])).toEqual([
          ["100", "log"],
          ["100", "log"],
        ]);
        expect(askedIds(reads).map((ids) => ids.length)).toEqual([100, 20]);
      }),
    );
  });

  it("sees each outside change as its sighting, in one list request; observe reads each alike", async () => {
    await withAdapter((adapter) =>
      Effect.gen(function* () {
        const seen = yield* outsidePass(adapter, fake, "blocket", carAd);
        expect(seen("deleted").raw).toMatchObject({ state: "deleted" });
        expect(seen("untouched").ref?.ids.blocket_ad_id).toBeDefined();
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
