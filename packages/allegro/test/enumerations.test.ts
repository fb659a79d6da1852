import {
  type EnumeratedVehicleField,
  enumeratedVehicleFields,
  enumeratedVehicleValues,
  VehicleAd,
  VehicleCategory,
} from "@adsync/core";
import { Schema } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parameters as fakeParameters } from "../../sandbox/src/allegro/catalog.ts";
import { mapParameters, pathOfParameter } from "../src/mapping/parameters.ts";
import { CategoryParameter } from "../src/wire.ts";
import { car } from "./support.ts";

/**
 * Every value of every canonical enumeration, on Allegro: a dictionary parameter is sent as
 * one of its own value ids, or the value is a warning (optional parameter) or an issue
 * (required) on the canonical field. Never an id Allegro refuses, never a silent drop.
 */

const parameters = Schema.decodeUnknownSync(Schema.Array(CategoryParameter))(fakeParameters);

type Field = EnumeratedVehicleField;
// Every value of every enumerated field the marketplace maps.
const fieldValues = fc.constantFrom(...enumeratedVehicleValues(enumeratedVehicleFields));

const adWith = (field: Field, value: string, category: string): VehicleAd => {
  const base = car("enumerations");
  return Schema.decodeUnknownSync(VehicleAd)({
    ...base,
    category,
    vehicle: { ...base.vehicle, [field]: field === "fuels" ? [value] : value },
  });
};

describe("canonical enumerations on Allegro", () => {
  it("every value is sent as a dictionary id of its parameter, or is a warning or an issue", () =>
    fc.assert(
      fc.property(
        fieldValues,
        fc.constantFrom(...VehicleCategory.literals),
        ([field, value], category) => {
          const mapped = mapParameters(adWith(field, value, category), parameters);
          for (const sent of mapped.parameters) {
            const parameter = parameters.find((entry) => entry.id === sent.id);
            if (parameter?.type !== "dictionary") continue;
            const ids = (parameter.dictionary ?? []).map((entry) => entry.id);
            for (const id of sent.valuesIds) expect(ids).toContain(id);
          }
          // The field's own parameter got the value, or the dealer is told on the field.
          const path = `vehicle.${field}`;
          const own = parameters.filter((parameter) => pathOfParameter(parameter) === path);
          expect(own.length).toBeGreaterThan(0);
          const sent = own.some((parameter) =>
            mapped.parameters.some((entry) => entry.id === parameter.id),
          );
          const told = [...mapped.issues, ...mapped.warnings].some((entry) => entry.path === path);
          expect(sent || told).toBe(true);
        },
      ),
      { numRuns: 400 },
    ));

  it("tells the dealer when a body type has no value in the dictionary", () => {
    const mapped = mapParameters(adWith("bodyType", "moped", "car"), parameters);
    expect(mapped.warnings.map((entry) => [entry.path, entry.code])).toContainEqual([
      "vehicle.bodyType",
      "invalid_value",
    ]);
    expect(mapped.parameters.map((entry) => entry.id)).not.toContain("6");
  });

  it("sends a wagon as the dictionary's Kombi", () => {
    const mapped = mapParameters(adWith("bodyType", "wagon", "car"), parameters);
    expect(mapped.parameters.find((entry) => entry.id === "6")?.valuesIds).toEqual(["6_2"]);
  });
});
