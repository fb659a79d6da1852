import { FetchHttpClient } from "@effect/platform";
import { describe, expect, it } from "@effect/vitest";
import {
  Deferred,
  Effect,
  Exit,
  Fiber,
  HashMap,
  Layer,
  Logger,
  Option,
  Redacted,
  Schema,
  Scope,
  Stream,
  TestClock,
  Tracer,
} from "effect";
import { storeConformance } from "../../store-sqlite/test/store-conformance.ts";
import {
  createDealersAdsync,
  DealerAdapters,
  DealerCredentials,
  DealerPublishers,
  type DealerSections,
  DealerStores,
  dealerAdaptersLayer,
  dealerPublishersLayer,
  defineMarketplace,
  EventFeed,
  HttpTenant,
  headerAuth,
  httpTransportLayer,
  type MarketplaceHttp,
  makeMarketplaceHttp,
  makeMemoryDealerStores,
  memoryDealerCredentials,
  memoryDealerCredentialsLayer,
  memoryDealerStoresLayer,
  type PublishResult,
  Secret,
} from "../src/index.ts";
import { type Behaviour, type Fake, fakeAdapter, refOf, settled } from "./fake-adapter.ts";
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
      // The same log followed (`followFeed`): from a cursor, leaving the loop stops it.
      const followed: Array<string> = [];
      for await (const event of adsync.follow({ after: 1, interval: "20 millis" })) {
        followed.push(`${event.seq}:${event.dealer}`);
        if (followed.length === 3) break;
      }
      expect(followed).toStrictEqual(["2:d-1", "3:d-2", "4:d-2"]);
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

/** What the dealers' adapters and publishers did: for the tests below. */
interface World {
  /** `dealer/marketplace` of each adapter built, and of each adapter closed. */
  readonly built: Array<string>;
  readonly closed: Array<string>;
  /** Every adapter built (its calls). */
  readonly fakes: Array<Fake>;
  /** How many publishers were built (each reads its dealer's store once). */
  publishers: number;
}

const newWorld = (): World => ({ built: [], closed: [], fakes: [], publishers: 0 });

/** A marketplace `id` whose adapter is core's fake, built per dealer from a section with a token. */
const fakeMarketplace = (
  id: string,
  world: World,
  behaviour: (http: MarketplaceHttp) => Behaviour = () => ({}),
) =>
  defineMarketplace({
    id,
    label: id,
    capabilities: fakeAdapter(id).adapter.capabilities,
    configSchema: Schema.Struct({ token: Secret }),
    make: (section) =>
      Effect.gen(function* () {
        const dealer = Option.getOrUndefined(yield* Effect.serviceOption(HttpTenant))?.dealer;
        const name = `${dealer}/${id}`;
        world.built.push(name);
        yield* Effect.addFinalizer(() => Effect.sync(() => world.closed.push(name)));
        const http = yield* makeMarketplaceHttp({
          marketplace: id,
          baseUrl: "http://127.0.0.1:9",
          authenticate: headerAuth("X-Auth-Token", section.token),
        });
        const fake = fakeAdapter(id, behaviour(http));
        world.fakes.push(fake);
        return fake.adapter;
      }),
  });

/** The creates sent to a marketplace, every adapter of it together. */
const createsOn = (world: World, marketplace: string) =>
  world.fakes
    .filter((fake) => fake.adapter.id === marketplace)
    .flatMap((fake) => fake.callsOf("create").map((call) => call.ad?.id));

/** Each dealer's memory store, counting the publishers built (each asks for its store once). */
const countedStores = (world: World) =>
  Layer.unwrapEffect(
    Effect.sync(() => {
      const { stores, feed } = makeMemoryDealerStores();
      return Layer.merge(
        Layer.succeed(DealerStores, {
          storeFor: (dealer: string) =>
            Effect.suspend(() => {
              world.publishers += 1;
              return stores.storeFor(dealer);
            }),
        }),
        Layer.succeed(EventFeed, feed),
      );
    }),
  );

