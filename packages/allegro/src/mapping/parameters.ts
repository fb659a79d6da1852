import { type Issue, issue, type VehicleAd } from "@adsync/core";
import type { CategoryParameter, WireParameter } from "../wire.ts";
import { normalizeName } from "./text.ts";

/**
 * The one mapping table from canonical vehicle fields to Allegro category parameters.
 * Parameters are found by id (Allegro's ids are global: "Rok produkcji" is "1" in every
 * vehicle category) or, when a category uses another id, by name. Dictionary values are
 * matched by label, not id: "Retrieve parameters, verify and update them, in particular these
 * of dictionary type because their values may change" (section 2, Parameters).
 */
interface ParameterRow {
  readonly ids: ReadonlyArray<string>;
  readonly names: ReadonlyArray<string>;
  /** The canonical field the dealer fixes when the parameter cannot be filled. */
  readonly path: string;
  /** The canonical value: numbers for integer/float, strings for string, labels for dictionaries. */
  readonly read: (ad: VehicleAd) => ReadonlyArray<string | number> | undefined;
}

const one = <A>(value: A | undefined): ReadonlyArray<A> | undefined =>
  value === undefined ? undefined : [value];

const fuelLabels: Record<VehicleAd["vehicle"]["fuels"][number], ReadonlyArray<string>> = {
  petrol: ["Benzyna"],
  diesel: ["Diesel"],
  electric: ["Elektryczny"],
  hybrid: ["Hybryda"],
  plugin_hybrid: ["Hybryda plug-in", "Hybryda"],
  ethanol: ["Etanol"],
  cng: ["Benzyna+CNG"],
  lpg: ["Benzyna+LPG"],
  hydrogen: ["Wodór"],
  other: ["Inny"],
};

const colourLabels: Record<NonNullable<VehicleAd["vehicle"]["colour"]>, string> = {
  black: "Czarny",
  white: "Biały",
  silver: "Srebrny",
  grey: "Szary",
  blue: "Niebieski",
  red: "Czerwony",
  green: "Zielony",
  yellow: "Żółty",
  orange: "Pomarańczowy",
  brown: "Brązowy",
  beige: "Beżowy",
  gold: "Złoty",
  purple: "Fioletowy",
  other: "Inny kolor",
};

const bodyLabels: Partial<Record<NonNullable<VehicleAd["vehicle"]["bodyType"]>, string>> = {
  sedan: "Sedan",
  hatchback: "Kompakt",
  wagon: "Kombi",
  suv: "SUV",
  coupe: "Coupe",
  convertible: "Kabriolet",
  minivan: "Minivan",
  van: "Van",
  pickup: "Pick-up",
};

const conditionLabels = { new: "Nowy", used: "Używany", damaged: "Uszkodzony" } as const;

/** Equipment keys (canonical snake_case) → Allegro's "Wyposażenie" labels. */
const equipmentLabels: Readonly<Record<string, string>> = {
  navigation: "Nawigacja GPS",
  air_conditioning: "Klimatyzacja",
  heated_seats: "Podgrzewane fotele",
  cruise_control: "Tempomat",
  parking_sensors: "Czujniki parkowania",
  leather_seats: "Skórzana tapicerka",
  sunroof: "Szyberdach",
  tow_bar: "Hak",
};

const kilometres = (ad: VehicleAd) => {
  const mileage = ad.vehicle.mileage;
  if (mileage === undefined) return undefined;
  // "Przebieg [km]": Swedish mil are 10 km each.
  return mileage.unit === "km" ? mileage.value : mileage.value * 10;
};

const horsepower = (ad: VehicleAd) => {
  const power = ad.vehicle.power;
  if (power === undefined) return undefined;
  // "Moc [KM]": 1 kW = 1.35962 KM (metric horsepower).
  return Math.round(power.unit === "hp" ? power.value : power.value * 1.35962);
};

