import type { FakeResponse } from "../http/fake-request.ts";
import type { BlocketSandboxToken } from "./options.ts";
import { detail } from "./responses.ts";
import type { ErrorTree } from "./validation/errors.ts";
import { messages } from "./validation/errors.ts";

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

export type Authentication =
  | { readonly ok: true; readonly grant: Grant }
  | { readonly ok: false; readonly response: FakeResponse };

/** "All invocations to the API require a JWT token sent as a 'X-Auth-Token' request header." */
export function authenticate(
  grants: ReadonlyMap<string, Grant>,
  headers: Readonly<Record<string, string>>,
): Authentication {
  const token = headers["x-auth-token"];
  if (token === undefined || token === "") {
    return { ok: false, response: detail(401, "Authentication credentials were not provided.") };
  }
  const grant = grants.get(token);
  if (grant === undefined) return { ok: false, response: detail(401, "Invalid token.") };
  return { ok: true, grant };
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
