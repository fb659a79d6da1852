import { type ErrorNode, errorTree, messages } from "../../pro-import/validation/errors.ts";
import {
  type Check,
  checkDigits,
  checkField,
  checkString,
  isRecord,
} from "../../pro-import/validation/fields.ts";

/**
 * location: one of zipcode, lkf or latitude + longitude ("There are three alternatives available
 * for setting ad location", V3 doc). The doc types the coordinates as strings and sends numbers
 * in its example, so both are accepted.
 */
export function checkLocation(value: unknown): ErrorNode | undefined {
  if (!isRecord(value)) return [messages.notDictionary(value)];
  const present = (field: string) => value[field] !== undefined && value[field] !== null;
  const fieldErrors = errorTree([
    [
      "zipcode",
      checkField(value.zipcode, false, checkDigits("Enter digits only, without spaces.")),
    ],
    // "a four or six digit area code (LK vs full LKF)"
    [
      "lkf",
      checkField(
        value.lkf,
        false,
        checkDigits("Enter a four or six digit LKF code.", /^(\d{4}|\d{6})$/),
      ),
    ],
    ["latitude", checkField(value.latitude, false, checkCoordinate(90))],
    ["longitude", checkField(value.longitude, false, checkCoordinate(180))],
  ]);
  const alternatives = [
    present("zipcode"),
    present("lkf"),
    present("latitude") || present("longitude"),
  ];
  const problems: string[] = [];
  if (alternatives.filter(Boolean).length > 1)
    problems.push("Use only one of zipcode, lkf or latitude and longitude.");
  if (present("latitude") !== present("longitude"))
    problems.push("latitude and longitude must be given together.");
  const crossErrors = problems.length > 0 ? { non_field_errors: problems } : undefined;
  return fieldErrors === undefined && crossErrors === undefined
    ? undefined
    : { ...fieldErrors, ...crossErrors };
}

function checkCoordinate(limit: number): Check {
  return (value) => {
    const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    if (typeof number !== "number" || !Number.isFinite(number)) return [messages.notNumber];
    if (number < -limit) return [messages.atLeast(-limit)];
    if (number > limit) return [messages.atMost(limit)];
    return undefined;
  };
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** contact: {name, phone, email}, all required; "Phone number (only digits)" (V3 doc). */
export function checkContact(value: unknown): ErrorNode | undefined {
  if (!isRecord(value)) return [messages.notDictionary(value)];
  return errorTree([
    ["name", checkField(value.name, true, checkString)],
    ["phone", checkField(value.phone, true, checkDigits("Enter digits only."))],
    [
      "email",
      checkField(value.email, true, (email) =>
        typeof email === "string" && EMAIL.test(email) ? undefined : [messages.invalidEmail],
      ),
    ],
  ]);
}