export const parameterTable: ReadonlyArray<ParameterRow> = [
  {
    ids: ["11323"],
    names: ["Stan"],
    path: "vehicle.condition",
    read: (ad) => [conditionLabels[ad.vehicle.condition]],
  },
  {
    ids: ["178"],
    names: ["Uszkodzony"],
    path: "vehicle.condition",
    read: (ad) => [ad.vehicle.condition === "damaged" ? "Tak" : "Nie"],
  },
  {
    ids: ["1"],
    names: ["Rok produkcji"],
    path: "vehicle.modelYear",
    read: (ad) => [ad.vehicle.modelYear],
  },
  { ids: ["4"], names: ["Przebieg"], path: "vehicle.mileage", read: (ad) => one(kilometres(ad)) },
  {
    ids: ["5"],
    names: ["Pojemność silnika"],
    path: "vehicle.engineSizeCc",
    read: (ad) => one(ad.vehicle.engineSizeCc),
  },
  { ids: ["14"], names: ["Moc"], path: "vehicle.power", read: (ad) => one(horsepower(ad)) },
  {
    ids: ["12"],
    names: ["Rodzaj paliwa"],
    path: "vehicle.fuels",
    // A dictionary takes one value unless multipleChoices: the first fuel is the main one.
    read: (ad) => {
      const [first] = ad.vehicle.fuels;
      return first === undefined ? undefined : fuelLabels[first];
    },
  },
  {
    ids: ["128789"],
    names: ["Liczba drzwi"],
    path: "vehicle.doors",
    read: (ad) => one(ad.vehicle.doors),
  },
  {
    ids: ["3"],
    names: ["Kolor"],
    path: "vehicle.colour",
    read: (ad) =>
      one(ad.vehicle.colour === undefined ? undefined : colourLabels[ad.vehicle.colour]),
  },
  {
    ids: ["215898"],
    names: ["Numer VIN", "VIN"],
    path: "vehicle.vin",
    read: (ad) => one(ad.vehicle.vin),
  },
  {
    ids: ["13"],
    names: ["Skrzynia biegów"],
    path: "vehicle.transmission",
    read: (ad) =>
      one(
        ad.vehicle.transmission === undefined
          ? undefined
          : ad.vehicle.transmission === "manual"
            ? "Manualna"
            : "Automatyczna",
      ),
  },
  {
    ids: ["6"],
    names: ["Typ nadwozia"],
    path: "vehicle.bodyType",
    // A body type with no Polish label (a moped, a bus) is still read, as its canonical name:
    // the dictionary then refuses it with a warning (an issue when required) on the field,
    // rather than the dealer's value vanishing without a word.
    read: (ad) =>
      one(
        ad.vehicle.bodyType === undefined
          ? undefined
          : (bodyLabels[ad.vehicle.bodyType] ?? ad.vehicle.bodyType),
      ),
  },
  {
    ids: ["7"],
    names: ["Liczba miejsc"],
    path: "vehicle.seats",
    read: (ad) => one(ad.vehicle.seats),
  },
  {
    ids: ["8"],
    names: ["Wyposażenie"],
    path: "vehicle.equipment",
    read: (ad) => {
      const labels = ad.vehicle.equipment.flatMap((key) => {
        const label = equipmentLabels[key];
        return label === undefined ? [] : [label];
      });
      return labels.length === 0 ? undefined : labels;
    },
  },
  {
    ids: ["9"],
    names: ["Numer rejestracyjny"],
    path: "vehicle.registrationNumber",
    read: (ad) => one(ad.vehicle.registrationNumber),
  },
];

/** The table row that fills a category parameter, by id first and then by name. */
const rowFor = (parameter: {
  readonly id: string;
  readonly name: string;
}): ParameterRow | undefined => {
  const byId = parameterTable.find((row) => row.ids.includes(parameter.id));
  if (byId !== undefined) return byId;
  const name = normalizeName(parameter.name.replace(/\[.*\]/, ""));
  return parameterTable.find((row) => row.names.some((entry) => normalizeName(entry) === name));
};

/** Where a dealer fixes a parameter: its canonical field, or the raw override. */
export const pathOfParameter = (parameter: { readonly id: string; readonly name: string }) =>
  rowFor(parameter)?.path ?? `marketplaces.allegro.parameters.${parameter.id}`;

interface MappedParameters {
  readonly parameters: ReadonlyArray<WireParameter>;
  readonly issues: ReadonlyArray<Issue>;
  readonly warnings: ReadonlyArray<Issue>;
}

type Outcome =
  | { readonly _tag: "Value"; readonly parameter: WireParameter }
  | { readonly _tag: "Problem"; readonly problem: Issue };

