import { DealerCredentials, type MarketplaceHttp, makeRefreshingBearer } from "@adsync/core";
import { HttpClientRequest } from "@effect/platform";
import { describe, expect, it } from "@effect/vitest";
import { Context, Deferred, Effect, Fiber, Layer, Option, Redacted, Ref, Schedule } from "effect";
import {
  refreshRequest,
  rotatingTokenEndpoint,
} from "../../core/test/support/rotating-token-endpoint.ts";
import { sqlDealerCredentialsLayer } from "../src/grant-locks.ts";
import { pgClientLayer } from "../src/layers.ts";
import { lockWaiters, postgresDatabase } from "./support/databases.ts";

/*
 * Two workers using one dealer's rotating grant (Allegro's: a refresh token is spent when the
 * token endpoint answers) find its access token stale at the same moment. Each has its own
 * connection and its own refreshing bearer over `sqlDealerCredentialsLayer`. The token endpoint
 * holds the first refresh's answer until the other worker waits at the grant's lock in
 * PostgreSQL; then it answers. The other must use the grant the first saved, not send the
 * spent refresh token (which the endpoint, as Allegro, refuses).
 */

const database = postgresDatabase();
const configured = {
  tokenUrl: "https://allegro.example/auth/oauth/token",
  clientId: "client-1",
  refreshToken: Redacted.make("rt-0"),
};

/** The dealers' credentials as a worker holds them, on a pool of its own. */
const workerCredentials = (client = database.client()) =>
  Effect.map(Layer.build(sqlDealerCredentialsLayer.pipe(Layer.provide(client))), (context) =>
    Context.get(context, DealerCredentials),
  );

/** One worker's bearer for a dealer's Allegro grant, on a pool of its own. */
const workerBearer = (
  http: MarketplaceHttp,
  credentials = workerCredentials(),
  dealer = "dealer-1",
) =>
  Effect.gen(function* () {
    const grants = (yield* credentials).grantStore(dealer, "allegro", configured);
    return yield* makeRefreshingBearer({
      marketplace: "allegro",
      grants,
      refreshToken: configured.refreshToken,
      tokenHttp: http,
      tokenRequest: (refreshToken) => refreshRequest(Redacted.value(refreshToken)),
      rotating: true,
    });
  });

const bearerOf = (bearer: Effect.Effect.Success<ReturnType<typeof workerBearer>>) =>
  Effect.map(
    bearer.authenticate(HttpClientRequest.get("https://allegro.example/sale/offers")),
    (request) => request.headers.authorization,
  );

describe("a rotating grant shared by two workers on PostgreSQL", () => {
  it.scoped("is refreshed once: the worker that waited at the lock uses the saved grant", () =>
    Effect.gen(function* () {
      yield* database.empty;
      const endpoint = yield* rotatingTokenEndpoint;
      const first = yield* workerBearer(endpoint.http);
      const second = yield* workerBearer(endpoint.http);
      const a = yield* Effect.fork(bearerOf(first));
      yield* Deferred.await(endpoint.received);
      const b = yield* Effect.fork(bearerOf(second));
      // Fails (times out) without the lock: the second sends its refresh instead of waiting.
      yield* Effect.provide(lockWaiters, database.client()).pipe(
        Effect.repeat({ schedule: Schedule.spaced("20 millis"), until: (count) => count >= 1 }),
        Effect.timeout("30 seconds"),
      );
      yield* Deferred.succeed(endpoint.gate, undefined);
      expect(yield* Fiber.join(a)).toBe("Bearer at-1");
      expect(yield* Fiber.join(b)).toBe("Bearer at-1");
      expect(yield* Ref.get(endpoint.sent)).toEqual(["rt-0"]);
      const saved = yield* second.current;
      expect(Option.map(saved, (grant) => Redacted.value(grant.refreshToken))).toEqual(
        Option.some("rt-1"),
      );
    }),
  );

  it.scoped(
    "many dealers refreshing at once on a small pool all get through (no pool deadlock)",
    () =>
      Effect.gen(function* () {
        yield* database.empty;
        // Two connections for four refreshes: each refresh holds one connection (its
        // transaction, lock, read and save), never two, so the pool cannot wait on itself.
        const credentials = yield* workerCredentials(
          pgClientLayer({ url: database.location(), maxConnections: 2 }),
        );
        const dealers = ["d-1", "d-2", "d-3", "d-4"];
        const bearers = yield* Effect.forEach(dealers, (dealer) =>
          Effect.gen(function* () {
            const endpoint = yield* rotatingTokenEndpoint;
            yield* Deferred.succeed(endpoint.gate, undefined);
            return yield* workerBearer(endpoint.http, Effect.succeed(credentials), dealer);
          }),
        );
        const headers = yield* Effect.forEach(bearers, bearerOf, { concurrency: "unbounded" }).pipe(
          Effect.timeout("60 seconds"),
        );
        expect(headers).toEqual(dealers.map(() => "Bearer at-1"));
      }),
  );
});
