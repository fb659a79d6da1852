import { type ErrorNode, messages } from "./errors.ts";

/** A check of a present, non-null value. */
export type Check = (value: unknown) => ErrorNode | undefined;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isOneOf<Choice extends string>(
  choices: ReadonlyArray<Choice>,
  value: string,
): value is Choice {
  return choices.some((choice) => choice === value);
}

/**
 * Runs `check` on a present value. An absent field is an error only when required; null counts
 * as absent for an optional field (the V3 doc: location "Leave this field out or set it to null").
 */
export function checkField(value: unknown, required: boolean, check: Check): ErrorNode | undefined {
  if (value === undefined) return required ? [messages.required] : undefined;
  if (value === null) return required ? [messages.notNull] : undefined;
  return check(value);
}

export const checkString: Check = (value) => {
  if (typeof value !== "string") return [messages.notString];
  return value.trim() === "" ? [messages.blank] : undefined;
};

export function checkInteger(bounds: { readonly min?: number; readonly max?: number }): Check {
  return (value) => {
    if (typeof value !== "number" || !Number.isInteger(value)) return [messages.notInteger];
    if (bounds.min !== undefined && value < bounds.min) return [messages.atLeast(bounds.min)];
    if (bounds.max !== undefined && value > bounds.max) return [messages.atMost(bounds.max)];
    return undefined;
  };
}

export const checkBoolean: Check = (value) =>
  typeof value === "boolean" ? undefined : [messages.notBoolean];

export function checkChoice(choices: ReadonlyArray<string>): Check {
  return (value) =>
    typeof value === "string" && choices.includes(value)
      ? undefined
      : [messages.invalidChoice(value)];
}

export const checkDictionary: Check = (value) =>
  isRecord(value) ? undefined : [messages.notDictionary(value)];

export const checkDigits =
  (message: string, pattern = /^\d+$/): Check =>
  (value) => {
    if (typeof value !== "string") return [messages.notString];
    return pattern.test(value) ? undefined : [message];
  };

/** An http(s) URL, or undefined. */
export function parseHttpUrl(value: unknown): URL | undefined {
  if (typeof value !== "string" || !URL.canParse(value)) return undefined;
  const url = new URL(value);
  return url.protocol === "http:" || url.protocol === "https:" ? url : undefined;
}

export const checkHttpUrl: Check = (value) =>
  parseHttpUrl(value) === undefined ? [messages.invalidUrl] : undefined;
