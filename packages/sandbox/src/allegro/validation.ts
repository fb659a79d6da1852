import { categoryById, parameters } from "./catalog.ts";
import type { FakeError } from "./responses.ts";
import { type AllegroState, isRecord } from "./state.ts";

/** Section 4's characters; capitals of the listed letters too (the guide's "BMW X5 e53"). */
const letters = "abcdefghijklmnopqrstuwvxyzäöüøòßáčěířšůúýžœæàâçéèêëîïôûùüÿ€×ąćęłńóśźżµ⌀";
const allowedTitle = new Set([
  ...letters,
  ...[...letters].map((letter) => letter.toUpperCase()).filter((upper) => upper.length === 1),
  ..."0123456789",
  ..."!@[]#$%^&*{}().,/\\|? ;~²³`'’´\"”„“″<>_\t:-=+…–°",
]);
/** "& is changed to &amp; and for this reason, it is treated as 5 characters." */
const entityLength: Record<string, number> = { "&": 5, "<": 4, ">": 4, '"': 6, "'": 5 };

export function titleErrors(name: unknown): ReadonlyArray<FakeError> {
  if (typeof name !== "string" || name.trim() === "")
    return [{ code: "VALIDATION_ERROR", message: "Title may not be empty.", path: "name" }];
  const length = [...name].reduce((total, character) => total + (entityLength[character] ?? 1), 0);
  if (length > 50)
    return [
      {
        code: "VALIDATION_ERROR",
        message: `The title cannot exceed 50 characters (has ${length}).`,
        path: "name",
      },
    ];
  const bad = [...name].filter((character) => !allowedTitle.has(character));
  if (bad.length > 0)
    return [
      {
        code: "VALIDATION_ERROR",
        message: `The title contains unsupported characters: ${bad.join("")}`,
        path: "name",
      },
    ];
  return [];
}

const allowedTags = new Set(["h1", "h2", "p", "ul", "ol", "li", "b"]);
/** Section 5's key rules: which tag may sit directly in which. */
const allowedParents: Record<string, ReadonlySet<string>> = {
  h1: new Set(["root"]),
  h2: new Set(["root"]),
  p: new Set(["root", "li"]),
  ul: new Set(["root"]),
  ol: new Set(["root"]),
  li: new Set(["ul", "ol"]),
  b: new Set(["p", "li"]),
};

