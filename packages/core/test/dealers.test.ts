import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient";
import { describe, expect, it } from "@effect/vitest";
import {
  Context,
  Effect,
  Either,
  Fiber,
  Layer,
  Option,
  RateLimiter,
  Redacted,
  TestClock,
} from "effect";
import {
  Adapters,
  circuitBreakersLayer,
  createDealerAdapters,
  createDealerCredentials,
  DealerAdapters,
  type DealerAdaptersOptions,
  DealerCredentials,
  type DealerSections,
  dealerAdaptersLayer,
  dealerAdaptersLayerFor,
  headerAuth,
  httpTransportLayer,
  keyValueDealerCredentials,
  type LimiterKey,
  type Limiters,
  makeMarketplaceHttp,
  memoryDealerCredentials,
  type RateLimit,
  SecretEnvironment,
  type TransportRequest,
} from "../src/index.ts";
import { type Log, pingMarketplace } from "./support/ping-marketplace.ts";

/** A marketplace on a scripted transport: 200 for a token it knows, else 401. */
const world = (
  sections: DealerSections,
  options: Partial<DealerAdaptersOptions> & {
    readonly breakers?: boolean;
    readonly environment?: Readonly<Record<string, string>>;
  } = {},
) => {
  const log: Log = { built: [], closed: [] };
  const sent: Array<TransportRequest> = [];
  const valid = new Set(["token-a", "token-b"]);
  const transport = {
    send: (request: TransportRequest) => {
      sent.push(request);
      const token = request.headers["x-auth-token"] ?? "";
      return Promise.resolve({ status: valid.has(token) ? 200 : 401, headers: {}, text: "" });
    },
  };
  const store = Effect.runSync(memoryDealerCredentials(sections));
  const credentials = Layer.succeed(DealerCredentials, store);
  const layer = dealerAdaptersLayer({
    marketplaces: [pingMarketplace(log)],
    idleTimeToLive: "1 minute",
    ...options,
  }).pipe(
    Layer.provideMerge(credentials),
    Layer.provide(
      Layer.mergeAll(
        NodeHttpClient.layerUndici,
        httpTransportLayer(transport),
        options.breakers === true ? circuitBreakersLayer({ authFailureThreshold: 2 }) : Layer.empty,
        options.environment === undefined
          ? Layer.empty
          : Layer.succeed(SecretEnvironment, options.environment),
      ),
    ),
  );
  const ping = (dealer: string) =>
    Effect.flatMap(DealerAdapters, (dealers) =>
      dealers.withAdapter(dealer, "testmarket", (adapter) => adapter.warmUp ?? Effect.void),
    );
  const tokensSent = () => sent.map((request) => request.headers["x-auth-token"]);
  return { log, sent, valid, store, transport, layer, ping, tokensSent };
};

const twoDealers: DealerSections = {
  "dealer-a": { testmarket: { token: "token-a" } },
  "dealer-b": { testmarket: { token: "token-b" } },
};

/**
 * Waits (in real ticks: the test clock stands still) until `count()` reaches `at`, then a few
 * ticks more so that anything else able to go has gone; generous on a loaded machine.
 */
const until = (count: () => number, at: number) =>
  Effect.promise(async () => {
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    for (let waited = 0; count() < at && waited < 100_000; waited++) await tick();
    for (let more = 0; more < 50; more++) await tick();
  });

