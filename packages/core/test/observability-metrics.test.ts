/**
 * Metrics (#16) and the (dealer, marketplace) circuit breaker, against an in-memory HTTP client
 * that answers what each test scripts and counts what it was sent.
 */
import { HttpClient, HttpClientResponse } from "@effect/platform";
import { describe, expect, it } from "@effect/vitest";
import { Effect, Either, Layer, Logger, LogLevel, Metric, Redacted, Tracer } from "effect";
import {
  AdsyncError,
  breakerRejections,
  breakerState,
  breakerTransitions,
  CircuitBreakers,
  circuitBreakersLayer,
  createCircuitBreakers,
  createListingGauges,
  headerAuth,
  httpClientRequestDuration,
  type MarketplaceHttpOptions,
  makeCircuitBreakers,
  makeMarketplaceHttp,
  memoryStoreLayer,
  metricsLayer,
  rateLimitedResponses,
  rateLimiterWait,
  recordListingGauges,
  storedListings,
  withMetrics,
  withTags,
} from "../src/index.ts";

/** A client answering `status(n)` to the n-th request (1-based), recording the requests. */
const scriptedClient = (status: (n: number) => number) => {
  const sent: Array<string> = [];
  const client = HttpClient.make((request) =>
    Effect.sync(() => {
      sent.push(`${request.method} ${request.url} ${request.headers["x-auth-token"] ?? ""}`);
      return HttpClientResponse.fromWeb(
        request,
        new Response(JSON.stringify({ n: sent.length }), {
          status: status(sent.length),
          headers: { "content-type": "application/json" },
        }),
      );
    }),
  );
  return { sent, layer: Layer.succeed(HttpClient.HttpClient, client) };
};

const options = (marketplace: string, extra: Partial<MarketplaceHttpOptions> = {}) =>
  ({
    marketplace,
    baseUrl: "http://marketplace.test:8080/api",
    authenticate: headerAuth("X-Auth-Token", Redacted.make(`token-${marketplace}`)),
    retry: { maxRetries: 0 },
    ...extra,
  }) satisfies MarketplaceHttpOptions;

const durationCount = (tags: Record<string, string>) =>
  Metric.value(withTags(httpClientRequestDuration, tags)).pipe(Effect.map((state) => state.count));

describe("HTTP metrics", () => {
  it.scoped(
    "records http.client.request.duration with status or error.type, and counts 429s",
    () => {
      const fake = scriptedClient((n) => [200, 429, 503, 404][n - 1] ?? 200);
      return Effect.gen(function* () {
        const http = yield* makeMarketplaceHttp(options("metrics-a"));
        for (let n = 0; n < 4; n++)
          yield* Effect.either(http.request({ method: "GET", path: "/x" }));
        const base = {
          "http.request.method": "GET",
          "server.address": "marketplace.test:8080",
          "adsync.marketplace": "metrics-a",
        };
        expect(yield* durationCount({ ...base, "http.response.status_code": "200" })).toBe(1);
        for (const status of ["429", "503", "404"])
          expect(
            yield* durationCount({
              ...base,
              "http.response.status_code": status,
              "error.type": status,
            }),
            status,
          ).toBe(1);
        const limited = yield* Metric.value(
          withTags(rateLimitedResponses, { "adsync.marketplace": "metrics-a" }),
        );
        expect(limited.count).toBe(1);
      }).pipe(Effect.provide(Layer.merge(fake.layer, metricsLayer)));
    },
  );

  it.scoped("records the rate limiter's waits when the marketplace has a limit", () => {
    const fake = scriptedClient(() => 200);
    return Effect.gen(function* () {
      const http = yield* makeMarketplaceHttp(
        options("metrics-b", { rateLimit: { limit: 10, interval: "1 second" } }),
      );
      yield* http.request({ method: "GET", path: "/x" });
      yield* http.request({ method: "GET", path: "/y" });
      const waits = yield* Metric.value(
        withTags(rateLimiterWait, { "adsync.marketplace": "metrics-b" }),
      );
      expect(waits.count).toBe(2);
    }).pipe(Effect.provide(Layer.merge(fake.layer, metricsLayer)));
  });
});

