import { authenticateToken } from "../pro-import/auth.ts";
import type { Authentication } from "../pro-import/routing.ts";
import { message } from "./responses.ts";

/**
 * The dealer codes of the request's token. "403 Forbidden - Authentication failed or
 * insufficient dealer code permissions": Tradera answers 403, not 401, to a missing or unknown
 * token; the guide shows no body for it.
 */
export function authenticate(
  grants: ReadonlyMap<string, ReadonlySet<string>>,
  headers: Readonly<Record<string, string>>,
): Authentication<ReadonlySet<string>> {
  return authenticateToken(grants, headers, {
    missing: () => message(403, "Authentication failed: the X-Auth-Token header is missing."),
    invalid: () => message(403, "Authentication failed: the token is not valid."),
  });
}