describe("dealer adapters", () => {
  it.effect("each dealer's adapter is built from its own section and sends its own token", () => {
    const test = world(twoDealers);
    return Effect.gen(function* () {
      yield* test.ping("dealer-a");
      yield* test.ping("dealer-b");
      yield* test.ping("dealer-a");
      expect(test.tokensSent()).toEqual(["token-a", "token-b", "token-a"]);
      // One adapter per dealer, built once and named for it.
      expect(test.log.built).toEqual(["dealer-a", "dealer-b"]);
      const built = yield* Effect.flatMap(DealerAdapters, (dealers) => dealers.built);
      expect(built).toHaveLength(2);
    }).pipe(Effect.provide(test.layer));
  });

  it.effect("one dealer's revoked token fails only that dealer, and opens only its breaker", () => {
    const test = world(twoDealers, { breakers: true });
    return Effect.gen(function* () {
      yield* test.ping("dealer-a");
      yield* test.ping("dealer-b");
      test.valid.delete("token-b");
      const refused = yield* Effect.flip(test.ping("dealer-b"));
      expect(refused.reason).toBe("Unauthorized");
      yield* test.ping("dealer-a");
      // A second refusal opens dealer B's (dealer, marketplace) breaker: its next request is
      // not sent; dealer A's requests still are.
      yield* Effect.flip(test.ping("dealer-b"));
      const before = test.sent.length;
      const open = yield* Effect.flip(test.ping("dealer-b"));
      expect(open.reason).toBe("CircuitOpen");
      expect(test.sent.length).toBe(before);
      yield* test.ping("dealer-a");
      expect(test.sent.length).toBe(before + 1);
      expect(test.tokensSent().at(-1)).toBe("token-a");
    }).pipe(Effect.provide(test.layer));
  });

  it.effect("an idle adapter is closed after the idle time and rebuilt on its next use", () => {
    const test = world(twoDealers);
    return Effect.gen(function* () {
      yield* test.ping("dealer-a");
      yield* TestClock.adjust("59 seconds");
      yield* test.ping("dealer-a");
      // Used again within the idle time: the same adapter, its idle time starting over.
      yield* TestClock.adjust("59 seconds");
      expect(test.log.built).toEqual(["dealer-a"]);
      expect(test.log.closed).toEqual([]);
      yield* TestClock.adjust("1 second");
      expect(test.log.closed).toEqual(["dealer-a"]);
      const built = yield* Effect.flatMap(DealerAdapters, (dealers) => dealers.built);
      expect(built).toEqual([]);
      yield* test.ping("dealer-a");
      expect(test.log.built).toEqual(["dealer-a", "dealer-a"]);
      expect(test.tokensSent()).toEqual(["token-a", "token-a", "token-a"]);
    }).pipe(Effect.provide(test.layer));
  });

  it.effect("an adapter held by a scope is not closed while it is held", () => {
    const test = world(twoDealers);
    return Effect.gen(function* () {
      const dealers = yield* DealerAdapters;
      yield* Effect.scoped(
        Effect.gen(function* () {
          yield* dealers.adapterFor("dealer-a", "testmarket");
          yield* TestClock.adjust("10 minutes");
          expect(test.log.closed).toEqual([]);
        }),
      );
      yield* TestClock.adjust("1 minute");
      expect(test.log.closed).toEqual(["dealer-a"]);
    }).pipe(Effect.provide(test.layer));
  });

  it.effect(
    "a missing or undecodable section fails Configuration naming the dealer, without secrets; a later fix is picked up",
    () => {
      const test = world({
        "dealer-a": { testmarket: { token: "token-a", perMinute: "s3cr3t-looking" } },
      });
      return Effect.gen(function* () {
        const missing = yield* Effect.flip(test.ping("dealer-z"));
        expect(missing.reason).toBe("Configuration");
        expect(missing.message).toContain("dealer-z");
        expect(missing.message).toContain("testmarket");
        const invalid = yield* Effect.flip(test.ping("dealer-a"));
        expect(invalid.reason).toBe("Configuration");
        expect(invalid.message).toContain("dealer dealer-a, testmarket");
        expect(invalid.message).toContain("perMinute");
        expect(invalid.message).not.toContain("token-a");
        expect(invalid.message).not.toContain("s3cr3t-looking");
        expect(invalid.message).toContain("Expected number, actual <redacted>");
        // The failed build is not kept: once the dealer's section is fixed, it is used.
        yield* test.store.putSection("dealer-z", "testmarket", { token: "token-b" });
        yield* test.ping("dealer-z");
        expect(test.tokensSent()).toEqual(["token-b"]);
      }).pipe(Effect.provide(test.layer));
    },
  );

  it.effect("a dealer's adapters as core's Adapters are held while the layer lives", () => {
    const test = world(twoDealers);
    return Effect.gen(function* () {
      yield* Effect.scoped(
        Effect.gen(function* () {
          const context = yield* Layer.build(dealerAdaptersLayerFor("dealer-b", ["testmarket"]));
          const adapters = Context.get(context, Adapters);
          expect([...adapters.keys()]).toEqual(["testmarket"]);
          yield* adapters.get("testmarket")?.warmUp ?? Effect.void;
          yield* TestClock.adjust("10 minutes");
          expect(test.log.closed).toEqual([]);
        }),
      );
      expect(test.log.built).toEqual(["dealer-b"]);
      expect(test.tokensSent()).toEqual(["token-b"]);
      yield* TestClock.adjust("1 minute");
      expect(test.log.closed).toEqual(["dealer-b"]);
    }).pipe(Effect.provide(test.layer));
  });

  it.effect("a secret written as env:NAME is read from the SecretEnvironment", () => {
    const test = world(
      {
        "dealer-a": { testmarket: { token: "env:DEALER_A_TOKEN" } },
        "dealer-b": { testmarket: { token: "env:DEALER_B_TOKEN" } },
      },
      { environment: { DEALER_A_TOKEN: "token-a" } },
    );
    return Effect.gen(function* () {
      yield* test.ping("dealer-a");
      expect(test.tokensSent()).toEqual(["token-a"]);
      const unset = yield* Effect.flip(test.ping("dealer-b"));
      expect(unset.reason).toBe("Configuration");
      expect(unset.message).toContain("DEALER_B_TOKEN");
    }).pipe(Effect.provide(test.layer));
  });

  it.effect("the application's limit is shared by every dealer's requests", () => {
    const test = world(twoDealers, {
      applicationLimits: { testmarket: { limit: 2, interval: "1 minute" } },
    });
    return Effect.gen(function* () {
      const fibers = yield* Effect.forEach(
        ["dealer-a", "dealer-b", "dealer-a", "dealer-b"],
        (dealer) => Effect.fork(test.ping(dealer)),
      );
      yield* until(() => test.sent.length, 2);
      // Two permits for the whole application, whichever dealers ask.
      expect(test.sent).toHaveLength(2);
      yield* TestClock.adjust("1 minute");
      yield* Effect.forEach(fibers, Fiber.join);
      expect(test.sent).toHaveLength(4);
      expect(test.tokensSent().filter((token) => token === "token-a")).toHaveLength(2);
    }).pipe(Effect.provide(test.layer));
  });

  it.effect("each dealer's own limit binds only that dealer", () => {
    const test = world(
      {
        "dealer-a": { testmarket: { token: "token-a", perMinute: 1 } },
        "dealer-b": { testmarket: { token: "token-b", perMinute: 1 } },
      },
      { applicationLimits: {} },
    );
    return Effect.gen(function* () {
      const fibers = yield* Effect.forEach(["dealer-a", "dealer-a", "dealer-b"], (dealer) =>
        Effect.fork(test.ping(dealer)),
      );
      yield* until(() => test.sent.length, 2);
      expect(test.tokensSent().sort()).toEqual(["token-a", "token-b"]);
      yield* TestClock.adjust("1 minute");
      yield* Effect.forEach(fibers, Fiber.join);
      expect(test.sent).toHaveLength(3);
    }).pipe(Effect.provide(test.layer));
  });

  it.effect(
    "supplied `limiters` hold the application's limit and each dealer's own, instead of memory",
    () => {
      const made: Array<{ readonly key: LimiterKey; readonly limit: RateLimit }> = [];
      const taken: Array<string> = [];
      // A limiter that admits at once and writes down whose permit each request took.
      const limiters: Limiters = (key, limit) =>
        Effect.sync(() => {
          made.push({ key, limit });
          const name = "application" in key ? `app:${key.application}` : key.dealer;
          return <A, E, R>(task: Effect.Effect<A, E, R>) =>
            Effect.zipRight(
              Effect.sync(() => taken.push(name)),
              task,
            );
        });
      const test = world(
        {
          "dealer-a": { testmarket: { token: "token-a", perMinute: 1 } },
          "dealer-b": { testmarket: { token: "token-b", perMinute: 1 } },
        },
        { applicationLimits: { testmarket: { limit: 1, interval: "1 minute" } }, limiters },
      );
      return Effect.gen(function* () {
        // In memory, the second request of dealer-a and both of the application's 1/min would
        // wait a minute of the test clock, which stands still: the supplied limiters decide.
        yield* Effect.forEach(["dealer-a", "dealer-a", "dealer-b"], test.ping, {
          concurrency: "unbounded",
        });
        expect(test.sent).toHaveLength(3);
        const perMinute = { limit: 1, interval: "1 minute" };
        // The application's when DealerAdapters is built; each dealer's when its adapter is.
        expect(made[0]).toEqual({ key: { application: "testmarket" }, limit: perMinute });
        expect(
          made.slice(1).sort((a, b) => JSON.stringify(a.key).localeCompare(JSON.stringify(b.key))),
        ).toEqual([
          { key: { dealer: "dealer-a", marketplace: "testmarket" }, limit: perMinute },
          { key: { dealer: "dealer-b", marketplace: "testmarket" }, limit: perMinute },
        ]);
        // Each request: its dealer's permit first, then the application's.
        expect(taken.filter((name) => name === "app:testmarket")).toHaveLength(3);
        expect(taken.filter((name) => name === "dealer-a")).toHaveLength(2);
        expect(taken.filter((name) => name === "dealer-b")).toHaveLength(1);
      }).pipe(Effect.provide(test.layer));
    },
  );
});

