import { HttpClientRequest } from "@effect/platform";
import { Clock, Duration, Effect, Fiber, Option, Redacted, Ref, Schema } from "effect";
import type { GrantStore, OAuthGrant } from "../adapter/descriptor.ts";
import { AdsyncError, certainlyUnapplied } from "../errors.ts";
import { countTokenRefresh } from "../observability/metrics.ts";
import type { Authenticate, HttpRequest, MarketplaceHttp } from "./marketplace-http.ts";
import { isSuccessStatus } from "./status-reason.ts";

/** A grant store held in memory (one atomic reference): for tests and short runs. */
export const memoryGrantStore = (initial?: OAuthGrant): GrantStore => {
  const reference = Ref.unsafeMake<Option.Option<OAuthGrant>>(Option.fromNullable(initial));
  return {
    load: Ref.get(reference),
    save: (grant) => Ref.set(reference, Option.some(grant)),
  };
};

/** A token endpoint's answer (RFC 6749 §5.1), read leniently: unknown keys are ignored. */
const TokenAnswer = Schema.Struct({
  access_token: Schema.String,
  refresh_token: Schema.optional(Schema.String),
  expires_in: Schema.optional(Schema.Number),
});

export interface RefreshingBearerOptions {
  /** Marketplace id, for errors, logs and the token-refresh metric. */
  readonly marketplace: string;
  /**
   * The credentials port: where the grant is loaded from before each use and where every new
   * one is saved, durably, before its access token is used. Loaded each time, so processes
   * sharing one store see each other's rotations.
   */
  readonly grants: GrantStore;
  /** The refresh token to start from while `grants` holds nothing (the configured one). */
  readonly refreshToken: Redacted.Redacted<string>;
  /** Where refresh requests go (its own `MarketplaceHttp`: base URL, client authentication). */
  readonly tokenHttp: MarketplaceHttp;
  /**
   * The refresh request, e.g. `POST /token?grant_type=refresh_token&refresh_token=…`. Always
   * sent with `retry: "unapplied"`: a refresh whose answer was lost may have rotated the refresh
   * token already, so it is never sent again blindly.
   */
  readonly tokenRequest: (refreshToken: Redacted.Redacted<string>) => HttpRequest;
  /**
   * Whether every answer carries a new refresh token (the old one is then spent: Allegro). When
   * false, an answer without one keeps the old (Marktplaats). Default false. A rotating refresh
   * token whose refresh lost its answer is never sent again (`Unauthorized` instead: sending a
   * spent one may make the marketplace revoke the whole grant).
   */
  readonly rotating?: boolean | undefined;
  /** Seconds an access token lives when the answer has no `expires_in` (default 3600). */
  readonly defaultExpiresIn?: number | undefined;
  /** Refresh this long before the access token expires, so no request races it (60 s). */
  readonly margin?: Duration.DurationInput | undefined;
}

/** An OAuth bearer that refreshes itself: `authenticate` for `MarketplaceHttpOptions`. */
export interface RefreshingBearer {
  /**
   * Sets `Authorization: Bearer …`, refreshing first when the token is absent, refused or
   * within the margin of its expiry. Its `refused` hook makes `MarketplaceHttp` refresh and
   * replay a request answered 401, once.
   */
  readonly authenticate: Authenticate;
  /** Stops using this access token (default: the current one); the next request refreshes. */
  readonly invalidate: (accessToken?: string) => Effect.Effect<void, AdsyncError>;
  /** The grant the port holds now. */
  readonly current: Effect.Effect<Option.Option<OAuthGrant>, AdsyncError>;
  readonly grants: GrantStore;
}

/**
 * The one refreshing OAuth bearer of adsync (refresh-token grant, RFC 6749 §6). One refresh at
 * a time (a semaphore): concurrent requests that find the token stale wait for the refresh in
 * flight instead of spending the same refresh token twice. The new grant is saved through the
 * port before any request uses it; a refresh the token endpoint refuses is `Unauthorized` (the
 * dealer must authorize again). Marketplaces differ only by options: how the refresh request
 * is built and authenticated, whether the refresh token rotates, the default lifetime.
 */
