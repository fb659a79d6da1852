import { Colour, type Issue, type Prepared, VehicleAd } from "@adsync/core";
import { expectMappingFindings } from "@adsync/sandbox/conformance";
import { describe, expect, it } from "@effect/vitest";
import { Either, Schema } from "effect";
import fc from "fast-check";
import { vehicleAd } from "../../blocket/test/arbitraries.ts";
import {
  createBody,
  fromTraderaAd,
  type ReferenceData,
  type TraderaMappingSettings,
  toTraderaPayload,
  WireTraderaAd,
} from "../src/index.ts";

// --- the guide, as the oracle ------------------------------------------------------------------

/** "Supported Categories: 1020 - Cars (Personbilar), 1021 - Transport Vehicles (Transportbilar)". */
const categoryIds: Readonly<Record<string, number>> = { car: 1020, van: 1021 };

/** "Category Fields (for Cars)": the required and optional fields the guide lists. */
const documentedCategoryFields = new Set([
  "model_year",
  "body_type",
  "brand",
  "model",
  "color",
  "powertrain",
  "condition",
  "equipments",
  "model_type",
  "registration_number",
  "warranty",
  "service_history",
  "home_delivery",
  "return_policy",
]);

/** The dealer terms: canonical key, Tradera's key in category_fields ("max 500 chars"). */
const termFields = [
  ["warranty", "warranty"],
  ["serviceHistory", "service_history"],
  ["homeDelivery", "home_delivery"],
  ["returnPolicy", "return_policy"],
] as const;

/**
 * A sample of the vehicle reference data, spelled as the guide's `GET /vehicle/brands` answer
 * (`["volvo", "bmw", "mercedes", "audi", ...]`), with the makes and models the arbitrary uses.
 */
const reference: ReferenceData = {
  brands: ["volvo", "bmw", "mercedes", "audi", "skoda", "citroen", "lynk-co", "tesla"],
  models: ["xc60", "xc90", "v60", "sprinter", "id-4", "model-3", "3-serie", "aerox", "octavia"],
  bodyStyles: ["suv", "sedan", "coupe", "hatchback", "wagon", "convertible", "minivan", "van"],
  colors: ["black", "white", "silver", "grey", "blue", "red", "green", "brown", "beige"],
  fuels: ["gasoline", "diesel", "electric", "hybrid", "plugin_hybrid", "ethanol", "gas"],
  transmissions: ["manual", "automatic"],
  equipments: ["navigation", "leather_seats", "parking_sensors", "heated_seats", "tow_bar"],
};

const major: TraderaMappingSettings = { priceUnit: "major", dealerCode: "DEALER1" };
const minor: TraderaMappingSettings = { priceUnit: "minor", dealerCode: "DEALER1" };

/** Every path of the canonical model an issue may name. */

// --- arbitraries ---------------------------------------------------------------------------------

/** The Blocket arbitrary's per-ad options (the same keys Tradera reads) moved to `tradera`. */
const withTraderaOptions = (ad: VehicleAd): VehicleAd => {
  const { marketplaces, ...rest } = ad;
  const options = marketplaces?.blocket;
  return options === undefined ? rest : { ...rest, marketplaces: { tradera: options } };
};

/**
 * Cars and vans with a colour and at least one image, mostly with a body type and colour the
 * reference data below lists, so that most of them map.
 */
const likelyCar: fc.Arbitrary<VehicleAd> = fc
  .record({
    ad: vehicleAd,
    category: fc.constantFrom("car", "van"),
    colour: fc.constantFrom(...Colour.literals),
    image: fc.constantFrom("https://cdn.example.com/1.jpg", "http://images.dealer.se/a.JPG"),
    listed: fc.oneof(
      { weight: 3, arbitrary: fc.constant(true) },
      { weight: 1, arbitrary: fc.constant(false) },
    ),
    listedBodyType: fc.constantFrom("suv", "sedan", "wagon", "hatchback", "van"),
    listedColour: fc.constantFrom("black", "white", "silver", "blue", "red"),
  })
  .map(({ ad, category, colour, image, listed, listedBodyType, listedColour }) => {
    const { bodyType, ...vehicle } = ad.vehicle;
    return {
      ...withTraderaOptions(ad),
      category,
      images: ad.images.length > 0 ? ad.images : [image],
      vehicle: {
        ...vehicle,
        ...(bodyType === undefined ? {} : { bodyType: listed ? listedBodyType : bodyType }),
        colour: listed ? listedColour : (ad.vehicle.colour ?? colour),
      },
    };
  });