const where = (parameter: CategoryParameter) => ({
  marketplace: "allegro",
  marketplacePath: `parameters.${parameter.id}`,
});

const fail = (
  parameter: CategoryParameter,
  path: string,
  code: Issue["code"],
  message: string,
): Outcome => ({
  _tag: "Problem",
  problem: issue(path, code, `${parameter.name}: ${message}`, where(parameter)),
});

const plain = (id: string, values: ReadonlyArray<string>): WireParameter => ({
  id,
  valuesIds: [],
  values,
});

const encodeNumber = (
  parameter: CategoryParameter,
  path: string,
  raw: ReadonlyArray<string | number>,
): Outcome => {
  const [first] = raw;
  const value = typeof first === "number" ? first : Number(first);
  if (first === undefined || !Number.isFinite(value))
    return fail(parameter, path, "invalid_value", `expected a number, got "${String(first)}"`);
  const restrictions = parameter.restrictions;
  const integer = parameter.type === "integer";
  const precision = integer ? 0 : Math.min(Math.max(restrictions?.precision ?? 2, 0), 10);
  const rounded = Number(value.toFixed(precision));
  const min = restrictions?.min ?? undefined;
  const max = restrictions?.max ?? undefined;
  if ((min !== undefined && rounded < min) || (max !== undefined && rounded > max))
    return fail(
      parameter,
      path,
      "out_of_range",
      `${rounded} is outside ${min ?? "…"}–${max ?? "…"}`,
    );
  const fixed = rounded.toFixed(precision);
  // "19.50" → "19.5", "1900" stays: only a fraction loses its trailing zeros.
  const text = integer
    ? String(Math.trunc(rounded))
    : fixed.includes(".")
      ? fixed.replace(/\.?0+$/, "")
      : fixed;
  if (restrictions?.range === true)
    return {
      _tag: "Value",
      parameter: {
        id: parameter.id,
        valuesIds: [],
        values: [],
        rangeValue: { from: text, to: text },
      },
    };
  return { _tag: "Value", parameter: plain(parameter.id, [text]) };
};

const encodeString = (
  parameter: CategoryParameter,
  path: string,
  raw: ReadonlyArray<string | number>,
): Outcome => {
  const allowed = Math.max(parameter.restrictions?.allowedNumberOfValues ?? 1, 1);
  const values = raw.map(String).slice(0, allowed);
  const minLength = parameter.restrictions?.minLength ?? 0;
  const maxLength = parameter.restrictions?.maxLength ?? undefined;
  for (const value of values) {
    if ([...value].length < minLength)
      return fail(
        parameter,
        path,
        "too_short",
        `"${value}" is shorter than ${minLength} characters`,
      );
    if (maxLength !== undefined && [...value].length > maxLength)
      return fail(parameter, path, "too_long", `"${value}" is longer than ${maxLength} characters`);
  }
  return { _tag: "Value", parameter: plain(parameter.id, values) };
};

const encodeDictionary = (
  parameter: CategoryParameter,
  path: string,
  raw: ReadonlyArray<string | number>,
): Outcome => {
  const dictionary = parameter.dictionary ?? [];
  const labels = raw.map((value) => normalizeName(String(value)));
  // Alternatives are listed best first ("Hybryda plug-in", then "Hybryda"); a dictionary id
  // given as an override is taken as it is.
  const matches = dictionary.filter(
    (entry) => labels.includes(normalizeName(entry.value)) || raw.includes(entry.id),
  );
  const ordered = labels
    .map((label) => matches.find((entry) => normalizeName(entry.value) === label))
    .concat(matches.filter((entry) => raw.includes(entry.id)))
    .filter((entry) => entry !== undefined);
  const unique = [...new Set(ordered.map((entry) => entry.id))];
  if (unique.length === 0)
    return fail(
      parameter,
      path,
      "invalid_value",
      `none of ${raw.map(String).join(", ")} is a value of this parameter`,
    );
  const multiple = parameter.restrictions?.multipleChoices === true;
  return {
    _tag: "Value",
    parameter: { id: parameter.id, valuesIds: multiple ? unique : unique.slice(0, 1), values: [] },
  };
};

