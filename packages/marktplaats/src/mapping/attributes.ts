import type { Vehicle } from "@adsync/core";
import type { WireAttribute } from "../wire.ts";
import { type AttributeInput, type AttributeRow, attributeTable } from "./attribute-table.ts";
import { type Findings, normalizeName } from "./findings.ts";

export type AttributeValue = string | number | ReadonlyArray<string>;

/** The category's attribute a table row fills: by key, else by label. Writable ones only. */
const attributeFor = (
  row: AttributeRow,
  attributes: ReadonlyArray<WireAttribute>,
): WireAttribute | undefined => {
  const keys = new Set(row.keys.map((key) => key.toLowerCase()));
  const labels = new Set(row.labels.map(normalizeName));
  return (
    attributes.find((entry) => entry.writable && keys.has(entry.key.toLowerCase())) ??
    attributes.find(
      (entry) =>
        entry.writable && entry.label !== undefined && labels.has(normalizeName(entry.label)),
    )
  );
};

/**
 * The listed value a candidate means: the same name (accents and case ignored), else the
 * longest listed value that starts the candidate word for word ("Golf GTI" → "Golf").
 */
const matchListed = (candidate: string, listed: ReadonlyArray<string>): string | undefined => {
  const wanted = normalizeName(candidate);
  const exact = listed.find((value) => normalizeName(value) === wanted);
  if (exact !== undefined) return exact;
  const words = candidate.toLowerCase().split(/[\s-]+/);
  return listed
    .filter((value) => {
      const prefix = value.toLowerCase().split(/[\s-]+/);
      return prefix.length < words.length && prefix.every((word, index) => words[index] === word);
    })
    .sort((left, right) => right.length - left.length)[0];
};

const isNumeric = (attribute: WireAttribute) => attribute.type?.toUpperCase() === "NUMERIC";
const isList = (attribute: WireAttribute) => attribute.type?.toUpperCase() === "LIST";

const HP_PER_KW = 1.35962;

/** One row's value in the attribute's own terms, or undefined (with a finding) when it has none. */
const convert = (
  row: AttributeRow,
  attribute: WireAttribute,
  input: AttributeInput,
  findings: Findings,
): AttributeValue | undefined => {
  const report = (message: string) =>
    attribute.mandatory
      ? findings.problem(row.path, "invalid_value", message, attribute.key)
      : findings.warn(row.path, "invalid_value", `${message} It was left out.`, attribute.key);
  switch (input.kind) {
    case "number": {
      const label = attribute.label?.toLowerCase() ?? "";
      const wantsKw = label.includes("kw");
      const value =
        input.unitHint === undefined || (input.unitHint === "kw") === wantsKw
          ? input.value
          : input.unitHint === "kw"
            ? input.value * HP_PER_KW
            : input.value / HP_PER_KW;
      const rounded = Math.round(value);
      return isNumeric(attribute) || attribute.values.length === 0 ? rounded : String(rounded);
    }
    case "choice": {
      if (attribute.values.length === 0) return input.candidates[0];
      const match = input.candidates
        .map((candidate) => matchListed(candidate, attribute.values))
        .find((value) => value !== undefined);
      if (match === undefined) {
        report(
          `"${input.candidates[0] ?? ""}" is not among Marktplaats' values for ${attribute.label ?? attribute.key} (${attribute.values.slice(0, 8).join(", ")}${attribute.values.length > 8 ? ", …" : ""}).`,
        );
        return undefined;
      }
      return isList(attribute) ? [match] : match;
    }
    case "choices": {
      const matched: Array<string> = [];
      for (const candidates of input.items) {
        const match = candidates
          .map((candidate) =>
            attribute.values.length === 0 ? candidate : matchListed(candidate, attribute.values),
          )
          .find((value) => value !== undefined);
        if (match === undefined) {
          findings.warn(
            row.path,
            "invalid_value",
            `Marktplaats does not list the option "${candidates[0] ?? ""}"; it was left out.`,
            attribute.key,
          );
        } else if (!matched.includes(match)) matched.push(match);
      }
      return matched.length === 0 ? undefined : matched;
    }
  }
};

/**
 * The vehicle's fields as the category's attributes, per `attributeTable`; then the ad's own
 * `attributes` (checked against the category); then every mandatory attribute must be set.
 */
export const mapAttributes = (
  vehicle: Vehicle,
  attributes: ReadonlyArray<WireAttribute>,
  overrides: Readonly<Record<string, AttributeValue>>,
  overridePath: string,
  findings: Findings,
): Record<string, AttributeValue> => {
  const fields: Record<string, AttributeValue> = {};
  const filledBy = new Map<string, string>();
  for (const row of attributeTable) {
    const attribute = attributeFor(row, attributes);
    const input = row.value(vehicle);
    if (attribute === undefined) {
      // Nothing dropped in silence (#12): the category has no place for this value.
      if (input !== undefined) {
        findings.warn(
          row.path,
          "unsupported",
          `This Marktplaats category has no attribute for ${row.labels[0] ?? row.path}; it was left out.`,
          row.keys[0] ?? "",
        );
      }
      continue;
    }
    filledBy.set(attribute.key, row.path);
    if (input === undefined) continue;
    const value = convert(row, attribute, input, findings);
    if (value !== undefined) fields[attribute.key] = value;
  }
  for (const [key, value] of Object.entries(overrides)) {
    const attribute = attributes.find((entry) => entry.key === key);
    const path = `${overridePath}.${key}`;
    if (attribute === undefined) {
      findings.problem(path, "unknown_field", `The category has no attribute "${key}".`, key);
      continue;
    }
    if (isNumeric(attribute) && typeof value !== "number") {
      findings.problem(path, "invalid_value", `"${key}" takes a number.`, key);
      continue;
    }
    const listed = typeof value === "number" ? [] : typeof value === "string" ? [value] : value;
    const unlisted = listed.filter(
      (entry) => attribute.values.length > 0 && !attribute.values.includes(entry),
    );
    if (unlisted.length > 0) {
      findings.problem(
        path,
        "invalid_value",
        `${unlisted.join(", ")} is not among the values of "${key}" (${attribute.values.join(", ")}).`,
        key,
      );
      continue;
    }
    fields[key] = value;
  }
  for (const attribute of attributes) {
    if (!attribute.mandatory || !attribute.writable || fields[attribute.key] !== undefined)
      continue;
    const path = filledBy.get(attribute.key) ?? `${overridePath}.${attribute.key}`;
    if (findings.issues.some((entry) => entry.path === path)) continue;
    findings.problem(
      path,
      "required",
      `Marktplaats requires "${attribute.label ?? attribute.key}" in this category.`,
      attribute.key,
    );
  }
  return fields;
};
