import type { VehicleAd } from "@adsync/core";
import { Either } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fullAdArbitrary, uncoveredLeaves } from "../../core/test/support/leaf-coverage.ts";
import { createBody, type ReferenceData, toTraderaPayload } from "../src/index.ts";

/**
 * #12: for any valid ad Tradera takes, every canonical leaf that holds a value is sent or
 * named by a warning. The full arbitrary is narrowed to what Tradera accepts at all (cars and
 * vans, SEK, at least one image), so the property sees mapped ads rather than refusals.
 */
const sek = <A extends { readonly currency: string }>(money: A | undefined) =>
  money === undefined ? undefined : { ...money, currency: "SEK" };

const traderaAd: fc.Arbitrary<VehicleAd> = fc
  .tuple(fullAdArbitrary, fc.constantFrom("car" as const, "van" as const))
  .map(([ad, category]) => {
    const { list, reduced, monthly, callForPrice } = ad.price;
    const price = Object.fromEntries(
      Object.entries({
        list: sek(list),
        reduced: sek(reduced),
        monthly: sek(monthly),
        callForPrice,
      }).filter(([, value]) => value !== undefined),
    );
    const { vehicle } = ad;
    return {
      ...ad,
      category,
      price,
      // Tradera's required category fields, where the full arbitrary left them out.
      vehicle: {
        ...vehicle,
        bodyType: vehicle.bodyType ?? "suv",
        colour: vehicle.colour ?? "black",
        mileage: vehicle.mileage ?? { value: 1200, unit: "mil" },
        transmission: vehicle.transmission ?? "manual",
        fuels: vehicle.fuels.some((fuel) => fuel !== "other")
          ? vehicle.fuels
          : [...vehicle.fuels, "diesel"],
      },
      images: ad.images.length > 0 ? ad.images : ["https://dealer.example/img/1.jpg"],
    } as VehicleAd;
  });

/** Lists holding every value the full arbitrary uses, so that normalization never refuses. */
const reference: ReferenceData = {
  brands: ["volvo", "saab", "kia", "audi", "ford", "tesla", "opel", "fiat"],
  models: ["v70", "9-3", "ceed", "a4", "focus"],
  bodyStyles: [
    ...["sedan", "hatchback", "wagon", "suv", "coupe", "convertible", "minivan", "van", "pickup"],
    ...["moped", "motorcycle", "integrated", "semi_integrated", "alcove", "caravan", "trailer"],
    "other",
  ],
  colors: [
    ...["black", "white", "silver", "grey", "blue", "red", "green", "yellow", "orange"],
    ...["brown", "beige", "gold", "purple", "other"],
  ],
  fuels: ["gasoline", "diesel", "electric", "hybrid", "plugin_hybrid", "ethanol", "gas"],
  transmissions: ["manual", "automatic"],
  // tow_bar is left out: unknown equipment must be warned about, not dropped.
  equipments: ["navigation", "heated_seats"],
};

/**
 * Leaves with no meaning on Tradera (docs/marketplaces/tradera.md, "not applicable"): a
 * `callForPrice` of false asks for nothing, and a "used" condition is what every Tradera
 * vehicle ad is.
 */
const notApplicable = (leaf: { readonly path: string; readonly value: unknown }) =>
  (leaf.path === "price.callForPrice" && leaf.value === false) ||
  (leaf.path === "vehicle.condition" && leaf.value === "used");

const settings = { priceUnit: "major", dealerCode: "DEALER1" } as const;

describe("Tradera: no canonical leaf is dropped in silence", () => {
  for (const [name, data] of [
    ["without reference data", undefined],
    ["with reference data", reference],
  ] as const) {
    it(`every leaf holding a value is mapped or warned (${name})`, () => {
      const donors = fc.sample(traderaAd, { numRuns: 30, seed: 12 });
      // What a create sends: the id travels as source_id, beside the prepared content.
      const prepare = (ad: VehicleAd) =>
        Either.map(toTraderaPayload(ad, settings, data), (prepared) => ({
          ...prepared,
          payload: createBody(ad, prepared.payload),
        }));
      let mapped = 0;
      fc.assert(
        fc.property(traderaAd, (ad) => {
          if (Either.isRight(prepare(ad))) mapped += 1;
          const uncovered = uncoveredLeaves(prepare, ad, donors).filter(
            (leaf) => !notApplicable(leaf),
          );
          expect(uncovered).toEqual([]);
        }),
        { numRuns: 150, seed: 4 },
      );
      // The property looked at mapped ads, not only at refusals.
      expect(mapped).toBeGreaterThan(50);
    });
  }
});
