import type { WirePayload } from "./wire.ts";

/** Structural equality of JSON values, independent of key order. */
export const jsonEqual = (left: unknown, right: unknown): boolean => {
  if (left === right) return true;
  if (Array.isArray(left) || Array.isArray(right)) {
    return (
      Array.isArray(left) &&
      Array.isArray(right) &&
      left.length === right.length &&
      left.every((entry, index) => jsonEqual(entry, right[index]))
    );
  }
  if (isObject(left) && isObject(right)) {
    const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
    for (const key of keys) if (!jsonEqual(left[key], right[key])) return false;
    return true;
  }
  return false;
};

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export type UpdatePlan =
  | { readonly _tag: "Unchanged" }
  | { readonly _tag: "Patch"; readonly changes: WirePayload }
  | { readonly _tag: "Replace" };

/**
 * The cheapest update from `previous` to `next`. PATCH "updates only the fields you specify.
 * Other fields remain unchanged", so it can change or add top-level fields but not remove
 * one: a field that disappeared (or a `category_fields` entry that did — PATCH merges
 * category_fields, per the Tradera guide's partial example) needs a full PUT.
 */
export const planUpdate = (previous: unknown, next: WirePayload): UpdatePlan => {
  if (!isObject(previous)) return { _tag: "Replace" };
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(next)) {
    if (!jsonEqual(previous[key], value)) changes[key] = value;
  }
  const removed = Object.keys(previous).some((key) => next[key] === undefined);
  const previousFields = previous.category_fields;
  const nextFields = next.category_fields;
  const removedCategoryField =
    isObject(previousFields) &&
    isObject(nextFields) &&
    Object.keys(previousFields).some((key) => nextFields[key] === undefined);
  if (removed || removedCategoryField) return { _tag: "Replace" };
  return Object.keys(changes).length === 0 ? { _tag: "Unchanged" } : { _tag: "Patch", changes };
};
