import { BodyType, Colour, Condition, Fuel, VehicleAd, VehicleCategory } from "@adsync/core";
import { Schema } from "effect";
import fc from "fast-check";

/**
 * fast-check 4 arbitraries of valid canonical ads: plain objects decoded with the VehicleAd
 * schema, so an arbitrary that drifts from the schema fails loudly instead of testing nothing.
 */

export const categories = VehicleCategory.literals;

const trimmedText = (maxLength: number) =>
  fc
    .string({ minLength: 1, maxLength, unit: "grapheme" })
    .map((text) => text.trim())
    .filter((text) => text.length > 0);

const words = (list: ReadonlyArray<string>, maxWords: number) =>
  fc
    .array(fc.constantFrom(...list), { minLength: 1, maxLength: maxWords })
    .map((parts) => parts.join(" "));

const prose = words(
  ["Välvårdad", "bil", "med", "dragkrok", "servad", "nyligen", "2 ägare", "- vinterhjul", "fin"],
  40,
);

/** Makes and models as dealers type them, plus arbitrary text (any script, punctuation). */
export const makeText = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom("Volvo", "Mercedes-Benz", "Škoda", "Citroën", "BMW", "Lynk & Co"),
  },
  { weight: 1, arbitrary: trimmedText(15) },
);
export const modelText = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom("XC90", "Sprinter", "Aerox", "ID.4", "3-serie", "Model 3"),
  },
  { weight: 1, arbitrary: trimmedText(15) },
);

export const currencies = ["SEK", "EUR", "NOK", "JPY"] as const;

export const money = fc.record({
  amount: fc.oneof(
    fc.integer({ min: 0, max: 100_000_000 }),
    fc.integer({ min: 0, max: 10_000 }).map((kronor) => kronor * 100),
    fc.maxSafeNat(),
  ),
  currency: fc.oneof(
    { weight: 12, arbitrary: fc.constant("SEK") },
    { weight: 1, arbitrary: fc.constantFrom(...currencies) },
  ),
});

export const prices = fc
  .record(
    { list: money, reduced: money, monthly: money, callForPrice: fc.boolean() },
    { requiredKeys: [] },
  )
  .filter(
    (price) =>
      price.list !== undefined || price.monthly !== undefined || price.callForPrice === true,
  );

const imageUrlWith = (scheme: fc.Arbitrary<string>) =>
  fc
    .record({
      scheme,
      host: fc.constantFrom("cdn.example.com", "images.dealer.se", "127.0.0.1:8080"),
      name: fc.stringMatching(/^[a-z0-9-]{1,12}$/),
      extension: fc.constantFrom("jpg", "png", "JPG"),
    })
    .map(({ scheme, host, name, extension }) => `${scheme}://${host}/${name}.${extension}`);

/** 0–45 image URLs: mostly all HTTPS, sometimes with http ones among them. */
export const images = fc.oneof(
  { weight: 4, arbitrary: fc.array(imageUrlWith(fc.constant("https")), { maxLength: 45 }) },
  {
    weight: 2,
    arbitrary: fc.array(imageUrlWith(fc.constant("https")), {
      minLength: 15,
      maxLength: 45,
      size: "max",
    }),
  },
  {
    weight: 1,
    arbitrary: fc.array(imageUrlWith(fc.constantFrom("https", "http")), { maxLength: 45 }),
  },
);

const videoUrl = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.constantFrom(
      "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
      "https://vimeo.com/76979871",
      "https://youtu.be/dQw4w9WgXcQ",
    ),
  },
  // Neither YouTube nor Vimeo: an issue on video.
  { weight: 1, arbitrary: fc.constant("https://videos.example.com/v/1") },
);

const location = fc.record(
  {
    postalCode: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom("11122", "111 22", "753 20") },
      { weight: 1, arbitrary: fc.constantFrom("1234", "SE-111") },
    ),
    city: fc.constantFrom("Stockholm", "Uppsala", "Malmö"),
    country: fc.constantFrom("SE", "NO"),
    coordinates: fc.record({
      latitude: fc.double({ min: -90, max: 90, noNaN: true }),
      longitude: fc.double({ min: -180, max: 180, noNaN: true }),
    }),
    regionCodes: fc.record(
      {
        lkf: fc.oneof(
          { weight: 12, arbitrary: fc.constantFrom("0380", "038004") },
          { weight: 1, arbitrary: fc.constantFrom("12", "03800") },
        ),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

const contactFields = {
  name: fc.constantFrom("Anna Andersson", "Sir Henry Williamsworth III"),
  phone: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom("0700000000", "+46 70-123 45 67", "(08) 123 456") },
    // No digit at all: an issue on contact.phone where a contact is required.
    { weight: 1, arbitrary: fc.constant("ring oss") },
  ),
  email: fc.constantFrom("anna@dealer.example.com", "sales@bil.se"),
};