/** Checks one TEXT item's HTML: allowed tags, lower case, nesting, content inside tags. */
export function htmlProblem(html: string): string | undefined {
  const stack: Array<string> = ["root"];
  const tag = /<\/?([^\s>/]*)[^>]*>|([^<]+)|(<)/g;
  for (const match of html.matchAll(tag)) {
    const [whole, name, text, stray] = match;
    if (stray !== undefined) return "unescaped '<'";
    if (text !== undefined) {
      if (stack.length === 1 && text.trim() !== "") return "text outside HTML tags";
      if (/&(?!(amp|lt|gt|quot|#39|#\d+|#x[0-9a-f]+);)/i.test(text)) return "unescaped '&'";
      continue;
    }
    if (name === undefined || !allowedTags.has(name)) return `tag not allowed: ${whole}`;
    if (whole.startsWith("</")) {
      if (stack.pop() !== name) return `unbalanced </${name}>`;
      continue;
    }
    const parent = stack[stack.length - 1] ?? "root";
    if (!allowedParents[name]?.has(parent)) return `<${name}> cannot be inside <${parent}>`;
    stack.push(name);
  }
  return stack.length === 1 ? undefined : "unclosed tags";
}

function descriptionErrors(
  description: unknown,
  images: ReadonlySet<string>,
): ReadonlyArray<FakeError> {
  const error = (message: string): FakeError => ({
    code: "VALIDATION_ERROR",
    message,
    path: "description",
  });
  if (
    !isRecord(description) ||
    !Array.isArray(description.sections) ||
    description.sections.length === 0
  )
    return [error("Please describe your offer.")];
  if (Buffer.byteLength(JSON.stringify(description)) > 40_000)
    return [error("The description exceeds 40000 bytes.")];
  if (description.sections.length > 100)
    return [error("The description can have up to 100 sections.")];
  for (const section of description.sections) {
    const items = isRecord(section) && Array.isArray(section.items) ? section.items : [];
    if (items.length === 0 || items.length > 2) return [error("A section holds one or two items.")];
    for (const item of items) {
      if (isRecord(item) && item.type === "TEXT" && typeof item.content === "string") {
        const problem = htmlProblem(item.content);
        if (problem !== undefined) return [error(`Incorrect HTML in the description: ${problem}.`)];
      } else if (isRecord(item) && item.type === "IMAGE" && typeof item.url === "string") {
        if (!images.has(item.url))
          return [error("Use only images that are in the offer's gallery.")];
      } else return [error("Unknown description item.")];
    }
  }
  return [];
}

function parameterErrors(sent: unknown): ReadonlyArray<FakeError> {
  const list = Array.isArray(sent) ? sent.filter(isRecord) : [];
  const byId = new Map(list.map((entry) => [String(entry.id), entry]));
  const problems: Array<FakeError> = [];
  const missing = parameters.filter((parameter) => parameter.required && !byId.has(parameter.id));
  if (missing.length > 0)
    problems.push({
      code: "VALIDATION_ERROR",
      message: `Missing required parameters: ${missing.map((parameter) => parameter.name).join(", ")}.`,
      path: "",
    });
  for (const [id, entry] of byId) {
    const parameter = parameters.find((candidate) => candidate.id === id);
    const path = `parameters[id=${id}]`;
    if (parameter === undefined) {
      problems.push({ code: "VALIDATION_ERROR", message: `Unknown parameter ${id}.`, path });
      continue;
    }
    const ids = Array.isArray(entry.valuesIds) ? entry.valuesIds.map(String) : [];
    const values = Array.isArray(entry.values) ? entry.values.map(String) : [];
    const range = isRecord(entry.rangeValue) ? entry.rangeValue : undefined;
    const bad = (message: string) =>
      problems.push({ code: "VALIDATION_ERROR", message: `${parameter.name}: ${message}`, path });
    if (parameter.type === "dictionary") {
      if (
        ids.length === 0 ||
        ids.some((value) => !parameter.dictionary?.some((option) => option.id === value))
      )
        bad("unknown value id");
      else if (ids.length > 1 && parameter.restrictions.multipleChoices !== true)
        bad("one value only");
    } else if (parameter.type === "integer" || parameter.type === "float") {
      const numbers =
        parameter.restrictions.range === true
          ? range === undefined
            ? []
            : [range.from, range.to]
          : values;
      const min = Number(parameter.restrictions.min ?? Number.NEGATIVE_INFINITY);
      const max = Number(parameter.restrictions.max ?? Number.POSITIVE_INFINITY);
      if (numbers.length === 0)
        bad(parameter.restrictions.range === true ? "a range is required" : "a value is required");
      for (const value of numbers) {
        const number = Number(value);
        if (!Number.isFinite(number) || (parameter.type === "integer" && !Number.isInteger(number)))
          bad(`"${String(value)}" is not a number`);
        else if (number < min || number > max) bad(`${number} is outside ${min}–${max}`);
      }
    } else {
      const maxLength = Number(parameter.restrictions.maxLength ?? Number.POSITIVE_INFINITY);
      const minLength = Number(parameter.restrictions.minLength ?? 0);
      if (values.some((value) => value.length > maxLength || value.length < minLength))
        bad(`length must be ${minLength}–${maxLength}`);
    }
  }
  return problems;
}

const provinces = new Set([
  "DOLNOSLASKIE",
  "KUJAWSKO_POMORSKIE",
  "LUBELSKIE",
  "LUBUSKIE",
  "LODZKIE",
  "MALOPOLSKIE",
  "MAZOWIECKIE",
  "OPOLSKIE",
  "PODKARPACKIE",
  "PODLASKIE",
  "POMORSKIE",
  "SLASKIE",
  "SWIETOKRZYSKIE",
  "WARMINSKO_MAZURSKIE",
  "WIELKOPOLSKIE",
  "ZACHODNIOPOMORSKIE",
]);

function locationErrors(location: unknown): ReadonlyArray<FakeError> {
  if (!isRecord(location))
    return [{ code: "VALIDATION_ERROR", message: "Location may not be empty.", path: "location" }];
  const problems: Array<FakeError> = [];
  if (typeof location.city !== "string" || location.city === "")
    problems.push({
      code: "VALIDATION_ERROR",
      message: "City may not be empty.",
      path: "location.city",
    });
  if (location.countryCode === "PL") {
    if (typeof location.province !== "string" || !provinces.has(location.province))
      problems.push({
        code: "VALIDATION_ERROR",
        message: "Province is required for Polish addresses.",
        path: "location.province",
      });
    if (typeof location.postCode !== "string" || !/^\d{2}-\d{3}$/.test(location.postCode))
      problems.push({
        code: "VALIDATION_ERROR",
        message: "Post code must look like 60-166.",
        path: "location.postCode",
      });
  }
  return problems;
}

/** The draft's `validation.errors`: what still stops publication (section 6 and 7). */
export function validateOffer(
  state: AllegroState,
  fields: Record<string, unknown>,
): ReadonlyArray<FakeError> {
  const problems: Array<FakeError> = [...titleErrors(fields.name)];
  const category = isRecord(fields.category)
    ? categoryById(String(fields.category.id), state.catalog)
    : undefined;
  if (category === undefined || !category.leaf)
    problems.push({
      code: "VALIDATION_ERROR",
      message: "Choose a leaf category that supports ads.",
      path: "category",
    });
  const imageList = Array.isArray(fields.images)
    ? fields.images.filter(isRecord).map((image) => String(image.url))
    : [];
  if (imageList.length === 0)
    problems.push({ code: "VALIDATION_ERROR", message: "Add at least one image.", path: "images" });
  imageList.forEach((url, index) => {
    if (!state.images.has(url))
      problems.push({
        code: "VALIDATION_ERROR",
        message: "Upload images with POST /sale/images first.",
        path: `images[${index}]`,
      });
  });
  problems.push(...descriptionErrors(fields.description, new Set(imageList)));
  problems.push(...parameterErrors(fields.parameters));
  problems.push(...locationErrors(fields.location));
  if (!isRecord(fields.payments) || typeof fields.payments.invoice !== "string")
    problems.push({
      code: "VALIDATION_ERROR",
      message: "Payments may not be empty.",
      path: "payments",
    });
  const selling = isRecord(fields.sellingMode) ? fields.sellingMode : undefined;
  const price = selling !== undefined && isRecord(selling.price) ? selling.price : undefined;
  // No price only where the category says so (`advertisementPriceOptional`); a price given is
  // checked either way.
  const priceOptional = category?.advertisementPriceOptional === true;
  if (
    selling?.format !== "ADVERTISEMENT" ||
    (price === undefined && !priceOptional) ||
    (price !== undefined &&
      (!/^\d+(\.\d{1,2})?$/.test(String(price.amount)) || price.currency !== "PLN"))
  )
    problems.push({
      code: "VALIDATION_ERROR",
      message: "You must select at least one selling mode and provide the required prices.",
      path: "sellingMode.price",
    });
  const contactId = isRecord(fields.contact) ? String(fields.contact.id) : undefined;
  if (contactId === undefined || !state.contacts.some((contact) => contact.id === contactId))
    problems.push({
      code: "VALIDATION_ERROR",
      message: "Contact may not be empty.",
      path: "contact",
    });
  return problems;
}
