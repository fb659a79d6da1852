import { describe, expect, it } from "@effect/vitest";
import { Effect, Either, Stream } from "effect";
import fc from "fast-check";
import {
  decodeOrIssues,
  Publisher,
  uncheckedAd,
  VehicleAd,
  type VehicleAdInput,
} from "../src/index.ts";
import { fakeAdapter, publisherOver } from "./fake-adapter.ts";

/**
 * Whatever a DMS hands over is untrusted: values that are not JSON-shaped (arrays with members
 * of their own, prototype-ish keys) must come back as issues, never as a crash.
 */

const ad = {
  id: "hostile-1",
  category: "car",
  description: "A well kept family car.",
  price: { list: { amount: 35_000_000, currency: "SEK" } },
  vehicle: { make: "Volvo", model: "XC90", modelYear: 2019 },
} satisfies VehicleAdInput;

const prototypeKeys = [
  "constructor",
  "__proto__",
  "prototype",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "toJSON",
  "length",
  "then",
];

const key = fc.oneof(fc.constantFrom(...prototypeKeys), fc.string({ maxLength: 6 }));

/** An array that carries members of its own beside its items. */
const dressedArray = (values: fc.Arbitrary<unknown>) =>
  fc
    .tuple(fc.array(values, { maxLength: 3 }), fc.dictionary(key, values, { maxKeys: 3 }))
    .map(([items, members]) => {
      const dressed: Array<unknown> = [...items];
      for (const [name, value] of Object.entries(members)) {
        if (name === "length") continue;
        Object.defineProperty(dressed, name, { value, enumerable: true, writable: true });
      }
      return dressed;
    });

const { hostile } = fc.letrec<{ hostile: unknown }>((tie) => ({
  hostile: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.anything({ key, maxDepth: 2, withNullPrototype: true, withSparseArray: true }),
    dressedArray(tie("hostile")),
    fc.dictionary(key, tie("hostile"), { maxKeys: 3 }),
  ),
}));

/** The ad with one hostile value at one place, or the hostile value as the whole ad. */
const hostileAd = fc.oneof(
  hostile,
  fc
    .tuple(fc.constantFrom("images", "vehicle", "price", "location", "marketplaces", "id"), hostile)
    .map(([field, value]) => ({ ...ad, [field]: value })),
  fc
    .tuple(fc.constantFrom("fuels", "equipment", "mileage", "make"), hostile)
    .map(([field, value]) => ({ ...ad, vehicle: { ...ad.vehicle, [field]: value } })),
);

const constructorArray = Object.assign([42], { constructor: 1 });

describe("untrusted input", () => {
  it("answers an issue for an array with its own constructor member", () => {
    const decoded = decodeOrIssues(VehicleAd)({ ...ad, images: constructorArray });
    expect(Either.isLeft(decoded)).toBe(true);
    if (Either.isRight(decoded)) return;
    expect(decoded.left.map((entry) => entry.path)).toEqual(["images.0"]);
  });

  it("answers an issue for an ad that contains itself", () => {
    const looping: Record<string, unknown> = { ...ad };
    looping.vehicle = { ...ad.vehicle, self: looping };
    expect(Either.getLeft(decodeOrIssues(VehicleAd)(looping))).toMatchObject({
      value: [{ path: "", code: "invalid_value" }],
    });
  });

  it.effect("validate, publish and sync answer issues for hostile values, never a defect", () => {
    const fake = fakeAdapter("alpha");
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      const outcomes = yield* Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(hostileAd, async (input) => {
            const run = <A, E>(effect: Effect.Effect<A, E>) =>
              Effect.runPromise(Effect.either(effect));
            const validated = await run(publisher.validate(uncheckedAd(input)));
            expect(Either.isRight(validated)).toBe(true);
            const published = await run(publisher.publish(uncheckedAd(input)));
            expect(Either.isRight(published)).toBe(true);
            const synced = await run(publisher.sync(Stream.make(uncheckedAd(input))));
            expect(Either.isRight(synced)).toBe(true);
          }),
          { numRuns: 100 },
        ),
      );
      expect(outcomes).toBeUndefined();
      // Every value above fails to decode or decodes to a valid ad: nothing half-read was sent.
      for (const call of fake.callsOf("create")) expect(call.ad?.id).toBeTypeOf("string");
    }).pipe(Effect.provide(publisherOver([fake])));
  });
});
