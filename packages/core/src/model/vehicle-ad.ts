import { Schema } from "effect";
import { Money } from "./money.ts";

/**
 * The kind of vehicle. Marketplaces with fixed category ids per kind (Blocket, Tradera) map it
 * to an id; marketplaces whose category is a tree under the make (Marktplaats, Allegro) resolve
 * it from the vehicle itself.
 */
export const VehicleCategory = Schema.Literal(
  "car",
  "van",
  "motorcycle",
  "moped",
  "a_tractor",
  "atv",
  "snowmobile",
  "motorhome",
  "caravan",
  "trailer",
  "motorboat",
  "sailboat",
  "truck",
);
export type VehicleCategory = typeof VehicleCategory.Type;

export const Fuel = Schema.Literal(
  "petrol",
  "diesel",
  "electric",
  "hybrid",
  "plugin_hybrid",
  "ethanol",
  "cng",
  "lpg",
  "hydrogen",
  "other",
);
export type Fuel = typeof Fuel.Type;

export const Transmission = Schema.Literal("manual", "automatic");
export type Transmission = typeof Transmission.Type;

export const BodyType = Schema.Literal(
  "sedan",
  "hatchback",
  "wagon",
  "suv",
  "coupe",
  "convertible",
  "minivan",
  "van",
  "pickup",
  "chassis_cab",
  "bus",
  "moped",
  "scooter",
  "motorcycle",
  "integrated",
  "semi_integrated",
  "alcove",
  "caravan",
  "trailer",
  "boat",
  "other",
);
export type BodyType = typeof BodyType.Type;

export const Colour = Schema.Literal(
  "black",
  "white",
  "silver",
  "grey",
  "blue",
  "red",
  "green",
  "yellow",
  "orange",
  "brown",
  "beige",
  "gold",
  "purple",
  "other",
);
export type Colour = typeof Colour.Type;

export const Condition = Schema.Literal("new", "used", "damaged");
export type Condition = typeof Condition.Type;

/**
 * Every canonical enumeration of a vehicle field, by field: what an adapter must map to its
 * marketplace's values (or report), and what its enumeration tests walk.
 */
export const vehicleEnumerations = {
  bodyType: BodyType.literals,
  colour: Colour.literals,
  fuels: Fuel.literals,
  transmission: Transmission.literals,
  condition: Condition.literals,
} as const;
export type EnumeratedVehicleField = keyof typeof vehicleEnumerations;

/** The enumerated vehicle fields, in the order of `vehicleEnumerations`. */
export const enumeratedVehicleFields: ReadonlyArray<EnumeratedVehicleField> = [
  "bodyType",
  "colour",
  "fuels",
  "transmission",
  "condition",
];

/** Every `[field, value]` of the given enumerated fields. */
export const enumeratedVehicleValues = <Field extends EnumeratedVehicleField>(
  fields: ReadonlyArray<Field>,
): ReadonlyArray<readonly [Field, string]> =>
  fields.flatMap((field) => vehicleEnumerations[field].map((value) => [field, value] as const));

/** Mileage with its unit: kilometres, or Swedish mil (1 mil = 10 km). */
export const Mileage = Schema.Struct({
  value: Schema.Int.pipe(Schema.nonNegative()),
  unit: Schema.Literal("km", "mil"),
});
export type Mileage = typeof Mileage.Type;

export const Power = Schema.Struct({
  value: Schema.Number.pipe(Schema.positive(), Schema.finite()),
  unit: Schema.Literal("kw", "hp"),
});
export type Power = typeof Power.Type;

const PositiveInt = Schema.Int.pipe(Schema.positive());
const NonEmptyTrimmed = Schema.Trimmed.pipe(Schema.minLength(1));

/** An absolute http(s) URL. */
export const Url = Schema.String.pipe(
  Schema.filter((value) => URL.canParse(value) && /^https?:\/\//i.test(value), {
    message: () => "an absolute http(s) URL",
  }),
).annotations({ identifier: "Url" });

export const Vehicle = Schema.Struct({
  make: NonEmptyTrimmed,
  model: NonEmptyTrimmed,
  /** Trim or variant, e.g. "D5 AWD Inscription". */
  variant: Schema.optional(NonEmptyTrimmed),
  modelYear: Schema.Int.pipe(Schema.between(1900, 2100)),
  bodyType: Schema.optional(BodyType),
  colour: Schema.optional(Colour),
  registrationNumber: Schema.optional(NonEmptyTrimmed),
  vin: Schema.optional(Schema.String.pipe(Schema.pattern(/^[A-HJ-NPR-Z0-9]{17}$/))),
  mileage: Schema.optional(Mileage),
  fuels: Schema.optionalWith(Schema.Array(Fuel), { default: () => [] }),
  transmission: Schema.optional(Transmission),
  power: Schema.optional(Power),
  engineSizeCc: Schema.optional(PositiveInt),
  doors: Schema.optional(PositiveInt),
  seats: Schema.optional(PositiveInt),
  /** Kerb weight in kilograms. */
  kerbWeightKg: Schema.optional(PositiveInt),
  /** Gross (total) weight in kilograms. */
  grossWeightKg: Schema.optional(PositiveInt),
  /** Overall length in millimetres (integers keep unit conversions exact). */
  lengthMm: Schema.optional(PositiveInt),
  widthMm: Schema.optional(PositiveInt),
  beds: Schema.optional(Schema.Int.pipe(Schema.nonNegative())),
  condition: Schema.optionalWith(Condition, { default: () => "used" as const }),
  /** Equipment as lowercase snake_case keys, e.g. "navigation", "heated_seats". */
  equipment: Schema.optionalWith(Schema.Array(Schema.String.pipe(Schema.pattern(/^[a-z0-9_]+$/))), {
    default: () => [],
  }),
});
export type Vehicle = typeof Vehicle.Type;

