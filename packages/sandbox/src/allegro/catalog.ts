/**
 * The fake's reference data: a small vehicle category tree (make → model → generation, ids
 * from the guide's samples where it has them: 4032 → "Seria 2" 249626, "Seria 4" 146805;
 * 257150 → 57968), the parameters of a passenger-car leaf (section 2's sample: Stan 11323,
 * Rok produkcji 1, Przebieg 4, Pojemność silnika 5, Liczba drzwi 128789, Kolor 3,
 * Uszkodzony 178, Numer VIN 215898, …) and the classifieds packages.
 */

export interface FakeCategory {
  readonly id: string;
  readonly name: string;
  readonly parent: string | null;
  readonly leaf: boolean;
  /**
   * OpenAPI `CategoryOptionsDto.advertisementPriceOptional`: "If the value is `true` then you
   * don't have to provide a price when listing an advertisement in this category". Default false.
   */
  readonly advertisementPriceOptional?: boolean;
}

const node = (id: string, name: string, parent: string | null, leaf = false): FakeCategory => ({
  id,
  name,
  parent,
  leaf,
});

export const categories: ReadonlyArray<FakeCategory> = [
  node("3", "Motoryzacja", null),
  node("4029", "Samochody osobowe", "3"),
  node("4030", "Samochody dostawcze", "3"),
  node("4040", "Motocykle i quady", "3"),
  node("4032", "BMW", "4029"),
  node("249626", "Seria 2", "4032", true),
  node("146805", "Seria 4", "4032", true),
  node("257150", "X5", "4032"),
  node("57968", "E53 (1999-2006)", "257150", true),
  node("57969", "E70 (2007-2013)", "257150", true),
  node("4033", "Volvo", "4029"),
  node("250001", "V60", "4033", true),
  node("250002", "XC90", "4033"),
  node("250003", "I (2002-2014)", "250002", true),
  node("250004", "II (2014-)", "250002", true),
  node("4034", "Mercedes-Benz", "4029"),
  node("250010", "Klasa C", "4034", true),
  node("4035", "Škoda", "4029"),
  node("250020", "Octavia", "4035", true),
  node("4036", "Volkswagen", "4030"),
  node("250030", "Transporter", "4036", true),
  node("4041", "Honda", "4040"),
  node("250040", "CB", "4041", true),
];

export interface FakeParameter {
  readonly id: string;
  readonly name: string;
  readonly type: "dictionary" | "integer" | "float" | "string";
  readonly required: boolean;
  readonly unit: string | null;
  readonly dictionary?: ReadonlyArray<{ readonly id: string; readonly value: string }>;
  readonly restrictions: Record<string, number | boolean>;
}

const dictionary = (id: string, values: ReadonlyArray<readonly [string, string]>) =>
  values.map(([suffix, value]) => ({ id: `${id}_${suffix}`, value }));

