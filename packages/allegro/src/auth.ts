import {
  AdsyncError,
  type Authenticate,
  countTokenRefresh,
  headerAuth,
  type MarketplaceHttp,
  makeMarketplaceHttp,
} from "@adsync/core";
import { type HttpClient, HttpClientRequest } from "@effect/platform";
import { Clock, Effect, Option, Redacted, Schema, type Scope } from "effect";
import { ALLEGRO } from "./config.ts";
import { memoryTokenStore, type TokenPair, type TokenStore } from "./token-store.ts";

/** The token endpoint's answer (OAuth 2.0 RFC 6749 §5.1), decoded leniently. */
const TokenAnswer = Schema.Struct({
  access_token: Schema.String,
  refresh_token: Schema.String,
  expires_in: Schema.Number,
});

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

export interface TokenManager {
  /** Sets the bearer token (refreshing it first when it expires) and Allegro's media type. */
  readonly authenticate: Authenticate;
  /** Forgets an access token the API refused with 401, so the next request refreshes. */
  readonly invalidate: (accessToken: string) => Effect.Effect<void, AdsyncError>;
  readonly store: TokenStore;
}

/**
 * Bearer tokens for the seller, refreshed on expiry with the rotating refresh token. One
 * refresh at a time (a semaphore): concurrent requests wait for it instead of spending the
 * same refresh token twice, and the new pair is saved before any request uses it.
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
    const store = options.store ?? memoryTokenStore();
    const margin = options.marginMillis ?? 60_000;
    const basic = Buffer.from(
      `${options.clientId}:${Redacted.value(options.clientSecret)}`,
    ).toString("base64");
    const http: MarketplaceHttp = yield* makeMarketplaceHttp({
      marketplace: ALLEGRO,
      baseUrl: options.authBaseUrl,
      authenticate: headerAuth("authorization", Redacted.make(`Basic ${basic}`)),
      userAgent: options.userAgent,
    });
    const lock = yield* Effect.makeSemaphore(1);

    const refresh = (refreshToken: Redacted.Redacted<string>) =>
      Effect.gen(function* () {
        // A refresh whose answer is lost may have rotated the token already: never resend it
        // blindly (retry: false); the caller sees the failure and the dealer re-authorizes.
        const response = yield* http.request({
          method: "POST",
          path: "/auth/oauth/token",
          query: { grant_type: "refresh_token", refresh_token: Redacted.value(refreshToken) },
          retry: false,
        });
        if (response.status !== 200) {
          return yield* new AdsyncError({
            reason: "Unauthorized",
            marketplace: ALLEGRO,
            operation: "POST /auth/oauth/token",
            status: response.status,
            message: `token refresh refused (${response.status}): the seller must authorize again`,
          });
        }
        const answer = yield* Schema.decodeUnknown(TokenAnswer)(response.body).pipe(
          Effect.mapError(
            () =>
              new AdsyncError({
                reason: "InvalidResponse",
                marketplace: ALLEGRO,
                operation: "POST /auth/oauth/token",
                message: "token answer without access_token, refresh_token or expires_in",
              }),
          ),
        );
        const now = yield* Clock.currentTimeMillis;
        const pair: TokenPair = {
          accessToken: Redacted.make(answer.access_token),
          refreshToken: Redacted.make(answer.refresh_token),
          expiresAt: now + answer.expires_in * 1000,
        };
        yield* store.save(pair);
        return pair;
      }).pipe(countTokenRefresh(ALLEGRO));

    const validToken = lock.withPermits(1)(
      Effect.gen(function* () {
        const saved = yield* store.load;
        const now = yield* Clock.currentTimeMillis;
        if (Option.isSome(saved) && saved.value.expiresAt - margin > now) return saved.value;
        const refreshToken = Option.isSome(saved) ? saved.value.refreshToken : options.refreshToken;
        return yield* refresh(refreshToken);
      }),
    );

    return {
      store,
      authenticate: (request) =>
        Effect.map(validToken, (pair) =>
          HttpClientRequest.bearerToken(request, Redacted.value(pair.accessToken)),
        ),
      invalidate: (accessToken) =>
        lock.withPermits(1)(
          Effect.gen(function* () {
            const saved = yield* store.load;
            if (Option.isNone(saved) || Redacted.value(saved.value.accessToken) !== accessToken)
              return;
            yield* store.save({ ...saved.value, expiresAt: 0 });
          }),
        ),
    } satisfies TokenManager;
  });
