import {
  type EnumeratedVehicleField,
  enumeratedVehicleFields,
  enumeratedVehicleValues,
  VehicleAd,
  VehicleCategory,
} from "@adsync/core";
import { startTraderaFake, TRADERA_SANDBOX_TOKEN } from "@adsync/sandbox";
import { NodeHttpClient } from "@effect/platform-node";
import { Effect, Either, Redacted, Schema } from "effect";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { makeTradera, type ReferenceData, toTraderaPayload } from "../src/index.ts";

/**
 * Every value of every canonical enumeration, on Tradera: it is sent as a value the reference
 * lists hold ("Use these values exactly as returned"), or the ad answers an issue on the
 * canonical field. Never a value Tradera refuses.
 */

const baseAd = Schema.decodeUnknownSync(VehicleAd)({
  id: "enumerations",
  category: "car",
  description: "Välvårdad bil med full servicehistorik.",
  price: { list: { amount: 35_000_000, currency: "SEK" } },
  images: ["https://cdn.example.com/1.jpg"],
  vehicle: {
    make: "Volvo",
    model: "XC90",
    modelYear: 2019,
    bodyType: "suv",
    colour: "black",
    mileage: { value: 4500, unit: "mil" },
    fuels: ["diesel"],
    transmission: "automatic",
  },
});

/** The lists as a Swedish marketplace may spell them (the guide documents samples only). */
const swedish: ReferenceData = {
  brands: ["volvo"],
  models: ["xc90"],
  bodyStyles: ["sedan", "halvkombi", "kombi", "suv", "coupe", "cab", "familjebuss", "pickup"],
  colors: ["svart", "vit", "silver", "gra", "bla", "rod", "gron", "gul", "brun", "beige"],
  fuels: ["bensin", "diesel", "el", "hybrid", "laddhybrid", "etanol", "gas"],
  transmissions: ["manuell", "automat"],
  equipments: [],
};

let served: ReferenceData;
beforeAll(async () => {
  const fake = await startTraderaFake({ processingDelayMs: 20 });
  try {
    served = await Effect.runPromise(
      Effect.scoped(
        Effect.flatMap(
          makeTradera({
            baseUrl: fake.url,
            token: Redacted.make(TRADERA_SANDBOX_TOKEN),
            dealerCode: "DEALER1",
          }),
          (tradera) => tradera.referenceData,
        ),
      ).pipe(Effect.provide(NodeHttpClient.layerUndici)),
    );
  } finally {
    await fake.close();
  }
});

type Field = EnumeratedVehicleField;
// Every value of every enumerated field the marketplace maps.
const fieldValues = fc.constantFrom(...enumeratedVehicleValues(enumeratedVehicleFields));

const adWith = (field: Field, value: string, category: string): VehicleAd =>
  Schema.decodeUnknownSync(VehicleAd)({
    ...Schema.encodeSync(VehicleAd)(baseAd),
    category,
    vehicle: {
      ...Schema.encodeSync(VehicleAd)(baseAd).vehicle,
      [field]: field === "fuels" ? [value] : value,
    },
  });

const sentValues = (payload: unknown, field: Field): ReadonlyArray<unknown> => {
  const fields =
    typeof payload === "object" && payload !== null && "category_fields" in payload
      ? payload.category_fields
      : undefined;
  if (typeof fields !== "object" || fields === null) return [];
  const powertrain = "powertrain" in fields ? fields.powertrain : undefined;
  const inPowertrain = (key: string): unknown =>
    typeof powertrain === "object" && powertrain !== null && key in powertrain
      ? Object.entries(powertrain).find(([name]) => name === key)?.[1]
      : undefined;
  switch (field) {
    case "bodyType":
      return "body_type" in fields ? [fields.body_type] : [];
    case "colour":
      return "color" in fields ? [fields.color] : [];
    case "transmission":
      return [inPowertrain("transmission")];
    case "fuels": {
      const fuels = inPowertrain("fuels");
      return Array.isArray(fuels) ? fuels : [];
    }
    case "condition":
      return [];
  }
};

const listOf = (reference: ReferenceData, field: Field): ReadonlyArray<string> => {
  switch (field) {
    case "bodyType":
      return reference.bodyStyles;
    case "colour":
      return reference.colors;
    case "fuels":
      return reference.fuels;
    case "transmission":
      return reference.transmissions;
    case "condition":
      return [];
  }
};

const checkEnumerations = (reference: () => ReferenceData) =>
  fc.assert(
    fc.property(
      fieldValues,
      fc.constantFrom(...VehicleCategory.literals),
      ([field, value], category) => {
        const mapped = toTraderaPayload(
          adWith(field, value, category),
          { priceUnit: "major", dealerCode: "DEALER1" },
          reference(),
        );
        if (Either.isLeft(mapped)) {
          // Refused locally: the issue names a canonical field, this one or the category.
          const paths = mapped.left.map((entry) => entry.path);
          expect(paths.every((path) => path === `vehicle.${field}` || path === "category")).toBe(
            true,
          );
          return;
        }
        for (const sent of sentValues(mapped.right.payload, field))
          expect(listOf(reference(), field)).toContain(sent);
      },
    ),
    { numRuns: 400 },
  );

describe("canonical enumerations on Tradera", () => {
  it("every value is sent as one the sandbox's reference lists hold, or is an issue", () =>
    checkEnumerations(() => served));

  it("every value is sent as one Swedish-spelled lists hold, or is an issue", () =>
    checkEnumerations(() => swedish));

  it("sends a wagon as the list's kombi", () => {
    const mapped = toTraderaPayload(
      adWith("bodyType", "wagon", "car"),
      { priceUnit: "major", dealerCode: "DEALER1" },
      swedish,
    );
    expect(Either.map(mapped, (prepared) => sentValues(prepared.payload, "bodyType"))).toEqual(
      Either.right(["kombi"]),
    );
  });
});