/** Parameters of every leaf (the fake does not vary them per category). */
export const parameters: ReadonlyArray<FakeParameter> = [
  {
    id: "11323",
    name: "Stan",
    type: "dictionary",
    required: true,
    unit: null,
    dictionary: dictionary("11323", [
      ["1", "Nowy"],
      ["2", "Używany"],
      ["238062", "Uszkodzony"],
    ]),
    restrictions: { multipleChoices: false },
  },
  {
    id: "1",
    name: "Rok produkcji",
    type: "integer",
    required: true,
    unit: null,
    restrictions: { min: 1900, max: 2100, range: false },
  },
  {
    id: "4",
    name: "Przebieg [km]",
    type: "integer",
    required: true,
    unit: "km",
    restrictions: { min: 0, max: 2_000_000, range: false },
  },
  {
    id: "5",
    name: "Pojemność silnika [cm3]",
    type: "integer",
    required: true,
    unit: "cm3",
    restrictions: { min: 0, max: 20_000, range: false },
  },
  {
    id: "14",
    name: "Moc [KM]",
    type: "integer",
    required: false,
    unit: "KM",
    restrictions: { min: 1, max: 2000, range: false },
  },
  {
    id: "12",
    name: "Rodzaj paliwa",
    type: "dictionary",
    required: true,
    unit: null,
    dictionary: dictionary("12", [
      ["1", "Benzyna"],
      ["2", "Benzyna+LPG"],
      ["3", "Diesel"],
      ["4", "Elektryczny"],
      ["5", "Hybryda"],
      ["6", "Benzyna+CNG"],
      ["7", "Wodór"],
      ["8", "Etanol"],
      ["9", "Hybryda plug-in"],
      ["10", "Inny"],
    ]),
    restrictions: { multipleChoices: false },
  },
  {
    id: "128789",
    name: "Liczba drzwi",
    type: "integer",
    required: true,
    unit: null,
    restrictions: { min: 1, max: 6, range: false },
  },
  {
    id: "3",
    name: "Kolor",
    type: "dictionary",
    required: true,
    unit: null,
    dictionary: dictionary("3", [
      ["1", "Biały"],
      ["2", "Czarny"],
      ["3", "Srebrny"],
      ["4", "Szary"],
      ["5", "Niebieski"],
      ["6", "Czerwony"],
      ["7", "Zielony"],
      ["8", "Żółty"],
      ["9", "Pomarańczowy"],
      ["10", "Brązowy"],
      ["11", "Beżowy"],
      ["12", "Złoty"],
      ["13", "Fioletowy"],
      ["246550", "Inny kolor"],
    ]),
    restrictions: { multipleChoices: false },
  },
  {
    id: "178",
    name: "Uszkodzony",
    type: "dictionary",
    required: true,
    unit: null,
    dictionary: dictionary("178", [
      ["1", "Nie"],
      ["2", "Tak"],
    ]),
    restrictions: { multipleChoices: false },
  },
  {
    id: "215898",
    name: "Numer VIN",
    type: "string",
    required: false,
    unit: null,
    restrictions: { minLength: 12, maxLength: 17, allowedNumberOfValues: 1 },
  },
  {
    id: "13",
    name: "Skrzynia biegów",
    type: "dictionary",
    required: false,
    unit: null,
    dictionary: dictionary("13", [
      ["1", "Manualna"],
      ["2", "Automatyczna"],
    ]),
    restrictions: { multipleChoices: false },
  },
  {
    id: "6",
    name: "Typ nadwozia",
    type: "dictionary",
    required: false,
    unit: null,
    dictionary: dictionary("6", [
      ["1", "Sedan"],
      ["2", "Kombi"],
      ["3", "Kompakt"],
      ["4", "SUV"],
      ["5", "Coupe"],
      ["6", "Kabriolet"],
      ["7", "Minivan"],
      ["8", "Van"],
      ["9", "Pick-up"],
    ]),
    restrictions: { multipleChoices: false },
  },
  {
    id: "7",
    name: "Liczba miejsc",
    type: "integer",
    required: false,
    unit: null,
    restrictions: { min: 1, max: 9, range: true },
  },
  {
    id: "8",
    name: "Wyposażenie",
    type: "dictionary",
    required: false,
    unit: null,
    dictionary: dictionary("8", [
      ["1", "Nawigacja GPS"],
      ["2", "Klimatyzacja"],
      ["3", "Podgrzewane fotele"],
      ["4", "Tempomat"],
      ["5", "Czujniki parkowania"],
      ["6", "Skórzana tapicerka"],
      ["7", "Szyberdach"],
      ["8", "Hak"],
    ]),
    restrictions: { multipleChoices: true },
  },
];

export interface FakePackage {
  readonly id: string;
  readonly type: "BASE" | "EXTRA";
  readonly name: string;
  readonly duration: string;
  /** What the fee preview quotes for it, in PLN. */
  readonly fee: string;
}

/** Section "List of promo options": packages and additional options, the same in every leaf. */
export const packages: ReadonlyArray<FakePackage> = [
  {
    id: "6174be19-56f9-484b-b72c-43b0b00785e8",
    type: "BASE",
    name: "Podstawowy",
    duration: "PT720H",
    fee: "29.00",
  },
  {
    id: "708a5240-0dc4-4573-8d50-4a32cdcc5823",
    type: "BASE",
    name: "Power",
    duration: "PT1200H",
    fee: "59.00",
  },
  {
    id: "74bb1eef-28d3-443a-91ed-d39b0646f2c3",
    type: "EXTRA",
    name: "Dodatkowe wyróżnienie na 10 dni",
    duration: "PT240H",
    fee: "39.00",
  },
  {
    id: "45d1d9d2-0696-4326-9dd0-8d02120f8a1c",
    type: "EXTRA",
    name: "Promowanie na stronie działu",
    duration: "PT120H",
    fee: "33.00",
  },
];

export const categoryById = (
  id: string,
  tree: ReadonlyArray<FakeCategory> = categories,
): FakeCategory | undefined => tree.find((category) => category.id === id);

export const categoryJson = (category: FakeCategory) => ({
  id: category.id,
  name: category.name,
  parent: category.parent === null ? null : { id: category.parent },
  leaf: category.leaf,
  options: {
    variantsByColorPatternAllowed: false,
    advertisement: category.leaf,
    advertisementPriceOptional: category.advertisementPriceOptional ?? false,
  },
});

export const packageJson = (entry: FakePackage) => ({
  id: entry.id,
  type: entry.type,
  name: entry.name,
  publication: entry.type === "BASE" ? { duration: entry.duration } : null,
  promotions: [{ name: "emphasized", duration: "PT240H" }],
  extensions:
    entry.type === "BASE"
      ? [{ name: "autocentrumExport", description: "Eksport ogłoszenia do autocentrum" }]
      : [],
});
