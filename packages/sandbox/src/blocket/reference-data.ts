/**
 * A sample of the reference data behind GET /v3/vehicle/* ("Vehicle data" in the V3 doc). The
 * real lists are much longer; these are enough for tests and demos. Values are slugs.
 */
export const VEHICLE_MODELS: Readonly<Record<string, ReadonlyArray<string>>> = {
  adria: ["altea", "adora", "coral", "matrix", "twin"],
  audi: ["a3", "a4", "a6", "q5", "e-tron"],
  bmw: ["1-serie", "3-serie", "5-serie", "x3", "x5", "r-1250-gs"],
  brenderup: ["1205s", "2260", "4310"],
  fiat: ["500", "ducato", "panda", "tipo"],
  ford: ["fiesta", "focus", "kuga", "mustang", "transit"],
  hobby: ["de-luxe", "excellent", "prestige", "optima"],
  kabe: ["classic", "estate", "imperial", "royal"],
  "mercedes-benz": ["a-klass", "c-klass", "e-klass", "glc", "sprinter", "vito"],
  piaggio: ["liberty", "zip", "mp3", "beverly"],
  tesla: ["model-3", "model-s", "model-x", "model-y"],
  toyota: ["corolla", "rav4", "yaris", "hilux", "prius"],
  vespa: ["primavera", "sprint", "gts", "elettrica"],
  volkswagen: ["golf", "passat", "polo", "tiguan", "id-4", "transporter"],
  volvo: ["v60", "v90", "xc40", "xc60", "xc90", "s60"],
  yamaha: ["aerox", "neos", "mt-07", "tracer-9", "yfm-700"],
};

export const VEHICLE_BRANDS: ReadonlyArray<string> = Object.keys(VEHICLE_MODELS).sort();

export const BODY_TYPES: ReadonlyArray<string> = [
  "sedan",
  "hatchback",
  "suv",
  "wagon",
  "coupe",
  "convertible",
  "minivan",
  "van",
  "pickup",
  "moped",
  "integrated",
  "semi_integrated",
  "alcove",
  "caravan",
  "trailer",
  "motorcycle",
  "other",
];

export const FUELS: ReadonlyArray<string> = [
  "gasoline",
  "diesel",
  "electric",
  "hybrid",
  "plugin_hybrid",
  "ethanol",
  "gas",
  "hydrogen",
];
