import { jsonEqual, looselyEqual } from "@adsync/core";
import type { WirePayload } from "./wire.ts";

/** The one structural JSON equality, from core (re-exported for the dialects' callers). */
export { jsonEqual, looselyEqual };

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A record's own member, or undefined: payloads come from JSON, where "__proto__", "toString"
 * and "constructor" are ordinary field names, not Object.prototype's members.
 */
const ownValue = (record: Readonly<Record<string, unknown>>, key: string): unknown =>
  Object.hasOwn(record, key) ? record[key] : undefined;

export type UpdatePlan =
  | { readonly _tag: "Unchanged" }
  | { readonly _tag: "Patch"; readonly changes: WirePayload }
  | { readonly _tag: "Replace" };

/**
 * Whether `next` lacks a value `previous` held, at any depth of nested objects (arrays are
 * replaced whole by a PATCH, so only their absence counts): `power` gone from `powertrain`, one
 * `physics` entry gone, `location` turning from `{lkf}` into `{zipcode}`.
 */
const removesSomething = (previous: unknown, next: unknown): boolean =>
  isObject(previous) &&
  isObject(next) &&
  Object.keys(previous).some(
    (key) =>
      ownValue(next, key) === undefined ||
      removesSomething(ownValue(previous, key), ownValue(next, key)),
  );

/**
 * The cheapest update from `previous` to `next`. PATCH "updates only the fields you specify.
 * Other fields remain unchanged", so it can change or add fields but not remove one. Nested
 * objects are merged (the Tradera guide's partial `category_fields` example; Blocket's "Update
 * part of an ad" says no more), so a value that disappeared at any depth — a top-level field,
 * `category_fields.powertrain.power`, one `physics` entry, the `lkf` of a location that now has
 * a `zipcode` — needs a full PUT.
 */
export const planUpdate = (previous: unknown, next: WirePayload): UpdatePlan => {
  if (!isObject(previous)) return { _tag: "Replace" };
  // Built from entries: an assignment would drop a "__proto__" field instead of sending it.
  const changes: WirePayload = Object.fromEntries(
    Object.entries(next).filter(([key, value]) => !jsonEqual(ownValue(previous, key), value)),
  );
  if (removesSomething(previous, next)) return { _tag: "Replace" };
  return Object.keys(changes).length === 0 ? { _tag: "Unchanged" } : { _tag: "Patch", changes };
};

/**
 * The part of an ad as the marketplace answers it that corresponds to `content`: each of
 * content's fields as the marketplace holds it (content's own spelling where they agree
 * loosely), so `planUpdate(held, content)` is what still has to be sent.
 */
export const heldContent = (answer: WirePayload, content: WirePayload): WirePayload =>
  Object.fromEntries(
    Object.keys(content).flatMap((key) => {
      const held = ownValue(answer, key);
      if (held === undefined || held === null) return [];
      return [[key, looselyEqual(held, content[key]) ? content[key] : held]];
    }),
  );

/** The fields of an ad's content in the Pro Import family (the create table of both docs). */
export const contentFields: ReadonlyArray<string> = [
  "title",
  "body",
  "price",
  "image_urls",
  "url",
  "video_url",
  "location",
  "contact",
  "category_fields",
  "product_declaration",
  "warranty",
  "return_policy",
  "service_history",
  "home_delivery",
];

/**
 * Content fields the marketplace holds that `content` no longer has (a video the dealer
 * removed): invisible to a diff of content's own fields, so such an ad is replaced whole.
 */
export const holdsStaleFields = (answer: WirePayload, content: WirePayload): boolean =>
  contentFields.some((field) => {
    const held = ownValue(answer, field);
    return ownValue(content, field) === undefined && held !== undefined && held !== null;
  });

/**
 * Whether the ad as the marketplace answers it holds other content than `content` (what adsync
 * last sent): a field of ours it holds differently, or a content field it holds that we do not
 * send. Fields we never send (ids, state, log) are not compared.
 */
export const holdsOtherContent = (answer: WirePayload, content: WirePayload): boolean =>
  holdsStaleFields(answer, content) ||
  planUpdate(heldContent(answer, content), content)._tag !== "Unchanged";