/** Any valid canonical ad, weighted towards the cars and vans Tradera takes. */
const traderaAd: fc.Arbitrary<VehicleAd> = fc.oneof(
  { weight: 3, arbitrary: likelyCar },
  { weight: 2, arbitrary: vehicleAd.map(withTraderaOptions) },
);

// --- helpers -------------------------------------------------------------------------------------

type Payload = Record<string, unknown>;
type Result = Either.Either<Prepared, ReadonlyArray<Issue>>;

const isRecord = (value: unknown): value is Payload =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const payloadOf = (prepared: Prepared): Payload => {
  if (!isRecord(prepared.payload)) throw new Error("the payload is not a JSON object");
  return prepared.payload;
};

const field = (value: unknown, key: string): unknown => (isRecord(value) ? value[key] : undefined);

const strings = (value: unknown): ReadonlyArray<string> =>
  Schema.decodeUnknownSync(Schema.Array(Schema.String))(value);

const issuesOf = (result: Result): ReadonlyArray<Issue> =>
  Either.isLeft(result) ? result.left : [];

const warningsOf = (result: Result): ReadonlyArray<Issue> =>
  Either.isRight(result) ? result.right.warnings : [];

const allFindings = (result: Result): ReadonlyArray<Issue> =>
  Either.isLeft(result) ? result.left : result.right.warnings;

const has = (findings: ReadonlyArray<Issue>, path: string, code?: string) =>
  findings.some((entry) => entry.path === path && (code === undefined || entry.code === code));

/** Per-ad options the DMS got wrong are reported alone: the mapping stops there. */
const hasBadOptions = (ad: VehicleAd): boolean =>
  issuesOf(toTraderaPayload(ad, major)).some((entry) =>
    entry.path.startsWith("marketplaces.tradera"),
  );

const isCarOrVan = (ad: VehicleAd) => ad.category === "car" || ad.category === "van";

const runs = { numRuns: 300 };

const decodeAd = Schema.decodeUnknownSync(VehicleAd);

// --- the arbitrary itself ------------------------------------------------------------------------

describe("the arbitrary of canonical ads for Tradera", () => {
  // The properties below only say something about the ads that map: make sure enough of them
  // do, and that the cases they single out occur.
  const sample = fc.sample(traderaAd, { numRuns: 600, seed: 20260301 });

  it("covers cars, vans and other categories, and the cases the properties single out", () => {
    const categories = new Set(sample.map((ad) => ad.category));
    expect(categories.has("car") && categories.has("van") && categories.size > 4).toBe(true);
    expect(sample.some((ad) => ad.images.length === 0)).toBe(true);
    expect(sample.some((ad) => ad.price.reduced !== undefined)).toBe(true);
    expect(sample.some((ad) => (ad.price.list?.amount ?? 0) % 100 !== 0)).toBe(true);
    expect(sample.some((ad) => ad.vehicle.mileage?.unit === "mil")).toBe(true);
    expect(sample.some((ad) => ad.vehicle.mileage?.unit === "km")).toBe(true);
    expect(sample.some((ad) => (ad.terms?.warranty?.length ?? 0) > 500)).toBe(true);
    expect(
      sample.some(
        (ad) => ad.location?.postalCode !== undefined && ad.location.coordinates === undefined,
      ),
    ).toBe(true);
  });

  it.each([
    ["without reference data", undefined],
    ["with reference data", reference],
  ] as const)("maps at least a sixth of the ads %s, cars and vans both", (_name, data) => {
    const mapped = sample.filter((ad) => Either.isRight(toTraderaPayload(ad, major, data)));
    expect(mapped.length).toBeGreaterThan(sample.length / 6);
    expect(new Set(mapped.map((ad) => ad.category))).toEqual(new Set(["car", "van"]));
  });
});

// --- properties ----------------------------------------------------------------------------------