describe("circuit breaker per (dealer, marketplace)", () => {
  it.scoped("opens on one dealer's repeated 401s and refuses only that dealer's requests", () => {
    // Dealer d1's token is revoked (401); dealer d2 on the same marketplace is fine.
    const fake = scriptedClient(() => 200);
    const revoked = scriptedClient(() => 401);
    return Effect.gen(function* () {
      const breakers = yield* CircuitBreakers;
      const d1 = yield* makeMarketplaceHttp(options("auth-m", { dealer: "d1" })).pipe(
        Effect.provide(revoked.layer),
      );
      const d2 = yield* makeMarketplaceHttp(options("auth-m", { dealer: "d2" })).pipe(
        Effect.provide(fake.layer),
      );
      // A 401 is returned to the adapter's error mapper, yet the dealer's breaker counts it.
      for (let n = 0; n < 5; n++) yield* Effect.either(d1.request({ method: "GET", path: "/x" }));
      expect(revoked.sent).toHaveLength(3);
      const refused = yield* Effect.either(d1.request({ method: "GET", path: "/x" }));
      expect(Either.isLeft(refused) && refused.left.reason).toBe("CircuitOpen");
      expect(revoked.sent).toHaveLength(3);
      yield* d2.request({ method: "GET", path: "/x" });
      expect(fake.sent).toHaveLength(1);
      const states = yield* breakers.snapshot;
      expect(states.find((state) => state.key === "d1@auth-m")?.status).toBe("open");
      expect(states.find((state) => state.key === "d2@auth-m")?.status).toBe("closed");
      expect(states.find((state) => state.key === "auth-m")?.status).toBe("closed");
    }).pipe(Effect.provide(circuitBreakersLayer({ authFailureThreshold: 3 })));
  });
});

describe("listing gauges", () => {
  it.effect("sets adsync.listings per marketplace and presence from the store", () =>
    Effect.gen(function* () {
      const counts = yield* recordListingGauges;
      expect(counts).toEqual({});
      const gauge = yield* Metric.value(
        withTags(storedListings, { "adsync.marketplace": "none", "adsync.presence": "live" }),
      );
      expect(gauge.value).toBe(0);
    }).pipe(Effect.provide(Layer.merge(memoryStoreLayer, metricsLayer))),
  );
});

/** Breakers opening after 2 failures for 10 s, on a clock the test moves (`clock.now`). */
const manualBreakers = (clock: { now: number }) =>
  makeCircuitBreakers({
    failureThreshold: 2,
    openFor: "10 seconds",
    now: Effect.sync(() => clock.now),
  });

describe("circuit breaker half-open probes", () => {
  it.effect("a failed probe opens the breaker again for twice as long; a good one closes it", () =>
    Effect.gen(function* () {
      const clock = { now: 0 };
      const breakers = yield* manualBreakers(clock);
      const scope = { marketplace: "probe-m" };
      let sent = 0;
      const failing = Effect.suspend(() => {
        sent += 1;
        return Effect.fail(
          new AdsyncError({ reason: "Unavailable", marketplace: "probe-m", message: "503" }),
        );
      });
      const working = Effect.sync(() => {
        sent += 1;
        return "ok";
      });
      const status = Effect.map(
        breakers.snapshot,
        (all) => all.find((breaker) => breaker.key === "probe-m")?.status,
      );
      const reasonOf = <A>(effect: Effect.Effect<A, AdsyncError>) =>
        Effect.map(Effect.either(breakers.guard(scope, "GET /", effect)), (result) =>
          Either.isLeft(result) ? result.left.reason : "ok",
        );

      expect(yield* reasonOf(failing)).toBe("Unavailable");
      expect(yield* reasonOf(failing)).toBe("Unavailable");
      expect(yield* status).toBe("open");
      expect(yield* reasonOf(working)).toBe("CircuitOpen");
      expect(sent).toBe(2);

      clock.now = 10_000; // the probe is let through, fails: open again for 20 s
      expect(yield* reasonOf(failing)).toBe("Unavailable");
      expect(sent).toBe(3);
      clock.now = 25_000;
      expect(yield* reasonOf(working)).toBe("CircuitOpen");
      expect(sent).toBe(3);
      clock.now = 30_000; // 20 s after the failed probe: the next probe succeeds and closes it
      expect(yield* reasonOf(working)).toBe("ok");
      expect(yield* status).toBe("closed");
      expect(yield* reasonOf(working)).toBe("ok");
      expect(sent).toBe(5);
    }),
  );
});