/** Mostly complete; sometimes with parts missing. */
const contact = fc.oneof(
  { weight: 3, arbitrary: fc.record(contactFields) },
  { weight: 1, arbitrary: fc.record(contactFields, { requiredKeys: [] }) },
);

const positive = (max: number) => fc.integer({ min: 1, max });

const vehicleFields = {
  make: makeText,
  model: modelText,
  variant: fc.constantFrom("D5 AWD Inscription", "GTS 300", "T6"),
  modelYear: fc.integer({ min: 1900, max: 2100 }),
  bodyType: fc.constantFrom(...BodyType.literals),
  colour: fc.constantFrom(...Colour.literals),
  registrationNumber: fc.constantFrom("ABC123", "abc 123", "DEF456", "MLB 01A"),
  vin: fc.constant("YV1CZ59H841234567"),
  mileage: fc.record({
    value: fc.integer({ min: 0, max: 2_000_000 }),
    unit: fc.constantFrom("km", "mil"),
  }),
  fuels: fc.array(fc.constantFrom(...Fuel.literals), { maxLength: 3 }),
  transmission: fc.constantFrom("manual", "automatic"),
  power: fc.record({
    value: fc.oneof(positive(1000), fc.double({ min: 0.5, max: 1000, noNaN: true })),
    unit: fc.constantFrom("kw", "hp"),
  }),
  engineSizeCc: positive(10_000),
  doors: positive(6),
  seats: positive(60),
  kerbWeightKg: positive(40_000),
  grossWeightKg: positive(40_000),
  lengthMm: positive(30_000),
  widthMm: positive(3_000),
  beds: fc.integer({ min: 0, max: 10 }),
  condition: fc.constantFrom(...Condition.literals),
  equipment: fc.array(fc.stringMatching(/^[a-z0-9_]{1,15}$/), { maxLength: 5 }),
};

/**
 * Mostly with what registered vehicles need (body type, mileage, transmission, a fuel), so
 * that most ads map; sometimes with only what the canonical model requires.
 */
export const vehicle = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record(
      {
        ...vehicleFields,
        fuels: fc.array(fc.constantFrom(...Fuel.literals), { minLength: 1, maxLength: 3 }),
      },
      {
        requiredKeys: [
          "make",
          "model",
          "modelYear",
          "bodyType",
          "mileage",
          "transmission",
          "fuels",
        ],
      },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record(vehicleFields, { requiredKeys: ["make", "model", "modelYear"] }),
  },
);

const termText = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom("12 månaders garanti", "Fri hemleverans inom 5 mil") },
  { weight: 1, arbitrary: fc.integer({ min: 400, max: 700 }).map((length) => "x".repeat(length)) },
);

const terms = fc.record(
  {
    warranty: termText,
    returnPolicy: termText,
    serviceHistory: termText,
    homeDelivery: termText,
    productDeclarationUrl: fc.constant("https://dealer.example.com/varudeklaration.pdf"),
  },
  { requiredKeys: [] },
);

const blocketOptions = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record(
      {
        dealerCode: fc.constantFrom("DEALER1", "DEALER2"),
        visible: fc.boolean(),
        dontPublishOnFailedImages: fc.boolean(),
        excludeBlocket: fc.boolean(),
        excludeBytbil: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
  },
  // Options a DMS got wrong: they become issues under marketplaces.blocket.
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>({ visible: "yes" }, { dealer: "X" }, "DEALER1"),
  },
);

const decodeAd = Schema.decodeUnknownSync(VehicleAd);

/** A decoded, valid canonical ad (defaults applied), built as a DMS would send it. */
export const vehicleAd: fc.Arbitrary<VehicleAd> = fc
  .record(
    {
      id: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,30}$/),
      category: fc.constantFrom(...categories),
      title: fc.oneof(fc.constantFrom("Volvo XC90 D5 AWD", "Fin husbil"), trimmedText(60)),
      description: prose,
      price: prices,
      images,
      video: videoUrl,
      url: fc.constant("https://dealer.example.com/cars/1"),
      location,
      contact,
      vehicle,
      terms,
      marketplaces: fc.record({ blocket: blocketOptions }),
    },
    { requiredKeys: ["id", "category", "description", "price", "vehicle"] },
  )
  .map((input) => decodeAd(input));
