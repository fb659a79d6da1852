import { STATUS_CODES } from "node:http";
import type { FakeResponse } from "../http/fake-request.ts";
import { methodNotAllowed as methodNotAllowedWith } from "../pro-import/responses.ts";
import type { ErrorTree } from "../pro-import/validation/errors.ts";

/** Errors in Django REST framework's shapes, which the Blocket docs show. */

export function detail(status: number, message: string): FakeResponse {
  return { status, body: { detail: message } };
}

export function badRequest(errors: ErrorTree): FakeResponse {
  return { status: 400, body: errors };
}

export const notFound = (): FakeResponse => detail(404, "Not found.");

export const forbidden = (): FakeResponse =>
  detail(403, "You do not have permission to perform this action.");

export function methodNotAllowed(method: string, allowed: ReadonlyArray<string>): FakeResponse {
  return methodNotAllowedWith(allowed, { detail: `Method "${method}" not allowed.` });
}

/** The body of an injected status fault, worded as DRF words these statuses. */
export function faultBody(status: number, retryAfter: string | undefined): unknown {
  switch (status) {
    case 429:
      return {
        detail:
          retryAfter === undefined
            ? "Request was throttled."
            : `Request was throttled. Expected available in ${retryAfter} seconds.`,
      };
    case 503:
      return { detail: "Service temporarily unavailable, try again later." };
    case 500:
      return { detail: "A server error occurred." };
    default:
      return { detail: STATUS_CODES[status] ?? `HTTP ${status}` };
  }
}
