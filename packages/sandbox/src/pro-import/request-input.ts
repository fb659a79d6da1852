import type { FakeRequest, FakeResponse } from "../http/fake-request.ts";
import { type ErrorTree, errorTree, messages } from "./validation/errors.ts";
import { isRecord } from "./validation/fields.ts";

/** What a request brings to a handler: its JSON object body, a PATCH merged, query flags. */

/** How an API answers a request body it cannot read, in its own error dialect. */
export interface BodyRefusals {
  readonly unsupportedMediaType: (contentType: string) => FakeResponse;
  readonly notJson: (parseError: string) => FakeResponse;
  readonly notObject: (body: unknown) => FakeResponse;
}

export type JsonObjectBody =
  | { readonly ok: true; readonly input: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly response: FakeResponse };

/** The request's JSON object body; an empty body reads as {} (every field then missing). */
export function jsonObjectBody(request: FakeRequest, refusals: BodyRefusals): JsonObjectBody {
  if (request.bodyText.trim() === "") return { ok: true, input: {} };
  const contentType = request.headers["content-type"] ?? "";
  if (!contentType.toLowerCase().startsWith("application/json")) {
    return { ok: false, response: refusals.unsupportedMediaType(contentType) };
  }
  if (request.bodyParseError !== undefined) {
    return { ok: false, response: refusals.notJson(request.bodyParseError) };
  }
  if (!isRecord(request.body)) return { ok: false, response: refusals.notObject(request.body) };
  return { ok: true, input: request.body };
}

/**
 * A PATCH body merged into the stored fields: sent top-level fields replace the stored ones,
 * except category_fields (or, with `everyField`, every object field), merged `depth` levels deep.
 */
export function mergePatch(
  stored: Readonly<Record<string, unknown>>,
  patch: Readonly<Record<string, unknown>>,
  depth: number,
  options: { readonly everyField?: boolean } = {},
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...stored };
  for (const [field, value] of Object.entries(patch)) {
    merged[field] =
      field === "category_fields" || options.everyField === true
        ? mergeValues(merged[field], value, depth)
        : value;
  }
  return merged;
}

function mergeValues(previous: unknown, value: unknown, depth: number): unknown {
  if (depth < 1 || !isRecord(previous) || !isRecord(value)) return value;
  const merged: Record<string, unknown> = { ...previous };
  for (const [field, nested] of Object.entries(value)) {
    merged[field] = mergeValues(merged[field], nested, depth - 1);
  }
  return merged;
}

/** The errors of the query flags that are not booleans ("Must be a valid boolean."). */
export function booleanParameterErrors(
  query: Readonly<Record<string, string>>,
  names: ReadonlyArray<string>,
): ErrorTree | undefined {
  return errorTree(
    names.map((name) => [
      name,
      parseBooleanParameter(query[name]) === undefined ? [messages.notBoolean] : undefined,
    ]),
  );
}

/** A query flag: absent is false; undefined means not a boolean. */
export function parseBooleanParameter(value: string | undefined): boolean | undefined {
  if (value === undefined) return false;
  switch (value.toLowerCase()) {
    case "true":
    case "1":
      return true;
    case "false":
    case "0":
      return false;
    default:
      return undefined;
  }
}
