import type { BodyType, Colour, Condition, Fuel, Transmission, Vehicle } from "@adsync/core";

/**
 * Canonical vehicle fields → Marktplaats category attributes, in one table.
 *
 * Attribute keys are camelCase and per category ("jaarOorspr" for "Jaar (Oorspr.)", the doc's
 * own example; "constructionYear" for "Bouwjaar", the changelog of February 2015). The real
 * keys come from `GET /v1/categories/{l1}/{l2}/attributes`, so each row names the keys *and*
 * the Dutch labels it may appear under, and the mapping uses whichever the category lists.
 * Choice values are offered as Dutch candidates and matched against the attribute's `values`
 * ("it only accepts the values listed in the *values* array").
 */

export type AttributeInput =
  | { readonly kind: "number"; readonly value: number; readonly unitHint?: "kw" | "hp" }
  | { readonly kind: "choice"; readonly candidates: ReadonlyArray<string> }
  | { readonly kind: "choices"; readonly items: ReadonlyArray<ReadonlyArray<string>> };

export interface AttributeRow {
  /** The canonical field, also the issue path when the value cannot be placed. */
  readonly path: string;
  readonly keys: ReadonlyArray<string>;
  readonly labels: ReadonlyArray<string>;
  readonly value: (vehicle: Vehicle) => AttributeInput | undefined;
}

const fuelNames: Readonly<Record<Fuel, ReadonlyArray<string>>> = {
  petrol: ["Benzine"],
  diesel: ["Diesel"],
  electric: ["Elektrisch", "Elektriciteit"],
  hybrid: ["Hybride", "Hybride Elektrisch/Benzine"],
  plugin_hybrid: ["Plug-in hybride", "Hybride"],
  ethanol: ["Ethanol"],
  cng: ["CNG", "Aardgas"],
  lpg: ["LPG"],
  hydrogen: ["Waterstof"],
  other: ["Overig", "Anders"],
};

const transmissionNames: Readonly<Record<Transmission, ReadonlyArray<string>>> = {
  manual: ["Handgeschakeld", "Handmatig"],
  automatic: ["Automaat", "Automatisch"],
};

const bodyTypeNames: Readonly<Record<BodyType, ReadonlyArray<string>>> = {
  sedan: ["Sedan"],
  hatchback: ["Hatchback"],
  wagon: ["Stationwagon", "Stationwagen"],
  suv: ["SUV of Terreinwagen", "SUV"],
  coupe: ["Coupé"],
  convertible: ["Cabriolet"],
  minivan: ["MPV"],
  van: ["Bestelauto", "Bus"],
  pickup: ["Pick-up"],
  chassis_cab: ["Chassis cabine"],
  bus: ["Bus"],
  moped: ["Bromfiets"],
  scooter: ["Scooter"],
  motorcycle: ["Motor"],
  integrated: ["Integraal"],
  semi_integrated: ["Half-integraal"],
  alcove: ["Alkoof"],
  caravan: ["Caravan"],
  trailer: ["Aanhangwagen"],
  boat: ["Boot"],
  other: ["Overige", "Overig"],
};

const colourNames: Readonly<Record<Colour, ReadonlyArray<string>>> = {
  black: ["Zwart"],
  white: ["Wit"],
  silver: ["Zilver", "Zilver of Grijs"],
  grey: ["Grijs", "Zilver of Grijs"],
  blue: ["Blauw"],
  red: ["Rood"],
  green: ["Groen"],
  yellow: ["Geel"],
  orange: ["Oranje"],
  brown: ["Bruin"],
  beige: ["Beige"],
  gold: ["Goud"],
  purple: ["Paars"],
  other: ["Overige kleur", "Overig"],
};

const conditionNames: Readonly<Record<Condition, ReadonlyArray<string>>> = {
  new: ["Nieuw"],
  used: ["Gebruikt"],
  damaged: ["Schadeauto", "Schade"],
};