export const makeRefreshingBearer = (
  options: RefreshingBearerOptions,
): Effect.Effect<RefreshingBearer> =>
  Effect.gen(function* () {
    const lock = yield* Effect.makeSemaphore(1);
    // The access token the marketplace last refused; never used again.
    const refusedToken = yield* Ref.make<string | undefined>(undefined);
    // A rotating refresh token whose refresh may have been applied without our seeing the
    // answer (timeout, dropped connection, 5xx, a new pair we could not save): never sent again.
    const doubtfulToken = yield* Ref.make<string | undefined>(undefined);
    const margin = Duration.toMillis(Duration.decode(options.margin ?? "60 seconds"));
    const operation = "refresh token";
    const { marketplace, grants } = options;

    const refresh = (refreshToken: Redacted.Redacted<string>) =>
      Effect.gen(function* () {
        if ((yield* Ref.get(doubtfulToken)) === Redacted.value(refreshToken)) {
          return yield* new AdsyncError({
            reason: "Unauthorized",
            marketplace,
            operation,
            message: `${marketplace} ${operation}: an earlier refresh with this refresh token lost its answer and may have rotated it; it is not sent again, the dealer must authorize again`,
          });
        }
        const response = yield* options.tokenHttp.request({
          ...options.tokenRequest(refreshToken),
          retry: "unapplied",
        });
        if (!isSuccessStatus(response.status)) {
          return yield* new AdsyncError({
            reason: "Unauthorized",
            marketplace,
            operation,
            status: response.status,
            message: `${marketplace} ${operation}: the token endpoint refused it (${response.status}); the refresh token may have been revoked and the dealer must authorize again`,
          });
        }
        const answer = yield* Schema.decodeUnknown(TokenAnswer)(response.body).pipe(
          Effect.mapError(
            () =>
              new AdsyncError({
                reason: "InvalidResponse",
                marketplace,
                operation,
                status: response.status,
                message: `${marketplace} ${operation}: an answer without access_token`,
              }),
          ),
        );
        if (options.rotating === true && answer.refresh_token === undefined) {
          return yield* new AdsyncError({
            reason: "InvalidResponse",
            marketplace,
            operation,
            status: response.status,
            message: `${marketplace} ${operation}: an answer without the rotated refresh_token`,
          });
        }
        const now = yield* Clock.currentTimeMillis;
        const grant: OAuthGrant = {
          accessToken: Redacted.make(answer.access_token),
          refreshToken:
            answer.refresh_token === undefined ? refreshToken : Redacted.make(answer.refresh_token),
          expiresAt: now + (answer.expires_in ?? options.defaultExpiresIn ?? 3600) * 1000,
        };
        // Saved before use: the refresh token it replaces may be spent already.
        yield* grants.save(grant);
        return grant;
      }).pipe(
        Effect.tapError((error) =>
          options.rotating === true && error.reason !== "Unauthorized" && !certainlyUnapplied(error)
            ? Ref.set(doubtfulToken, Redacted.value(refreshToken))
            : Effect.void,
        ),
        countTokenRefresh(marketplace),
      );

    /** The saved grant, when its access token is neither refused nor near its expiry. */
    const usableGrant = Effect.gen(function* () {
      const saved = yield* grants.load;
      const now = yield* Clock.currentTimeMillis;
      const refused = yield* Ref.get(refusedToken);
      const usable =
        Option.isSome(saved) &&
        saved.value.expiresAt - margin > now &&
        Redacted.value(saved.value.accessToken) !== refused;
      return { saved, usable };
    });

    // Under the store's cross-process lock when it has one: the grant is read again once the
    // lock is held, so a process that waited for another's refresh uses the grant that one
    // saved instead of sending the refresh token it rotated away.
    const refreshed = Effect.flatMap(usableGrant, ({ saved, usable }) =>
      Option.isSome(saved) && usable
        ? Effect.succeed(saved.value)
        : refresh(Option.isSome(saved) ? saved.value.refreshToken : options.refreshToken),
    );

    // One refresh at a time in this process (the semaphore), and across processes when the
    // store has a lock (`exclusive`); the grant is read again once both are held.
    const refreshAlone = lock.withPermits(1)(
      Effect.flatMap(usableGrant, ({ saved, usable }) =>
        Option.isSome(saved) && usable
          ? Effect.succeed(saved.value)
          : grants.exclusive === undefined
            ? refreshed
            : grants.exclusive(refreshed),
      ),
    );

    // A refresh, once begun, runs to its end in a fiber of its own, whatever happens to the
    // caller: interrupted with its request in flight (a worker handing its shards over interrupts
    // the operations it runs), the caller would drop an answer whose refresh token the
    // marketplace has already rotated (Allegro spends the old one), and the next refresh would
    // send the spent token: the dealer locked out. The caller only stops waiting; the request's
    // own timeout still bounds the refresh. A usable saved grant is answered without a fiber.
    const validGrant = Effect.flatMap(usableGrant, ({ saved, usable }) =>
      Option.isSome(saved) && usable
        ? Effect.succeed(saved.value)
        : Effect.flatMap(Effect.forkDaemon(refreshAlone), Fiber.join),
    );

    const invalidate = (accessToken?: string) =>
      accessToken === undefined
        ? Effect.flatMap(grants.load, (saved) =>
            Ref.set(
              refusedToken,
              Option.isSome(saved) ? Redacted.value(saved.value.accessToken) : undefined,
            ),
          )
        : Ref.set(refusedToken, accessToken);

    const authenticate: Authenticate = Object.assign(
      (request: HttpClientRequest.HttpClientRequest) =>
        Effect.map(validGrant, (grant) =>
          HttpClientRequest.bearerToken(request, Redacted.value(grant.accessToken)),
        ),
      {
        refused: (sent: HttpClientRequest.HttpClientRequest) =>
          invalidate(sent.headers.authorization?.replace(/^Bearer /i, "") ?? ""),
      },
    );

    return { authenticate, invalidate, current: grants.load, grants } satisfies RefreshingBearer;
  });
