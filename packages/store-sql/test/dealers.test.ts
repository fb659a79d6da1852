import {
  type AdsyncError,
  createDealersAdsync,
  type DealerStores,
  type EventFeed,
  keyValueDealerCredentialsLayer,
} from "@adsync/core";
import type { KeyValueStore } from "@effect/platform";
import { Effect, Layer } from "effect";
import { describe, expect, it } from "vitest";
import { blocketMarketplace } from "../../blocket/src/index.ts";
import { blocketReadyAd } from "../../core/test/support/sample-ad.ts";
import { type BlocketFake, startBlocketFake } from "../../sandbox/src/index.ts";
import { openDealerCredentials, openDealerStores } from "../src/facade.ts";
import {
  pgDealerStores,
  pgKeyValueStore,
  sqliteDealerStores,
  sqliteKeyValueStore,
} from "../src/layers.ts";
import { postgresDatabase, sqliteDatabase, type TestDatabase } from "./support/databases.ts";

/*
 * The embedded path for many dealers on a real PostgreSQL (the package's test server), and on
 * one SQLite file (the embedded default): dealers' credentials in `adsync_kv`, every dealer's
 * store on one pool, each dealer's adapter built from
 * the Blocket descriptor with its own token and dealer code, against the Blocket fake on
 * loopback (manual clock: its processing never runs on its own).
 */

/** A database and the layers of each dialect over it. */
interface Backend {
  readonly name: string;
  readonly database: TestDatabase;
  readonly keyValues: (location: string) => Layer.Layer<KeyValueStore.KeyValueStore, AdsyncError>;
  readonly dealerStores: (location: string) => Layer.Layer<DealerStores | EventFeed, AdsyncError>;
}

const dealers = [
  { dealer: "d-a", token: "token-a", dealerCode: "DEALER_A" },
  { dealer: "d-b", token: "token-b", dealerCode: "DEALER_B" },
] as const;

/** The fake, both dealers' sections in the database, and adsync over the same database. */
const start = async ({ database, keyValues, dealerStores }: Backend) => {
  const url = database.location();
  const fake = await startBlocketFake({
    clock: "manual",
    tokens: dealers.map(({ token, dealerCode }) => ({
      token,
      scope: "dealer_code" as const,
      dealerCodes: [dealerCode],
    })),
  });
  const credentials = await openDealerCredentials(keyValues(url));
  for (const { dealer, token, dealerCode } of dealers)
    await credentials.putSection(dealer, "blocket", {
      baseUrl: fake.url,
      token,
      tokenScope: "dealer_code",
      dealerCode,
      apiVersion: "v4",
    });
  await credentials.close();
  const adsync = createDealersAdsync({
    marketplaces: [blocketMarketplace],
    credentials: keyValueDealerCredentialsLayer.pipe(Layer.provide(keyValues(url))),
    stores: dealerStores(url),
  });
  const stores = await openDealerStores(dealerStores(url));
  return { fake, adsync, stores };
};

const withWorld = async (
  backend: Backend,
  test: (world: Awaited<ReturnType<typeof start>>) => Promise<void>,
) => {
  await Effect.runPromise(backend.database.empty);
  const world = await start(backend);
  try {
    await test(world);
  } finally {
    await world.adsync.close();
    await world.stores.close();
    await world.fake.close();
  }
};

const postsOf = (fake: BlocketFake) =>
  fake.requests
    .filter((request) => request.method === "POST")
    .map((request) => request.headers["x-auth-token"]);

