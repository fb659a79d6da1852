import { STATUS_CODES } from "node:http";
import type { FakeResponse } from "../http/fake-request.ts";
import { methodNotAllowed as methodNotAllowedWith } from "../pro-import/responses.ts";
import type { ErrorTree } from "../pro-import/validation/errors.ts";
import { dottedErrors } from "./validation/dotted-errors.ts";

/**
 * Tradera's error dialect ("Error Handling" in the guide): field errors as an object of dotted
 * field names to messages, "Business Logic Errors (400) ... returned as plain text strings",
 * which the examples show as JSON strings. Errors the guide shows no body for are plain strings
 * too, in the same voice.
 */

/** A plain JSON string body, e.g. "Dealer code cannot be changed." */
export function message(status: number, text: string): FakeResponse {
  return { status, body: text };
}

/** 400 with `{"category_fields.brand": ["This field is required."]}`. */
export function fieldErrors(errors: ErrorTree): FakeResponse {
  return { status: 400, body: dottedErrors(errors) };
}

/** 403 for a dealer_code the token may not use ("Dealer Code Access Error", "No Dealer Codes"). */
export function dealerForbidden(dealerCode: string, allowed: ReadonlySet<string>): FakeResponse {
  const denied = `You do not have access to dealer code '${dealerCode}'.`;
  const reason =
    allowed.size === 0
      ? "You have no dealer codes assigned."
      : `Allowed dealer codes: ${[...allowed].join(", ")}.`;
  return { status: 403, body: { dealer_code: [`${denied} ${reason}`] } };
}

/** "404 Not Found - Ad not found or no access"; the guide shows no body. */
export const notFound = (): FakeResponse => message(404, "Not found.");

export function methodNotAllowed(method: string, allowed: ReadonlyArray<string>): FakeResponse {
  return methodNotAllowedWith(allowed, `Method '${method}' is not allowed.`);
}

const FAULT_MESSAGES: Readonly<Record<number, string>> = {
  500: "An internal server error occurred.",
  502: "Bad gateway.",
  503: "Service unavailable, try again later.",
};

/** The body of an injected status fault, as a plain string like Tradera's other errors. */
export function faultBody(status: number, retryAfter: string | undefined): unknown {
  if (status === 429) {
    return retryAfter === undefined
      ? "Too many requests."
      : `Too many requests. Retry after ${retryAfter} seconds.`;
  }
  return FAULT_MESSAGES[status] ?? STATUS_CODES[status] ?? `HTTP ${status}`;
}
