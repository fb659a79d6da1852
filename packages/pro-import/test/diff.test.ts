import { describe, expect, it } from "@effect/vitest";
import fc from "fast-check";
import { jsonEqual, planUpdate, type WirePayload } from "../src/index.ts";

const previous: WirePayload = {
  category_id: "1020",
  dealer_code: "DEALER1",
  body: "A well kept family car.",
  price: [{ type: "list", amount: 35_000_000, currency: "SEK" }],
  image_urls: ["https://cdn.example.com/1.jpg", "https://cdn.example.com/2.jpg"],
  location: { zipcode: "11122" },
  category_fields: {
    brand: "volvo",
    model: "xc90",
    model_year: 2019,
    body_type: "suv",
    condition: { is_new_vehicle: false, mileage: { unit: "km", value: 45_000 } },
    powertrain: { transmission: "automatic", fuels: ["diesel"] },
  },
};

describe("planUpdate", () => {
  it("an identical payload is Unchanged", () => {
    expect(planUpdate(previous, structuredClone(previous))).toEqual({ _tag: "Unchanged" });
  });

  it("key order does not count as a change", () => {
    const reordered = Object.fromEntries(Object.entries(previous).reverse());
    expect(planUpdate(previous, reordered)).toEqual({ _tag: "Unchanged" });
  });

  it("a price change is a Patch carrying only the price", () => {
    const price = [{ type: "list", amount: 33_000_000, currency: "SEK" }];
    expect(planUpdate(previous, { ...previous, price })).toEqual({
      _tag: "Patch",
      changes: { price },
    });
  });

  it("an added field is a Patch carrying only that field", () => {
    const next = { ...previous, video_url: "https://www.youtube.com/watch?v=abc" };
    expect(planUpdate(previous, next)).toEqual({
      _tag: "Patch",
      changes: { video_url: "https://www.youtube.com/watch?v=abc" },
    });
  });

  it("a changed category field sends the whole category_fields object", () => {
    const category_fields = { ...(previous.category_fields as object), model_year: 2020 };
    expect(planUpdate(previous, { ...previous, category_fields })).toEqual({
      _tag: "Patch",
      changes: { category_fields },
    });
  });

  it("a removed top-level field needs a full replace", () => {
    const { location: _removed, ...next } = previous;
    expect(planUpdate(previous, next)).toEqual({ _tag: "Replace" });
  });

  it("a value removed at any depth needs a full replace: power, one physics entry, LKF → zip code", () => {
    const before = {
      location: { lkf: "0180" },
      category_fields: {
        powertrain: { fuels: ["diesel"], power: { unit: "hp", value: 150 } },
        physics: { length: { unit: "m", value: 7.5 }, number_of_beds: 4 },
      },
    };
    const withoutPower = {
      ...before,
      category_fields: { ...before.category_fields, powertrain: { fuels: ["diesel"] } },
    };
    const withoutBeds = {
      ...before,
      category_fields: {
        ...before.category_fields,
        physics: { length: { unit: "m", value: 7.5 } },
      },
    };
    const zipInstead = { ...before, location: { zipcode: "11122" } };
    for (const next of [withoutPower, withoutBeds, zipInstead])
      expect(planUpdate(before, next)).toEqual({ _tag: "Replace" });
    // Adding a nested value is still a PATCH of the field that holds it.
    const withMore = { ...before, location: { lkf: "018001" } };
    expect(planUpdate(before, withMore)).toEqual({
      _tag: "Patch",
      changes: { location: { lkf: "018001" } },
    });
  });

  it("a removed category_fields key needs a full replace (PATCH merges category_fields)", () => {
    const { powertrain: _removed, ...fields } = previous.category_fields as Record<string, unknown>;
    expect(planUpdate(previous, { ...previous, category_fields: fields })).toEqual({
      _tag: "Replace",
    });
  });

  it("no previous payload (or not an object) needs a full replace", () => {
    expect(planUpdate(undefined, previous)).toEqual({ _tag: "Replace" });
    expect(planUpdate([previous], previous)).toEqual({ _tag: "Replace" });
  });
});

// --- properties ----------------------------------------------------------------------------

