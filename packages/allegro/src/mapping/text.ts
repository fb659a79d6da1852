/** Text helpers shared by the mappers: matching names across spellings and diacritics. */

/** "Škoda" → "skoda", "Mercedes-Benz" → "mercedes benz": lower case, no diacritics, words. */
export const normalizeName = (text: string): string =>
  text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/ł/g, "l")
    .replace(/Ł/g, "l")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

/** The same, without spaces: "mercedes benz" ~ "mercedesbenz". */
export const compactName = (text: string): string => normalizeName(text).replace(/ /g, "");

/** UTF-8 byte length, as Allegro counts the description's 40000 bytes. */
export const utf8Bytes = (text: string): number => Buffer.byteLength(text, "utf8");