describe("toTraderaPayload, for any valid canonical ad", () => {
  it.each([
    ["kronor", major, undefined],
    ["öre", minor, undefined],
    ["kronor, with reference data", major, reference],
    ["öre, with reference data", minor, reference],
  ] as const)(
    "is total (%s): a payload, or at least one issue, every finding on a canonical path",
    (_name, settings, data) => {
      fc.assert(
        fc.property(traderaAd, (ad) => {
          let result: Result | undefined;
          expect(() => {
            result = toTraderaPayload(ad, settings, data);
          }).not.toThrow();
          if (result === undefined) return;
          expectMappingFindings(result, "tradera");
        }),
        runs,
      );
    },
  );

  it("refuses every category but car and van with not_allowed on category", () => {
    fc.assert(
      fc.property(traderaAd, (ad) => {
        const result = toTraderaPayload(ad, major);
        if (isCarOrVan(ad)) {
          expect(has(allFindings(result), "category")).toBe(false);
          return;
        }
        if (hasBadOptions(ad)) return;
        expect(Either.isLeft(result)).toBe(true);
        expect(issuesOf(result)).toContainEqual(
          expect.objectContaining({
            path: "category",
            code: "not_allowed",
            marketplacePath: "category_id",
          }),
        );
      }),
      runs,
    );
  });

  it("sends category_id as the number 1020 for a car and 1021 for a van", () => {
    fc.assert(
      fc.property(likelyCar, (ad) => {
        const result = toTraderaPayload(ad, major);
        if (Either.isLeft(result)) return;
        const categoryId = payloadOf(result.right).category_id;
        expect(typeof categoryId).toBe("number");
        expect(categoryId).toBe(categoryIds[ad.category]);
      }),
      runs,
    );
  });

  it("round trip: reading the create body back gives the ad's id, category, texts, price, images and year", () => {
    const decodeWire = Schema.decodeUnknownSync(WireTraderaAd);
    fc.assert(
      fc.property(likelyCar, (ad) => {
        const result = toTraderaPayload(ad, minor, reference);
        if (Either.isLeft(result)) return;
        const view = fromTraderaAd(decodeWire(createBody(ad, result.right.payload)), "minor");
        expect(view.id).toBe(ad.id);
        // The ad's own dealer code, else the adapter's.
        expect(view.dealerCode).toBe(
          field(ad.marketplaces?.tradera, "dealerCode") ?? minor.dealerCode,
        );
        expect(view.category).toBe(ad.category);
        expect(view.title).toBe(ad.title);
        expect(view.description).toBe(ad.description);
        // One price: what the buyer pays, the reduced price when there is one.
        expect(view.price).toEqual({ list: ad.price.reduced ?? ad.price.list });
        expect(view.images).toEqual(ad.images);
        expect(view.modelYear).toBe(ad.vehicle.modelYear);
      }),
      runs,
    );
  });

  it("sends exactly one SEK list price: the list price in whole kronor, rounded with a warning", () => {
    fc.assert(
      fc.property(traderaAd, (ad) => {
        const list = ad.price.list;
        const result = toTraderaPayload(ad, major);
        if (ad.price.reduced !== undefined || list === undefined || Either.isLeft(result)) return;
        expect(payloadOf(result.right).price).toEqual([
          { currency: "SEK", type: "list", amount: Math.round(list.amount / 100) },
        ]);
        const rounded = has(result.right.warnings, "price.list", "invalid_value");
        expect(rounded).toBe(list.amount % 100 !== 0);
      }),
      runs,
    );
  });

  it('with priceUnit "minor" sends the amount in öre unchanged, with no rounding warning', () => {
    fc.assert(
      fc.property(traderaAd, (ad) => {
        const sent = ad.price.reduced ?? ad.price.list;
        const result = toTraderaPayload(ad, minor);
        if (sent === undefined || Either.isLeft(result)) return;
        expect(payloadOf(result.right).price).toEqual([
          { currency: "SEK", type: "list", amount: sent.amount },
        ]);
        expect(result.right.warnings.some((entry) => entry.code === "invalid_value")).toBe(false);
      }),
      runs,
    );
  });

  it("sends a reduced price as the one list price, with an unsupported warning on the list price it leaves out", () => {
    fc.assert(
      fc.property(traderaAd, (ad) => {
        const reduced = ad.price.reduced;
        const result = toTraderaPayload(ad, major);
        if (reduced === undefined || Either.isLeft(result)) return;
        expect(payloadOf(result.right).price).toEqual([
          { currency: "SEK", type: "list", amount: Math.round(reduced.amount / 100) },
        ]);
        expect(has(result.right.warnings, "price.list", "unsupported")).toBe(
          ad.price.list !== undefined,
        );
      }),
      runs,
    );
  });

  it("names price.reduced, not price.list, when the reduced price it sends is rounded or not in SEK", () => {
    // The dealer must be pointed at the price that has the problem: the reduced one is sent.
    fc.assert(
      fc.property(traderaAd, (ad) => {
        const reduced = ad.price.reduced;
        if (reduced === undefined || hasBadOptions(ad)) return;
        const result = toTraderaPayload(ad, major);
        const findings = allFindings(result);
        if (reduced.currency !== "SEK") {
          expect(has(findings, "price.reduced.currency", "invalid_value")).toBe(true);
        } else if (reduced.amount % 100 !== 0 && Either.isRight(result)) {
          // A rounding is a warning, reported with the payload (an ad refused for other
          // reasons answers its issues only).
          expect(has(findings, "price.reduced", "invalid_value")).toBe(true);
        }
        // The list price is not sent: nothing about its amount or currency is reported.
        expect(has(findings, "price.list", "invalid_value")).toBe(false);
        expect(has(findings, "price.list.currency")).toBe(false);
      }),
      runs,
    );
  });

  it("a list price in another currency than SEK is an issue on price.list.currency", () => {
    fc.assert(
      fc.property(traderaAd, (ad) => {
        const list = ad.price.list;
        if (list === undefined || list.currency === "SEK" || ad.price.reduced !== undefined) return;
        if (hasBadOptions(ad)) return;
        expect(issuesOf(toTraderaPayload(ad, major))).toContainEqual(
          expect.objectContaining({ path: "price.list.currency", code: "invalid_value" }),
        );
      }),
      runs,
    );
  });

  it("an ad with neither a list nor a reduced price is an issue on price.list; a monthly price is left out with a warning", () => {
    fc.assert(
      fc.property(traderaAd, (ad) => {
        if (hasBadOptions(ad)) return;
        const result = toTraderaPayload(ad, major);
        if (ad.price.list === undefined && ad.price.reduced === undefined) {
          expect(issuesOf(result)).toContainEqual(
            expect.objectContaining({ path: "price.list", code: "required" }),
          );
        }
        if (ad.price.monthly !== undefined && Either.isRight(result)) {
          expect(has(result.right.warnings, "price.monthly", "unsupported")).toBe(true);
          expect(payloadOf(result.right).price).toHaveLength(1);
        }
      }),
      runs,
    );
  });

  it("requires at least one image and sends every image URL, in order", () => {
    fc.assert(
      fc.property(traderaAd, (ad) => {
        if (hasBadOptions(ad)) return;
        const result = toTraderaPayload(ad, major);
        if (ad.images.length === 0) {
          expect(issuesOf(result)).toContainEqual(
            expect.objectContaining({ path: "images", code: "required" }),
          );
          return;
        }
        expect(has(allFindings(result), "images")).toBe(false);
        if (Either.isRight(result)) {
          expect(payloadOf(result.right).image_urls).toEqual(ad.images);
        }
      }),
      runs,
    );
  });

  it("puts the dealer terms in category_fields; over 500 characters is too_long on terms.*", () => {
    fc.assert(
      fc.property(traderaAd, (ad) => {
        if (hasBadOptions(ad)) return;
        const result = toTraderaPayload(ad, major);
        for (const [key, wireKey] of termFields) {
          const text = ad.terms?.[key];
          if (text !== undefined && text.length > 500) {
            expect(issuesOf(result)).toContainEqual(
              expect.objectContaining({
                path: `terms.${key}`,
                code: "too_long",
                marketplacePath: `category_fields.${wireKey}`,
              }),
            );
            continue;
          }
          if (Either.isLeft(result)) continue;
          const payload = payloadOf(result.right);
          expect(field(payload.category_fields, wireKey)).toBe(text);
          expect(payload[wireKey]).toBeUndefined();
        }
      }),
      runs,
    );
  });

  it("requires colour, body type, mileage, transmission and a fuel, as issues on vehicle.*", () => {
    fc.assert(
      fc.property(traderaAd, (ad) => {
        if (!isCarOrVan(ad) || hasBadOptions(ad)) return;
        const { vehicle } = ad;
        const fuelsSent = vehicle.fuels.some((fuel) => fuel !== "other");
        const missing = [
          ["vehicle.colour", vehicle.colour === undefined],
          ["vehicle.bodyType", vehicle.bodyType === undefined],
          ["vehicle.mileage", vehicle.mileage === undefined],
          ["vehicle.transmission", vehicle.transmission === undefined],
          ["vehicle.fuels", !fuelsSent],
        ] as const;
        const result = toTraderaPayload(ad, major);
        for (const [path, isMissing] of missing) {
          expect(has(issuesOf(result), path, "required")).toBe(isMissing);
        }
      }),
      runs,
    );
  });

  it("sends the mileage in the dealer's unit and value, km and mil alike", () => {
    fc.assert(
      fc.property(traderaAd, (ad) => {
        for (const data of [undefined, reference]) {
          const result = toTraderaPayload(ad, major, data);
          if (Either.isLeft(result)) continue;
          const condition = field(payloadOf(result.right).category_fields, "condition");
          expect(field(condition, "mileage")).toEqual(ad.vehicle.mileage);
        }
      }),
      runs,
    );
  });

  it("sends only the category_fields the guide lists (no is_new_vehicle, power or physics)", () => {
    fc.assert(
      fc.property(likelyCar, (ad) => {
        const result = toTraderaPayload(ad, major, reference);
        if (Either.isLeft(result)) return;
        const fields = payloadOf(result.right).category_fields;
        expect(
          Object.keys(isRecord(fields) ? fields : {}).filter(
            (key) => !documentedCategoryFields.has(key),
          ),
        ).toEqual([]);
        expect(Object.keys(field(fields, "condition") ?? {})).toEqual(["mileage"]);
        expect(Object.keys(field(fields, "powertrain") ?? {}).sort()).toEqual([
          "fuels",
          "transmission",
        ]);
      }),
      runs,
    );
  });

  it("locates an ad by coordinates only: a postal code or LKF alone is a warning and no location", () => {
    fc.assert(
      fc.property(traderaAd, (ad) => {
        const result = toTraderaPayload(ad, major);
        if (Either.isLeft(result)) return;
        const payload = payloadOf(result.right);
        const coordinates = ad.location?.coordinates;
        const elsewise =
          ad.location?.postalCode !== undefined || ad.location?.regionCodes?.lkf !== undefined;
        const warned = has(result.right.warnings, "location.coordinates", "unsupported");
        if (coordinates !== undefined) {
          expect(payload.location).toEqual({
            latitude: coordinates.latitude,
            longitude: coordinates.longitude,
          });
          expect(warned).toBe(false);
        } else {
          expect(payload.location).toBeUndefined();
          expect(warned).toBe(elsewise);
        }
      }),
      runs,
    );
  });

  it("sends the ad's own dealer code, else the adapter's; with neither, an issue on marketplaces.tradera.dealerCode", () => {
    fc.assert(
      fc.property(traderaAd, (ad) => {
        if (hasBadOptions(ad)) return;
        const own = field(ad.marketplaces?.tradera, "dealerCode");
        const configured = toTraderaPayload(ad, major);
        if (Either.isRight(configured)) {
          expect(payloadOf(configured.right).dealer_code).toBe(own ?? "DEALER1");
        }
        const unconfigured = toTraderaPayload(ad, { priceUnit: "major" });
        expect(has(issuesOf(unconfigured), "marketplaces.tradera.dealerCode", "required")).toBe(
          own === undefined,
        );
      }),
      runs,
    );
  });

  it("leaves a video out with a warning", () => {
    fc.assert(
      fc.property(traderaAd, (ad) => {
        const result = toTraderaPayload(ad, major);
        if (Either.isLeft(result)) return;
        expect(has(result.right.warnings, "video", "unsupported")).toBe(ad.video !== undefined);
        expect(payloadOf(result.right).video_url).toBeUndefined();
      }),
      runs,
    );
  });
});