const dealerTests = (backend: Backend) =>
  describe(`many dealers embedded, on ${backend.name} and the Blocket fake`, () => {
    it("two dealers publishing the same ad id on the same marketplace stay separate end to end", () =>
      withWorld(backend, async ({ fake, adsync, stores }) => {
        const [first, second] = await Promise.all(
          dealers.map(({ dealer }) =>
            adsync.dealer(dealer).publish(blocketReadyAd("car-1"), { to: ["blocket"] }),
          ),
        );
        expect(first?.outcomes.map((each) => each.result)).toStrictEqual(["accepted"]);
        expect(second?.outcomes.map((each) => each.result)).toStrictEqual(["accepted"]);

        // Two ads on the marketplace, each under its dealer's code, each sent with its token.
        expect(fake.ad("car-1", "DEALER_A")).toBeDefined();
        expect(fake.ad("car-1", "DEALER_B")).toBeDefined();
        expect([...postsOf(fake)].sort()).toStrictEqual(["token-a", "token-b"]);

        // Two listings in the store, each dealer's own; each dealer's events are its own.
        for (const { dealer } of dealers) {
          const store = await stores.storeFor(dealer);
          const listings = await store.list();
          expect(listings.map((each) => [each.adId, each.marketplace])).toStrictEqual([
            ["car-1", "blocket"],
          ]);
          const events = await store.events("car-1");
          expect(events.length).toBeGreaterThan(0);
          expect(events.every((each) => each.dealer === dealer)).toBe(true);
          const status = await adsync.dealer(dealer).status("car-1");
          expect(status.map((each) => each.state.operation?.status)).toStrictEqual(["pending"]);
        }
        const [a, b] = await Promise.all(
          dealers.map(
            async ({ dealer }) =>
              (await (await stores.storeFor(dealer)).get("car-1", "blocket"))?.state.operation?.id,
          ),
        );
        expect(a).toBeDefined();
        expect(a).not.toBe(b);

        // The log across dealers: every event once, numbered 1…n, each naming its dealer.
        const { events, cursor } = await adsync.events();
        expect(events.map((each) => each.seq)).toStrictEqual(events.map((_, index) => index + 1));
        expect(cursor).toBe(events.length);
        expect(new Set(events.map((each) => each.dealer))).toStrictEqual(new Set(["d-a", "d-b"]));
        expect(await stores.lastSeq()).toBe(events.length);

        // The fake finishes processing: each dealer's refresh sees its own ad live.
        fake.processing.flush();
        for (const { dealer } of dealers) {
          const refreshed = await adsync.dealer(dealer).refresh("car-1");
          expect(refreshed.map((each) => each.state.presence)).toStrictEqual(["live"]);
        }
      }));

    it("one dealer's revoked token fails only that dealer: the other's publish in the same run succeeds", () =>
      withWorld(backend, async ({ fake, adsync, stores }) => {
        expect(fake.revokeToken("token-b")).toBe(true);
        const [first, second] = await Promise.all(
          dealers.map(({ dealer }) =>
            adsync.dealer(dealer).publish(blocketReadyAd("car-2"), { to: ["blocket"] }),
          ),
        );

        expect(first?.outcomes.map((each) => each.result)).toStrictEqual(["accepted"]);
        expect(second?.outcomes.map((each) => [each.result, each.reason])).toStrictEqual([
          ["failed", "Unauthorized"],
        ]);
        expect(fake.ad("car-2", "DEALER_A")).toBeDefined();
        expect(fake.ad("car-2", "DEALER_B")).toBeUndefined();
        const storeA = await stores.storeFor("d-a");
        const storeB = await stores.storeFor("d-b");
        expect((await storeA.get("car-2", "blocket"))?.state.operation?.status).toBe("pending");
        // Refused at its first request (the reference lists, before any write): d-b's store
        // holds nothing of car-2, and every event of the run is d-a's.
        expect(await storeB.get("car-2", "blocket")).toBeUndefined();
        expect(await storeB.events("car-2")).toStrictEqual([]);
        const { events } = await adsync.events();
        expect(events.map((each) => [each.dealer, each.observation._tag])).toStrictEqual([
          ["d-a", "Started"],
          ["d-a", "Accepted"],
        ]);
        // A publish by d-b of the ad it already has stays refused; d-a's next one still goes out.
        const again = await adsync
          .dealer("d-b")
          .publish(blocketReadyAd("car-1"), { to: ["blocket"] });
        expect(again.outcomes.map((each) => each.reason)).toStrictEqual(["Unauthorized"]);
        const other = await adsync
          .dealer("d-a")
          .publish(blocketReadyAd("car-3"), { to: ["blocket"] });
        expect(other.outcomes.map((each) => each.result)).toStrictEqual(["accepted"]);
        expect(postsOf(fake)).toStrictEqual(["token-a", "token-a"]);
      }));
  });

dealerTests({
  name: "PostgreSQL",
  database: postgresDatabase(),
  keyValues: (url) => pgKeyValueStore({ url }),
  dealerStores: (url) => pgDealerStores({ url, maxConnections: 4 }),
});
// The embedded default: the same API on one SQLite file, nothing to run.
dealerTests({
  name: "SQLite",
  database: sqliteDatabase(),
  keyValues: (filename) => sqliteKeyValueStore({ filename }),
  dealerStores: (filename) => sqliteDealerStores({ filename }),
});
