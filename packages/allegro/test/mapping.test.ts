import { type VehicleAd, VehicleAd as VehicleAdSchema } from "@adsync/core";
import { allegroFakeParameters } from "@adsync/sandbox";
import { Schema } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { htmlProblem } from "../../sandbox/src/allegro/validation.ts";
import { issuesFromErrors } from "../src/errors.ts";
import { toAllegroDescription } from "../src/mapping/description.ts";
import { mapParameters } from "../src/mapping/parameters.ts";
import {
  allegroTitleLength,
  cutTitle,
  isAllowedTitleCharacter,
  toAllegroTitle,
} from "../src/mapping/title.ts";
import { toAllegroAmount } from "../src/mapping/to-allegro.ts";
import { progressOfTask } from "../src/status.ts";
import {
  type CategoryParameter,
  ErrorsHolder,
  OfferAnswer,
  TaskReport,
  CategoryParameter as WireCategoryParameter,
} from "../src/wire.ts";
import { car } from "./support.ts";

const text = fc.string({ unit: "grapheme", maxLength: 120 });
const word = fc
  .string({ unit: "grapheme-ascii", minLength: 1, maxLength: 12 })
  .map((value) => value.trim() || "X");

const vehicleAd = fc
  .record({
    title: fc.option(
      text.filter((value) => value.trim() !== "").map((value) => value.trim()),
      { nil: undefined },
    ),
    description: fc.string({ unit: "binary", minLength: 1, maxLength: 3000 }),
    make: word,
    model: word,
    variant: fc.option(word, { nil: undefined }),
    modelYear: fc.integer({ min: 1900, max: 2100 }),
    mileage: fc.option(
      fc.record({
        value: fc.integer({ min: 0, max: 5_000_000 }),
        unit: fc.constantFrom("km" as const, "mil" as const),
      }),
      { nil: undefined },
    ),
    engineSizeCc: fc.option(fc.integer({ min: 1, max: 40_000 }), { nil: undefined }),
    doors: fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }),
    seats: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
    colour: fc.option(
      fc.constantFrom("black" as const, "grey" as const, "purple" as const, "other" as const),
      { nil: undefined },
    ),
    fuels: fc.subarray([
      "petrol",
      "diesel",
      "electric",
      "plugin_hybrid",
      "lpg",
      "hydrogen",
    ] as const),
    vin: fc.option(fc.stringMatching(/^[A-HJ-NPR-Z0-9]{17}$/), { nil: undefined }),
    condition: fc.constantFrom("new" as const, "used" as const, "damaged" as const),
    images: fc.array(fc.webUrl(), { maxLength: 5 }),
  })
  .map(
    (value): VehicleAd => ({
      id: "ad-1",
      category: "car",
      ...(value.title === undefined ? {} : { title: value.title }),
      description: value.description,
      price: { list: { amount: 100, currency: "PLN" } },
      images: value.images,
      vehicle: {
        make: value.make,
        model: value.model,
        ...(value.variant === undefined ? {} : { variant: value.variant }),
        modelYear: value.modelYear,
        ...(value.mileage === undefined ? {} : { mileage: value.mileage }),
        ...(value.engineSizeCc === undefined ? {} : { engineSizeCc: value.engineSizeCc }),
        ...(value.doors === undefined ? {} : { doors: value.doors }),
        ...(value.seats === undefined ? {} : { seats: value.seats }),
        ...(value.colour === undefined ? {} : { colour: value.colour }),
        ...(value.vin === undefined ? {} : { vin: value.vin }),
        fuels: value.fuels,
        condition: value.condition,
        equipment: ["navigation", "unknown_thing"],
      },
    }),
  );