describe("toTraderaPayload with the vehicle reference data", () => {
  it("sends only values the reference lists hold, in their spelling", () => {
    fc.assert(
      fc.property(traderaAd, (ad) => {
        const result = toTraderaPayload(ad, major, reference);
        if (Either.isLeft(result)) return;
        const fields = payloadOf(result.right).category_fields;
        const powertrain = field(fields, "powertrain");
        expect(reference.brands).toContain(field(fields, "brand"));
        expect(reference.models).toContain(field(fields, "model"));
        expect(reference.bodyStyles).toContain(field(fields, "body_type"));
        expect(reference.colors).toContain(field(fields, "color"));
        expect(reference.transmissions).toContain(field(powertrain, "transmission"));
        const fuels = strings(field(powertrain, "fuels"));
        expect(fuels.length).toBeGreaterThan(0);
        for (const fuel of fuels) expect(reference.fuels).toContain(fuel);
        for (const item of strings(field(fields, "equipments"))) {
          expect(reference.equipments).toContain(item);
        }
      }),
      runs,
    );
  });

  /** Values no reference list above holds, per canonical field. */
  const unlisted = fc.constantFrom(
    { path: "vehicle.make", marketplacePath: "category_fields.brand", change: { make: "Lada" } },
    { path: "vehicle.model", marketplacePath: "category_fields.model", change: { model: "Niva" } },
    {
      path: "vehicle.colour",
      marketplacePath: "category_fields.color",
      change: { colour: "gold" },
    },
    {
      path: "vehicle.bodyType",
      marketplacePath: "category_fields.body_type",
      change: { bodyType: "chassis_cab" },
    },
    {
      path: "vehicle.fuels",
      marketplacePath: "category_fields.powertrain.fuels",
      change: { fuels: ["hydrogen"] },
    },
  );

  it("reports a value the lists do not hold as invalid_value on the canonical field", () => {
    fc.assert(
      fc.property(likelyCar, unlisted, (ad, { path, marketplacePath, change }) => {
        if (hasBadOptions(ad)) return;
        const changed: VehicleAd = { ...ad, vehicle: { ...ad.vehicle, ...change } };
        const result = toTraderaPayload(changed, major, reference);
        expect(Either.isLeft(result)).toBe(true);
        expect(issuesOf(result)).toContainEqual(
          expect.objectContaining({ path, code: "invalid_value", marketplacePath }),
        );
      }),
      runs,
    );
  });

  it("reports a transmission the list does not hold as invalid_value on vehicle.transmission", () => {
    fc.assert(
      fc.property(likelyCar, (ad) => {
        if (hasBadOptions(ad) || ad.vehicle.transmission === undefined) return;
        const other = ad.vehicle.transmission === "manual" ? "automatic" : "manual";
        const onlyOther = { ...reference, transmissions: [other] };
        expect(issuesOf(toTraderaPayload(ad, major, onlyOther))).toContainEqual(
          expect.objectContaining({
            path: "vehicle.transmission",
            code: "invalid_value",
            marketplacePath: "category_fields.powertrain.transmission",
          }),
        );
      }),
      runs,
    );
  });

  it("keeps listed equipment and drops the rest with an invalid_value warning each", () => {
    fc.assert(
      fc.property(
        likelyCar,
        fc.array(fc.constantFrom("navigation", "tow_bar", "flux_capacitor", "zz_top"), {
          maxLength: 5,
        }),
        (ad, equipment) => {
          const result = toTraderaPayload(
            { ...ad, vehicle: { ...ad.vehicle, equipment } },
            major,
            reference,
          );
          if (Either.isLeft(result)) return;
          const sent = strings(field(payloadOf(result.right).category_fields, "equipments"));
          const listed = equipment.filter((item) => reference.equipments.includes(item));
          expect(sent).toEqual([...new Set(listed)]);
          const warnings = result.right.warnings.filter(
            (entry) => entry.path === "vehicle.equipment",
          );
          expect(warnings).toHaveLength(equipment.length - listed.length);
          for (const warning of warnings) {
            expect(warning).toMatchObject({
              code: "invalid_value",
              marketplacePath: "category_fields.equipments",
            });
          }
        },
      ),
      runs,
    );
  });
});

