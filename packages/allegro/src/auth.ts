import {
  headerAuth,
  makeMarketplaceHttp,
  makeRefreshingBearer,
  memoryGrantStore,
  type RefreshingBearer,
} from "@adsync/core";
import type { HttpClient } from "@effect/platform";
import { Effect, Redacted, type Scope } from "effect";
import { ALLEGRO } from "./config.ts";
import type { TokenStore } from "./token-store.ts";

export interface TokenManagerOptions {
  readonly authBaseUrl: string;
  readonly clientId: string;
  readonly clientSecret: Redacted.Redacted<string>;
  readonly refreshToken: Redacted.Redacted<string>;
  readonly store?: TokenStore | undefined;
  readonly userAgent: string;
  /** Refresh this long before the token expires, so no request races the expiry. */
  readonly marginMillis?: number | undefined;
}

/** Core's refreshing bearer, with the store it keeps Allegro's rotating pairs in. */
export interface TokenManager extends RefreshingBearer {
  readonly store: TokenStore;
}

/**
 * Allegro's bearer tokens on core's one refreshing bearer (`makeRefreshingBearer`): the token
 * endpoint `POST /auth/oauth/token?grant_type=refresh_token&refresh_token=…` authenticated with
 * HTTP Basic (client id and secret), a rotating refresh token in every answer, each new pair
 * saved in the `TokenStore` before it is used.
 */
export const makeTokenManager = (
  options: TokenManagerOptions,
): Effect.Effect<TokenManager, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function* () {
    // Allegro rotates refresh tokens: one kept only in memory is spent after a restart.
    if (options.store === undefined) {
      yield* Effect.logWarning(
        "allegro: no tokenStore configured; rotated refresh tokens live in memory and a restart will need the seller to authorize again",
      );
    }
    const store = options.store ?? memoryGrantStore();
    const basic = Buffer.from(
      `${options.clientId}:${Redacted.value(options.clientSecret)}`,
    ).toString("base64");
    const tokenHttp = yield* makeMarketplaceHttp({
      marketplace: ALLEGRO,
      baseUrl: options.authBaseUrl,
      authenticate: headerAuth("authorization", Redacted.make(`Basic ${basic}`)),
      userAgent: options.userAgent,
    });
    const bearer = yield* makeRefreshingBearer({
      marketplace: ALLEGRO,
      grants: store,
      refreshToken: options.refreshToken,
      tokenHttp,
      tokenRequest: (refreshToken) => ({
        method: "POST",
        path: "/auth/oauth/token",
        query: { grant_type: "refresh_token", refresh_token: Redacted.value(refreshToken) },
      }),
      rotating: true,
      margin: options.marginMillis ?? 60_000,
    });
    return { ...bearer, store } satisfies TokenManager;
  });
