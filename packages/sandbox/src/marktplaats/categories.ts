/**
 * The fake's category tree: L1s with their L2s, and the attributes of each L2, in the shapes
 * of place-advertisement.rst (HAL `_embedded["mp:category"]`, attributes `{fields: [{key,
 * label, type, values, mandatory, searchable, writable, updateable}]}`). Car L2s are makes.
 * The attribute keys are sandbox data: the real ones come from the real endpoint.
 */
export interface FakeAttribute {
  readonly key: string;
  readonly label: string;
  readonly type: "STRING" | "LIST" | "NUMERIC";
  readonly values: ReadonlyArray<string>;
  readonly mandatory: boolean;
  readonly searchable: boolean;
  readonly writable: boolean;
  readonly updateable: boolean;
}

export interface FakeCategory {
  readonly categoryId: number;
  readonly name: string;
  readonly models: ReadonlyArray<string>;
}

export interface FakeRoot {
  readonly categoryId: number;
  readonly name: string;
  readonly automotive: boolean;
  readonly children: ReadonlyArray<FakeCategory>;
}

export const fakeRoots: ReadonlyArray<FakeRoot> = [
  {
    categoryId: 91,
    name: "Auto's",
    automotive: true,
    children: [
      { categoryId: 157, name: "Auto's | Volkswagen", models: ["Golf", "Polo", "Passat", "ID.4"] },
      { categoryId: 158, name: "Auto's | Volvo", models: ["V60", "XC60", "XC90"] },
      { categoryId: 159, name: "Auto's | BMW", models: ["3-serie", "5-serie", "X5"] },
      { categoryId: 160, name: "Auto's | Citroën", models: ["C3", "C4", "Berlingo"] },
      {
        categoryId: 161,
        name: "Auto's | Mercedes-Benz",
        models: ["A-Klasse", "C-Klasse", "Sprinter"],
      },
      { categoryId: 162, name: "Auto's | Škoda", models: ["Fabia", "Octavia", "Superb"] },
    ],
  },
  {
    categoryId: 31,
    name: "Audio, Tv en Foto",
    automotive: false,
    children: [{ categoryId: 35, name: "Audio, Tv en Foto | Cd-spelers", models: [] }],
  },
];

const attribute = (
  key: string,
  label: string,
  type: FakeAttribute["type"],
  values: ReadonlyArray<string> = [],
  mandatory = false,
  updateable = true,
): FakeAttribute => ({
  key,
  label,
  type,
  values,
  mandatory,
  searchable: true,
  writable: true,
  updateable,
});

/** The automotive fields of the doc's "Automotive advertisements" table, as attributes. */
export const enrichmentAttributes: ReadonlyArray<FakeAttribute> = [
  attribute("makeDescription", "Merk omschrijving", "STRING"),
  attribute("modelDescription", "Model omschrijving", "STRING"),
  attribute("trim", "Uitvoering", "STRING"),
  attribute("apkExpirationDate", "APK tot", "STRING"),
  attribute("apkOnDelivery", "APK bij aflevering", "STRING", ["Ja", "Nee"]),
  attribute("energyLabel", "Energielabel", "STRING", ["A", "B", "C", "D", "E", "F", "G"]),
  attribute("fuelConsumption", "Verbruik", "NUMERIC"),
];

export const attributesOf = (l2: number): ReadonlyArray<FakeAttribute> | undefined => {
  const found = findCategory(l2);
  if (found === undefined) return undefined;
  if (!found.root.automotive) {
    return [attribute("condition", "Conditie", "STRING", ["Nieuw", "Gebruikt"], true)];
  }
  return [
    attribute("model", "Model", "STRING", found.category.models, true),
    // Sandbox data: the construction year is fixed once placed (`updateable: false`).
    attribute("constructionYear", "Bouwjaar", "NUMERIC", [], true, false),
    attribute("mileage", "Kilometerstand", "NUMERIC"),
    attribute("fuel", "Brandstof", "STRING", [
      "Benzine",
      "Diesel",
      "Elektrisch",
      "Hybride",
      "LPG",
      "CNG",
    ]),
    attribute("transmission", "Transmissie", "STRING", ["Handgeschakeld", "Automaat"]),
    attribute("body", "Carrosserie", "STRING", [
      "Sedan",
      "Hatchback",
      "Stationwagon",
      "SUV of Terreinwagen",
      "Coupé",
      "Cabriolet",
      "MPV",
    ]),
    attribute("color", "Kleur", "STRING", [
      "Zwart",
      "Wit",
      "Zilver of Grijs",
      "Blauw",
      "Rood",
      "Groen",
      "Overige kleur",
    ]),
    attribute("doors", "Aantal deuren", "NUMERIC"),
    attribute("power", "Vermogen (pk)", "NUMERIC"),
    attribute("options", "Opties", "LIST", [
      "Navigatiesysteem",
      "Airco",
      "Trekhaak",
      "Cruise control",
      "Stoelverwarming",
    ]),
    attribute("condition", "Conditie", "STRING", ["Nieuw", "Gebruikt"]),
    ...enrichmentAttributes,
  ];
};

export const findCategory = (
  l2: number,
): { readonly root: FakeRoot; readonly category: FakeCategory } | undefined => {
  for (const root of fakeRoots) {
    const category = root.children.find((child) => child.categoryId === l2);
    if (category !== undefined) return { root, category };
  }
  return undefined;
};

const link = (href: string) => ({ href });

export const categoryJson = (category: FakeCategory, root: FakeRoot) => ({
  _links: {
    self: link(`/v1/categories/${root.categoryId}/${category.categoryId}`),
    up: link(`/v1/categories/${root.categoryId}`),
    "mp:category-attributes": link(
      `/v1/categories/${root.categoryId}/${category.categoryId}/attributes`,
    ),
  },
  categoryId: category.categoryId,
  name: category.name,
});

export const rootJson = (root: FakeRoot, withChildren: boolean) => ({
  _links: { self: link(`/v1/categories/${root.categoryId}`), up: link("/v1/categories") },
  categoryId: root.categoryId,
  name: root.name,
  ...(withChildren
    ? { _embedded: { "mp:category": root.children.map((child) => categoryJson(child, root)) } }
    : {}),
});