// --- examples ------------------------------------------------------------------------------------

/** The guide's "Request Body Example (Car)" of "Create a New Ad", as a canonical ad. */
const guideCar = {
  id: "my-car-12345",
  category: "car",
  title: "Volvo XC90 D5 AWD",
  description:
    "Well maintained Volvo XC90 with full service history. Great family car with excellent safety features.",
  price: { list: { amount: 35_000_000, currency: "SEK" } },
  images: [
    "https://example.com/images/car1-front.jpg",
    "https://example.com/images/car1-side.jpg",
    "https://example.com/images/car1-interior.jpg",
  ],
  url: "https://yourwebsite.com/cars/my-car-12345",
  vehicle: {
    make: "Volvo",
    model: "XC90",
    variant: "D5 AWD",
    modelYear: 2019,
    bodyType: "suv",
    registrationNumber: "ABC123",
    colour: "black",
    mileage: { unit: "km", value: 45000 },
    transmission: "automatic",
    fuels: ["diesel"],
    equipment: ["navigation", "leather_seats", "parking_sensors", "heated_seats"],
  },
  terms: {
    warranty: "12 months warranty included",
    serviceHistory: "Complete service history available",
    homeDelivery: "Home delivery available within 100km",
  },
  marketplaces: {
    tradera: { dealerCode: "DEALER123", visible: true, dontPublishOnFailedImages: false },
  },
};

