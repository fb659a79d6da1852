import { authenticateToken } from "../pro-import/auth.ts";
import type { Authentication } from "../pro-import/routing.ts";
import { type ErrorTree, messages } from "../pro-import/validation/errors.ts";
import type { BlocketSandboxToken } from "./options.ts";
import { detail } from "./responses.ts";

/** What a token allows: "dealer_group - Provides access to a customer group; dealer_code - ... a single customer". */
export interface Grant {
  readonly scope: "dealer_code" | "dealer_group";
  readonly dealerCodes: ReadonlySet<string>;
}

export function grantsByToken(
  tokens: ReadonlyArray<BlocketSandboxToken>,
): ReadonlyMap<string, Grant> {
  return new Map(
    tokens.map((token) => [
      token.token,
      { scope: token.scope, dealerCodes: new Set(token.dealerCodes) },
    ]),
  );
}

/** The token's grant; DRF answers 401 without a token or with an unknown one. */
export function authenticate(
  grants: ReadonlyMap<string, Grant>,
  headers: Readonly<Record<string, string>>,
): Authentication<Grant> {
  return authenticateToken(grants, headers, {
    missing: () => detail(401, "Authentication credentials were not provided."),
    invalid: () => detail(401, "Invalid token."),
  });
}

export type DealerResolution =
  | { readonly kind: "dealer"; readonly dealerCode: string }
  | { readonly kind: "forbidden" }
  | { readonly kind: "invalid"; readonly errors: ErrorTree };

/**
 * The dealer an ad is written for: dealer_code is "Required if auth scope is dealer_group" and
 * "Not needed if auth scope is dealer_code" (then the token's own dealer).
 */
export function resolveDealer(grant: Grant, dealerCode: unknown): DealerResolution {
  if (dealerCode === undefined || dealerCode === null) {
    const [onlyDealer] = grant.dealerCodes;
    if (grant.scope === "dealer_code" && onlyDealer !== undefined) {
      return { kind: "dealer", dealerCode: onlyDealer };
    }
    return { kind: "invalid", errors: { dealer_code: [messages.required] } };
  }
  if (typeof dealerCode !== "string") {
    return { kind: "invalid", errors: { dealer_code: [messages.notString] } };
  }
  return grant.dealerCodes.has(dealerCode) ? { kind: "dealer", dealerCode } : { kind: "forbidden" };
}
