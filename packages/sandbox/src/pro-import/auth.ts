import type { FakeResponse } from "../http/fake-request.ts";
import type { Authentication } from "./routing.ts";

/** How an API refuses a request without a token, or with one it does not know. */
export interface TokenRefusals {
  readonly missing: () => FakeResponse;
  readonly invalid: () => FakeResponse;
}

/**
 * The grant of the request's token. Both APIs take "a JWT token sent as a 'X-Auth-Token'
 * request header" (Blocket's words; Tradera's "Authentication" section says the same).
 */
export function authenticateToken<Grant>(
  grants: ReadonlyMap<string, Grant>,
  headers: Readonly<Record<string, string>>,
  refusals: TokenRefusals,
): Authentication<Grant> {
  const token = headers["x-auth-token"];
  if (token === undefined || token === "") return { ok: false, response: refusals.missing() };
  const grant = grants.get(token);
  return grant === undefined ? { ok: false, response: refusals.invalid() } : { ok: true, grant };
}
