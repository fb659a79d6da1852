import {
  AdsyncError,
  type Authenticate,
  countTokenRefresh,
  type MarketplaceHttp,
} from "@adsync/core";
import { HttpClientRequest } from "@effect/platform";
import { Clock, Duration, Effect, Either, Redacted, Ref, Schema } from "effect";
import type { MarktplaatsAuthConfig, OAuthTokens } from "./config.ts";
import { WireTokens } from "./wire.ts";

/**
 * OAuth2 bearer tokens as authentication.rst describes them: an access token that expires
 * ("the token will expire after 24 hours", while the example answers `"expires_in": 43199`;
 * we trust `expires_in`, decision D12) and a refresh token that "will not expire", exchanged
 * with `POST /accounts/oauth/token?grant_type=refresh_token&refresh_token=…&client_id=…&
 * client_secret=…`. The answer "has the same structure" and carries a refresh token again,
 * which replaces ours and is handed to `onTokens` to be saved.
 */
export interface TokenSource {
  /** Core's `Authenticate` hook: a valid bearer token, refreshed first when it has expired. */
  readonly authenticate: Authenticate;
  /** After a 401: the token is treated as expired, so the next request refreshes it. */
  readonly invalidate: Effect.Effect<void>;
  /** The tokens held now (for tests and for a DMS that persists them itself). */
  readonly current: Effect.Effect<OAuthTokens | undefined>;
}

interface Held {
  readonly accessToken: Redacted.Redacted<string> | undefined;
  readonly refreshToken: Redacted.Redacted<string>;
  readonly expiresAt: number;
}

export const makeTokenSource = (
  config: MarktplaatsAuthConfig,
  tokenHttp: MarketplaceHttp,
): Effect.Effect<TokenSource> =>
  Effect.gen(function* () {
    const state = yield* Ref.make<Held>({
      accessToken: config.accessToken,
      refreshToken: config.refreshToken,
      expiresAt: config.accessToken === undefined ? 0 : (config.accessTokenExpiresAt ?? 0),
    });
    // One refresh at a time: concurrent requests that find the token expired wait for it.
    const lock = yield* Effect.makeSemaphore(1);
    const margin = Duration.toMillis(Duration.decode(config.refreshMargin ?? "60 seconds"));

    const refresh = (held: Held) =>
      Effect.gen(function* () {
        const response = yield* tokenHttp.request({
          method: "POST",
          path: "",
          query: {
            grant_type: "refresh_token",
            refresh_token: Redacted.value(held.refreshToken),
            client_id: config.clientId,
            client_secret: Redacted.value(config.clientSecret),
          },
        });
        const decoded = Schema.decodeUnknownEither(WireTokens)(response.body);
        if (response.status !== 200 || Either.isLeft(decoded)) {
          return yield* Effect.fail(
            new AdsyncError({
              reason: response.status === 200 ? "InvalidResponse" : "Unauthorized",
              marketplace: tokenHttp.marketplace,
              operation: "refresh token",
              status: response.status,
              message: `${tokenHttp.marketplace}: the token endpoint answered ${response.status}; the refresh token may have been revoked`,
            }),
          );
        }
        const now = yield* Clock.currentTimeMillis;
        const tokens: OAuthTokens = {
          accessToken: Redacted.make(decoded.right.access_token),
          refreshToken:
            decoded.right.refresh_token === undefined
              ? held.refreshToken
              : Redacted.make(decoded.right.refresh_token),
          expiresAt: now + (decoded.right.expires_in ?? 43_199) * 1000,
        };
        if (config.onTokens !== undefined) yield* config.onTokens(tokens);
        yield* Ref.set(state, { ...tokens });
        return tokens.accessToken;
      }).pipe(countTokenRefresh(tokenHttp.marketplace));

    const validToken = lock.withPermits(1)(
      Effect.gen(function* () {
        const held = yield* Ref.get(state);
        const now = yield* Clock.currentTimeMillis;
        if (held.accessToken !== undefined && now < held.expiresAt - margin)
          return held.accessToken;
        return yield* refresh(held);
      }),
    );

    return {
      authenticate: (request) =>
        Effect.map(validToken, (token) =>
          HttpClientRequest.bearerToken(request, Redacted.value(token)),
        ),
      invalidate: Ref.update(state, (held) => ({ ...held, expiresAt: 0 })),
      current: Effect.map(Ref.get(state), (held) =>
        held.accessToken === undefined
          ? undefined
          : {
              accessToken: held.accessToken,
              refreshToken: held.refreshToken,
              expiresAt: held.expiresAt,
            },
      ),
    } satisfies TokenSource;
  });
