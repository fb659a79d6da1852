import { expectMappingFindings } from "@adsync/conformance";
import { type Issue, type Prepared, VehicleAd, type VehicleCategory } from "@adsync/core";
import { describe, expect, it } from "@effect/vitest";
import { Either, Schema } from "effect";
import fc from "fast-check";
import {
  type BlocketMappingSettings,
  fromBlocketAd,
  toBlocketPayload,
  WireBlocketAd,
} from "../src/index.ts";
import { vehicleAd } from "./arbitraries.ts";

// --- the docs, as the oracle ----------------------------------------------------------------

/** category_id per kind, from the category table of the Pro Import doc. */
const categoryIds: Readonly<Record<VehicleCategory, number>> = {
  car: 1020,
  van: 1021,
  trailer: 1045,
  caravan: 1101,
  motorhome: 1102,
  moped: 1121,
  a_tractor: 1122,
  motorcycle: 1140,
  atv: 1143,
  snowmobile: 1180,
  motorboat: 1061,
  sailboat: 1062,
  truck: 1221,
};
const registered = new Set([1020, 1021, 1045, 1101, 1102, 1121, 1122, 1140, 1143, 1180]);
/** "✨ V4": only simple ads (no category_fields) through /v3/ad. */
const v4Only = new Set([1121, 1102, 1101, 1045]);

const v4: BlocketMappingSettings = {
  version: "v4",
  priceUnit: "minor",
  images: { max: 20, httpsOnly: true, tooMany: "truncate" },
  tokenScope: "dealer_group",
  dealerCode: "DEALER1",
};
const v3: BlocketMappingSettings = {
  version: "v3",
  priceUnit: "major",
  images: { max: 38, httpsOnly: false, tooMany: "truncate" },
  tokenScope: "dealer_group",
  dealerCode: "DEALER1",
};

/** Every path of the canonical model an issue may name. */

// --- helpers -------------------------------------------------------------------------------

type Payload = Record<string, unknown>;

const isRecord = (value: unknown): value is Payload =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const payloadOf = (prepared: Prepared): Payload => {
  if (!isRecord(prepared.payload)) throw new Error("the payload is not a JSON object");
  return prepared.payload;
};

const field = (value: unknown, key: string): unknown => (isRecord(value) ? value[key] : undefined);

interface WirePriceEntry {
  readonly type: string;
  readonly amount: number;
  readonly currency: string;
}
const pricesOf = (payload: Payload): ReadonlyArray<WirePriceEntry> =>
  Schema.decodeUnknownSync(
    Schema.Array(
      Schema.Struct({ type: Schema.String, amount: Schema.Number, currency: Schema.String }),
    ),
  )(payload.price);

const decodeWire = Schema.decodeUnknownSync(WireBlocketAd);

/** Maps without letting an exception escape the property (totality is checked separately). */
const map = (ad: VehicleAd, settings: BlocketMappingSettings) => toBlocketPayload(ad, settings);

const runs = { numRuns: 300 };

/**
 * Per-ad options the DMS got wrong are reported alone (the mapping stops there), so properties
 * about the other fields' issues do not apply to such ads.
 */
const hasBadOptions = (ad: VehicleAd, settings: BlocketMappingSettings): boolean => {
  const result = map(ad, settings);
  return (
    Either.isLeft(result) &&
    result.left.some((entry) => entry.path.startsWith("marketplaces.blocket"))
  );
};

// --- the arbitrary itself ----------------------------------------------------------------------

