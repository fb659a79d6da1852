export { Findings } from "@adsync/core";

/** Lower case, accents and everything but letters and digits removed: "Citroën" ~ "citroen". */
export const normalizeName = (value: string): string =>
  value
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, "");
