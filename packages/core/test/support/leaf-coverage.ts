/**
 * The shared leaf-coverage property (#12): for any valid ad, every canonical leaf that holds a
 * value is mapped into the marketplace's payload or named by one of its warnings. Used by every
 * adapter's tests through a relative import; it reads no file and sends nothing.
 */
import { Either, Schema } from "effect";
import fc from "fast-check";
import {
  BodyType,
  type CanonicalLeaf,
  Colour,
  Condition,
  canonicalLeaves,
  Fuel,
  type Issue,
  pathCovers,
  Transmission,
  VehicleAd,
  type VehicleAdInput,
  VehicleCategory,
} from "../../src/index.ts";

const word = fc.constantFrom("Volvo", "Saab", "Kia", "Audi", "Ford", "Tesla", "Opel", "Fiat");
const text = fc.constantFrom("Fin bil", "Servad", "Dragkrok och vinterhjul", "One owner", "Nieuw");
const url = fc.integer({ min: 1, max: 9999 }).map((n) => `https://dealer.example/img/${n}.jpg`);
const money = fc.record({
  amount: fc.integer({ min: 1000, max: 900000 }),
  currency: fc.constantFrom("SEK", "EUR", "PLN"),
});

/**
 * Valid canonical ads with most optional fields filled, so the property sees every leaf
 * often (the per-package arbitraries favour the common, sparse ads).
 */
export const fullAdArbitrary: fc.Arbitrary<VehicleAd> = fc
  .record({
    id: fc.integer({ min: 1, max: 99999 }).map((n) => `ad-${n}`),
    category: fc.constantFrom(...VehicleCategory.literals),
    title: fc.option(text, { nil: undefined }),
    description: text,
    price: fc.record(
      {
        list: money,
        reduced: money,
        monthly: money,
        callForPrice: fc.boolean(),
      },
      { requiredKeys: ["list"] },
    ),
    images: fc.array(url, { minLength: 0, maxLength: 4 }),
    video: fc.option(fc.constant("https://video.example/v/1"), { nil: undefined }),
    url: fc.option(fc.constant("https://dealer.example/cars/1"), { nil: undefined }),
    location: fc.record(
      {
        postalCode: fc.constantFrom("11122", "1011AB", "00-001"),
        city: fc.constantFrom("Stockholm", "Amsterdam", "Warszawa"),
        street: fc.constantFrom("Storgatan 1", "Damrak 2"),
        country: fc.constantFrom("SE", "NL", "PL"),
        coordinates: fc.record({
          latitude: fc.double({ min: -89, max: 89, noNaN: true }),
          longitude: fc.double({ min: -179, max: 179, noNaN: true }),
        }),
        regionCodes: fc.constant({ lkf: "0180" }),
      },
      { requiredKeys: [] },
    ),
    contact: fc.record(
      {
        name: fc.constantFrom("Anna", "Piet"),
        phone: fc.constantFrom("+46701234567", "0612345678"),
        email: fc.constantFrom("sales@dealer.example"),
      },
      { requiredKeys: [] },
    ),
    vehicle: fc.record(
      {
        make: word,
        model: fc.constantFrom("V70", "9-3", "Ceed", "A4", "Focus"),
        variant: fc.constantFrom("D5 AWD", "1.6 GDI"),
        modelYear: fc.integer({ min: 1990, max: 2026 }),
        bodyType: fc.constantFrom(...BodyType.literals),
        colour: fc.constantFrom(...Colour.literals),
        registrationNumber: fc.constantFrom("ABC123", "XY-12-ZZ"),
        vin: fc.constant("YV1SW61R021234567"),
        mileage: fc.record({
          value: fc.integer({ min: 0, max: 400000 }),
          unit: fc.constantFrom("km" as const, "mil" as const),
        }),
        fuels: fc.uniqueArray(fc.constantFrom(...Fuel.literals), { maxLength: 2 }),
        transmission: fc.constantFrom(...Transmission.literals),
        power: fc.record({
          value: fc.integer({ min: 40, max: 500 }),
          unit: fc.constantFrom("kw" as const, "hp" as const),
        }),
        engineSizeCc: fc.integer({ min: 600, max: 6000 }),
        doors: fc.integer({ min: 2, max: 5 }),
        seats: fc.integer({ min: 2, max: 9 }),
        kerbWeightKg: fc.integer({ min: 500, max: 3500 }),
        grossWeightKg: fc.integer({ min: 800, max: 40000 }),
        lengthMm: fc.integer({ min: 2000, max: 12000 }),
        widthMm: fc.integer({ min: 1400, max: 2600 }),
        beds: fc.integer({ min: 0, max: 6 }),
        condition: fc.constantFrom(...Condition.literals),
        equipment: fc.uniqueArray(fc.constantFrom("navigation", "heated_seats", "tow_bar"), {
          maxLength: 3,
        }),
      },
      { requiredKeys: ["make", "model", "modelYear"] },
    ),
    terms: fc.record(
      {
        warranty: fc.constant("12 months"),
        returnPolicy: fc.constant("14 days"),
        serviceHistory: fc.constant("Full"),
        homeDelivery: fc.constant("Yes"),
        productDeclarationUrl: fc.constant("https://dealer.example/decl.pdf"),
      },
      { requiredKeys: [] },
    ),
  })
  .map((input) => Schema.decodeUnknownEither(VehicleAd)(input satisfies VehicleAdInput))
  .filter(Either.isRight)
  .map((decoded) => decoded.right);

