import { Either, Schema } from "effect";
import { describe, expect, it } from "vitest";
import {
  adForMarketplace,
  issue,
  type Prepared,
  prepareForMarketplace,
  VehicleAd,
  type VehicleAdInput,
} from "../src/index.ts";

const input: VehicleAdInput = {
  id: "ad-1",
  category: "car",
  description: "Fin bil",
  price: { list: { amount: 10_000_000, currency: "SEK" } },
  vehicle: { make: "Volvo", model: "V70", modelYear: 2015, colour: "gold", fuels: ["diesel"] },
  marketplaces: {
    tradera: { dealerCode: "D1", overrides: { vehicle: { colour: "beige" }, title: "Volvo" } },
  },
};
const ad = Schema.decodeUnknownSync(VehicleAd)(input);

/** A mapping that refuses gold and warns about the title, as an adapter would. */
const prepare = (
  effective: VehicleAd,
): Either.Either<Prepared, ReadonlyArray<ReturnType<typeof issue>>> => {
  const warnings = effective.title === undefined ? [] : [issue("title", "unsupported", "no title")];
  return effective.vehicle.colour === "gold" || effective.vehicle.make !== "Volvo"
    ? Either.left([
        issue("vehicle.colour", "invalid_value", "no gold"),
        issue("vehicle.make", "invalid_value", "x"),
      ])
    : Either.right({ payload: { colour: effective.vehicle.colour }, warnings });
};

describe("per-marketplace vehicle overrides", () => {
  it("replace the given vehicle fields for that marketplace only, keeping the rest of the vehicle", () => {
    const tradera = Either.getOrThrow(adForMarketplace(ad, "tradera"));
    expect(tradera.vehicle).toEqual({ ...ad.vehicle, colour: "beige" });
    expect(tradera.title).toBe("Volvo");
    expect(tradera.marketplaces?.tradera).toEqual({ dealerCode: "D1" });
    expect(Either.getOrThrow(adForMarketplace(ad, "blocket")).vehicle.colour).toBe("gold");
  });

  it("a vehicle override that is not an object, or holds an invalid value, is an issue on the override's path", () => {
    const notObject = Schema.decodeUnknownSync(VehicleAd)({
      ...input,
      marketplaces: { tradera: { overrides: { vehicle: "beige" } } },
    });
    expect(Either.getLeft(adForMarketplace(notObject, "tradera"))).toEqual(
      expect.objectContaining({
        value: [expect.objectContaining({ path: "marketplaces.tradera.overrides.vehicle" })],
      }),
    );
    const badYear = Schema.decodeUnknownSync(VehicleAd)({
      ...input,
      marketplaces: { tradera: { overrides: { vehicle: { modelYear: 1500 } } } },
    });
    const issues = Either.getLeft(adForMarketplace(badYear, "tradera"));
    expect(issues._tag).toBe("Some");
    for (const entry of issues._tag === "Some" ? issues.value : []) {
      expect(entry.path).toBe("marketplaces.tradera.overrides.vehicle.modelYear");
    }
  });

  it("the adapter's issues and warnings about an overridden value name the override; the ad's own fields keep their path", () => {
    const refusing = Schema.decodeUnknownSync(VehicleAd)({
      ...input,
      marketplaces: { tradera: { overrides: { vehicle: { colour: "gold" } } } },
    });
    const refused = prepareForMarketplace(refusing, "tradera", prepare);
    expect(Either.getLeft(refused)).toEqual(
      expect.objectContaining({
        value: [
          expect.objectContaining({ path: "marketplaces.tradera.overrides.vehicle.colour" }),
          expect.objectContaining({ path: "vehicle.make" }),
        ],
      }),
    );
    const accepted = Either.getOrThrow(prepareForMarketplace(ad, "tradera", prepare));
    expect(accepted.prepared.payload).toEqual({ colour: "beige" });
    expect(accepted.prepared.warnings.map((entry) => entry.path)).toEqual([
      "marketplaces.tradera.overrides.title",
    ]);
    // Another marketplace sees the ad's own gold, under the ad's own path.
    const blocket = prepareForMarketplace(ad, "blocket", prepare);
    expect(Either.isLeft(blocket) ? blocket.left.map((entry) => entry.path) : []).toEqual([
      "vehicle.colour",
      "vehicle.make",
    ]);
  });
});