/** Every metric series Effect's registry holds that carries `tag` = `value`. */
const seriesTagged = (tag: string, value: string) =>
  Effect.map(Metric.snapshot, (pairs) =>
    pairs.filter((pair) =>
      pair.metricKey.tags.some((label) => label.key === tag && label.value.includes(value)),
    ),
  );

describe("metrics off (the default)", () => {
  it.scoped("registers and updates no metric at all until metricsLayer switches them on", () => {
    // 200, 429, 503 and 401s, through a rate limit and breakers that open and refuse: every
    // kind of metric adsync has is touched, yet none is registered.
    const fake = scriptedClient((n) => [200, 429, 503][n - 1] ?? 401);
    const traffic = (marketplace: string) =>
      Effect.gen(function* () {
        const http = yield* makeMarketplaceHttp(
          options(marketplace, { rateLimit: { limit: 100, interval: "1 second" } }),
        );
        for (let n = 0; n < 6; n++)
          yield* Effect.either(http.request({ method: "GET", path: "/x" }));
        yield* recordListingGauges;
      }).pipe(
        Effect.provide(
          Layer.mergeAll(
            fake.layer,
            memoryStoreLayer,
            circuitBreakersLayer({ authFailureThreshold: 2 }),
          ),
        ),
      );

    return Effect.gen(function* () {
      yield* traffic("off-m");
      expect(fake.sent).toHaveLength(5); // 200, 429, 503, 401, 401: then the breaker refuses
      expect(yield* seriesTagged("adsync.marketplace", "off-m")).toEqual([]);
      expect(yield* seriesTagged("breaker", "off-m")).toEqual([]);

      // The same traffic with metrics on registers them (so the check above can fail).
      fake.sent.length = 0;
      yield* traffic("on-m").pipe(Effect.provide(metricsLayer));
      expect((yield* seriesTagged("adsync.marketplace", "on-m")).length).toBeGreaterThanOrEqual(4);
      expect((yield* seriesTagged("breaker", "on-m")).length).toBeGreaterThanOrEqual(3);
    });
  });
});

/** A tracer that keeps the name of every span it makes and every span event. */
const recordingTracer = () => {
  const spans: Array<string> = [];
  const events: Array<{ name: string; attributes: Record<string, unknown> | undefined }> = [];
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind) => {
      spans.push(name);
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        spanId: `span-${spans.length}`,
        traceId: "trace",
        parent,
        context,
        status: { _tag: "Started", startTime },
        attributes: new Map(),
        links,
        sampled: true,
        kind,
        end: () => undefined,
        attribute: () => undefined,
        event: (eventName, _time, attributes) => {
          events.push({ name: eventName, attributes });
        },
        addLinks: () => undefined,
      };
      return span;
    },
    context: (f) => f(),
  });
  return { tracer, spans, events };
};

describe("spans off (no tracer installed)", () => {
  it.scoped("makes no span, not even Effect's HTTP client's; a tracer switches them on", () => {
    // The span the HTTP client runs in, as the client implementation sees it.
    const seen: Array<string> = [];
    const client = HttpClient.make((request, _url, _signal, fiber) =>
      Effect.sync(() => {
        const span = fiber.currentSpan;
        seen.push(span?._tag === "Span" ? span.name : "none");
        return HttpClientResponse.fromWeb(request, new Response("{}", { status: 200 }));
      }),
    );
    return Effect.gen(function* () {
      const http = yield* makeMarketplaceHttp(options("spans-m"));
      yield* http.request({ method: "GET", path: "/x" });
      expect(seen).toEqual(["none"]);

      const { tracer, spans } = recordingTracer();
      yield* Effect.withTracer(http.request({ method: "GET", path: "/x" }), tracer);
      expect(seen).toEqual(["none", "http.client GET"]);
      expect(spans).toEqual(["http.client GET"]);
    }).pipe(Effect.provide(Layer.succeed(HttpClient.HttpClient, client)));
  });
});