describe("a shared limiter without DealerAdapters", () => {
  it.effect("`sharedLimit` makes two clients take permits from one bucket", () => {
    const test = world({});
    return Effect.gen(function* () {
      const shared = yield* RateLimiter.make({ limit: 1, interval: "1 minute" });
      const clientFor = (token: string) =>
        makeMarketplaceHttp({
          marketplace: "testmarket",
          baseUrl: "http://127.0.0.1:9",
          authenticate: headerAuth("X-Auth-Token", Redacted.make(token)),
          sharedLimit: shared,
        });
      const [a, b] = [yield* clientFor("token-a"), yield* clientFor("token-b")];
      const fibers = yield* Effect.forEach([a, b], (client) =>
        Effect.fork(client.request({ method: "GET", path: "/ping" })),
      );
      yield* until(() => test.sent.length, 1);
      expect(test.sent).toHaveLength(1);
      yield* TestClock.adjust("1 minute");
      yield* Effect.forEach(fibers, Fiber.join);
      expect(test.tokensSent().sort()).toEqual(["token-a", "token-b"]);
    }).pipe(
      Effect.scoped,
      Effect.provide(Layer.merge(NodeHttpClient.layerUndici, httpTransportLayer(test.transport))),
    );
  });
});

describe("the Promise facades", () => {
  it("reads and writes sections, and runs a dealer's adapter until closed", async () => {
    const test = world({});
    const credentials = createDealerCredentials(test.store);
    await credentials.putSection("dealer-a", "testmarket", { token: "token-a" });
    expect(await credentials.sectionOf("dealer-a", "testmarket")).toEqual({ token: "token-a" });
    expect(await credentials.sectionOf("dealer-b", "testmarket")).toBeUndefined();

    const dealers = createDealerAdapters(
      { marketplaces: [pingMarketplace(test.log)] },
      Layer.merge(Layer.succeed(DealerCredentials, test.store), httpTransportLayer(test.transport)),
    );
    await dealers.withAdapter("dealer-a", "testmarket", (adapter) => adapter.warmUp ?? Effect.void);
    expect(test.tokensSent()).toEqual(["token-a"]);
    expect(await dealers.built()).toEqual([{ dealer: "dealer-a", marketplace: "testmarket" }]);
    await expect(
      dealers.withAdapter("dealer-b", "testmarket", () => Effect.void),
    ).rejects.toMatchObject({ reason: "Configuration" });
    await credentials.removeSection("dealer-a", "testmarket");
    await dealers.invalidate("dealer-a", "testmarket");
    expect(test.log.closed).toEqual(["dealer-a"]);
    await expect(
      dealers.withAdapter("dealer-a", "testmarket", () => Effect.void),
    ).rejects.toMatchObject({ reason: "Configuration" });
    await dealers.close();
  });
});

