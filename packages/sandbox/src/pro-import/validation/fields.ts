import { type ErrorNode, type ErrorTree, errorTree, messages } from "./errors.ts";

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

/** One of `choices`; `invalidChoice` words the error (each API quotes the value its own way). */
export function checkChoice(
  choices: ReadonlyArray<string>,
  invalidChoice: (value: unknown) => string = messages.invalidChoice,
): Check {
  return (value) =>
    typeof value === "string" && choices.includes(value) ? undefined : [invalidChoice(value)];
}

/** A non-blank string of at most `maximum` characters. */
export function checkText(maximum: number): Check {
  return (value) => {
    const error = checkString(value);
    if (error !== undefined) return error;
    return typeof value === "string" && value.length > maximum
      ? [messages.tooLong(maximum)]
      : undefined;
  };
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

/** A number (integer or not) within the bounds. */
export function checkNumber(bounds: { readonly min: number; readonly max: number }): Check {
  return (value) => {
    if (typeof value !== "number" || !Number.isFinite(value)) return [messages.notNumber];
    if (value < bounds.min) return [messages.atLeast(bounds.min)];
    if (value > bounds.max) return [messages.atMost(bounds.max)];
    return undefined;
  };
}

/** A list of strings, each one of `choices`; one message per value that is not. */
export function checkChoices(
  choices: ReadonlyArray<string>,
  options: {
    readonly allowEmpty: boolean;
    readonly invalidChoice?: (value: unknown) => string;
  },
): Check {
  const invalidChoice = options.invalidChoice ?? messages.invalidChoice;
  return (value) => {
    if (!Array.isArray(value)) return [messages.notList(value)];
    if (value.length === 0 && !options.allowEmpty) return [messages.emptyList];
    const unknown = value.filter((item) => typeof item !== "string" || !choices.includes(item));
    return unknown.length > 0 ? unknown.map(invalidChoice) : undefined;
  };
}

/** A non-empty list of objects; errors per item, as DRF lists them (`{}` for a valid item). */
export function checkListOfObjects(
  checkItem: (item: Readonly<Record<string, unknown>>) => ErrorTree | undefined,
): Check {
  return (value) => {
    if (!Array.isArray(value)) return [messages.notList(value)];
    if (value.length === 0) return [messages.emptyList];
    const itemErrors: ReadonlyArray<ErrorTree | undefined> = value.map((item: unknown) =>
      isRecord(item) ? checkItem(item) : { non_field_errors: [messages.notObjectData(item)] },
    );
    if (itemErrors.every((error) => error === undefined)) return undefined;
    return itemErrors.map((error) => error ?? {});
  };
}

/** How one field of an object is checked. */
export interface FieldRule {
  readonly required: boolean;
  readonly check: Check;
  /** what an absent field is checked as, instead of being reported missing */
  readonly absentAs?: unknown;
}

export const required = (check: Check): FieldRule => ({ required: true, check });
export const optional = (check: Check): FieldRule => ({ required: false, check });

/**
 * A nested object that is required because fields inside it are: when it is absent, its own
 * required fields are reported (e.g. "powertrain.fuels"), not the object.
 */
export const nested = (rules: FieldRules): FieldRule => ({
  required: true,
  check: checkObject(rules),
  absentAs: {},
});

export type FieldRules = Readonly<Record<string, FieldRule>>;

/** The errors of an object's fields under `rules`; fields without a rule are accepted as sent. */
export function checkFields(
  value: Readonly<Record<string, unknown>>,
  rules: FieldRules,
): ErrorTree | undefined {
  return errorTree(
    Object.entries(rules).map(([field, rule]) => {
      const present = value[field] === undefined ? rule.absentAs : value[field];
      return [field, checkField(present, rule.required, rule.check)];
    }),
  );
}

/** A nested object whose fields follow `rules`. */
export function checkObject(rules: FieldRules): Check {
  return (value) => (isRecord(value) ? checkFields(value, rules) : [messages.notDictionary(value)]);
}
