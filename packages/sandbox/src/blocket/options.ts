import type { ProcessingOptions } from "../pro-import/options.ts";

/** The token the Blocket fake accepts unless told otherwise. */
export const BLOCKET_SANDBOX_TOKEN = "sandbox-blocket-token";

/** The dealers the default token covers (scope dealer_group). */
export const BLOCKET_SANDBOX_DEALER_CODES: ReadonlyArray<string> = ["DEALER1", "DEALER2"];

/** A token and what it grants, as Blocket support would issue it ("Authentication" in the V3 doc). */
export interface BlocketSandboxToken {
  readonly token: string;
  /** dealer_code: a single customer; dealer_group: a customer group */
  readonly scope: "dealer_code" | "dealer_group";
  readonly dealerCodes: ReadonlyArray<string>;
}

export interface BlocketFakeOptions extends ProcessingOptions {
  /** tokens the fake accepts. Default: BLOCKET_SANDBOX_TOKEN, scope dealer_group, BLOCKET_SANDBOX_DEALER_CODES */
  readonly tokens?: ReadonlyArray<BlocketSandboxToken>;
  /**
   * Whether changes made in Blocket Admin (`fake.outside.delete`, `deactivate`, `edit`) show
   * through the API. The doc: "Any changes made directly in Blocket Admin will not be
   * reflected when retrieving the ad via the API." Issue #9 reports ads "deleted in Blocket
   * Admin" that adsync must see, so the fake shows them by default ("shown"); "hidden" is the
   * doc's strict reading, where those changes answer false.
   */
  readonly adminChanges?: "shown" | "hidden";
}

export function blocketTokens(options: BlocketFakeOptions): ReadonlyArray<BlocketSandboxToken> {
  return (
    options.tokens ?? [
      {
        token: BLOCKET_SANDBOX_TOKEN,
        scope: "dealer_group",
        dealerCodes: BLOCKET_SANDBOX_DEALER_CODES,
      },
    ]
  );
}
