import {
  AdsyncError,
  DealerAdapters,
  DealerCredentials,
  dealerAdaptersLayer,
  type LimiterKey,
  type Limiters,
  memoryDealerCredentials,
} from "@adsync/core";
import { startSandbox } from "@adsync/sandbox";
import { NodeHttpClient } from "@effect/platform-node";
import { describe, expect, it } from "@effect/vitest";
import { Context, Duration, Effect, Layer, RateLimiter } from "effect";
import { defaultRegistry } from "../src/registry.ts";
import { testUserAgent } from "./sandbox-configs.ts";

/*
 * A dealer's section (the worker's and `createDealersAdsync`'s, kept per dealer) sets the
 * client's `http.rateLimit` of every real adapter: the limit reaches the limiters DealerAdapters
 * is given, under that dealer. A key no section knows fails that dealer's adapter with its name,
 * as the CLI's config file does: before, `http` was dropped without a word, and a dealer limit
 * written in a section did nothing.
 */

const marketplaces = defaultRegistry.map((entry) => entry.descriptor);
const ids = ["blocket", "tradera", "marktplaats", "allegro"] as const;

interface Asked {
  readonly key: LimiterKey;
  readonly limit: number;
  readonly intervalMillis: number;
}

const adaptersWith = (sections: Parameters<typeof memoryDealerCredentials>[0], asked: Asked[]) =>
  Effect.gen(function* () {
    const limiters: Limiters = (key, limit) => {
      asked.push({
        key,
        limit: limit.limit,
        intervalMillis: Duration.toMillis(Duration.decode(limit.interval)),
      });
      return RateLimiter.make({ limit: limit.limit, interval: limit.interval });
    };
    const credentials = yield* memoryDealerCredentials(sections);
    const context = yield* Layer.build(
      dealerAdaptersLayer({ marketplaces, userAgent: testUserAgent, limiters }).pipe(
        Layer.provide(
          Layer.mergeAll(Layer.succeed(DealerCredentials, credentials), NodeHttpClient.layerUndici),
        ),
      ),
    );
    return Context.get(context, DealerAdapters);
  });

const sandboxed = Effect.acquireRelease(
  Effect.promise(() => startSandbox()),
  (started) => Effect.promise(() => started.close()),
);

describe("a dealer section's http", () => {
  it.scoped("sets each real adapter's own rate limit, for that dealer only", () =>
    Effect.gen(function* () {
      const sandbox = yield* sandboxed;
      const limited = sandbox.addDealer("limited");
      const plain = sandbox.addDealer("plain");
      const http = { rateLimit: { limit: 3, interval: "2 seconds" }, timeout: 5_000 };
      const sections = {
        limited: Object.fromEntries(ids.map((id) => [id, { ...(limited[id] as object), http }])),
        plain: Object.fromEntries(ids.map((id) => [id, plain[id]])),
      };
      const asked: Asked[] = [];
      const dealers = yield* adaptersWith(sections, asked);
      for (const id of ids) {
        const dealerAsks = (dealer: string) =>
          asked.filter(
            ({ key }) => "dealer" in key && key.dealer === dealer && key.marketplace === id,
          );
        yield* dealers.withAdapter("limited", id, () => Effect.void);
        yield* dealers.withAdapter("plain", id, () => Effect.void);
        // Every client the adapter builds (Allegro's API and upload hosts, Marktplaats' token
        // endpoint and API) holds the section's limit.
        expect(dealerAsks("limited").length, id).toBeGreaterThan(0);
        for (const each of dealerAsks("limited"))
          expect({ limit: each.limit, intervalMillis: each.intervalMillis }, id).toEqual({
            limit: 3,
            intervalMillis: 2_000,
          });
        // Without it: the adapter's default, Allegro's 150 a second, none for the others.
        expect(
          dealerAsks("plain").map(({ limit, intervalMillis }) => ({ limit, intervalMillis })),
          id,
        ).toEqual(
          id === "allegro"
            ? dealerAsks("plain").map(() => ({ limit: 150, intervalMillis: 1_000 }))
            : [],
        );
        if (id === "allegro") expect(dealerAsks("plain").length).toBeGreaterThan(0);
      }
    }),
  );

  // Live clock: the sandbox's slow answer and the client's timeout both run on real time, and
  // under the TestClock neither would ever elapse.
  it.scopedLive(
    "sets the client's timeout: an answer slower than it is given up and asked again",
    () =>
      Effect.gen(function* () {
        const sandbox = yield* sandboxed;
        const section = (dealer: string) => sandbox.addDealer(dealer).blocket as object;
        const dealers = yield* adaptersWith(
          {
            patient: { blocket: section("patient") },
            hasty: { blocket: { ...section("hasty"), http: { timeout: "300 millis" } } },
          },
          [],
        );
        const fuels = /\/v3\/vehicle\/fuels$/;
        const asked = () => sandbox.blocket.requests.filter((request) => fuels.test(request.path));
        for (const dealer of ["patient", "hasty"]) {
          // The next fuel list request is answered after 2 s; the ones after it at once.
          sandbox.blocket.injectFault({ path: fuels, fault: { type: "slow", delayMs: 2_000 } });
          const before = asked().length;
          yield* dealers.withAdapter(dealer, "blocket", (adapter) => adapter.warmUp ?? Effect.void);
          // The default timeout (30 s) waits for the slow answer; 300 ms gives it up and retries.
          expect(asked().length - before, dealer).toBe(dealer === "hasty" ? 2 : 1);
        }
      }),
  );

  it.scoped("refuses a key it does not know, and a limit that is not one, naming them", () =>
    Effect.gen(function* () {
      const sandbox = yield* sandboxed;
      const section = sandbox.addDealer("typo").blocket as object;
      const dealers = yield* adaptersWith(
        {
          typo: { blocket: { ...section, htp: { rateLimit: { limit: 2, interval: "1 second" } } } },
          zero: {
            blocket: { ...section, http: { rateLimit: { limit: 0, interval: "1 second" } } },
          },
          never: { blocket: { ...section, http: { rateLimit: { limit: 2, interval: "soon" } } } },
        },
        [],
      );
      const failure = (dealer: string) =>
        Effect.flip(dealers.withAdapter(dealer, "blocket", () => Effect.void));
      const typo = yield* failure("typo");
      expect(typo).toBeInstanceOf(AdsyncError);
      expect(typo.reason).toBe("Configuration");
      expect(typo.message).toContain("htp");
      expect((yield* failure("zero")).message).toContain("http.rateLimit.limit");
      expect((yield* failure("never")).message).toContain(
        "http.rateLimit.interval: not a duration",
      );
    }),
  );
});