/**
 * Prices. `list` is the asking price; `reduced` a sale price shown against it; `monthly` a
 * leasing or instalment amount; `callForPrice` asks buyers to call. At least one is required.
 */
export const Prices = Schema.Struct({
  list: Schema.optional(Money),
  reduced: Schema.optional(Money),
  monthly: Schema.optional(Money),
  callForPrice: Schema.optional(Schema.Boolean),
}).pipe(
  Schema.filter(
    (price) =>
      price.list !== undefined ||
      price.monthly !== undefined ||
      price.callForPrice === true ||
      "give a list price, a monthly price or callForPrice",
  ),
);
export type Prices = typeof Prices.Type;

export const Coordinates = Schema.Struct({
  latitude: Schema.Number.pipe(Schema.between(-90, 90)),
  longitude: Schema.Number.pipe(Schema.between(-180, 180)),
});

export const Location = Schema.Struct({
  postalCode: Schema.optional(NonEmptyTrimmed),
  city: Schema.optional(NonEmptyTrimmed),
  street: Schema.optional(NonEmptyTrimmed),
  /** ISO 3166-1 alpha-2, e.g. "SE". */
  country: Schema.optional(Schema.String.pipe(Schema.pattern(/^[A-Z]{2}$/))),
  coordinates: Schema.optional(Coordinates),
  /**
   * National area codes by scheme, e.g. `{ lkf: "0380" }` (Swedish län-kommun-församling).
   * Adapters read the schemes they know.
   */
  regionCodes: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })),
});
export type Location = typeof Location.Type;

export const Contact = Schema.Struct({
  name: Schema.optional(NonEmptyTrimmed),
  phone: Schema.optional(NonEmptyTrimmed),
  email: Schema.optional(Schema.String.pipe(Schema.pattern(/^[^@\s]+@[^@\s]+\.[^@\s]+$/))),
});
export type Contact = typeof Contact.Type;

/** The dealer's terms, shown as text on the listing. */
export const DealerTerms = Schema.Struct({
  warranty: Schema.optional(NonEmptyTrimmed),
  returnPolicy: Schema.optional(NonEmptyTrimmed),
  serviceHistory: Schema.optional(NonEmptyTrimmed),
  homeDelivery: Schema.optional(NonEmptyTrimmed),
  /** URL of a hosted product declaration ("varudeklaration") PDF. */
  productDeclarationUrl: Schema.optional(Url),
});
export type DealerTerms = typeof DealerTerms.Type;

/**
 * The dealer's identifier of the ad: the key everywhere (Blocket/Tradera `source_id`, Allegro
 * `external.id`, the Marktplaats seller reference).
 */
export const AdId = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, {
    message: () => "1–100 characters: letters, digits and . _ : -",
  }),
);

/**
 * One vehicle ad, as the dealer sees it. Every marketplace adapter maps from this.
 *
 * `marketplaces` holds per-marketplace options keyed by marketplace id (e.g.
 * `{ blocket: { excludeBytbil: true } }`). Core keeps them opaque so it stays
 * marketplace-agnostic; each adapter decodes its own entry with its own schema and reports
 * problems as issues under `marketplaces.<id>.…`.
 */
export const VehicleAd = Schema.Struct({
  id: AdId,
  category: VehicleCategory,
  /** Optional: adapters derive a title from the vehicle where the marketplace needs one. */
  title: Schema.optional(NonEmptyTrimmed),
  /** Plain text; blank lines separate paragraphs, lines starting "- " or "* " are bullets. */
  description: NonEmptyTrimmed,
  price: Prices,
  /** Image URLs, in display order. */
  images: Schema.optionalWith(Schema.Array(Url), { default: () => [] }),
  video: Schema.optional(Url),
  /** The dealer's own page for this vehicle. */
  url: Schema.optional(Url),
  location: Schema.optional(Location),
  contact: Schema.optional(Contact),
  vehicle: Vehicle,
  terms: Schema.optional(DealerTerms),
  marketplaces: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
}).annotations({ identifier: "VehicleAd" });

/** A decoded, valid ad. */
export type VehicleAd = typeof VehicleAd.Type;
/** What a DMS may pass in (defaults not yet applied). */
export type VehicleAdInput = typeof VehicleAd.Encoded;
