import {
  type EnumeratedVehicleField,
  enumeratedVehicleValues,
  VehicleAd,
  VehicleCategory,
} from "@adsync/core";
import { BLOCKET_SANDBOX_TOKEN, startBlocketFake } from "@adsync/sandbox";
import { NodeHttpClient } from "@effect/platform-node";
import { Effect, Either, Redacted, Schema } from "effect";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { makeBlocket } from "../src/adapter.ts";
import {
  type BlocketMappingSettings,
  type BlocketReferenceData,
  toBlocketPayload,
} from "../src/mapping/to-blocket.ts";

/**
 * Every value of every canonical enumeration, on Blocket: body type and fuels are sent as
 * values the reference lists hold (`GET /v3/vehicle/body_types`, `/fuels`), or the ad answers
 * an issue on the canonical field. Never a value Blocket refuses.
 */

const encodedAd = {
  id: "enumerations",
  category: "car",
  description: "Välvårdad bil med full servicehistorik.",
  price: { list: { amount: 35_000_000, currency: "SEK" } },
  images: ["https://cdn.example.com/1.jpg"],
  contact: { name: "Anna", phone: "08-123 45", email: "anna@dealer.example.com" },
  vehicle: {
    make: "Volvo",
    model: "XC90",
    modelYear: 2019,
    bodyType: "suv",
    mileage: { value: 4500, unit: "mil" },
    fuels: ["diesel"],
    transmission: "automatic",
  },
};

/** The lists as a Swedish marketplace may spell them (the guides document samples only). */
const swedish: BlocketReferenceData = {
  bodyTypes: ["sedan", "halvkombi", "kombi", "suv", "coupe", "cab", "familjebuss", "husvagn"],
  fuels: ["bensin", "diesel", "el", "hybrid", "laddhybrid", "etanol", "gas"],
};

const settingsWith = (reference: BlocketReferenceData): BlocketMappingSettings => ({
  version: "v4",
  priceUnit: "minor",
  images: { max: 20, httpsOnly: true, tooMany: "truncate" },
  tokenScope: "dealer_group",
  dealerCode: "DEALER1",
  reference,
});

let served: BlocketReferenceData;
beforeAll(async () => {
  const fake = await startBlocketFake({ processingDelayMs: 10 });
  try {
    served = await Effect.runPromise(
      Effect.scoped(
        Effect.flatMap(
          makeBlocket({
            baseUrl: fake.url,
            token: Redacted.make(BLOCKET_SANDBOX_TOKEN),
            tokenScope: "dealer_group",
          }),
          (blocket) => Effect.all({ bodyTypes: blocket.bodyTypes, fuels: blocket.fuels }),
        ),
      ).pipe(Effect.provide(NodeHttpClient.layerUndici)),
    );
  } finally {
    await fake.close();
  }
});

type Field = Exclude<EnumeratedVehicleField, "colour">;
// Every value of every enumerated field the marketplace maps.
const fieldValues = fc.constantFrom(
  ...enumeratedVehicleValues<Field>(["bodyType", "fuels", "transmission", "condition"]),
);

const adWith = (field: Field, value: string, category: string): VehicleAd =>
  Schema.decodeUnknownSync(VehicleAd)({
    ...encodedAd,
    category,
    vehicle: { ...encodedAd.vehicle, [field]: field === "fuels" ? [value] : value },
  });

const categoryFieldsOf = (payload: unknown): Record<string, unknown> => {
  const fields =
    typeof payload === "object" && payload !== null && "category_fields" in payload
      ? payload.category_fields
      : undefined;
  return typeof fields === "object" && fields !== null ? { ...fields } : {};
};

const sentValues = (payload: unknown, field: Field): ReadonlyArray<unknown> => {
  const fields = categoryFieldsOf(payload);
  const powertrain = fields.powertrain;
  const fuels =
    typeof powertrain === "object" && powertrain !== null && "fuels" in powertrain
      ? powertrain.fuels
      : [];
  switch (field) {
    case "bodyType":
      return "body_type" in fields ? [fields.body_type] : [];
    case "fuels":
      return Array.isArray(fuels) ? fuels : [];
    case "transmission":
    case "condition":
      return [];
  }
};

const listOf = (reference: BlocketReferenceData, field: Field): ReadonlyArray<string> =>
  field === "bodyType" ? reference.bodyTypes : field === "fuels" ? reference.fuels : [];

const checkEnumerations = (reference: () => BlocketReferenceData) =>
  fc.assert(
    fc.property(
      fieldValues,
      fc.constantFrom(...VehicleCategory.literals),
      ([field, value], category) => {
        const mapped = toBlocketPayload(adWith(field, value, category), settingsWith(reference()));
        if (Either.isLeft(mapped)) {
          // Refused locally, on the canonical field of this value.
          expect(mapped.left.map((entry) => entry.path)).toEqual(
            mapped.left.map(() => `vehicle.${field}`),
          );
          return;
        }
        for (const sent of sentValues(mapped.right.payload, field))
          expect(listOf(reference(), field)).toContain(sent);
        if (field === "transmission") {
          const powertrain = categoryFieldsOf(mapped.right.payload).powertrain;
          if (typeof powertrain === "object" && powertrain !== null)
            expect(powertrain).toMatchObject({ transmission: value });
        }
      },
    ),
    { numRuns: 400 },
  );

describe("canonical enumerations on Blocket", () => {
  it("every value is sent as one the sandbox's reference lists hold, or is an issue", () =>
    checkEnumerations(() => served));

  it("every value is sent as one Swedish-spelled lists hold, or is an issue", () =>
    checkEnumerations(() => swedish));

  it("sends a wagon as the list's kombi", () => {
    const mapped = toBlocketPayload(adWith("bodyType", "wagon", "car"), settingsWith(swedish));
    expect(Either.map(mapped, (prepared) => sentValues(prepared.payload, "bodyType"))).toEqual(
      Either.right(["kombi"]),
    );
  });
});
