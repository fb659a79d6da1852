import {
  type Authenticate,
  type GrantStore,
  type MarketplaceHttp,
  makeRefreshingBearer,
} from "@adsync/core";
import { Effect, Option, Redacted, Ref } from "effect";
import type { MarktplaatsAuthConfig, OAuthTokens } from "./config.ts";

/**
 * OAuth2 bearer tokens as authentication.rst describes them, on core's one refreshing bearer
 * (`makeRefreshingBearer`): an access token that expires ("the token will expire after 24
 * hours", while the example answers `"expires_in": 43199`; we trust `expires_in`, decision
 * D12, and assume 43199 when it is absent) and a refresh token that "will not expire",
 * exchanged with `POST /accounts/oauth/token?grant_type=refresh_token&refresh_token=…&
 * client_id=…&client_secret=…`. The answer "has the same structure" and usually carries a
 * refresh token again, which replaces ours (kept when absent) and is handed to `onTokens` to
 * be saved before it is used.
 */
export interface TokenSource {
  /** Core's `Authenticate` hook: a valid bearer token; a 401 refreshes and replays once. */
  readonly authenticate: Authenticate;
  /** The current token is treated as refused, so the next request refreshes it. */
  readonly invalidate: Effect.Effect<void>;
  /** The tokens held now (for tests and for a DMS that persists them itself). */
  readonly current: Effect.Effect<OAuthTokens | undefined>;
}

export const makeTokenSource = (
  config: MarktplaatsAuthConfig,
  tokenHttp: MarketplaceHttp,
): Effect.Effect<TokenSource> =>
  Effect.gen(function* () {
    const held = yield* Ref.make(
      config.accessToken === undefined
        ? Option.none<OAuthTokens>()
        : Option.some<OAuthTokens>({
            accessToken: config.accessToken,
            refreshToken: config.refreshToken,
            expiresAt: config.accessTokenExpiresAt ?? 0,
          }),
    );
    // The port: in memory, each new pair handed to `onTokens` first.
    const grants: GrantStore = {
      load: Ref.get(held),
      save: (tokens) =>
        Effect.zipRight(
          config.onTokens === undefined ? Effect.void : config.onTokens(tokens),
          Ref.set(held, Option.some(tokens)),
        ),
    };
    const bearer = yield* makeRefreshingBearer({
      marketplace: tokenHttp.marketplace,
      grants,
      refreshToken: config.refreshToken,
      tokenHttp,
      tokenRequest: (refreshToken) => ({
        method: "POST",
        path: "",
        query: {
          grant_type: "refresh_token",
          refresh_token: Redacted.value(refreshToken),
          client_id: config.clientId,
          client_secret: Redacted.value(config.clientSecret),
        },
      }),
      defaultExpiresIn: 43_199,
      margin: config.refreshMargin,
    });
    return {
      authenticate: bearer.authenticate,
      invalidate: Effect.orDie(bearer.invalidate()),
      current: Effect.map(Ref.get(held), Option.getOrUndefined),
    } satisfies TokenSource;
  });