const codesOf = (result: PublishResult) =>
  result.outcomes.map((outcome) => outcome.issues[0]?.code ?? outcome.result);

describe("a marketplace connected after the dealer's publisher was built", () => {
  it("is published to on the next call, with no reconnect; one still not connected is not", async () => {
    const world = newWorld();
    const credentials = Effect.runSync(
      memoryDealerCredentials({ "d-1": { testmarket: { token: "token-1" } } }),
    );
    const adsync = createDealersAdsync({
      marketplaces: ["testmarket", "othermarket", "thirdmarket"].map((id) =>
        fakeMarketplace(id, world),
      ),
      credentials: Layer.succeed(DealerCredentials, credentials),
      stores: countedStores(world),
    });
    try {
      const dealer = adsync.dealer("d-1");
      expect(codesOf(await dealer.publish(sampleAd, { to: ["testmarket"] }))).toStrictEqual([
        "accepted",
      ]);
      // Not connected yet: unsupported, nothing built or sent, the publisher not rebuilt.
      expect(codesOf(await dealer.publish(sampleAd, { to: ["othermarket"] }))).toStrictEqual([
        "unsupported",
      ]);
      expect(world.publishers).toBe(1);
      expect(world.built).toStrictEqual(["d-1/testmarket"]);

      // The DMS connects the dealer to othermarket (its section in the credentials store), and
      // says nothing else: the cached publisher is rebuilt once, and the ad goes out.
      Effect.runSync(credentials.putSection("d-1", "othermarket", { token: "token-2" }));
      expect(codesOf(await dealer.publish(sampleAd, { to: ["othermarket"] }))).toStrictEqual([
        "accepted",
      ]);
      expect(createsOn(world, "othermarket")).toStrictEqual(["ad-1"]);
      expect(world.publishers).toBe(2);
      expect(world.built).toStrictEqual(["d-1/testmarket", "d-1/othermarket"]);

      // A target still not connected stays unsupported, call after call, with no rebuild.
      for (let call = 0; call < 3; call++)
        expect(
          codesOf(await dealer.publish(sampleAd, { to: ["othermarket", "thirdmarket"] })),
        ).toStrictEqual(["unchanged", "unsupported"]);
      expect(world.publishers).toBe(2);
      expect(createsOn(world, "thirdmarket")).toStrictEqual([]);
      // The rebuilt publisher has both: the first listing was kept (same store, same adapter).
      expect(
        codesOf(await dealer.publish(sampleAd, { to: ["testmarket", "othermarket"] })),
      ).toStrictEqual(["unchanged", "unchanged"]);
      expect(createsOn(world, "testmarket")).toStrictEqual(["ad-1"]);
      expect(world.publishers).toBe(2);
    } finally {
      await adsync.close();
    }
  });
});

/**
 * The first create sent to testmarket waits, mid-request, until `release` (`entered` once it
 * waits); any later create goes through at once.
 */
const firstCreateHeld = (world: World) =>
  Effect.map(Effect.all([Deferred.make<void>(), Deferred.make<void>()]), ([entered, gate]) => ({
    entered: Deferred.await(entered),
    release: Deferred.succeed(gate, undefined),
    behaviour: (): Behaviour => ({
      create: (ad) =>
        Effect.as(
          Effect.suspend(() =>
            createsOn(world, "testmarket").length === 1
              ? Effect.zipRight(Deferred.succeed(entered, undefined), Deferred.await(gate))
              : Effect.void,
          ),
          settled(refOf("testmarket", ad.id), "live"),
        ),
    }),
  }));