describe("title", () => {
  it("counts & as its entity, five characters (section 4)", () => {
    expect(allegroTitleLength("A&B")).toBe(7);
    expect(cutTitle("Volvo & Saab & BMW & Audi & Skoda & Fiat & Opel & Ford")).toBe(
      "Volvo & Saab & BMW & Audi & Skoda",
    );
  });

  it("is never empty, at most 50 as Allegro counts, and only allowed characters, for any ad", () => {
    fc.assert(
      fc.property(vehicleAd, (ad) => {
        const { title } = toAllegroTitle(ad);
        expect(title.length).toBeGreaterThan(0);
        expect(allegroTitleLength(title)).toBeLessThanOrEqual(50);
        expect([...title].every(isAllowedTitleCharacter)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe("description", () => {
  it("has only allowed tags and nesting, is escaped, and fits 100 sections and 40000 bytes", () => {
    fc.assert(
      fc.property(
        vehicleAd,
        fc.string({ unit: "grapheme", maxLength: 30_000, size: "max" }),
        (ad, long) => {
          // Long text in many paragraphs: past 100 sections and 40000 bytes.
          const input = {
            ...ad,
            description: `${ad.description}\n\n- ${long}\n\n${long.replace(/(.{40})/gu, "$1\n\n")}`,
          };
          const { description } = toAllegroDescription(input, input.images);
          expect(description.sections.length).toBeGreaterThan(0);
          expect(description.sections.length).toBeLessThanOrEqual(100);
          expect(Buffer.byteLength(JSON.stringify(description))).toBeLessThanOrEqual(40_000);
          for (const section of description.sections) {
            expect(section.items.length).toBeGreaterThan(0);
            expect(section.items.length).toBeLessThanOrEqual(2);
            for (const item of section.items) {
              if (item.type === "TEXT") expect(htmlProblem(item.content)).toBeUndefined();
              else expect(input.images).toContain(item.url);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("escapes markup in the dealer's text", () => {
    const ad = fc.sample(vehicleAd, 1)[0];
    if (ad === undefined) throw new Error("no sample");
    const { description } = toAllegroDescription(
      { ...ad, description: "<script>alert('x')</script> & more" },
      [],
    );
    expect(description.sections[0]?.items[0]).toEqual({
      type: "TEXT",
      content: "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more</p>",
    });
  });
});

const restrictions = fc.record(
  {
    min: fc.integer({ min: 0, max: 3000 }),
    max: fc.integer({ min: 1, max: 3_000_000 }),
    range: fc.boolean(),
    precision: fc.integer({ min: 0, max: 3 }),
    minLength: fc.integer({ min: 0, max: 20 }),
    maxLength: fc.integer({ min: 1, max: 20 }),
    allowedNumberOfValues: fc.integer({ min: 1, max: 3 }),
    multipleChoices: fc.boolean(),
  },
  { requiredKeys: [] },
);

const categoryParameter: fc.Arbitrary<CategoryParameter> = fc.record({
  id: fc.constantFrom(
    "11323",
    "1",
    "4",
    "5",
    "14",
    "12",
    "128789",
    "3",
    "178",
    "215898",
    "13",
    "6",
    "7",
    "8",
    "9",
    "99999",
  ),
  name: fc.constantFrom("Stan", "Rok produkcji", "Przebieg [km]", "Kolor", "Inny", "Numer VIN"),
  type: fc.constantFrom("dictionary", "integer", "float", "string", "unknown"),
  required: fc.boolean(),
  dictionary: fc.array(
    fc.record({
      id: fc.string({ minLength: 1, maxLength: 6 }),
      value: fc.constantFrom(
        "Nowy",
        "Używany",
        "Uszkodzony",
        "Diesel",
        "Szary",
        "Tak",
        "Nie",
        "Nawigacja GPS",
        "x",
      ),
    }),
    { maxLength: 6 },
  ),
  restrictions,
});

describe("parameters", () => {
  it("are total: each required parameter is filled or named in an issue, and every value keeps its restrictions", () => {
    fc.assert(
      fc.property(
        vehicleAd,
        fc.uniqueArray(categoryParameter, { selector: (entry) => entry.id, maxLength: 12 }),
        (ad, parameters) => {
          const mapped = mapParameters(ad, parameters);
          for (const parameter of parameters) {
            const sent = mapped.parameters.find((entry) => entry.id === parameter.id);
            const named = mapped.issues.some(
              (entry) => entry.marketplacePath === `parameters.${parameter.id}`,
            );
            if (parameter.required) expect(sent !== undefined || named).toBe(true);
            if (sent === undefined) continue;
            const rules = parameter.restrictions ?? {};
            if (parameter.type === "dictionary") {
              expect(sent.valuesIds.length).toBeGreaterThan(0);
              for (const id of sent.valuesIds)
                expect(parameter.dictionary?.map((entry) => entry.id)).toContain(id);
              if (rules.multipleChoices !== true) expect(sent.valuesIds).toHaveLength(1);
            } else if (parameter.type === "integer" || parameter.type === "float") {
              const numbers =
                sent.rangeValue === undefined
                  ? sent.values
                  : [sent.rangeValue.from, sent.rangeValue.to];
              for (const value of numbers.map(Number)) {
                expect(Number.isFinite(value)).toBe(true);
                if (rules.min != null) expect(value).toBeGreaterThanOrEqual(rules.min);
                if (rules.max != null) expect(value).toBeLessThanOrEqual(rules.max);
                if (parameter.type === "integer") expect(Number.isInteger(value)).toBe(true);
              }
            } else if (parameter.type === "string") {
              expect(sent.values.length).toBeLessThanOrEqual(
                Math.max(rules.allowedNumberOfValues ?? 1, 1),
              );
              for (const value of sent.values) {
                expect([...value].length).toBeGreaterThanOrEqual(rules.minLength ?? 0);
                if (rules.maxLength != null)
                  expect([...value].length).toBeLessThanOrEqual(rules.maxLength);
              }
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("maps the guide's sample car onto the sample parameters by label", () => {
    const [ad] = fc.sample(vehicleAd, 1);
    if (ad === undefined) throw new Error("no sample");
    const car: VehicleAd = {
      ...ad,
      vehicle: {
        ...ad.vehicle,
        condition: "used",
        fuels: ["diesel"],
        mileage: { value: 15_000, unit: "mil" },
      },
    };
    const mapped = mapParameters(car, [
      {
        id: "11323",
        name: "Stan",
        type: "dictionary",
        required: true,
        dictionary: [
          { id: "11323_1", value: "Nowy" },
          { id: "11323_2", value: "Używany" },
        ],
      },
      {
        id: "12",
        name: "Rodzaj paliwa",
        type: "dictionary",
        required: true,
        dictionary: [{ id: "12_3", value: "Diesel" }],
      },
      {
        id: "4",
        name: "Przebieg [km]",
        type: "integer",
        required: true,
        restrictions: { min: 0, max: 2_000_000 },
      },
    ]);
    expect(mapped.parameters).toEqual([
      { id: "11323", valuesIds: ["11323_2"], values: [] },
      { id: "12", valuesIds: ["12_3"], values: [] },
      { id: "4", valuesIds: [], values: ["150000"] },
    ]);
  });
});

describe("price", () => {
  it("writes PLN amounts as decimal strings, exactly", () => {
    expect(toAllegroAmount(3_300_000, "PLN")).toBe("33000");
    expect(toAllegroAmount(3_300_050, "PLN")).toBe("33000.5");
    expect(toAllegroAmount(5, "PLN")).toBe("0.05");
  });
});

describe("status of an activation", () => {
  it.each(["ADMIN", "USER", "EXPIRATION"])(
    "an offer ended by %s while activating settles as removed, not pending forever",
    (endedBy) => {
      const offer = Schema.decodeUnknownSync(OfferAnswer)({
        id: "7000000001",
        publication: { status: "ENDED", endedBy },
      });
      const [task] = Schema.decodeUnknownSync(TaskReport)({
        tasks: [{ offer: { id: "7000000001" }, status: "SUCCESS" }],
      }).tasks;
      const progress = progressOfTask("ACTIVATE", task, offer);
      expect(progress).toMatchObject({ status: "failed", presence: "removed" });
      expect(progress.issues?.[0]?.message).toContain(endedBy);
    },
  );
});

describe("description size after the gallery URL replaces the dealer's", () => {
  it("stays within 40 000 bytes once a longer gallery URL is swapped in", () => {
    // Many paragraphs (one section each), together past the 40 000-byte limit.
    const paragraph = Array.from({ length: 120 }, (_, index) => `ord${index % 97}`).join(" ");
    const words = Array.from({ length: 80 }, () => paragraph).join("\n\n");
    const ad = Schema.decodeUnknownSync(VehicleAdSchema)({
      id: "size-1",
      category: "car",
      description: words,
      price: { list: { amount: 100, currency: "PLN" } },
      vehicle: { make: "BMW", model: "X5", modelYear: 2005 },
    });
    const { description } = toAllegroDescription(ad, ["https://x.io/a.jpg"]);
    const gallery = `https://a.allegroimg.com/original/${"0".repeat(160)}/photo.jpg`;
    const swapped = {
      sections: description.sections.map((section) => ({
        items: section.items.map((item) =>
          item.type === "IMAGE" ? { ...item, url: gallery } : item,
        ),
      })),
    };
    expect(description.sections[0]?.items.some((item) => item.type === "IMAGE")).toBe(true);
    expect(new TextEncoder().encode(JSON.stringify(swapped)).length).toBeLessThanOrEqual(40_000);
  });
});

describe("Allegro's error paths", () => {
  it("a price error lands on price, whichever of list or reduced price was sent", () => {
    const [entry] =
      Schema.decodeUnknownSync(ErrorsHolder)({
        errors: [{ code: "X", message: "Price is too low", path: "sellingMode.price.amount" }],
      }).errors ?? [];
    const issues = issuesFromErrors(entry === undefined ? [] : [entry]);
    expect(issues.map((found) => [found.path, found.marketplacePath])).toEqual([
      ["price", "sellingMode.price.amount"],
    ]);
  });
});

describe("equipment", () => {
  it("warns about each equipment key Allegro has no value for, instead of dropping it silently", () => {
    const input = car("equipment-1");
    const ad = Schema.decodeUnknownSync(VehicleAdSchema)({
      ...input,
      vehicle: { ...input.vehicle, equipment: ["navigation", "unknown_thing"] },
    });
    const parameters = Schema.decodeUnknownSync(Schema.Array(WireCategoryParameter))(
      allegroFakeParameters,
    );
    const mapped = mapParameters(ad, parameters);
    expect(mapped.warnings.map((warning) => [warning.path, warning.code])).toContainEqual([
      "vehicle.equipment.1",
      "unsupported",
    ]);
    expect(mapped.warnings.map((warning) => warning.path)).not.toContain("vehicle.equipment.0");
  });
});

describe("dependent parameters (OpenAPI options)", () => {
  const base = Schema.decodeUnknownSync(Schema.Array(WireCategoryParameter))(allegroFakeParameters);
  const [dependent, dictionary] = Schema.decodeUnknownSync(Schema.Array(WireCategoryParameter))([
    {
      id: "990",
      name: "Opis uszkodzeń",
      type: "string",
      required: true,
      unit: null,
      options: { dependsOnParameterId: "11323", requiredDependsOnValueIds: ["11323_238062"] },
      restrictions: { minLength: 1, maxLength: 100, allowedNumberOfValues: 1 },
    },
    {
      id: "991",
      name: "Gwarancja fabryczna",
      type: "dictionary",
      required: false,
      unit: null,
      options: { dependsOnParameterId: "11323", requiredDependsOnValueIds: null },
      dictionary: [
        { id: "991_1", value: "Tak", dependsOnValueIds: ["11323_1"] },
        { id: "991_2", value: "Nie", dependsOnValueIds: ["11323_1", "11323_2"] },
      ],
      restrictions: { multipleChoices: false },
    },
  ]);
  const adWith = (condition: string) => {
    const input = car(`dependent-${condition}`);
    return Schema.decodeUnknownSync(VehicleAdSchema)({
      ...input,
      vehicle: { ...input.vehicle, condition },
    });
  };
  const all = [
    ...base,
    ...(dependent === undefined ? [] : [dependent]),
    ...(dictionary === undefined ? [] : [dictionary]),
  ];

  it("requires a parameter only when its parent has one of requiredDependsOnValueIds", () => {
    const used = mapParameters(adWith("used"), all);
    expect(used.issues.map((entry) => entry.marketplacePath)).not.toContain("parameters.990");
    const damaged = mapParameters(adWith("damaged"), all);
    expect(damaged.issues.map((entry) => entry.marketplacePath)).toContain("parameters.990");
  });

  it("offers only dictionary values whose dependsOnValueIds include the parent's value", () => {
    const used = mapParameters(adWith("used"), all, { "991": ["Tak"] });
    expect(used.parameters.find((entry) => entry.id === "991")).toBeUndefined();
    const allowed = mapParameters(adWith("used"), all, { "991": ["Nie"] });
    expect(allowed.parameters.find((entry) => entry.id === "991")?.valuesIds).toEqual(["991_2"]);
  });
});
