import { FetchHttpClient } from "@effect/platform";
import { describe, expect, it } from "@effect/vitest";
import { Effect, Layer, Option, Redacted, Schema, TestClock } from "effect";
import { storeConformance } from "../../store-sqlite/test/store-conformance.ts";
import {
  createDealersAdsync,
  DealerCredentials,
  DealerPublishers,
  type DealerSections,
  DealerStores,
  dealerAdaptersLayer,
  dealerPublishersLayer,
  defineMarketplace,
  EventFeed,
  HttpTenant,
  makeMemoryDealerStores,
  memoryDealerCredentials,
  memoryDealerCredentialsLayer,
  memoryDealerStoresLayer,
  Secret,
} from "../src/index.ts";
import { fakeAdapter } from "./fake-adapter.ts";
import { sampleAd } from "./support/sample-ad.ts";

/** What each built adapter was: the dealer it was built for and the token of its section. */
interface Built {
  readonly dealer: string | undefined;
  readonly token: string;
}

/** A marketplace whose adapter is core's fake, built per dealer from a section with a token. */
const testMarketplace = (built: Array<Built>) =>
  defineMarketplace({
    id: "testmarket",
    label: "Testmarket",
    capabilities: fakeAdapter("testmarket").adapter.capabilities,
    configSchema: Schema.Struct({ token: Secret }),
    make: (section) =>
      Effect.gen(function* () {
        const dealer = Option.getOrUndefined(yield* Effect.serviceOption(HttpTenant))?.dealer;
        built.push({ dealer, token: Redacted.value(section.token) });
        return fakeAdapter("testmarket").adapter;
      }),
  });

const sections: DealerSections = {
  "d-1": { testmarket: { token: "token-1" } },
  "d-2": { testmarket: { token: "token-2" } },
  // Connected to nothing.
  "d-3": {},
};

describe("createDealersAdsync: many dealers embedded, in memory", () => {
  it("keeps two dealers' listings of one ad id apart, each event naming its dealer", async () => {
    const built: Array<Built> = [];
    const credentials = Effect.runSync(memoryDealerCredentials(sections));
    const adsync = createDealersAdsync({
      marketplaces: [testMarketplace(built)],
      credentials: Layer.succeed(DealerCredentials, credentials),
      stores: memoryDealerStoresLayer,
    });
    try {
      const first = await adsync.dealer("d-1").publish(sampleAd, { to: ["testmarket"] });
      const second = await adsync.dealer("d-2").publish(sampleAd, { to: ["testmarket"] });
      expect(first.outcomes.map((each) => each.result)).toStrictEqual(["accepted"]);
      expect(second.outcomes.map((each) => each.result)).toStrictEqual(["accepted"]);
      // Each dealer's adapter, built once from its own section.
      expect(built).toStrictEqual([
        { dealer: "d-1", token: "token-1" },
        { dealer: "d-2", token: "token-2" },
      ]);

      // d-1 again: its own listing is there (unchanged), d-2's did not overwrite it.
      const again = await adsync.dealer("d-1").publish(sampleAd, { to: ["testmarket"] });
      expect(again.outcomes.map((each) => each.result)).toStrictEqual(["unchanged"]);
      expect(built).toHaveLength(2);

      // The log across dealers: global numbers, each event naming its dealer.
      const { events, cursor } = await adsync.events();
      expect(events.map((each) => each.dealer)).toStrictEqual(["d-1", "d-1", "d-2", "d-2"]);
      expect(events.map((each) => each.seq)).toStrictEqual([1, 2, 3, 4]);
      expect(cursor).toBe(4);
      expect((await adsync.events({ after: 4 })).cursor).toBe(4);
      // A dealer's own page is its part of that log.
      const own = await adsync.dealer("d-2").events();
      expect(own.events.map((each) => [each.seq, each.dealer])).toStrictEqual([
        [3, "d-2"],
        [4, "d-2"],
      ]);

      // A dealer connected to nothing: the target is unknown to it, nothing built or sent.
      const unconnected = await adsync.dealer("d-3").publish(sampleAd, { to: ["testmarket"] });
      expect(unconnected.outcomes.map((each) => each.issues[0]?.code)).toStrictEqual([
        "unsupported",
      ]);
      expect(await adsync.dealer("d-3").status("ad-1")).toStrictEqual([]);

      // d-3 connects the marketplace: after `reconnect`, its publisher is built with it.
      Effect.runSync(credentials.putSection("d-3", "testmarket", { token: "token-3" }));
      await adsync.reconnect("d-3");
      const connected = await adsync.dealer("d-3").publish(sampleAd, { to: ["testmarket"] });
      expect(connected.outcomes.map((each) => each.result)).toStrictEqual(["accepted"]);
      expect(built.at(-1)).toStrictEqual({ dealer: "d-3", token: "token-3" });
    } finally {
      await adsync.close();
    }
  });
});

describe("DealerPublishers", () => {
  const layer = (built: Array<Built>) =>
    dealerPublishersLayer({ marketplaces: ["testmarket"], idleTimeToLive: "1 minute" }).pipe(
      Layer.provideMerge(
        dealerAdaptersLayer({ marketplaces: [testMarketplace(built)], idleTimeToLive: "1 minute" }),
      ),
      Layer.provideMerge(memoryDealerCredentialsLayer(sections)),
      Layer.provideMerge(memoryDealerStoresLayer),
      Layer.provide(FetchHttpClient.layer),
    );

  it.scoped("caches one publisher per dealer, closed once idle and rebuilt on the next use", () =>
    Effect.gen(function* () {
      const built: Array<Built> = [];
      const context = yield* Layer.build(layer(built));
      const publishers = yield* Effect.provide(DealerPublishers, context);
      const [one, two] = yield* Effect.scoped(
        Effect.all([publishers.publisherFor("d-1"), publishers.publisherFor("d-1")]),
      );
      expect(one).toBe(two);
      yield* publishers.withPublisher("d-1", (publisher) =>
        publisher.publish(sampleAd, { to: ["testmarket"] }),
      );
      expect(built).toHaveLength(1);

      // Idle for longer than the publisher's time to live, then the adapter's (its own timer
      // starts when the publisher lets go of it): both are closed.
      yield* TestClock.adjust("2 minutes");
      yield* TestClock.adjust("2 minutes");
      const [rebuilt, status] = yield* publishers.withPublisher("d-1", (publisher) =>
        Effect.map(publisher.status("ad-1"), (status) => [publisher, status] as const),
      );
      // Rebuilt (its adapter too), on the same store: the listing is still there.
      expect(rebuilt).not.toBe(one);
      expect(built).toHaveLength(2);
      expect(status.map((each) => each.marketplace)).toStrictEqual(["testmarket"]);
      const stores = yield* Effect.provide(DealerStores, context);
      const store = yield* stores.storeFor("d-1");
      expect((yield* store.events("ad-1")).every((each) => each.dealer === "d-1")).toBe(true);
      const feed = yield* Effect.provide(EventFeed, context);
      expect(yield* feed.lastSeq).toBe(2);
    }),
  );
});

// Each dealer's memory store (on the log it shares with every dealer) passes the store contract,
// naming its dealer on every event.
storeConformance(
  "memory, one dealer's store of DealerStores",
  Effect.flatMap(
    Effect.sync(() => makeMemoryDealerStores().stores),
    (stores) => stores.storeFor("d-1"),
  ),
  Effect.sync(() => {
    const { stores } = makeMemoryDealerStores();
    return stores.storeFor("d-1");
  }),
  { dealer: "d-1" },
);
