import { BodyType, Colour, Condition, Fuel, VehicleAd, VehicleCategory } from "@adsync/core";
import { Schema } from "effect";
import fc from "fast-check";

/**
 * fast-check 4 arbitraries: Marktplaats advertisements as the adapter sends them, and valid
 * canonical ads (decoded with the VehicleAd schema, so a drifting arbitrary fails loudly).
 */

const text = (maxLength: number) => fc.string({ minLength: 0, maxLength, unit: "grapheme" });

/** Advertisements as sent: the documented fields plus category attributes in camelCase. */
export const advertisementArbitrary = fc.record(
  {
    categoryId: fc.integer({ min: 1, max: 3000 }),
    title: text(60),
    description: text(200),
    priceModel: fc.record(
      { modelType: fc.constantFrom("fixed", "bidding"), askingPrice: fc.nat() },
      { requiredKeys: ["modelType"] },
    ),
    licensePlate: fc.constantFrom("AB123C", "12-ABC-3"),
    seller: fc.record(
      {
        sellerName: text(30),
        phoneNumber: fc.constantFrom("+31612345678", "0201234567"),
        kvkNumber: fc.integer({ min: 1, max: 99_999_999 }),
        showEmail: fc.boolean(),
        acceptPaypal: fc.boolean(),
      },
      { requiredKeys: ["sellerName"] },
    ),
    location: fc.oneof(
      fc.record({ postcode: fc.constantFrom("1097DN", "8388MA", "2000") }),
      fc.record({ cityName: fc.constantFrom("Amsterdam", "Antwerpen") }),
    ),
    url: fc.webUrl(),
    showOnMap: fc.boolean(),
    constructionYear: fc.integer({ min: 1950, max: 2030 }),
    mileage: fc.nat(),
    fuel: fc.constantFrom("Benzine", "Diesel", "Elektrisch"),
    options: fc.array(fc.constantFrom("Navigatiesysteem", "Airco", "Trekhaak"), { maxLength: 3 }),
    "odd/key~": fc.jsonValue(),
  },
  { requiredKeys: ["categoryId", "title", "description", "priceModel", "location"] },
);

const trimmedText = (maxLength: number) =>
  fc
    .string({ minLength: 1, maxLength, unit: "grapheme" })
    .map((value) => value.trim())
    .filter((value) => value.length > 0);

/** Dealer prose with the characters that trip Marktplaats' wiki markup, URLs and HTML. */
const prose = fc
  .array(
    fc.oneof(
      {
        weight: 6,
        arbitrary: fc.constantFrom("Nette", "auto", "met", "trekhaak", "APK", "2 eigenaren"),
      },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          "**bold**",
          "//italic//",
          "__under__",
          "* ster",
          "- punt",
          "https://dealer.example.nl/auto/123",
          "www.dealer.nl",
          "<script>x</script>",
          "a < b & c > d",
          "\n",
          "\n\n",
          "\n- optie",
          "\n* optie",
          "***",
          "///",
          "___",
        ),
      },
      { weight: 1, arbitrary: trimmedText(12) },
    ),
    { minLength: 1, maxLength: 30 },
  )
  .map((parts) => parts.join(" ").trim())
  .filter((value) => value.length > 0);

const euros = fc.record({
  amount: fc.oneof(fc.integer({ min: 0, max: 10_000_000 }), fc.maxSafeNat()),
  currency: fc.oneof({ weight: 8, arbitrary: fc.constant("EUR") }, fc.constantFrom("SEK", "USD")),
});

const makes = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.constantFrom("Volkswagen", "VW", "Citroen", "Mercedes", "Škoda", "BMW"),
  },
  { weight: 1, arbitrary: trimmedText(12) },
);
const models = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom("Golf", "C3", "C-Klasse", "Octavia", "3-serie") },
  { weight: 1, arbitrary: trimmedText(12) },
);

/** Mostly make/model pairs Marktplaats lists (as the sandbox does), sometimes anything. */
const makeAndModel = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      ["VW", "Golf GTI"],
      ["Volkswagen", "Polo"],
      ["Citroen", "C3"],
      ["Mercedes", "C-Klasse"],
      ["Škoda", "Octavia"],
      ["BMW", "3-serie"],
    ),
  },
  { weight: 1, arbitrary: fc.tuple(makes, models) },
);

