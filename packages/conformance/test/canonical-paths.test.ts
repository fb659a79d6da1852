import { describe, expect, it } from "vitest";
import { canonicalPathPatterns, isCanonicalPath } from "../src/index.ts";

describe("canonical paths, read from the VehicleAd Schema", () => {
  it("names every field, nested ones and array elements", () => {
    for (const path of [
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
    ])
      expect([path, isCanonicalPath(path, "blocket")]).toEqual([path, true]);
  });

  it("refuses paths the Schema does not have, and other marketplaces' options", () => {
    for (const path of [
      "",
      "vehicle.wheels",
      "images.first",
      "price.list.cents",
      "vehicle.fuels.0.kind",
      "marketplaces.tradera",
      "marketplaces.blocket.a.b",
      "category_id",
    ])
      expect([path, isCanonicalPath(path, "blocket")]).toEqual([path, false]);
  });

  it("lists its patterns readably", () => {
    expect(canonicalPathPatterns).toContain("vehicle.fuels.#index");
    expect(canonicalPathPatterns).toContain("location.regionCodes.#key");
  });
});