describe("the arbitrary of canonical ads", () => {
  // The properties below only say something about ads that map: make sure most do, in every
  // category and both versions, and that the cases they single out occur.
  const sample = fc.sample(vehicleAd, { numRuns: 600, seed: 20260201 });

  it("covers every category, with and without optional parts", () => {
    expect(new Set(sample.map((ad) => ad.category))).toEqual(new Set(Object.keys(categoryIds)));
    expect(sample.some((ad) => ad.images.length === 0)).toBe(true);
    expect(sample.some((ad) => ad.images.length > 38)).toBe(true);
    expect(
      sample.some((ad) => ad.price.list !== undefined && ad.price.list.amount % 100 !== 0),
    ).toBe(true);
    expect(sample.some((ad) => ad.price.list?.currency === "EUR")).toBe(true);
    expect(sample.some((ad) => ad.vehicle.lengthMm !== undefined)).toBe(true);
    expect(
      sample.some((ad) => ad.terms?.warranty !== undefined && ad.terms.warranty.length > 500),
    ).toBe(true);
  });

  it.each([
    ["V4", v4],
    ["V3", v3],
  ] as const)("maps at least a third of the ads under %s, in every category", (_name, settings) => {
    const mapped = sample.filter((ad) => Either.isRight(map(ad, settings)));
    expect(mapped.length).toBeGreaterThan(sample.length / 3);
    expect(new Set(mapped.map((ad) => ad.category))).toEqual(new Set(Object.keys(categoryIds)));
  });
});

// --- properties ------------------------------------------------------------------------------

