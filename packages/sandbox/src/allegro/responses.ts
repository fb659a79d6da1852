import type { FakeResponse } from "../http/fake-request.ts";

/** One entry of Allegro's `ErrorsHolder` (OpenAPI `Error`). */
export interface FakeError {
  readonly code: string;
  readonly message: string;
  readonly path?: string;
}

export const errorEntry = (error: FakeError) => ({
  code: error.code,
  message: error.message,
  details: null,
  path: error.path ?? null,
  userMessage: error.message,
});

/** `{"errors": [...]}` with the given status. */
export const errors = (status: number, entries: ReadonlyArray<FakeError>): FakeResponse => ({
  status,
  body: { errors: entries.map(errorEntry) },
});

export const notFound = (what: string): FakeResponse =>
  errors(404, [{ code: "NotFoundException", message: `${what} not found` }]);

export const json = (status: number, body: unknown): FakeResponse => ({ status, body });

/** The body of an injected status fault, in Allegro's error dialect. */
export const faultBody = (status: number): unknown => ({
  errors: [
    errorEntry({
      code: status === 429 ? "TooManyRequestsException" : "ServiceUnavailableException",
      message: status === 429 ? "Too many requests" : "Service temporarily unavailable",
    }),
  ],
});
