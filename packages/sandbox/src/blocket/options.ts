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

export interface BlocketFakeOptions {
  /** tokens the fake accepts. Default: BLOCKET_SANDBOX_TOKEN, scope dealer_group, BLOCKET_SANDBOX_DEALER_CODES */
  readonly tokens?: ReadonlyArray<BlocketSandboxToken>;
  /** delay before each async log action moves from processing to done/error; default 150 ms */
  readonly processingDelayMs?: number;
  /** an image URL for which this returns true fails to download (handle_media error). Default: url contains "broken" */
  readonly imageFails?: (url: string) => boolean;
}

export interface ResolvedBlocketOptions {
  readonly tokens: ReadonlyArray<BlocketSandboxToken>;
  readonly processingDelayMs: number;
  readonly imageFails: (url: string) => boolean;
}

export function resolveBlocketOptions(options: BlocketFakeOptions): ResolvedBlocketOptions {
  return {
    tokens: options.tokens ?? [
      {
        token: BLOCKET_SANDBOX_TOKEN,
        scope: "dealer_group",
        dealerCodes: BLOCKET_SANDBOX_DEALER_CODES,
      },
    ],
    processingDelayMs: options.processingDelayMs ?? 150,
    imageFails: options.imageFails ?? ((url) => url.includes("broken")),
  };
}
