import type { FakeResponse } from "../http/fake-request.ts";

/**
 * Marktplaats' error document: "The API returns a common error document which contains both
 * machine readable as well as human readable error messages". Its member names are not in the
 * sources; the fake writes `{code, message, fieldErrors: [{field, code, message, value}]}`.
 */
export interface FieldError {
  readonly field: string;
  readonly code: string;
  readonly message: string;
  readonly value?: unknown;
}

export const errorResponse = (
  status: number,
  code: string,
  message: string,
  fieldErrors?: ReadonlyArray<FieldError>,
): FakeResponse => ({
  status,
  body: { code, message, ...(fieldErrors === undefined ? {} : { fieldErrors }) },
});

export const validationFailure = (fieldErrors: ReadonlyArray<FieldError>): FakeResponse =>
  errorResponse(400, "validation-failure", "Validation of the advertisement failed", fieldErrors);

export const advertisementNotFound = (itemId: string): FakeResponse =>
  errorResponse(404, "advertisement-not-found", `The advertisement ${itemId} does not exist.`);

export const notFound = (): FakeResponse => errorResponse(404, "not-found", "No such resource.");

export const methodNotAllowed = (allowed: ReadonlyArray<string>): FakeResponse => ({
  status: 405,
  headers: { allow: allowed.join(", ") },
  body: { code: "method-not-allowed", message: `Allowed: ${allowed.join(", ")}` },
});

/** The body of an injected status fault. */
export const faultBody = (status: number): unknown =>
  status >= 500
    ? { code: "internal-server-error", message: "Oops! Sorry, something went wrong on our side." }
    : { code: status === 429 ? "too-many-requests" : `http-${status}`, message: `HTTP ${status}` };
