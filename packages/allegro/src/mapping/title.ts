import { type Issue, issue, type VehicleAd } from "@adsync/core";
import { titleMaxLength } from "../config.ts";

/**
 * Section 4, "Title of the ad": the supported letters, digits and special signs, verbatim.
 * The list gives lower-case letters only, yet the guide's own titles ("BMW X5 e53") use
 * capitals: the capital of each listed letter is allowed too.
 */
const lowerLetters = [..."abcdefghijklmnopqrstuwvxyzäöüøòßáčěířšůúýžœæàâçéèêëîïôûùüÿ€×ąćęłńóśźżµ⌀"];
const digits = [..."0123456789"];
const specialSigns = [..."!@[]#$%^&*{}().,/\\|? ;~²³`'’´\"”„“″<>_\t:-=+…–°"];
const allowed: ReadonlySet<string> = new Set([
  ...lowerLetters,
  ...lowerLetters.map((letter) => letter.toUpperCase()).filter((upper) => [...upper].length === 1),
  ...digits,
  ...specialSigns,
]);

export const isAllowedTitleCharacter = (character: string): boolean => allowed.has(character);

/**
 * "Some letters and special signs are changed to entities … & is changed to &amp; and for this
 * reason, it is treated as 5 characters." The guide names only `&`; the other characters HTML
 * escapes (`<`, `>`, `"`, `'`) are counted as their entities too, so a title never exceeds
 * the limit whichever of them Allegro escapes.
 */
const entityLength: Readonly<Record<string, number>> = {
  "&": "&amp;".length,
  "<": "&lt;".length,
  ">": "&gt;".length,
  '"': "&quot;".length,
  "'": "&#39;".length,
};

/** The length of a title as Allegro counts it: characters, with escaped ones as entities. */
export const allegroTitleLength = (title: string): number =>
  [...title].reduce((total, character) => total + (entityLength[character] ?? 1), 0);

/** Replaces what Allegro does not accept: diacritics it lacks are dropped ("Å" → "A"). */
const sanitizeTitle = (text: string): string =>
  [...text.replace(/[\r\n\t]+/g, " ")]
    .map((character) => {
      if (allowed.has(character)) return character;
      const base = character.normalize("NFD").replace(/\p{M}/gu, "");
      return [...base].every((part) => allowed.has(part)) ? base : " ";
    })
    .join("")
    .replace(/ {2,}/g, " ")
    .trim();

/** Cuts at the last word boundary that fits; a single over-long word is cut inside. */
export const cutTitle = (title: string, limit = titleMaxLength): string => {
  if (allegroTitleLength(title) <= limit) return title;
  const words = title.split(" ");
  let kept = "";
  for (const word of words) {
    const next = kept === "" ? word : `${kept} ${word}`;
    if (allegroTitleLength(next) > limit) break;
    kept = next;
  }
  if (kept !== "") return kept.replace(/[\s,.;:\-–]+$/, "") || kept;
  let cut = "";
  for (const character of title) {
    if (allegroTitleLength(cut + character) > limit) break;
    cut += character;
  }
  return cut.trim();
};

/** "Volvo V60 D4 2020" from the vehicle, for dealers who gave no title. */
const derivedTitle = (ad: VehicleAd): string =>
  [ad.vehicle.make, ad.vehicle.model, ad.vehicle.variant, String(ad.vehicle.modelYear)]
    .filter((part) => part !== undefined && part !== "")
    .join(" ");

/**
 * The title Allegro will show: the dealer's, or one derived from the vehicle, with
 * unsupported characters replaced and cut at a word boundary within 50 characters as
 * Allegro counts them. Never empty; every change is a warning on `title`.
 */
export const toAllegroTitle = (
  ad: VehicleAd,
): { readonly title: string; readonly warnings: ReadonlyArray<Issue> } => {
  const warnings: Array<Issue> = [];
  const fromDealer = ad.title === undefined ? "" : sanitizeTitle(ad.title);
  if (ad.title !== undefined && fromDealer !== ad.title.trim())
    warnings.push(
      issue("title", "invalid_value", "Characters Allegro does not accept were replaced.", {
        marketplace: "allegro",
        marketplacePath: "name",
      }),
    );
  const candidate =
    fromDealer !== ""
      ? fromDealer
      : sanitizeTitle(derivedTitle(ad)) || String(ad.vehicle.modelYear);
  const title = cutTitle(candidate);
  if (title !== candidate)
    warnings.push(
      issue("title", "too_long", `Cut to ${titleMaxLength} characters as Allegro counts them.`, {
        marketplace: "allegro",
        marketplacePath: "name",
      }),
    );
  return { title, warnings };
};
