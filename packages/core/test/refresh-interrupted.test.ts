import { HttpClientRequest } from "@effect/platform";
import { describe, expect, it } from "@effect/vitest";
import { Deferred, Effect, Exit, Fiber, Option, Redacted, Ref } from "effect";
import {
  type GrantStore,
  type HttpRequest,
  type HttpResponse,
  type MarketplaceHttp,
  makeRefreshingBearer,
  memoryGrantStore,
} from "../src/index.ts";

/*
 * A rotating refresh (Allegro's: the old refresh token is spent when the endpoint answers)
 * whose caller is interrupted while the request is in flight — as a worker handing its shards
 * over interrupts the operations it runs. The refresh must still take the answer and save it:
 * dropped, the next refresh would send the spent token and the dealer would be locked out.
 */

const rotatingEndpoint = Effect.gen(function* () {
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
        // The marketplace applies the refresh as soon as it is received…
        const next = `rt-${Number(valid.slice(3)) + 1}`;
        if (token === valid) yield* Ref.set(current, next);
        yield* Deferred.succeed(received, undefined);
        // …and its answer takes a while to come back.
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
        ) as HttpResponse;
      }),
  };
  return { http, sent, received, gate };
});

describe("a rotating refresh whose caller is interrupted mid-flight", () => {
  it.effect(
    "still takes the answer and saves the new grant; the next request refreshes nothing",
    () =>
      Effect.gen(function* () {
        const endpoint = yield* rotatingEndpoint;
        const saved = yield* Deferred.make<void>();
        const memory = memoryGrantStore();
        const grants: GrantStore = {
          load: memory.load,
          save: (grant) => Effect.zipRight(memory.save(grant), Deferred.succeed(saved, undefined)),
        };
        const bearer = yield* makeRefreshingBearer({
          marketplace: "allegro",
          grants,
          refreshToken: Redacted.make("rt-0"),
          tokenHttp: endpoint.http,
          tokenRequest: (refreshToken) => ({
            method: "POST",
            path: "/auth/oauth/token",
            query: { grant_type: "refresh_token", refresh_token: Redacted.value(refreshToken) },
          }),
          rotating: true,
        });
        const request = HttpClientRequest.get("https://allegro.example/sale/offers");
        const caller = yield* Effect.fork(bearer.authenticate(request));
        yield* Deferred.await(endpoint.received);
        // The caller goes away with the refresh in flight.
        const exit = yield* Fiber.interrupt(caller);
        expect(Exit.isInterrupted(exit)).toBe(true);
        yield* Deferred.succeed(endpoint.gate, undefined);
        // The refresh goes on without it and saves what the marketplace answered.
        yield* Deferred.await(saved);
        expect(
          Option.map(yield* grants.load, (grant) => Redacted.value(grant.refreshToken)),
        ).toEqual(Option.some("rt-1"));
        const next = yield* bearer.authenticate(request);
        expect(next.headers.authorization).toBe("Bearer at-1");
        expect(yield* Ref.get(endpoint.sent)).toEqual(["rt-0"]);
      }),
  );
});
