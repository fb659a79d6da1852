import { HttpClientRequest } from "@effect/platform";
import { describe, expect, it } from "@effect/vitest";
import { Deferred, Effect, Exit, Fiber, Option, Redacted, Ref } from "effect";
import { type GrantStore, makeRefreshingBearer, memoryGrantStore } from "../src/index.ts";
import { refreshRequest, rotatingTokenEndpoint } from "./support/rotating-token-endpoint.ts";

/*
 * A rotating refresh (Allegro's: the old refresh token is spent when the endpoint answers)
 * whose caller is interrupted while the request is in flight — as a worker handing its shards
 * over interrupts the operations it runs. The refresh must still take the answer and save it:
 * dropped, the next refresh would send the spent token and the dealer would be locked out.
 */

describe("a rotating refresh whose caller is interrupted mid-flight", () => {
  it.effect(
    "still takes the answer and saves the new grant; the next request refreshes nothing",
    () =>
      Effect.gen(function* () {
        const endpoint = yield* rotatingTokenEndpoint;
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
          tokenRequest: (refreshToken) => refreshRequest(Redacted.value(refreshToken)),
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
