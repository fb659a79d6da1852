import {
  type EnumeratedVehicleField,
  enumeratedVehicleFields,
  enumeratedVehicleValues,
  VehicleAd,
  VehicleCategory,
} from "@adsync/core";
import { Either, Schema } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultMakeAliases } from "../src/categories/tree.ts";
import { type MappingSettings, toMarktplaatsPayload } from "../src/mapping/to-marktplaats.ts";
import { snapshot } from "./snapshot.ts";
import { carAd } from "./support.ts";

/**
 * Every value of every canonical enumeration, on Marktplaats: a choice attribute "only accepts
 * the values listed in the *values* array", so each value is sent as one the category lists,
 * or left out with a warning (an optional attribute) or an issue (a mandatory one) on the
 * canonical field. Never a value Marktplaats refuses.
 */

const settings: MappingSettings = {
  site: "marktplaats",
  priceUnit: "cents",
  apiPartner: false,
  makeAliases: defaultMakeAliases,
};

type Field = EnumeratedVehicleField;
// Every value of every enumerated field the marketplace maps.
const fieldValues = fc.constantFrom(...enumeratedVehicleValues(enumeratedVehicleFields));

const adWith = (field: Field, value: string, category: string): VehicleAd => {
  const base = carAd("enumerations");
  return Schema.decodeUnknownSync(VehicleAd)({
    ...base,
    category,
    vehicle: { ...base.vehicle, [field]: field === "fuels" ? [value] : value },
  });
};

/** The advertisement's member each canonical field fills, by the sandbox's attribute keys. */
const attributeKey: Readonly<Record<Field, string>> = {
  bodyType: "body",
  colour: "color",
  fuels: "fuel",
  transmission: "transmission",
  condition: "condition",
};

describe("canonical enumerations on Marktplaats", () => {
  it("every value is sent as one the category's attribute lists, or is a warning or an issue", () =>
    fc.assert(
      fc.property(
        fieldValues,
        fc.constantFrom(...VehicleCategory.literals),
        ([field, value], category) => {
          const ad = adWith(field, value, category);
          const mapped = toMarktplaatsPayload(ad, settings, snapshot);
          if (Either.isLeft(mapped)) {
            for (const entry of mapped.left)
              expect([`vehicle.${field}`, "category", "vehicle.make"]).toContain(entry.path);
            return;
          }
          const payload = mapped.right.payload;
          const advertisement =
            typeof payload === "object" && payload !== null && "advertisement" in payload
              ? Object.fromEntries(Object.entries(Object(payload.advertisement)))
              : {};
          const categoryId = Number(advertisement.categoryId);
          const attribute = snapshot.attributes
            .get(categoryId)
            ?.find((entry) => entry.key === attributeKey[field]);
          if (attribute === undefined || attribute.values.length === 0) return;
          const sent = advertisement[attributeKey[field]];
          if (sent === undefined) {
            // Left out: the dealer is told, on the canonical field.
            expect(mapped.right.warnings.map((entry) => entry.path)).toContain(`vehicle.${field}`);
            return;
          }
          for (const item of Array.isArray(sent) ? sent : [sent])
            expect(attribute.values).toContain(item);
        },
      ),
      { numRuns: 400 },
    ));

  it("sends a wagon as the listed Stationwagon", () => {
    const mapped = toMarktplaatsPayload(adWith("bodyType", "wagon", "car"), settings, snapshot);
    expect(Either.map(mapped, (prepared) => prepared.payload)).toMatchObject(
      Either.right({ advertisement: { body: "Stationwagon" } }),
    );
  });
});