const encode = (
  parameter: CategoryParameter,
  path: string,
  raw: ReadonlyArray<string | number>,
): Outcome => {
  switch (parameter.type) {
    case "dictionary":
      return encodeDictionary(parameter, path, raw);
    case "integer":
    case "float":
      return encodeNumber(parameter, path, raw);
    case "string":
      return encodeString(parameter, path, raw);
    default:
      return fail(
        parameter,
        path,
        "unsupported",
        `parameter type "${parameter.type}" is not supported`,
      );
  }
};

/**
 * A parameter as it applies given its parent's chosen values (OpenAPI `options`): required only
 * when the parent has one of `requiredDependsOnValueIds` (a parameter marked required with no
 * such list stays required), and only dictionary values whose `dependsOnValueIds` include a
 * parent value can be chosen.
 */
const dependentView = (
  parameter: CategoryParameter,
  parentValues: ReadonlyArray<string> | undefined,
): CategoryParameter => {
  if (parentValues === undefined) return parameter;
  const requiredFor = parameter.options?.requiredDependsOnValueIds ?? [];
  const required =
    requiredFor.length === 0
      ? parameter.required
      : requiredFor.some((valueId) => parentValues.includes(valueId));
  const dictionary = parameter.dictionary?.filter(
    (entry) =>
      entry.dependsOnValueIds === undefined ||
      entry.dependsOnValueIds.some((valueId) => parentValues.includes(valueId)),
  );
  return {
    ...parameter,
    required,
    ...(dictionary === undefined ? {} : { dictionary }),
  };
};

/**
 * Equipment Allegro cannot show: keys with no Allegro label, or every key when the category has
 * no equipment parameter. A warning each, on `vehicle.equipment.N`, never a silent drop.
 */
const equipmentLeftOut = (
  ad: VehicleAd,
  parameters: ReadonlyArray<CategoryParameter>,
): ReadonlyArray<Issue> => {
  const parameter = parameters.find((entry) => rowFor(entry)?.path === "vehicle.equipment");
  return ad.vehicle.equipment.flatMap((key, index) =>
    parameter !== undefined && equipmentLabels[key] !== undefined
      ? []
      : [
          issue(
            `vehicle.equipment.${index}`,
            "unsupported",
            parameter === undefined
              ? `This Allegro category has no equipment parameter: "${key}" is not sent.`
              : `Allegro has no equipment value for "${key}": it is not sent.`,
            parameter === undefined
              ? { marketplace: "allegro", marketplacePath: "parameters" }
              : where(parameter),
          ),
        ],
  );
};

/**
 * Fills a category's parameters from the ad: every value sent lies within the parameter's
 * restrictions, and every required parameter is filled or named in an issue. Optional
 * parameters that cannot be filled become warnings. Total: never throws.
 */
export const mapParameters = (
  ad: VehicleAd,
  parameters: ReadonlyArray<CategoryParameter>,
  overrides: Readonly<Record<string, ReadonlyArray<string>>> = {},
): MappedParameters => {
  const sent: Array<WireParameter> = [];
  const issues: Array<Issue> = [];
  const warnings: Array<Issue> = [];
  // Parents first: a dependent parameter reads the values chosen for its parent.
  const ordered = [
    ...parameters.filter((parameter) => parameter.options?.dependsOnParameterId == null),
    ...parameters.filter((parameter) => parameter.options?.dependsOnParameterId != null),
  ];
  for (const declared of ordered) {
    const parentId = declared.options?.dependsOnParameterId;
    const parentValues =
      parentId == null ? undefined : (sent.find((entry) => entry.id === parentId)?.valuesIds ?? []);
    const parameter = dependentView(declared, parentValues);
    const override = overrides[parameter.id];
    const row = rowFor(parameter);
    const path =
      override === undefined
        ? pathOfParameter(parameter)
        : `marketplaces.allegro.parameters.${parameter.id}`;
    const raw = override ?? row?.read(ad);
    if (raw === undefined || raw.length === 0) {
      if (parameter.required)
        issues.push(
          issue(
            path,
            "required",
            `${parameter.name} is required in this Allegro category`,
            where(parameter),
          ),
        );
      continue;
    }
    const outcome = encode(parameter, path, raw);
    if (outcome._tag === "Value") sent.push(outcome.parameter);
    else (parameter.required ? issues : warnings).push(outcome.problem);
  }
  warnings.push(...equipmentLeftOut(ad, parameters));
  return { parameters: sent, issues, warnings };
};
