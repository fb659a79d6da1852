import { Either } from "effect";

/**
 * Structural equality of JSON values: key order does not matter, array order does, and a
 * member whose value is `undefined` counts as absent (as JSON.stringify writes it). Only a
 * value's own members are read, so a key such as "__proto__" is an ordinary member.
 */
export const jsonEqual = (left: unknown, right: unknown): boolean => equal(left, right, false);

/**
 * `jsonEqual` that also takes a number and its decimal string as equal: marketplaces
 * normalize some values in their answers (Blocket answers `"category_id": 1020` to "1020").
 */
export const looselyEqual = (left: unknown, right: unknown): boolean => equal(left, right, true);

type JsonObject = Readonly<Record<string, unknown>>;

const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Keys whose value is not `undefined`: what JSON.stringify would write. */
const definedKeys = (value: JsonObject): ReadonlyArray<string> =>
  Object.keys(value).filter((key) => value[key] !== undefined);

const equal = (left: unknown, right: unknown, loose: boolean): boolean => {
  if (left === right) return true;
  if (
    loose &&
    (typeof left === "number" || typeof left === "string") &&
    (typeof right === "number" || typeof right === "string")
  ) {
    return String(left) === String(right);
  }
  if (Array.isArray(left) || Array.isArray(right)) {
    return (
      Array.isArray(left) &&
      Array.isArray(right) &&
      left.length === right.length &&
      left.every((item, index) => equal(item, right[index], loose))
    );
  }
  if (isJsonObject(left) && isJsonObject(right)) {
    const leftKeys = definedKeys(left);
    return (
      leftKeys.length === definedKeys(right).length &&
      leftKeys.every((key) => Object.hasOwn(right, key) && equal(left[key], right[key], loose))
    );
  }
  return false;
};

/**
 * A copy of untrusted input made of plain arrays and plain objects, read through own
 * enumerable string keys only, before anything decodes it. An array with members of its own
 * beside its items (`Object.assign([42], { constructor: 1 })`) made Effect's error formatter die
 * with a TypeError; a getter that throws, a cycle or a proxy would do the same. Those answer
 * `Left` with what went wrong, never a defect. Items and members keep their values otherwise
 * (`undefined` too, as an optional field's "absent"); "__proto__" stays an ordinary member.
 */
export const plainCopy = (input: unknown): Either.Either<unknown, string> =>
  Either.flatMap(
    Either.try({
      try: () => copy(input, new Set()),
      catch: (error) => (error instanceof Error ? error.message : "the value cannot be read"),
    }),
    (copied) => copied,
  );

const copy = (value: unknown, ancestors: Set<object>): Either.Either<unknown, string> => {
  if (typeof value !== "object" || value === null) return Either.right(value);
  if (ancestors.has(value)) return Either.left("the value contains itself");
  ancestors.add(value);
  const copied = Array.isArray(value)
    ? Either.all(Array.from({ length: value.length }, (_, index) => copy(value[index], ancestors)))
    : Either.map(
        Either.all(
          Object.entries(value).map(([key, member]) =>
            Either.map(copy(member, ancestors), (plain) => [key, plain] as const),
          ),
        ),
        Object.fromEntries,
      );
  ancestors.delete(value);
  return copied;
};