describe("circuit breaker transitions", () => {
  it.effect("are counted, gauged, logged and recorded as span events", () =>
    Effect.gen(function* () {
      const clock = { now: 0 };
      const breakers = yield* manualBreakers(clock);
      const failing = Effect.fail(
        new AdsyncError({ reason: "Unavailable", marketplace: "trans-m", message: "503" }),
      );
      const guarded = <A>(effect: Effect.Effect<A, AdsyncError>) =>
        Effect.either(breakers.guard({ marketplace: "trans-m" }, "GET /", effect));

      const { tracer, events } = recordingTracer();
      const lines: Array<string> = [];
      const logger = Logger.make(({ logLevel, message }) => {
        lines.push(`${logLevel.label} ${String(message)}`);
      });

      yield* Effect.gen(function* () {
        yield* guarded(failing);
        yield* guarded(failing); // opens
        yield* guarded(Effect.succeed("refused"));
        clock.now = 10_000;
        yield* guarded(Effect.succeed("probe")); // half-open, then closed
      }).pipe(
        Effect.withSpan("request"),
        Effect.withTracer(tracer),
        Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
        Logger.withMinimumLogLevel(LogLevel.Info),
        withMetrics,
      );

      const tags = { breaker: "trans-m", kind: "marketplace" };
      for (const to of ["open", "half-open", "closed"]) {
        const counted = yield* Metric.value(withTags(breakerTransitions, { ...tags, to }));
        expect(counted.count, to).toBe(1);
      }
      expect((yield* Metric.value(withTags(breakerState, tags))).value).toBe(0);
      expect((yield* Metric.value(withTags(breakerRejections, tags))).count).toBe(1);
      expect(lines).toEqual([
        "WARN circuit breaker trans-m (marketplace) closed → open",
        "INFO circuit breaker trans-m (marketplace) open → half-open",
        "INFO circuit breaker trans-m (marketplace) half-open → closed",
      ]);
      // (Effect also turns each log line into a span event: only adsync's own are compared.)
      expect(
        events
          .filter((event) => event.name === "adsync.circuit_breaker.transition")
          .map((event) => [event.name, event.attributes?.from, event.attributes?.to]),
      ).toEqual([
        ["adsync.circuit_breaker.transition", "closed", "open"],
        ["adsync.circuit_breaker.transition", "open", "half-open"],
        ["adsync.circuit_breaker.transition", "half-open", "closed"],
      ]);
    }),
  );
});

describe("Promise facades", () => {
  it("createCircuitBreakers: the snapshot reads the breakers its layer guards requests with", async () => {
    const breakers = createCircuitBreakers({ authFailureThreshold: 2 });
    const revoked = scriptedClient(() => 403);
    await Effect.runPromise(
      Effect.gen(function* () {
        const http = yield* makeMarketplaceHttp(options("facade-m", { dealer: "d9" }));
        for (let n = 0; n < 3; n++)
          yield* Effect.either(http.request({ method: "GET", path: "/x" }));
      }).pipe(Effect.scoped, Effect.provide(Layer.merge(revoked.layer, breakers.layer))),
    );
    expect(revoked.sent).toHaveLength(2);
    const states = await breakers.snapshot();
    expect(states.find((state) => state.key === "d9@facade-m")?.status).toBe("open");
  });

  it("createListingGauges: records the gauges from a store and answers the counts", async () => {
    const gauges = createListingGauges(memoryStoreLayer);
    try {
      expect(await gauges.record()).toEqual({});
    } finally {
      await gauges.close();
    }
  });
});
