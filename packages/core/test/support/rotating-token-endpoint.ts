import { Deferred, Effect, Ref } from "effect";
import type { HttpRequest, HttpResponse, MarketplaceHttp } from "../../src/index.ts";

/**
 * A rotating OAuth token endpoint, as Allegro's: each refresh token works once (`rt-0`, then
 * `rt-1`, …; access tokens `at-1`, …), a spent one is answered 400 `invalid_grant`. Every answer
 * waits for `gate`; `received` is done at the first request, `sent` lists the refresh tokens sent.
 * The refresh is applied when the request arrives (as the marketplace does), before its answer.
 */
export const rotatingTokenEndpoint = Effect.gen(function* () {
  const current = yield* Ref.make("rt-0");
  const sent = yield* Ref.make<ReadonlyArray<string>>([]);
  const received = yield* Deferred.make<void>();
  const gate = yield* Deferred.make<void>();
  const http: MarketplaceHttp = {
    marketplace: "allegro",
    request: (request: HttpRequest) =>
      Effect.gen(function* () {
        const token = String(request.query?.refresh_token);
        yield* Ref.update(sent, (all) => [...all, token]);
        const valid = yield* Ref.get(current);
        const next = `rt-${Number(valid.slice(3)) + 1}`;
        if (token === valid) yield* Ref.set(current, next);
        yield* Deferred.succeed(received, undefined);
        yield* Deferred.await(gate);
        return (
          token === valid
            ? {
                status: 200,
                headers: {},
                body: {
                  access_token: `at-${next.slice(3)}`,
                  refresh_token: next,
                  expires_in: 3600,
                },
              }
            : { status: 400, headers: {}, body: { error: "invalid_grant" } }
        ) satisfies HttpResponse;
      }),
  };
  return { http, sent, received, gate };
});

/** The refresh request of Allegro's token endpoint, for `makeRefreshingBearer`. */
export const refreshRequest = (refreshToken: string): HttpRequest => ({
  method: "POST",
  path: "/auth/oauth/token",
  query: { grant_type: "refresh_token", refresh_token: refreshToken },
});
