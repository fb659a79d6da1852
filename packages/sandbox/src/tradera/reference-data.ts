/**
 * A sample of the reference data behind GET /vehicle/* ("Vehicle Reference Data" in the
 * guide): enough for tests and demos. Every list is a JSON array of strings; an ad's
 * category_fields must use these values.
 */

/** "brand: model model ..." lines, one per brand. */
const MODELS_TABLE = `
  volvo: xc40 xc60 xc90 v60 v90 s60 s90 ex30
  bmw: 1-series 3-series 5-series x1 x3 x5 i4 ix
  mercedes: a-class c-class e-class glc gle eqa sprinter vito
  audi: a3 a4 a6 q3 q5 q7 e-tron
  volkswagen: golf passat polo tiguan id-4 id-buzz transporter caddy
  toyota: corolla yaris rav4 c-hr prius hilux proace
  tesla: model-3 model-s model-x model-y
  kia: picanto ceed niro sportage sorento ev6
  ford: fiesta focus kuga mustang transit ranger
`;

const words = (text: string): ReadonlyArray<string> => text.trim().split(/\s+/);

/** Models by brand. */
export const MODELS_BY_BRAND: ReadonlyMap<string, ReadonlyArray<string>> = new Map(
  MODELS_TABLE.trim()
    .split("\n")
    .map((line) => {
      const [brand = "", models = ""] = line.split(":");
      return [brand.trim(), words(models)] as const;
    }),
);

export const BRANDS: ReadonlyArray<string> = [...MODELS_BY_BRAND.keys()];
export const CAR_MODELS: ReadonlyArray<string> = [...new Set([...MODELS_BY_BRAND.values()].flat())];
export const BODY_STYLES = words("suv sedan coupe hatchback wagon convertible minivan van pickup");
export const COLORS = words("black white silver grey blue red green brown beige yellow orange");
export const FUELS = words("gasoline diesel electric hybrid plugin_hybrid ethanol gas");
export const TRANSMISSIONS = words("manual automatic");
export const EQUIPMENTS = words(`
  navigation leather_seats parking_sensors heated_seats tow_bar sunroof cruise_control
  adaptive_cruise_control backup_camera apple_carplay android_auto keyless_entry
`);