describe("DealerPublishers under invalidation", () => {
  const layerOf = (
    world: World,
    behaviour: (http: MarketplaceHttp) => Behaviour,
    owner?: string | undefined,
  ) =>
    dealerPublishersLayer({ marketplaces: ["testmarket"], idleTimeToLive: "1 minute", owner }).pipe(
      Layer.provideMerge(
        dealerAdaptersLayer({
          marketplaces: [fakeMarketplace("testmarket", world, behaviour)],
          idleTimeToLive: "1 minute",
        }),
      ),
      Layer.provideMerge(memoryDealerCredentialsLayer(sections)),
      Layer.provideMerge(countedStores(world)),
      Layer.provide(FetchHttpClient.layer),
    );

  /** A dealer's publishers whose first create waits until released (`firstCreateHeld`). */
  const withFirstCreateHeld = (owner?: string) =>
    Effect.gen(function* () {
      const world = newWorld();
      const first = yield* firstCreateHeld(world);
      const context = yield* Layer.build(layerOf(world, first.behaviour, owner));
      const publishers = yield* Effect.provide(DealerPublishers, context);
      return { world, first, context, publishers };
    });

  it.scoped(
    "an operation in flight finishes on its publisher and adapter; the next use gets the new one, which stays",
    () =>
      Effect.gen(function* () {
        const { world, first, context, publishers } = yield* withFirstCreateHeld();
        const adapters = yield* Effect.provide(DealerAdapters, context);
        const held = yield* Effect.fork(
          publishers.withPublisher("d-1", (publisher) =>
            publisher.publish({ ...sampleAd, id: "ad-held" }, { to: ["testmarket"] }),
          ),
        );
        yield* first.entered;

        // The dealer reconnects (as `createDealersAdsync`'s `reconnect`) while the create runs.
        yield* adapters.invalidate("d-1", "testmarket");
        yield* publishers.invalidate("d-1");
        expect(world.closed).toStrictEqual([]);

        // Meanwhile another call builds the new publisher (and adapter), and is done with it.
        const other = yield* publishers.withPublisher("d-1", (publisher) =>
          publisher.publish({ ...sampleAd, id: "ad-other" }, { to: ["testmarket"] }),
        );
        expect(codesOf(other)).toStrictEqual(["accepted"]);
        expect(world.publishers).toBe(2);
        expect(world.built).toStrictEqual(["d-1/testmarket", "d-1/testmarket"]);
        expect(world.closed).toStrictEqual([]);

        // The held operation completes normally, on the adapter it started on...
        yield* first.release;
        const result = yield* Fiber.join(held);
        expect(codesOf(result)).toStrictEqual(["accepted"]);
        expect(world.fakes[0]?.callsOf("create").map((call) => call.ad?.id)).toStrictEqual([
          "ad-held",
        ]);
        // ...and the old publisher and adapter close as soon as it lets go (not after the idle
        // time): one adapter closed, the new one open.
        expect(world.closed).toStrictEqual(["d-1/testmarket"]);

        // The new publisher stays cached while used: past the old one's idle time it is still
        // the one every call gets (the old entry's timer must not drop its successor).
        const scope = yield* Scope.make();
        const current = yield* Scope.extend(publishers.publisherFor("d-1"), scope);
        yield* TestClock.adjust("90 seconds");
        const next = yield* Effect.scoped(publishers.publisherFor("d-1"));
        expect(next).toBe(current);
        expect(world.publishers).toBe(2);
        expect(world.closed).toStrictEqual(["d-1/testmarket"]);
        yield* Scope.close(scope, Exit.void);
      }),
  );

  it.scoped(
    "with a fixed owner, the rebuilt publisher does not take the old one's running operation for abandoned",
    () =>
      Effect.gen(function* () {
        const { world, first, publishers } = yield* withFirstCreateHeld("worker-1");
        const publish = publishers.withPublisher("d-1", (publisher) =>
          publisher.publish(sampleAd, { to: ["testmarket"] }),
        );
        const held = yield* Effect.fork(publish);
        yield* first.entered;
        yield* publishers.invalidate("d-1");

        // The same listing through the new publisher, same owner name: busy, nothing sent.
        const meanwhile = yield* publish;
        expect(world.publishers).toBe(2);
        expect(
          meanwhile.outcomes.map((each) => [each.result, each.reason, each.retryable]),
        ).toStrictEqual([["failed", "Conflict", true]]);
        expect(createsOn(world, "testmarket")).toStrictEqual(["ad-1"]);

        yield* first.release;
        expect(codesOf(yield* Fiber.join(held))).toStrictEqual(["accepted"]);
        expect(codesOf(yield* publish)).toStrictEqual(["unchanged"]);
        expect(createsOn(world, "testmarket")).toStrictEqual(["ad-1"]);
      }),
  );

  it.scoped("every log line and span of a dealer's call names the dealer", () =>
    Effect.gen(function* () {
      const world = newWorld();
      const logs: Array<{ level: string; message: unknown; dealer: unknown }> = [];
      const logger = Logger.make(({ logLevel, message, annotations }) => {
        logs.push({
          level: logLevel.label,
          message,
          dealer: Option.getOrUndefined(HashMap.get(annotations, "dealer")),
        });
      });
      // The marketplace answers every create 503 (not retried): core's HTTP client warns.
      const transport = {
        send: () => Promise.resolve({ status: 503, headers: {}, text: "down" }),
      };
      const context = yield* Layer.build(
        layerOf(world, (http) => ({
          create: () =>
            Effect.as(
              http.request({ method: "POST", path: "/ads", retry: false }),
              settled(refOf("testmarket", "never"), "live"),
            ),
        })).pipe(Layer.provide(httpTransportLayer(transport))),
      );
      const publishers = yield* Effect.provide(DealerPublishers, context);
      // Effect's own tracer, each span kept: spans are made only when a tracer is installed.
      const spans: Array<Tracer.Span> = [];
      const native = yield* Effect.tracer;
      const tracer = Tracer.make({
        span: (...args) => {
          const span = native.span(...args);
          spans.push(span);
          return span;
        },
        context: native.context,
      });
      const withLogs = Layer.merge(
        Logger.replace(Logger.defaultLogger, logger),
        Layer.setTracer(tracer),
      );

      // The worker's way: `withPublisher`, logs of the caller's own included.
      const viaWith = yield* publishers
        .withPublisher("d-1", (publisher) =>
          Effect.zipLeft(
            publisher.publish(sampleAd, { to: ["testmarket"] }),
            Effect.logInfo("published"),
          ),
        )
        .pipe(Effect.provide(withLogs));
      // The embedded client's way: the publisher from `publisherFor`, its methods called later.
      const publisher = yield* publishers.publisherFor("d-2");
      const viaFor = yield* publisher
        .publish(sampleAd, { to: ["testmarket"] })
        .pipe(Effect.provide(withLogs));

      // A stream of the dealer's publisher: what runs while it is pulled names the dealer too.
      yield* publisher.watch({ after: 0 }).pipe(
        Stream.take(1),
        Stream.tap(() => Effect.logInfo("watched")),
        Stream.runDrain,
        Effect.provide(withLogs),
      );

      expect([...viaWith.outcomes, ...viaFor.outcomes].map((each) => each.result)).toStrictEqual([
        "failed",
        "failed",
      ]);
      const warnings = logs.filter((log) => log.level === "WARN");
      expect(warnings.map((log) => log.dealer)).toStrictEqual(["d-1", "d-2"]);
      expect(String(warnings[0]?.message)).toContain("503");
      expect(logs.find((log) => String(log.message) === "published")?.dealer).toBe("d-1");
      expect(logs.find((log) => String(log.message) === "watched")?.dealer).toBe("d-2");
      expect(logs.every((log) => log.dealer !== undefined)).toBe(true);
      // The publisher's spans and its HTTP client's, for each dealer.
      const named = (dealer: string) =>
        spans
          .filter((span) => span.attributes.get("adsync.dealer") === dealer)
          .map((span) => span.name);
      expect(named("d-1")).toEqual(
        expect.arrayContaining(["adsync.publish", "adsync.publish.listing", "http.client POST"]),
      );
      expect(named("d-2")).toEqual(
        expect.arrayContaining(["adsync.publish", "adsync.publish.listing", "http.client POST"]),
      );
      expect(spans.every((span) => span.attributes.has("adsync.dealer"))).toBe(true);
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
