import {
  AdsyncError,
  DealerAdapters,
  DealerCredentials,
  type DealerCredentialsStore,
  type DealerSections,
  dealerAdaptersLayer,
  type MarketplaceAdapter,
  memoryDealerCredentials,
  VehicleAd,
  VehicleCategory,
} from "@adsync/core";
import {
  ALLEGRO_SANDBOX_CLIENT_ID,
  ALLEGRO_SANDBOX_CLIENT_SECRET,
  MARKTPLAATS_SANDBOX_CLIENT,
  startAllegroFake,
  startBlocketFake,
  startMarktplaatsFake,
} from "@adsync/sandbox";
import { NodeHttpClient } from "@effect/platform-node";
import { describe, expect, it } from "@effect/vitest";
import { Effect, Either, Layer, Option, Redacted, Schema } from "effect";
import { blocketReadyAd } from "../../core/test/support/sample-ad.ts";
import { defaultRegistry } from "../src/registry.ts";
import { testUserAgent } from "./sandbox-configs.ts";

/** The registry's own descriptors, as a DMS offering every marketplace would list them. */
const marketplaces = defaultRegistry.map((entry) => entry.descriptor);

/** Core's sample car with what Blocket requires beside, decoded. */
const adFor = (id: string) => Schema.decodeUnknownSync(VehicleAd)(blocketReadyAd(id));

/** Publishes `ad` with the adapter as the publisher would: warm up, prepare, create. */
const create = (adapter: MarketplaceAdapter, id: string) =>
  Effect.gen(function* () {
    const ad = adFor(id);
    yield* adapter.warmUp ?? Effect.void;
    const prepared = adapter.prepare(ad);
    if (Either.isLeft(prepared))
      return yield* new AdsyncError({
        reason: "Invalid",
        operation: "prepare",
        message: JSON.stringify(prepared.left),
      });
    return yield* adapter.create(ad, prepared.right, { operationId: `op-${id}`, resumed: false });
  });

const layerOver = (sections: DealerSections) => {
  const store = Effect.runSync(memoryDealerCredentials(sections));
  const layer = dealerAdaptersLayer({ marketplaces, userAgent: testUserAgent }).pipe(
    Layer.provideMerge(Layer.succeed(DealerCredentials, store)),
    Layer.provide(NodeHttpClient.layerUndici),
  );
  return { store, layer };
};

/** Warms the dealer's adapter up: for the OAuth marketplaces, a request with its bearer. */
const warmUp = (dealer: string, marketplace: string) =>
  Effect.flatMap(DealerAdapters, (dealers) =>
    dealers.withAdapter(dealer, marketplace, (adapter) => adapter.warmUp ?? Effect.void),
  );

/** The grant the dealer's store holds, rotated from `refreshToken`. */
const grantIn = (
  store: DealerCredentialsStore,
  dealer: string,
  marketplace: string,
  refreshToken: string,
) =>
  store.grantStore(dealer, marketplace, {
    tokenUrl: "",
    clientId: "",
    refreshToken: Redacted.make(refreshToken),
  }).load;

/** Runs `use` on a fake started for it, closed afterwards. */
const onFake = <F extends { close(): Promise<void> }, A, E, R>(
  start: () => Promise<F>,
  use: (fake: F) => Effect.Effect<A, E, R>,
) =>
  Effect.acquireUseRelease(Effect.promise(start), use, (fake) =>
    Effect.promise(() => fake.close()),
  );

