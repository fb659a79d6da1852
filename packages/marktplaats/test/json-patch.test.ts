import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Either } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyJsonPatch, diffJsonPatch } from "../src/patch/json-patch.ts";
import { advertisementArbitrary } from "./arbitraries.ts";

/** The RFC 6902 conformance suite, vendored: see fixtures/json-patch-tests/SOURCE.md. */
interface SuiteRecord {
  readonly comment?: string;
  readonly doc?: unknown;
  readonly patch?: unknown;
  readonly expected?: unknown;
  readonly error?: string;
  readonly disabled?: boolean;
}

const suiteDirectory = fileURLToPath(new URL("./fixtures/json-patch-tests", import.meta.url));
const load = (file: string): ReadonlyArray<SuiteRecord> =>
  JSON.parse(readFileSync(`${suiteDirectory}/${file}`, "utf8"));

for (const file of ["tests.json", "spec_tests.json"]) {
  describe(`json-patch-tests ${file}`, () => {
    const records = load(file);
    const enabled = records.filter((record) => record.disabled !== true);

    it("has enabled records to run", () => {
      expect(enabled.length).toBeGreaterThan(10);
    });

    enabled.forEach((record, position) => {
      const name = `${position}: ${record.comment ?? JSON.stringify(record.patch).slice(0, 80)}`;
      if (record.error !== undefined) {
        it(`fails: ${name}`, () => {
          expect(Either.isLeft(applyJsonPatch(record.doc, record.patch))).toBe(true);
        });
      } else if (Object.hasOwn(record, "expected")) {
        it(`applies: ${name}`, () => {
          const result = applyJsonPatch(record.doc, record.patch);
          expect(result).toEqual(Either.right(record.expected));
        });
      } else {
        it(`applies without error: ${name}`, () => {
          expect(Either.isRight(applyJsonPatch(record.doc, record.patch))).toBe(true);
        });
      }
    });
  });
}

describe("applyJsonPatch", () => {
  it("never modifies the document it is given", () => {
    const document = { a: { b: [1, 2] } };
    applyJsonPatch(document, [{ op: "add", path: "/a/b/-", value: 3 }]);
    expect(document).toEqual({ a: { b: [1, 2] } });
  });

  it("marks a replace of a missing field as a missing target (Marktplaats: 409)", () => {
    const result = applyJsonPatch({ title: "x" }, [{ op: "replace", path: "/cityName", value: 1 }]);
    expect(Either.isLeft(result) && result.left.missingTarget).toBe(true);
  });

  it("keeps __proto__ an ordinary key", () => {
    const result = applyJsonPatch({}, [{ op: "add", path: "/__proto__", value: { polluted: 1 } }]);
    expect(Either.getOrThrow(result)).toEqual(JSON.parse('{"__proto__":{"polluted":1}}'));
    expect(Object.getPrototypeOf(Either.getOrThrow(result))).toBe(Object.prototype);
  });
});

describe("diffJsonPatch", () => {
  const roundTrips = (from: unknown, to: unknown) => {
    const applied = applyJsonPatch(from, diffJsonPatch(from, to));
    expect(applied).toEqual(Either.right(to));
  };

  it("applying diff(a, b) to a gives b, for any two advertisements", () => {
    fc.assert(fc.property(advertisementArbitrary, advertisementArbitrary, roundTrips), {
      numRuns: 300,
    });
  });

  it("applying diff(a, b) to a gives b, for any two JSON values", () => {
    fc.assert(fc.property(fc.jsonValue(), fc.jsonValue(), roundTrips), { numRuns: 300 });
  });

  it("diff(a, a) is empty", () => {
    fc.assert(
      fc.property(advertisementArbitrary, (advertisement) => {
        expect(diffJsonPatch(advertisement, structuredClone(advertisement))).toEqual([]);
      }),
    );
  });

  it("writes only add, remove and replace: never test, move or copy", () => {
    fc.assert(
      fc.property(advertisementArbitrary, advertisementArbitrary, (from, to) => {
        for (const operation of diffJsonPatch(from, to)) {
          expect(["add", "remove", "replace"]).toContain(operation.op);
        }
      }),
    );
  });

  it("uses add for a new field, replace for a changed one, remove for a dropped one", () => {
    expect(
      diffJsonPatch(
        { title: "a", priceModel: { modelType: "fixed", askingPrice: 100 }, gone: 1 },
        { title: "a", priceModel: { modelType: "fixed", askingPrice: 200 }, fresh: "x/y~" },
      ),
    ).toEqual([
      { op: "replace", path: "/priceModel/askingPrice", value: 200 },
      { op: "remove", path: "/gone" },
      { op: "add", path: "/fresh", value: "x/y~" },
    ]);
  });

  it("escapes pointer tokens (RFC 6901)", () => {
    expect(diffJsonPatch({}, { "a/b~c": 1 })).toEqual([{ op: "add", path: "/a~1b~0c", value: 1 }]);
  });
});