describe("toBlocketPayload, for any valid canonical ad", () => {
  it.each([
    ["V4", v4],
    ["V3", v3],
  ] as const)(
    "is total under %s: a payload, or at least one issue, all on canonical paths",
    (_name, settings) => {
      fc.assert(
        fc.property(vehicleAd, (ad) => {
          let result: Either.Either<Prepared, ReadonlyArray<Issue>> | undefined;
          expect(() => {
            result = map(ad, settings);
          }).not.toThrow();
          if (result === undefined) return;
          expectMappingFindings(result, "blocket");
        }),
        runs,
      );
    },
  );

  it("V4: at most 20 images, all HTTPS, the first ones in order; category_id a string; amounts in minor units", () => {
    fc.assert(
      fc.property(vehicleAd, (ad) => {
        const result = map(ad, v4);
        if (Either.isLeft(result)) return;
        const payload = payloadOf(result.right);
        const images = (payload.image_urls ?? []) as ReadonlyArray<string>;
        expect(images.length).toBeLessThanOrEqual(20);
        for (const url of images) expect(url).toMatch(/^https:\/\//);
        expect(images).toEqual(ad.images.slice(0, 20));
        expect(payload.category_id).toBe(String(categoryIds[ad.category]));
        const byType = new Map(pricesOf(payload).map((price) => [price.type, price]));
        for (const type of ["list", "reduced", "monthly"] as const) {
          const money = ad.price[type];
          expect(byType.get(type)).toEqual(
            money === undefined ? undefined : { type, amount: money.amount, currency: "SEK" },
          );
        }
        expect(byType.has("call")).toBe(ad.price.callForPrice === true);
        if (ad.price.callForPrice === true) expect(byType.get("call")?.amount).toBe(0);
      }),
      runs,
    );
  });

  it("V4 rejects http images instead of sending them", () => {
    fc.assert(
      fc.property(vehicleAd, (ad) => {
        const result = map(ad, v4);
        const httpIndexes = ad.images.flatMap((url, index) =>
          url.startsWith("http://") ? [index] : [],
        );
        if (httpIndexes.length === 0 || hasBadOptions(ad, v4)) return;
        expect(Either.isLeft(result)).toBe(true);
        if (Either.isRight(result)) return;
        const paths = result.left.map((entry) => entry.path);
        for (const index of httpIndexes.filter((index) => index < 20))
          expect(paths).toContain(`images.${index}`);
      }),
      runs,
    );
  });

  it("V3: at most 38 images; category_id a number; amounts in whole kronor, rounded with a warning", () => {
    fc.assert(
      fc.property(vehicleAd, (ad) => {
        const result = map(ad, v3);
        if (Either.isLeft(result)) return;
        const payload = payloadOf(result.right);
        const images = (payload.image_urls ?? []) as ReadonlyArray<string>;
        expect(images.length).toBeLessThanOrEqual(38);
        expect(images).toEqual(ad.images.slice(0, 38));
        expect(payload.category_id).toBe(categoryIds[ad.category]);
        const byType = new Map(pricesOf(payload).map((price) => [price.type, price]));
        for (const type of ["list", "reduced", "monthly"] as const) {
          const money = ad.price[type];
          if (money === undefined) {
            expect(byType.has(type)).toBe(false);
            continue;
          }
          expect(byType.get(type)?.amount).toBe(Math.round(money.amount / 100));
          const warned = result.right.warnings.some(
            (entry) => entry.path === `price.${type}` && entry.code === "invalid_value",
          );
          expect(warned).toBe(money.amount % 100 !== 0);
        }
      }),
      runs,
    );
  });

  it("prices in another currency than SEK are an issue on that price's currency", () => {
    fc.assert(
      fc.property(vehicleAd, (ad) => {
        for (const settings of [v3, v4]) {
          const result = map(ad, settings);
          for (const type of ["list", "reduced", "monthly"] as const) {
            const money = ad.price[type];
            if (money === undefined || money.currency === "SEK" || hasBadOptions(ad, settings))
              continue;
            expect(Either.isLeft(result)).toBe(true);
            if (Either.isLeft(result))
              expect(result.left.map((entry) => entry.path)).toContain(`price.${type}.currency`);
          }
        }
      }),
      runs,
    );
  });

  it.each([
    ["V4", v4],
    ["V3", v3],
  ] as const)(
    "%s: registered vehicles get category_fields with brand, model and model_year and no contact",
    (_name, settings) => {
      fc.assert(
        fc.property(vehicleAd, (ad) => {
          const id = categoryIds[ad.category];
          const fullVehicle = registered.has(id) && (settings.version === "v4" || !v4Only.has(id));
          const result = map(ad, settings);
          if (!fullVehicle || Either.isLeft(result)) return;
          const payload = payloadOf(result.right);
          expect(payload.contact).toBeUndefined();
          const fields = payload.category_fields;
          expect(field(fields, "brand")).toEqual(expect.any(String));
          expect(field(fields, "model")).toEqual(expect.any(String));
          expect(field(fields, "model_year")).toBe(ad.vehicle.modelYear);
        }),
        runs,
      );
    },
  );

  it("a registered vehicle is never sent with an empty brand or model", () => {
    // Blocket answers 400 "This field may not be blank." to an empty brand: a make that
    // slugs to nothing must be an issue on vehicle.make before any request.
    fc.assert(
      fc.property(vehicleAd, (ad) => {
        const result = map(ad, v4);
        if (Either.isLeft(result)) return;
        const fields = payloadOf(result.right).category_fields;
        if (fields === undefined) return;
        expect(field(fields, "brand")).not.toBe("");
        expect(field(fields, "model")).not.toBe("");
      }),
      runs,
    );
  });

  it.each([
    ["V4", v4],
    ["V3", v3],
  ] as const)(
    "%s: other ads get a title and a contact whose phone is digits only",
    (_name, settings) => {
      fc.assert(
        fc.property(vehicleAd, (ad) => {
          const id = categoryIds[ad.category];
          const simpleAd = !registered.has(id) || (settings.version === "v3" && v4Only.has(id));
          const result = map(ad, settings);
          if (!simpleAd) return;
          if (Either.isLeft(result)) {
            // A contact is required for these ads: without one, an issue says which part.
            if (ad.contact?.name === undefined && !hasBadOptions(ad, settings))
              expect(result.left.map((entry) => entry.path)).toContain("contact.name");
            return;
          }
          const payload = payloadOf(result.right);
          expect(payload.title).toEqual(expect.any(String));
          expect(String(payload.title).length).toBeGreaterThan(0);
          if (ad.title !== undefined) expect(payload.title).toBe(ad.title);
          expect(field(payload.contact, "phone")).toMatch(/^\d+$/);
          expect(field(payload.contact, "name")).toBe(ad.contact?.name);
          expect(field(payload.contact, "email")).toBe(ad.contact?.email);
        }),
        runs,
      );
    },
  );

  it("V3: the V4-only categories (moped, motorhome, caravan, trailer) have no category_fields", () => {
    fc.assert(
      fc.property(vehicleAd, (ad) => {
        const result = map(ad, v3);
        if (!v4Only.has(categoryIds[ad.category]) || Either.isLeft(result)) return;
        expect(payloadOf(result.right).category_fields).toBeUndefined();
      }),
      runs,
    );
  });

  it("carries the mileage unchanged and the length in metres", () => {
    fc.assert(
      fc.property(vehicleAd, (ad) => {
        for (const settings of [v3, v4]) {
          const result = map(ad, settings);
          if (Either.isLeft(result)) continue;
          const fields = payloadOf(result.right).category_fields;
          if (fields === undefined) continue;
          expect(field(field(fields, "condition"), "mileage")).toEqual(ad.vehicle.mileage);
          const length = field(field(fields, "physics"), "length");
          expect(length).toEqual(
            ad.vehicle.lengthMm === undefined
              ? undefined
              : { unit: "m", value: ad.vehicle.lengthMm / 1000 },
          );
        }
      }),
      runs,
    );
  });

  it.each([
    ["V4", v4, "minor"],
    ["V3", v3, "major"],
  ] as const)(
    "%s round trip: reading the payload back gives the canonical prices, images, year, mileage and length",
    (_name, settings, unit) => {
      fc.assert(
        fc.property(vehicleAd, (ad) => {
          const result = map(ad, settings);
          if (Either.isLeft(result)) return;
          const payload = payloadOf(result.right);
          const view = fromBlocketAd(decodeWire({ source_id: ad.id, ...payload }), unit);
          expect(view.id).toBe(ad.id);
          expect(view.category).toBe(ad.category);
          expect(view.description).toBe(ad.description);
          const exact = (amount: number) =>
            settings.priceUnit === "minor" ? amount : Math.round(amount / 100) * 100;
          for (const type of ["list", "reduced", "monthly"] as const) {
            const money = ad.price[type];
            expect(view.price[type]).toEqual(
              money === undefined ? undefined : { amount: exact(money.amount), currency: "SEK" },
            );
          }
          expect(view.price.callForPrice === true).toBe(ad.price.callForPrice === true);
          if (ad.images.length <= settings.images.max) expect(view.images).toEqual(ad.images);
          if (payload.category_fields === undefined) return;
          expect(view.modelYear).toBe(ad.vehicle.modelYear);
          expect(view.mileage).toEqual(ad.vehicle.mileage);
          expect(view.lengthMm).toBe(ad.vehicle.lengthMm);
        }),
        runs,
      );
    },
  );

  it("round trip: fuels come back as canonical fuel names", () => {
    fc.assert(
      fc.property(vehicleAd, (ad) => {
        const result = map(ad, v4);
        if (Either.isLeft(result)) return;
        const payload = payloadOf(result.right);
        if (field(payload.category_fields, "powertrain") === undefined) return;
        const view = fromBlocketAd(decodeWire({ source_id: ad.id, ...payload }), "minor");
        // CNG and LPG share Blocket's "gas", and "other" has no wire value: only the rest round-trip.
        const expected = [
          ...new Set(ad.vehicle.fuels.filter((fuel) => !["cng", "lpg", "other"].includes(fuel))),
        ];
        expect(view.fuels).toEqual(expected);
      }),
      runs,
    );
  });
});

// --- examples --------------------------------------------------------------------------------

const decodeAd = Schema.decodeUnknownSync(VehicleAd);

describe("toBlocketPayload, the V4 guide's examples", () => {
  const guideSettings: BlocketMappingSettings = { ...v4, dealerCode: "YOUR_DEALER_CODE" };

  it("maps the moped ad to the guide's payload", () => {
    const ad = decodeAd({
      id: "moped-001",
      category: "moped",
      description: "Excellent condition Yamaha Aerox moped, well maintained",
      price: { list: { amount: 35000, currency: "SEK" } },
      location: { coordinates: { longitude: 18.0686, latitude: 59.3293 } },
      vehicle: {
        make: "Yamaha",
        model: "Aerox",
        modelYear: 2020,
        bodyType: "moped",
        registrationNumber: "ABC123",
        mileage: { unit: "km", value: 5000 },
        condition: "used",
        transmission: "automatic",
        fuels: ["petrol"],
      },
    });
    const result = toBlocketPayload(ad, guideSettings);
    expect(Either.isRight(result)).toBe(true);
    if (Either.isLeft(result)) return;
    expect(result.right.warnings).toEqual([]);
    // The guide's body, less source_id and visible, which only a create adds.
    expect(result.right.payload).toEqual({
      dealer_code: "YOUR_DEALER_CODE",
      category_id: "1121",
      body: "Excellent condition Yamaha Aerox moped, well maintained",
      price: [{ type: "list", amount: 35000, currency: "SEK" }],
      location: { longitude: 18.0686, latitude: 59.3293 },
      category_fields: {
        body_type: "moped",
        brand: "yamaha",
        model: "aerox",
        model_year: 2020,
        registration_number: "ABC123",
        condition: { mileage: { unit: "km", value: 5000 }, is_new_vehicle: false },
        powertrain: { transmission: "automatic", fuels: ["gasoline"] },
      },
    });
  });

  it("maps the camper ad to the guide's payload", () => {
    const ad = decodeAd({
      id: "camper-001",
      category: "motorhome",
      description: "Spacious Mercedes camper with 4 beds and full kitchen",
      price: { list: { amount: 450000, currency: "SEK" } },
      location: { coordinates: { longitude: 18.0686, latitude: 59.3293 } },
      vehicle: {
        make: "Mercedes-Benz",
        model: "Sprinter",
        modelYear: 2019,
        bodyType: "integrated",
        registrationNumber: "DEF456",
        mileage: { unit: "km", value: 50000 },
        grossWeightKg: 3500,
        lengthMm: 7500,
        beds: 4,
        transmission: "manual",
        fuels: ["diesel"],
      },
    });
    const result = toBlocketPayload(ad, guideSettings);
    expect(Either.isRight(result)).toBe(true);
    if (Either.isLeft(result)) return;
    expect(result.right.payload).toEqual({
      dealer_code: "YOUR_DEALER_CODE",
      category_id: "1102",
      body: "Spacious Mercedes camper with 4 beds and full kitchen",
      price: [{ type: "list", amount: 450000, currency: "SEK" }],
      location: { longitude: 18.0686, latitude: 59.3293 },
      category_fields: {
        body_type: "integrated",
        brand: "mercedes-benz",
        model: "sprinter",
        model_year: 2019,
        registration_number: "DEF456",
        // The guide's camper leaves is_new_vehicle out; adsync always states it (the moped
        // example shows the field), which the API accepts.
        condition: { mileage: { unit: "km", value: 50000 }, is_new_vehicle: false },
        physics: {
          gross_weight: { unit: "kg", value: 3500 },
          length: { unit: "m", value: 7.5 },
          number_of_beds: 4,
        },
        powertrain: { transmission: "manual", fuels: ["diesel"] },
      },
    });
  });
});

describe("toBlocketPayload, edge cases", () => {
  const car = {
    id: "car-1",
    category: "car",
    description: "Volvo XC90 i fint skick.",
    price: { list: { amount: 35_000_000, currency: "SEK" } },
    vehicle: {
      make: "Volvo",
      model: "XC90",
      modelYear: 2019,
      bodyType: "suv",
      mileage: { unit: "mil", value: 4500 },
      transmission: "automatic",
      fuels: ["diesel"],
    },
  };

  it("V3 reads 350 000 kr as whole kronor, like the doc's XC90 example, with no warning", () => {
    const result = toBlocketPayload(decodeAd(car), v3);
    if (Either.isLeft(result)) throw new Error(JSON.stringify(result.left));
    expect(payloadOf(result.right).price).toEqual([
      { type: "list", amount: 350_000, currency: "SEK" },
    ]);
    expect(result.right.warnings).toEqual([]);
  });

  it("V3 rounds öre to whole kronor and says so", () => {
    const ad = decodeAd({ ...car, price: { list: { amount: 12_345_678, currency: "SEK" } } });
    const result = toBlocketPayload(ad, v3);
    if (Either.isLeft(result)) throw new Error(JSON.stringify(result.left));
    expect(payloadOf(result.right).price).toEqual([
      { type: "list", amount: 123_457, currency: "SEK" },
    ]);
    expect(result.right.warnings).toEqual([
      expect.objectContaining({ path: "price.list", code: "invalid_value" }),
    ]);
  });

  it("over 20 images under V4: the first 20 are sent with a too_many warning", () => {
    const images = Array.from({ length: 25 }, (_, index) => `https://cdn.example.com/${index}.jpg`);
    const result = toBlocketPayload(decodeAd({ ...car, images }), v4);
    if (Either.isLeft(result)) throw new Error(JSON.stringify(result.left));
    expect(payloadOf(result.right).image_urls).toEqual(images.slice(0, 20));
    expect(result.right.warnings).toEqual([
      expect.objectContaining({ path: "images", code: "too_many" }),
    ]);
  });

  it("over the limit with tooMany 'reject': an issue, no payload", () => {
    const images = Array.from({ length: 21 }, (_, index) => `https://cdn.example.com/${index}.jpg`);
    const result = toBlocketPayload(decodeAd({ ...car, images }), {
      ...v4,
      images: { ...v4.images, tooMany: "reject" },
    });
    expect(Either.isLeft(result) ? result.left : []).toEqual([
      expect.objectContaining({ path: "images", code: "too_many" }),
    ]);
  });

  it("a car without body type is refused with an issue on vehicle.bodyType", () => {
    const { bodyType: _removed, ...vehicle } = car.vehicle;
    const result = toBlocketPayload(decodeAd({ ...car, vehicle }), v4);
    expect(Either.isLeft(result) ? result.left : []).toEqual([
      expect.objectContaining({
        path: "vehicle.bodyType",
        code: "required",
        marketplacePath: "category_fields.body_type",
      }),
    ]);
  });

  it("a group token without a dealer code is an issue on marketplaces.blocket.dealerCode", () => {
    const result = toBlocketPayload(decodeAd(car), { ...v4, dealerCode: undefined });
    expect(Either.isLeft(result) ? result.left.map((entry) => entry.path) : []).toEqual([
      "marketplaces.blocket.dealerCode",
    ]);
  });

  it("the ad's own dealer code wins over the adapter's", () => {
    const ad = decodeAd({ ...car, marketplaces: { blocket: { dealerCode: "DEALER2" } } });
    const result = toBlocketPayload(ad, v4);
    if (Either.isLeft(result)) throw new Error(JSON.stringify(result.left));
    expect(payloadOf(result.right).dealer_code).toBe("DEALER2");
  });

  it.each([
    ["make", "宝马", "vehicle.make"],
    ["model", "—", "vehicle.model"],
  ])(
    "a %s with no letter or digit a slug can keep (%j) is an issue on %s, not an empty field",
    (key, text, path) => {
      const ad = decodeAd({ ...car, vehicle: { ...car.vehicle, [key]: text } });
      const result = toBlocketPayload(ad, v4);
      expect(
        Either.isLeft(result) ? result.left.map((entry) => entry.path) : result.right.payload,
      ).toEqual([path]);
    },
  );

  it("reads Blocket's fuel names back as canonical ones", () => {
    const ad = decodeAd({ ...car, vehicle: { ...car.vehicle, fuels: ["petrol", "electric"] } });
    const result = toBlocketPayload(ad, v4);
    if (Either.isLeft(result)) throw new Error(JSON.stringify(result.left));
    expect(field(payloadOf(result.right).category_fields, "powertrain")).toMatchObject({
      fuels: ["gasoline", "electric"],
    });
    const view = fromBlocketAd(
      decodeWire({ source_id: ad.id, ...payloadOf(result.right) }),
      "minor",
    );
    expect(view.fuels).toEqual(["petrol", "electric"]);
  });

  it("V4 puts dealer terms at the top level; V3 in category_fields", () => {
    const ad = decodeAd({ ...car, terms: { warranty: "12 månader" } });
    const four = toBlocketPayload(ad, v4);
    const three = toBlocketPayload(ad, v3);
    if (Either.isLeft(four) || Either.isLeft(three)) throw new Error("unexpected issues");
    expect(payloadOf(four.right).warranty).toBe("12 månader");
    expect(field(payloadOf(three.right).category_fields, "warranty")).toBe("12 månader");
  });
});
