import { describe, expect, it } from "vitest";
import { canonicalPathPatterns, isCanonicalPath } from "../src/index.ts";

/** Paths and whether an issue of Blocket's may name them. */
const cases: ReadonlyArray<readonly [string, boolean]> = [
  // Every field, nested ones, parents and array elements, as the Schema has them.
  ...[
    "id",
    "category",
    "price.list.amount",
    "price.callForPrice",
    "images",
    "images.3",
    "location.coordinates.latitude",
    "location.regionCodes.lkf",
    "vehicle",
    "vehicle.make",
    "vehicle.mileage.unit",
    "vehicle.fuels.0",
    "vehicle.equipment.12",
    "terms.productDeclarationUrl",
    "marketplaces.blocket",
    "marketplaces.blocket.overrides",
  ].map((path) => [path, true] as const),
  // Paths the Schema does not have, and other marketplaces' options.
  ...[
    "",
    "vehicle.wheels",
    "images.first",
    "price.list.cents",
    "vehicle.fuels.0.kind",
    "marketplaces.tradera",
    "marketplaces.blocket.a.b",
    "category_id",
  ].map((path) => [path, false] as const),
];

describe("canonical paths, read from the VehicleAd Schema", () => {
  it("names the Schema's fields and refuses others", () => {
    expect(cases.map(([path]) => [path, isCanonicalPath(path, "blocket")])).toEqual(cases);
  });

  it("lists its patterns readably", () => {
    expect(canonicalPathPatterns).toContain("vehicle.fuels.#index");
    expect(canonicalPathPatterns).toContain("location.regionCodes.#key");
  });
});