describe("dealer credentials", () => {
  const configured = (refreshToken: string) => ({
    tokenUrl: "https://example.invalid/token",
    clientId: "client",
    refreshToken: Redacted.make(refreshToken),
  });
  const grant = (access: string, refresh: string) => ({
    accessToken: Redacted.make(access),
    refreshToken: Redacted.make(refresh),
    expiresAt: 1000,
  });

  it.effect("keeps each dealer's sections and grants apart", () =>
    Effect.gen(function* () {
      const store = yield* memoryDealerCredentials({ "dealer-a": { allegro: { clientId: "x" } } });
      expect(Option.getOrUndefined(yield* store.sectionOf("dealer-a", "allegro"))).toEqual({
        clientId: "x",
      });
      expect(Option.isNone(yield* store.sectionOf("dealer-b", "allegro"))).toBe(true);
      const a = store.grantStore("dealer-a", "allegro", configured("refresh-a"));
      const b = store.grantStore("dealer-b", "allegro", configured("refresh-b"));
      yield* a.save(grant("access-a", "refresh-a2"));
      expect(Option.map(yield* a.load, (saved) => Redacted.value(saved.refreshToken))).toEqual(
        Option.some("refresh-a2"),
      );
      expect(Option.isNone(yield* b.load)).toBe(true);
    }),
  );

  it.effect("a grant rotated from another configured refresh token is not loaded", () =>
    Effect.gen(function* () {
      const store = yield* memoryDealerCredentials();
      yield* store.grantStore("dealer-a", "allegro", configured("old")).save(grant("a", "r"));
      // The dealer authorized again: the new configured refresh token wins over the stale grant.
      const renewed = store.grantStore("dealer-a", "allegro", configured("new"));
      expect(Option.isNone(yield* renewed.load)).toBe(true);
      expect(
        Option.isSome(yield* store.grantStore("dealer-a", "allegro", configured("old")).load),
      ).toBe(true);
    }),
  );

  it.effect("removing a section removes the dealer's grant with it", () =>
    Effect.gen(function* () {
      const store = yield* memoryDealerCredentials({ "dealer-a": { allegro: {} } });
      const grants = store.grantStore("dealer-a", "allegro", configured("r"));
      yield* grants.save(grant("a", "r2"));
      yield* store.removeSection("dealer-a", "allegro");
      expect(Option.isNone(yield* store.sectionOf("dealer-a", "allegro"))).toBe(true);
      expect(Option.isNone(yield* grants.load)).toBe(true);
    }),
  );

  it.effect("a section that is not JSON in the key-value store is a Store error", () =>
    Effect.gen(function* () {
      const { KeyValueStore } = yield* Effect.promise(() => import("@effect/platform"));
      const keyValues = yield* Effect.provide(
        KeyValueStore.KeyValueStore,
        KeyValueStore.layerMemory,
      );
      yield* keyValues.set("dealer:dealer-a:section:allegro", "{not json");
      const error = yield* Effect.either(
        keyValueDealerCredentials(keyValues).sectionOf("dealer-a", "allegro"),
      );
      expect(Either.isLeft(error) && error.left.reason).toBe("Store");
    }),
  );
});