const vehicle = fc.record(
  {
    make: fc.constant(""),
    model: fc.constant(""),
    variant: fc.constantFrom("1.4 TSI Highline", "https://x.nl", "D5 AWD Inscription Pro Line"),
    modelYear: fc.integer({ min: 1900, max: 2100 }),
    bodyType: fc.constantFrom(...BodyType.literals),
    colour: fc.constantFrom(...Colour.literals),
    registrationNumber: fc.constantFrom("AB-123-C", "ab123c", "12 ABC 3", "TOOLONGPLATE1", "X"),
    mileage: fc.record({ value: fc.nat({ max: 2_000_000 }), unit: fc.constantFrom("km", "mil") }),
    fuels: fc.array(fc.constantFrom(...Fuel.literals), { maxLength: 2 }),
    transmission: fc.constantFrom("manual", "automatic"),
    power: fc.record({
      value: fc.integer({ min: 1, max: 900 }),
      unit: fc.constantFrom("kw", "hp"),
    }),
    engineSizeCc: fc.integer({ min: 1, max: 9000 }),
    doors: fc.integer({ min: 1, max: 6 }),
    seats: fc.integer({ min: 1, max: 9 }),
    condition: fc.constantFrom(...Condition.literals),
    equipment: fc.array(fc.constantFrom("navigation", "air_conditioning", "tow_bar", "sunroof")),
  },
  { requiredKeys: ["make", "model", "modelYear"] },
);

const marktplaatsOptions = fc.record(
  {
    categoryId: fc.integer({ min: 1, max: 200 }),
    stickerText: fc.constantFrom("Nu met korting!", "Deze tekst is veel te lang voor een sticker"),
    showOnMap: fc.boolean(),
    partNumber: fc.constantFrom("PN-1", "x".repeat(30)),
    priceModelType: fc.constantFrom("fixed", "bidding", "see-description"),
    locale: fc.constantFrom("nl-NL", "nl-BE", "fr-BE"),
    attributes: fc.dictionary(
      fc.constantFrom("energyLabel", "unknownKey", "apkOnDelivery"),
      fc.oneof(fc.string(), fc.integer()),
    ),
  },
  { requiredKeys: [] },
);

const adInput = fc.record(
  {
    id: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,20}$/),
    category: fc.oneof(
      { weight: 30, arbitrary: fc.constant("car" as const) },
      fc.constantFrom(...VehicleCategory.literals),
    ),
    title: fc.oneof(
      trimmedText(80),
      fc.constantFrom("Zie www.dealer.nl", "Golf GTI", "ab", "Mooie auto http://x.nl"),
    ),
    description: prose,
    price: fc.oneof(
      { weight: 6, arbitrary: fc.record({ list: euros }) },
      fc.record({ list: euros, reduced: euros }),
      fc.record({ monthly: euros }),
      fc.record({ callForPrice: fc.constant(true) }),
    ),
    images: fc.array(fc.webUrl({ validSchemes: ["https"] }), { maxLength: 3 }),
    video: fc.constantFrom(
      "https://marktplaats.carviewer.nl/v/123",
      "https://www.youtube.com/watch?v=abc",
      `https://marktplaats.movieplayer.nl/${"x".repeat(160)}`,
    ),
    url: fc.webUrl({ validSchemes: ["https"] }),
    location: fc.record(
      {
        postalCode: fc.constantFrom("1097 DN", "8388MA", "1012AB", "2000", "12345678", "ab"),
        city: fc.constantFrom("Amsterdam", "Den Haag", "Utrecht"),
      },
      { requiredKeys: [] },
    ),
    contact: fc.record(
      {
        name: fc.constantFrom("Autobedrijf De Vries", "A".repeat(45), "Jan"),
        phone: fc.oneof(
          {
            weight: 4,
            arbitrary: fc.constantFrom("020-4167248", "+31 6 12345678", "0031612345678"),
          },
          { weight: 1, arbitrary: fc.constantFrom("12", "bel me") },
        ),
        email: fc.constant("verkoop@dealer.nl"),
      },
      { requiredKeys: [] },
    ),
    vehicle: fc
      .tuple(vehicle, makeAndModel)
      .map(([fields, [make, model]]) => ({ ...fields, make, model })),
    marketplaces: fc.oneof(
      { weight: 3, arbitrary: fc.constant({}) },
      { weight: 1, arbitrary: fc.record({ marktplaats: marktplaatsOptions }) },
    ),
  },
  { requiredKeys: ["id", "category", "description", "price", "vehicle", "location"] },
);

/** Valid canonical ads (anything the arbitrary makes that the schema refuses is dropped). */
export const vehicleAdArbitrary = adInput
  .map((input) => Schema.decodeUnknownEither(VehicleAd)(input))
  .filter((decoded) => decoded._tag === "Right")
  .map((decoded) => (decoded._tag === "Right" ? decoded.right : undefined))
  .filter((ad): ad is VehicleAd => ad !== undefined);