/** Every primitive in a payload, as text, to find a leaf's value in it. */
const payloadTexts = (payload: unknown): ReadonlyArray<string> => {
  const out: Array<string> = [];
  const walk = (value: unknown): void => {
    if (value === null || value === undefined) return;
    if (typeof value === "object") {
      for (const item of Object.values(value)) walk(item);
      return;
    }
    out.push(String(value));
  };
  walk(payload);
  return out;
};

/** What an adapter's `prepare` answers, in the shape the property needs. */
export type Prepare = (
  ad: VehicleAd,
) => Either.Either<{ readonly payload: unknown; readonly warnings: ReadonlyArray<Issue> }, unknown>;

const setLeaf = (ad: VehicleAd, path: string, value: unknown): unknown => {
  const copy = structuredClone(ad) as unknown as Record<string, unknown>;
  const keys = path.split(".");
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys.at(-1) as string] = value;
  return copy;
};

/**
 * The leaves of `ad` that `prepare` neither maps nor warns about. A leaf counts as mapped when
 * its value appears in the payload, or when giving it another value (taken from `donors`, the
 * same path in other valid ads) changes the payload. Ads `prepare` refuses answer no leaves.
 */
export const uncoveredLeaves = (
  prepare: Prepare,
  ad: VehicleAd,
  donors: ReadonlyArray<VehicleAd>,
): ReadonlyArray<CanonicalLeaf> => {
  const prepared = prepare(ad);
  if (Either.isLeft(prepared)) return [];
  const { payload, warnings } = prepared.right;
  const texts = payloadTexts(payload);
  const payloadJson = JSON.stringify(payload);
  const warned = (leaf: CanonicalLeaf) => warnings.some((w) => pathCovers(w.path, leaf.path));
  const appears = (leaf: CanonicalLeaf) =>
    typeof leaf.value !== "boolean" &&
    String(leaf.value).length > 2 &&
    texts.some((t) => t.includes(String(leaf.value)));
  const changesPayload = (leaf: CanonicalLeaf) =>
    donors.some((donor) => {
      const other = canonicalLeaves(donor).find((candidate) => candidate.path === leaf.path);
      if (other === undefined || other.value === leaf.value) return false;
      const changed = Schema.decodeUnknownEither(VehicleAd)(setLeaf(ad, leaf.path, other.value));
      if (Either.isLeft(changed)) return false;
      const after = prepare(changed.right);
      return Either.isRight(after) && JSON.stringify(after.right.payload) !== payloadJson;
    });
  return canonicalLeaves(ad).filter(
    (leaf) => !warned(leaf) && !appears(leaf) && !changesPayload(leaf),
  );
};
