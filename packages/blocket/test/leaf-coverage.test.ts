import { canonicalLeaves, type Money, type VehicleAd } from "@adsync/core";
import { Either } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fullAdArbitrary, uncoveredLeaves } from "../../core/test/support/leaf-coverage.ts";
import { type BlocketMappingSettings, toBlocketPayload } from "../src/index.ts";

/**
 * #12: for any valid ad, every canonical leaf that holds a value is mapped into Blocket's
 * payload or named by one of its warnings (`unsupported`, `too_long`, …) — on V3 and V4, with
 * and without the reference lists loaded.
 */
const settings = (version: "v3" | "v4"): BlocketMappingSettings => ({
  version,
  priceUnit: version === "v4" ? "minor" : "major",
  images: { max: version === "v4" ? 20 : 38, httpsOnly: version === "v4", tooMany: "truncate" },
  tokenScope: "dealer_code",
});

/**
 * The shared arbitrary's ads made acceptable to Blocket where they are not for a reason the
 * property is not about (a price in EUR, a Dutch postcode, a video on another host): else
 * `prepare` refuses them and their leaves are never looked at.
 */
const blocketReady = (ad: VehicleAd): VehicleAd => {
  const sek = (money: Money | undefined) =>
    money === undefined ? undefined : { ...money, currency: "SEK" };
  const price = {
    ...ad.price,
    ...(ad.price.list === undefined ? {} : { list: sek(ad.price.list) }),
    ...(ad.price.reduced === undefined ? {} : { reduced: sek(ad.price.reduced) }),
    ...(ad.price.monthly === undefined ? {} : { monthly: sek(ad.price.monthly) }),
  };
  const location =
    ad.location?.postalCode === undefined ? ad.location : { ...ad.location, postalCode: "11351" };
  return {
    ...ad,
    price,
    ...(location === undefined ? {} : { location }),
    ...(ad.video === undefined ? {} : { video: "https://www.youtube.com/watch?v=1" }),
  };
};
const readyAds = fullAdArbitrary.map(blocketReady);

/**
 * Donors of other values for each leaf, drawn once: shrinking must not make them all equal
 * to the ad (a leaf then looks unmapped only because no donor could vary it).
 */
const donors = fc.sample(readyAds, { numRuns: 40, seed: 12 });

/** What a create sends: `source_id` (the ad's id) and the prepared content. */
const createBody = (version: "v3" | "v4") => (ad: Parameters<typeof toBlocketPayload>[0]) =>
  Either.map(toBlocketPayload(ad, settings(version)), (prepared) => ({
    ...prepared,
    payload: { source_id: ad.id, ...(prepared.payload as object) },
  }));

describe("every canonical leaf is mapped or warned on Blocket", () => {
  for (const version of ["v3", "v4"] as const) {
    it(`${version}: no leaf of any valid ad is dropped in silence`, () => {
      const prepare = createBody(version);
      let prepared = 0;
      fc.assert(
        fc.property(readyAds, (ad) => {
          if (Either.isRight(prepare(ad))) prepared++;
          expect(uncoveredLeaves(prepare, ad, donors)).toEqual([]);
        }),
        { numRuns: 300, seed: 21 },
      );
      // The property is not vacuous: most generated ads are sent (SEK ones).
      expect(prepared).toBeGreaterThan(30);
    });
  }

  it("the ads the property sees hold the rarer leaves too", () => {
    const paths = new Set(
      fc.sample(fullAdArbitrary, 200).flatMap((ad) => canonicalLeaves(ad).map((leaf) => leaf.path)),
    );
    for (const path of ["vehicle.vin", "location.street", "contact.name", "terms.warranty"])
      expect(paths.has(path)).toBe(true);
  });
});