/** The guide's body, less source_id and visible, which only a create adds. */
const guideBody = {
  dealer_code: "DEALER123",
  category_id: 1020,
  title: "Volvo XC90 D5 AWD",
  body: "Well maintained Volvo XC90 with full service history. Great family car with excellent safety features.",
  price: [{ currency: "SEK", type: "list", amount: 350000 }],
  image_urls: [
    "https://example.com/images/car1-front.jpg",
    "https://example.com/images/car1-side.jpg",
    "https://example.com/images/car1-interior.jpg",
  ],
  category_fields: {
    brand: "volvo",
    model: "xc90",
    model_type: "D5 AWD",
    model_year: 2019,
    body_type: "suv",
    registration_number: "ABC123",
    color: "black",
    condition: { mileage: { unit: "km", value: 45000 } },
    powertrain: { transmission: "automatic", fuels: ["diesel"] },
    equipments: ["navigation", "leather_seats", "parking_sensors", "heated_seats"],
    warranty: "12 months warranty included",
    service_history: "Complete service history available",
    home_delivery: "Home delivery available within 100km",
  },
  url: "https://yourwebsite.com/cars/my-car-12345",
  dont_publish_on_failed_images: false,
};

describe("toTraderaPayload, the guide's create example", () => {
  it.each([
    ["without reference data", undefined],
    ["with reference data", reference],
  ] as const)("maps the Volvo XC90 to the guide's request body %s", (_name, data) => {
    const result = toTraderaPayload(decodeAd(guideCar), { priceUnit: "major" }, data);
    if (Either.isLeft(result)) throw new Error(JSON.stringify(result.left));
    expect(result.right.warnings).toEqual([]);
    expect(result.right.payload).toEqual(guideBody);
  });
});