const leaf = fc.oneof(
  fc.integer({ min: 0, max: 5 }),
  fc.constantFrom("a", "b", "SEK"),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }),
);
const fieldsArbitrary = fc.dictionary(fc.constantFrom("brand", "model", "model_year"), leaf, {
  maxKeys: 3,
});
const payloadArbitrary = fc.record(
  {
    body: leaf,
    price: leaf,
    image_urls: leaf,
    location: leaf,
    visible: leaf,
    category_fields: fieldsArbitrary,
  },
  { requiredKeys: [] },
);

/** A next payload close to `previous`: some fields kept, some changed, some added or removed. */
const pairArbitrary = payloadArbitrary.chain((before) =>
  fc
    .record({
      kept: fc.subarray(Object.keys(before)),
      changes: payloadArbitrary,
    })
    .map(({ kept, changes }) => {
      const after: Record<string, unknown> = {};
      for (const key of kept) after[key] = before[key as keyof typeof before];
      return { before: before as WirePayload, after: { ...after, ...changes } as WirePayload };
    }),
);

describe("planUpdate, for any pair of payloads", () => {
  it("a Patch applied as a shallow merge to the previous payload gives the next one", () => {
    fc.assert(
      fc.property(pairArbitrary, ({ before, after }) => {
        const plan = planUpdate(before, after);
        if (plan._tag !== "Patch") return;
        expect(jsonEqual({ ...before, ...plan.changes }, after)).toBe(true);
        // Only what differs is sent.
        for (const [key, value] of Object.entries(plan.changes))
          expect(jsonEqual(before[key], value)).toBe(false);
      }),
    );
  });

  it("Unchanged exactly when both payloads are equal as JSON", () => {
    fc.assert(
      fc.property(pairArbitrary, ({ before, after }) => {
        const plan = planUpdate(before, after);
        expect(plan._tag === "Unchanged").toBe(jsonEqual(before, after));
      }),
    );
  });

  it("any payload compared with itself is Unchanged", () => {
    fc.assert(
      fc.property(payloadArbitrary, (payload) => {
        expect(planUpdate(payload, structuredClone(payload) as WirePayload)).toEqual({
          _tag: "Unchanged",
        });
      }),
    );
  });
});

describe("planUpdate with keys named like Object.prototype's members", () => {
  // As JSON.parse gives them: "__proto__" is an own field, "toString" an ordinary one.
  it("sends a changed or added __proto__ field in the Patch", () => {
    const plan = planUpdate({ body: "b" }, JSON.parse('{"body":"b","__proto__":"x"}'));
    expect(plan._tag).toBe("Patch");
    expect(plan._tag === "Patch" && Object.entries(plan.changes)).toEqual([["__proto__", "x"]]);
  });

  it("replaces when a toString or constructor field was removed", () => {
    expect(planUpdate(JSON.parse('{"toString":"a","body":"b"}'), { body: "b" })).toEqual({
      _tag: "Replace",
    });
    const before = JSON.parse('{"category_fields":{"constructor":"c","brand":"volvo"}}');
    expect(planUpdate(before, { category_fields: { brand: "volvo" } })).toEqual({
      _tag: "Replace",
    });
  });

  const awkwardKey = fc.constantFrom("__proto__", "constructor", "toString", "valueOf", "body");
  // Built from entries, so "__proto__" is an own member as JSON.parse would make it.
  const awkwardPayload = fc
    .uniqueArray(fc.tuple(awkwardKey, leaf), { selector: ([key]) => key, maxLength: 5 })
    .map((entries): WirePayload => Object.fromEntries(entries));

  it("plans for any such payloads as for any other: Unchanged, Replace and Patch exactly when due", () => {
    fc.assert(
      fc.property(awkwardPayload, awkwardPayload, (before, after) => {
        const plan = planUpdate(before, after);
        const removed = Object.keys(before).some((key) => !Object.hasOwn(after, key));
        expect(plan._tag === "Replace").toBe(removed);
        if (!removed) expect(plan._tag === "Unchanged").toBe(jsonEqual(before, after));
        if (plan._tag === "Patch") {
          const merged = Object.fromEntries([
            ...Object.entries(before),
            ...Object.entries(plan.changes),
          ]);
          expect(jsonEqual(merged, after)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
