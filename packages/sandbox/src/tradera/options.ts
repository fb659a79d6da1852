import type { ProcessingOptions } from "../pro-import/options.ts";

/** The token the Tradera fake accepts unless told otherwise. */
export const TRADERA_SANDBOX_TOKEN = "sandbox-tradera-token";

/** The dealers the default token covers. */
export const TRADERA_SANDBOX_DEALER_CODES: ReadonlyArray<string> = ["DEALER1", "DEALER2"];

/**
 * A token and the dealer codes it may use. Tradera has no token scopes: every request names its
 * dealer_code ("Prerequisites": a JWT token and a "Dealer code assigned to your account").
 */
export interface TraderaSandboxToken {
  readonly token: string;
  /** may be empty: such a token is refused with "You have no dealer codes assigned." */
  readonly dealerCodes: ReadonlyArray<string>;
}

export interface TraderaFakeOptions extends ProcessingOptions {
  /** tokens the fake accepts. Default: TRADERA_SANDBOX_TOKEN with TRADERA_SANDBOX_DEALER_CODES */
  readonly tokens?: ReadonlyArray<TraderaSandboxToken>;
}

/** The dealer codes each accepted token may use, by token. */
export function traderaGrants(
  options: TraderaFakeOptions,
): ReadonlyMap<string, ReadonlySet<string>> {
  const tokens = options.tokens ?? [
    { token: TRADERA_SANDBOX_TOKEN, dealerCodes: TRADERA_SANDBOX_DEALER_CODES },
  ];
  return new Map(tokens.map(({ token, dealerCodes }) => [token, new Set(dealerCodes)]));
}