describe("dealers on the sandbox", () => {
  it.live(
    "Blocket: each dealer's ads go out with its own token and dealer code; a revoked token fails only its dealer",
    () =>
      onFake(
        () =>
          startBlocketFake({
            processingDelayMs: 5,
            tokens: [
              { token: "token-a", scope: "dealer_code", dealerCodes: ["DEALER_A"] },
              { token: "token-b", scope: "dealer_code", dealerCodes: ["DEALER_B"] },
            ],
          }),
        (fake) => {
          const section = (token: string, dealerCode: string) => ({
            baseUrl: fake.url,
            token,
            tokenScope: "dealer_code",
            dealerCode,
            apiVersion: "v4",
          });
          const { layer } = layerOver({
            "dealer-a": { blocket: section("token-a", "DEALER_A") },
            "dealer-b": { blocket: section("token-b", "DEALER_B") },
          });
          return Effect.gen(function* () {
            const dealers = yield* DealerAdapters;
            const publish = (dealer: string, id: string) =>
              dealers.withAdapter(dealer, "blocket", (adapter) => create(adapter, id));
            // The same ad id for both dealers: two ads, one per dealer.
            yield* publish("dealer-a", "car-1");
            yield* publish("dealer-b", "car-1");
            expect(fake.ad("car-1", "DEALER_A")).toBeDefined();
            expect(fake.ad("car-1", "DEALER_B")).toBeDefined();
            const posts = fake.requests.filter((request) => request.method === "POST");
            expect(posts.map((request) => request.headers["x-auth-token"])).toEqual([
              "token-a",
              "token-b",
            ]);

            expect(fake.revokeToken("token-b")).toBe(true);
            const refused = yield* Effect.flip(publish("dealer-b", "car-2"));
            expect(refused.reason).toBe("Unauthorized");
            yield* publish("dealer-a", "car-2");
            expect(fake.ad("car-2", "DEALER_A")).toBeDefined();
            expect(fake.ad("car-2", "DEALER_B")).toBeUndefined();
          }).pipe(Effect.provide(layer));
        },
      ),
    30_000,
  );

  it.live(
    "Allegro: a dealer whose refresh token the marketplace refuses fails alone; the other's grant rotates into its own store",
    () =>
      onFake(
        () => startAllegroFake({ refreshTokens: ["refresh-a"] }),
        (fake) => {
          const section = (refreshToken: string) => ({
            baseUrl: fake.url,
            clientId: ALLEGRO_SANDBOX_CLIENT_ID,
            clientSecret: ALLEGRO_SANDBOX_CLIENT_SECRET,
            refreshToken,
            // Named roots are what `warmUp` loads (a request with the dealer's token).
            rootCategories: Object.fromEntries(
              VehicleCategory.literals.map((category) => [category, "4029"]),
            ),
          });
          // Dealer B's refresh token was revoked (the fake does not know it).
          const { store, layer } = layerOver({
            "dealer-a": { allegro: section("refresh-a") },
            "dealer-b": { allegro: section("refresh-b") },
          });
          const warm = (dealer: string) => warmUp(dealer, "allegro");
          const grantOf = (dealer: string, refreshToken: string) =>
            grantIn(store, dealer, "allegro", refreshToken);
          return Effect.gen(function* () {
            const refused = yield* Effect.flip(warm("dealer-b"));
            expect(refused.reason).toBe("Unauthorized");
            yield* warm("dealer-a");
            const saved = yield* grantOf("dealer-a", "refresh-a");
            expect(Option.isSome(saved)).toBe(true);
            // Rotated: the fake holds exactly the refresh token dealer A's store saved.
            expect(fake.validRefreshTokens()).toEqual(
              Option.toArray(Option.map(saved, (grant) => Redacted.value(grant.refreshToken))),
            );
            expect(Option.isNone(yield* grantOf("dealer-b", "refresh-b"))).toBe(true);
            // Dealer B still fails; dealer A still works, from its stored grant.
            expect((yield* Effect.flip(warm("dealer-b"))).reason).toBe("Unauthorized");
            yield* warm("dealer-a");
          }).pipe(Effect.provide(layer));
        },
      ),
    30_000,
  );

  it.live(
    "Marktplaats: a dealer whose refresh token the marketplace refuses fails alone; the other's grant is kept in its own store",
    () =>
      onFake(
        () => startMarktplaatsFake(),
        (fake) => {
          const section = (refreshToken: string) => ({
            baseUrl: fake.url,
            tokenUrl: fake.tokenUrl,
            clientId: MARKTPLAATS_SANDBOX_CLIENT.clientId,
            clientSecret: MARKTPLAATS_SANDBOX_CLIENT.clientSecret,
            refreshToken,
          });
          const valid = MARKTPLAATS_SANDBOX_CLIENT.refreshToken;
          const { store, layer } = layerOver({
            "dealer-a": { marktplaats: section(valid) },
            "dealer-b": { marktplaats: section("revoked-refresh-token") },
          });
          return Effect.gen(function* () {
            const refused = yield* Effect.flip(warmUp("dealer-b", "marktplaats"));
            expect(refused.reason).toBe("Unauthorized");
            yield* warmUp("dealer-a", "marktplaats");
            expect(Option.isSome(yield* grantIn(store, "dealer-a", "marktplaats", valid))).toBe(
              true,
            );
            expect(
              Option.isNone(
                yield* grantIn(store, "dealer-b", "marktplaats", "revoked-refresh-token"),
              ),
            ).toBe(true);
          }).pipe(Effect.provide(layer));
        },
      ),
    30_000,
  );
});
