import { type HttpClientRequest, HttpClientRequest as Request } from "@effect/platform";
import { Effect, Redacted } from "effect";
import type { Authenticate } from "./marketplace-http.ts";

/** Sends a secret in one header; the secret is unwrapped only onto the outgoing request. */
export const headerAuth =
  (name: string, secret: Redacted.Redacted<string>): Authenticate =>
  (request: HttpClientRequest.HttpClientRequest) =>
    Effect.succeed(Request.setHeader(request, name, Redacted.value(secret)));

/** Sends a bearer token (OAuth). */
export const bearerAuth =
  (token: Redacted.Redacted<string>): Authenticate =>
  (request: HttpClientRequest.HttpClientRequest) =>
    Effect.succeed(Request.bearerToken(request, Redacted.value(token)));