/** Equipment keys → option names; keys not listed here are left out with a warning. */
const equipmentNames: Readonly<Record<string, ReadonlyArray<string>>> = {
  navigation: ["Navigatiesysteem", "Navigatie"],
  air_conditioning: ["Airco"],
  climate_control: ["Climate control"],
  cruise_control: ["Cruise control"],
  tow_bar: ["Trekhaak"],
  sunroof: ["Schuifdak", "Panoramadak"],
  heated_seats: ["Stoelverwarming"],
  parking_sensors: ["Parkeersensor"],
  leather: ["Leder", "Lederen bekleding"],
  alloy_wheels: ["Lichtmetalen velgen"],
  bluetooth: ["Bluetooth"],
};

const number = (value: number | undefined): AttributeInput | undefined =>
  value === undefined ? undefined : { kind: "number", value };
const choice = (candidates: ReadonlyArray<string> | undefined): AttributeInput | undefined =>
  candidates === undefined ? undefined : { kind: "choice", candidates };

export const attributeTable: ReadonlyArray<AttributeRow> = [
  {
    path: "vehicle.model",
    keys: ["model"],
    labels: ["Model"],
    value: (vehicle) => choice([vehicle.model]),
  },
  {
    path: "vehicle.modelYear",
    keys: ["constructionYear", "jaarOorspr", "bouwjaar"],
    labels: ["Bouwjaar", "Jaar (Oorspr.)"],
    value: (vehicle) => number(vehicle.modelYear),
  },
  {
    // Kilometres: a Swedish mil is 10 km.
    path: "vehicle.mileage",
    keys: ["mileage", "kilometerstand"],
    labels: ["Kilometerstand"],
    value: (vehicle) =>
      number(
        vehicle.mileage === undefined
          ? undefined
          : vehicle.mileage.value * (vehicle.mileage.unit === "mil" ? 10 : 1),
      ),
  },
  {
    path: "vehicle.fuels",
    keys: ["fuel", "brandstof"],
    labels: ["Brandstof"],
    value: (vehicle) =>
      choice(vehicle.fuels[0] === undefined ? undefined : fuelNames[vehicle.fuels[0]]),
  },
  {
    path: "vehicle.transmission",
    keys: ["transmission", "transmissie"],
    labels: ["Transmissie"],
    value: (vehicle) =>
      choice(
        vehicle.transmission === undefined ? undefined : transmissionNames[vehicle.transmission],
      ),
  },
  {
    path: "vehicle.bodyType",
    keys: ["body", "bodyType", "carrosserie"],
    labels: ["Carrosserie"],
    value: (vehicle) =>
      choice(vehicle.bodyType === undefined ? undefined : bodyTypeNames[vehicle.bodyType]),
  },
  {
    path: "vehicle.colour",
    keys: ["color", "colour", "kleur"],
    labels: ["Kleur"],
    value: (vehicle) =>
      choice(vehicle.colour === undefined ? undefined : colourNames[vehicle.colour]),
  },
  {
    path: "vehicle.doors",
    keys: ["doors", "aantalDeuren"],
    labels: ["Aantal deuren"],
    value: (vehicle) => number(vehicle.doors),
  },
  {
    path: "vehicle.seats",
    keys: ["seats", "aantalZitplaatsen"],
    labels: ["Aantal zitplaatsen"],
    value: (vehicle) => number(vehicle.seats),
  },
  {
    path: "vehicle.engineSizeCc",
    keys: ["engineCapacity", "cilinderinhoud"],
    labels: ["Cilinderinhoud"],
    value: (vehicle) => number(vehicle.engineSizeCc),
  },
  {
    // The unit follows the attribute's label ("Vermogen (pk)" / "(kW)"); pk when it says none.
    path: "vehicle.power",
    keys: ["power", "vermogen"],
    labels: ["Vermogen"],
    value: (vehicle) =>
      vehicle.power === undefined
        ? undefined
        : { kind: "number", value: vehicle.power.value, unitHint: vehicle.power.unit },
  },
  {
    path: "vehicle.condition",
    keys: ["condition", "staat", "conditie"],
    labels: ["Conditie", "Staat"],
    value: (vehicle) => choice(conditionNames[vehicle.condition]),
  },
  {
    path: "vehicle.equipment",
    keys: ["options", "opties"],
    labels: ["Opties"],
    value: (vehicle) =>
      vehicle.equipment.length === 0
        ? undefined
        : { kind: "choices", items: vehicle.equipment.map((key) => equipmentNames[key] ?? [key]) },
  },
];