describe("toTraderaPayload, edge cases", () => {
  const car = decodeAd(guideCar);
  const withVehicle = (vehicle: Partial<VehicleAd["vehicle"]>): VehicleAd => ({
    ...car,
    vehicle: { ...car.vehicle, ...vehicle },
  });
  const payload = (result: Result): Payload => {
    if (Either.isLeft(result)) throw new Error(JSON.stringify(result.left));
    return payloadOf(result.right);
  };

  it('normalizes "Mercedes-Benz" to the listed "mercedes", and "ID.4" to "id-4"', () => {
    const fields = payload(
      toTraderaPayload(withVehicle({ make: "Mercedes-Benz", model: "Sprinter" }), major, reference),
    ).category_fields;
    expect(field(fields, "brand")).toBe("mercedes");
    expect(field(fields, "model")).toBe("sprinter");
    const id4 = payload(
      toTraderaPayload(withVehicle({ make: "Volkswagen", model: "ID.4" }), major, {
        ...reference,
        brands: [...reference.brands, "volkswagen"],
      }),
    ).category_fields;
    expect(field(id4, "model")).toBe("id-4");
  });

  it("sends each value in the spelling the list gives it", () => {
    const capitalised: ReferenceData = {
      brands: ["Volvo", "Mercedes-Benz"],
      models: ["XC90"],
      bodyStyles: ["SUV"],
      colors: ["Black"],
      fuels: ["Diesel"],
      transmissions: ["Automatic"],
      equipments: ["Navigation"],
    };
    const fields = payload(
      toTraderaPayload(withVehicle({ equipment: ["navigation"] }), major, capitalised),
    ).category_fields;
    expect(fields).toMatchObject({
      brand: "Volvo",
      model: "XC90",
      body_type: "SUV",
      color: "Black",
      powertrain: { transmission: "Automatic", fuels: ["Diesel"] },
      equipments: ["Navigation"],
    });
  });

  it("drops unknown equipment with a warning naming it", () => {
    const result = toTraderaPayload(
      withVehicle({ equipment: ["navigation", "flux_capacitor"] }),
      major,
      reference,
    );
    expect(field(payload(result).category_fields, "equipments")).toEqual(["navigation"]);
    expect(warningsOf(result)).toEqual([
      expect.objectContaining({
        path: "vehicle.equipment",
        code: "invalid_value",
        message: expect.stringContaining("flux_capacitor"),
      }),
    ]);
  });

  it("sends an empty equipments list when the ad has none", () => {
    const fields = payload(toTraderaPayload(withVehicle({ equipment: [] }), major)).category_fields;
    expect(field(fields, "equipments")).toEqual([]);
  });

  it("sends mil as mil, without converting to km", () => {
    const fields = payload(
      toTraderaPayload(withVehicle({ mileage: { unit: "mil", value: 4500 } }), major),
    ).category_fields;
    expect(field(field(fields, "condition"), "mileage")).toEqual({ unit: "mil", value: 4500 });
  });

  it("a postal code alone gives a warning on location.coordinates and no location", () => {
    const result = toTraderaPayload({ ...car, location: { postalCode: "111 22" } }, major);
    expect(payload(result).location).toBeUndefined();
    expect(warningsOf(result)).toEqual([
      expect.objectContaining({ path: "location.coordinates", code: "unsupported" }),
      expect.objectContaining({ path: "location.postalCode", code: "unsupported" }),
    ]);
  });

  it("coordinates are sent as the guide's {latitude, longitude}", () => {
    const result = toTraderaPayload(
      {
        ...car,
        location: { postalCode: "111 22", coordinates: { latitude: 59.3293, longitude: 18.0686 } },
      },
      major,
    );
    expect(payload(result).location).toEqual({ latitude: 59.3293, longitude: 18.0686 });
    // The postal code has no place beside the coordinates: said, not dropped in silence.
    expect(warningsOf(result)).toEqual([
      expect.objectContaining({ path: "location.postalCode", code: "unsupported" }),
    ]);
  });

  it("rounds öre to whole kronor and says so on price.list", () => {
    const result = toTraderaPayload(
      { ...car, price: { list: { amount: 12_345_678, currency: "SEK" } } },
      major,
    );
    expect(payload(result).price).toEqual([{ currency: "SEK", type: "list", amount: 123_457 }]);
    expect(warningsOf(result)).toEqual([
      expect.objectContaining({ path: "price.list", code: "invalid_value" }),
    ]);
  });

  it("sends a reduced price as the list price with a warning", () => {
    const result = toTraderaPayload(
      {
        ...car,
        price: {
          list: { amount: 35_000_000, currency: "SEK" },
          reduced: { amount: 32_500_000, currency: "SEK" },
        },
      },
      major,
    );
    expect(payload(result).price).toEqual([{ currency: "SEK", type: "list", amount: 325_000 }]);
    expect(warningsOf(result)).toEqual([
      expect.objectContaining({ path: "price.list", code: "unsupported" }),
    ]);
  });

  it("a motorcycle is refused on category, whatever else it has", () => {
    const result = toTraderaPayload({ ...car, category: "motorcycle" }, major);
    expect(issuesOf(result)).toEqual([
      expect.objectContaining({ path: "category", code: "not_allowed" }),
    ]);
  });

  it("a warranty of 501 characters is too_long on terms.warranty; 500 is sent", () => {
    const long = toTraderaPayload({ ...car, terms: { warranty: "x".repeat(501) } }, major);
    expect(issuesOf(long)).toEqual([
      expect.objectContaining({
        path: "terms.warranty",
        code: "too_long",
        marketplacePath: "category_fields.warranty",
      }),
    ]);
    const fits = toTraderaPayload({ ...car, terms: { warranty: "x".repeat(500) } }, major);
    expect(field(payload(fits).category_fields, "warranty")).toBe("x".repeat(500));
  });

  it("power, condition new, weights, lengths, contact and product declaration are each an unsupported warning, and nothing of them is sent", () => {
    const result = toTraderaPayload(
      decodeAd({
        ...guideCar,
        vehicle: {
          ...guideCar.vehicle,
          power: { value: 173, unit: "kw" },
          condition: "new",
          kerbWeightKg: 2000,
          grossWeightKg: 2600,
          lengthMm: 4950,
          widthMm: 1960,
        },
        contact: { name: "Anna", phone: "+46701234567", email: "anna@dealer.example" },
        terms: { productDeclarationUrl: "https://dealer.example/decl.pdf" },
      }),
      major,
      reference,
    );
    expect(
      warningsOf(result)
        .filter((entry) => entry.code === "unsupported")
        .map((entry) => entry.path),
    ).toEqual([
      "vehicle.power",
      "vehicle.kerbWeightKg",
      "vehicle.grossWeightKg",
      "vehicle.lengthMm",
      "vehicle.widthMm",
      "vehicle.condition",
      "contact",
      "terms.productDeclarationUrl",
    ]);
    const sent = JSON.stringify(payload(result));
    for (const value of ["173", "2600", "4950", "anna@dealer.example", "decl.pdf", "is_new"]) {
      expect(sent).not.toContain(value);
    }
  });

  it("no images is an issue on images, not an empty image_urls", () => {
    expect(issuesOf(toTraderaPayload({ ...car, images: [] }, major))).toEqual([
      expect.objectContaining({ path: "images", code: "required", marketplacePath: "image_urls" }),
    ]);
  });

  it("options the DMS got wrong are issues under marketplaces.tradera", () => {
    const result = toTraderaPayload(
      { ...car, marketplaces: { tradera: { premium: "yes" } } },
      major,
    );
    expect(issuesOf(result).map((entry) => entry.path)).toEqual(["marketplaces.tradera.premium"]);
  });
});
