import { Either } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalLeaves, pathCovers, type VehicleAd } from "../src/index.ts";
import { fullAdArbitrary, uncoveredLeaves } from "./support/leaf-coverage.ts";

const sample = (): ReadonlyArray<VehicleAd> => fc.sample(fullAdArbitrary, { numRuns: 8, seed: 7 });

describe("canonical leaves", () => {
  it("names every leaf holding a value in the issue path format, without the per-marketplace options", () => {
    const [ad] = sample();
    const leaves = canonicalLeaves({
      ...(ad as VehicleAd),
      images: ["https://x.example/1.jpg"],
      marketplaces: { blocket: { a: 1 } },
    });
    const paths = leaves.map((leaf) => leaf.path);
    expect(paths).toContain("vehicle.make");
    expect(paths).toContain("images.0");
    expect(paths).toContain("price.list.amount");
    expect(paths.some((path) => path.startsWith("marketplaces"))).toBe(false);
  });

  it("a warning on a parent covers its leaves, not its siblings", () => {
    expect(pathCovers("vehicle.power", "vehicle.power.value")).toBe(true);
    expect(pathCovers("vehicle.power", "vehicle.powerX")).toBe(false);
    expect(pathCovers("images", "images.3")).toBe(true);
  });

  it("finds a leaf a mapping drops in silence, and none when it is mapped or warned", () => {
    const ads = sample();
    const withPower = ads.find((ad) => ad.vehicle.power !== undefined) as VehicleAd;
    const dropsPower = (ad: VehicleAd) =>
      Either.right({
        payload: { make: ad.vehicle.make, year: ad.vehicle.modelYear },
        warnings: [],
      });
    const uncovered = uncoveredLeaves(dropsPower, withPower, ads).map((leaf) => leaf.path);
    expect(uncovered).toContain("vehicle.power.value");
    expect(uncovered).not.toContain("vehicle.make");
    const warnsEverything = (ad: VehicleAd) =>
      Either.right({
        payload: {},
        warnings: canonicalLeaves(ad).map((leaf) => ({
          path: leaf.path,
          code: "unsupported" as const,
          message: "",
        })),
      });
    expect(uncoveredLeaves(warnsEverything, withPower, ads)).toEqual([]);
  });
});
