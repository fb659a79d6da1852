import { Effect, FiberRef, Layer, Metric, MetricBoundaries, MetricLabel } from "effect";
import { globalValue } from "effect/GlobalValue";

/**
 * adsync's metrics, through Effect's `Metric` API: core needs no OpenTelemetry package.
 *
 * Off by default: no metric is registered or updated (nothing is computed for it either) until
 * `metricsLayer` is provided (or an effect runs under `withMetrics`). Switched on, Effect keeps
 * them in its in-process registry; nothing leaves the process unless the DMS also supplies an
 * exporter, e.g. `@effect/opentelemetry`'s `NodeSdk.layer({ metricReader })` or
 * `OtlpMetrics.layer`. See docs/operations.md.
 */

/** Whether adsync records its metrics in this fiber (default false). */
export const metricsEnabled: FiberRef.FiberRef<boolean> = globalValue(
  Symbol.for("@adsync/core/metricsEnabled"),
  () => FiberRef.unsafeMake(false),
);

/** Switches adsync's metrics on for everything run with this layer (a runtime, a program). */
export const metricsLayer: Layer.Layer<never> = Layer.locallyScoped(metricsEnabled, true);

/** Runs `effect` with adsync's metrics on. */
export const withMetrics = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.locally(effect, metricsEnabled, true);

/** Runs the metric update `make` builds only when metrics are on (nothing is built when off). */
export const whenMetrics = <E, R>(
  make: () => Effect.Effect<unknown, E, R>,
): Effect.Effect<void, E, R> =>
  Effect.flatMap(FiberRef.get(metricsEnabled), (on) => (on ? Effect.asVoid(make()) : Effect.void));

/** Circuit breaker transitions, tagged `breaker` (its key), `kind` and `to` (the new state). */
export const breakerTransitions = Metric.counter("adsync.circuit_breaker.transitions", {
  description: "Circuit breaker state changes",
  incremental: true,
});

/** A breaker's state: 0 closed, 1 half-open, 2 open; tagged `breaker` and `kind`. */
export const breakerState = Metric.gauge("adsync.circuit_breaker.state", {
  description: "Circuit breaker state (0 closed, 1 half-open, 2 open)",
});

/** Requests refused by an open breaker (never sent), tagged `breaker` and `kind`. */
export const breakerRejections = Metric.counter("adsync.circuit_breaker.rejections", {
  description: "Requests refused without sending because a circuit breaker was open",
  incremental: true,
});

/**
 * `http.client.request.duration` (OpenTelemetry's stable HTTP semantic convention), in seconds,
 * tagged `http.request.method`, `server.address`, `http.response.status_code` when there is an
 * answer and `error.type` when there is none or it is a 5xx; plus `adsync.marketplace`.
 */
export const httpClientRequestDuration = Metric.histogram(
  "http.client.request.duration",
  MetricBoundaries.fromIterable([
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
  ]),
  "Duration of HTTP client requests (seconds)",
);

/** 429 answers, tagged `adsync.marketplace`. */
export const rateLimitedResponses = Metric.counter("adsync.http.rate_limited", {
  description: "429 Too Many Requests answers",
  incremental: true,
});

/** Time a request waited for the rate limiter's token, in seconds, tagged `adsync.marketplace`. */
export const rateLimiterWait = Metric.histogram(
  "adsync.rate_limiter.wait",
  MetricBoundaries.fromIterable([0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]),
  "Time spent waiting for the marketplace's rate limiter (seconds)",
);

/** Listing outcomes, tagged `adsync.marketplace`, `adsync.operation` and `adsync.outcome`. */
export const listingOutcomes = Metric.counter("adsync.listing.outcomes", {
  description: "Outcomes of publisher operations per marketplace and result",
  incremental: true,
});

/** OAuth access-token refreshes, tagged `adsync.marketplace` and `outcome` (success/failure). */
export const tokenRefreshes = Metric.counter("adsync.oauth.token_refreshes", {
  description: "OAuth access token refreshes",
  incremental: true,
});

/** Listings in the store, tagged `adsync.marketplace` and `adsync.presence` or `pending`. */
export const storedListings = Metric.gauge("adsync.listings", {
  description: "Listings in the store per marketplace and presence; pending operations",
});

/** The metric with these tags (data-first, so the metric's type is kept). */
export const withTags = <Type, In, Out>(
  metric: Metric.Metric<Type, In, Out>,
  tags: Readonly<Record<string, string>>,
): Metric.Metric<Type, In, Out> =>
  Metric.taggedWithLabels(
    metric,
    Object.entries(tags).map(([key, value]) => MetricLabel.make(key, value)),
  );

/** What one HTTP exchange with a marketplace ended as, for the request metrics. */
export interface HttpExchangeRecord {
  readonly marketplace: string;
  readonly method: string;
  /** The host of the marketplace's base URL. */
  readonly serverAddress: string;
  readonly durationMillis: number;
  /** The answer's status, when there was one. */
  readonly status?: number | undefined;
  /** Why there was no answer (`timeout`, `transport`). */
  readonly failure?: string | undefined;
}

/**
 * Records `http.client.request.duration` (with `error.type`: the failure, or the status for a
 * 4xx/5xx answer, as OpenTelemetry's convention says) and counts 429s, whether metrics are on or
 * not: for a caller that already read `metricsEnabled`.
 */
export const recordHttpExchangeNow = (exchange: HttpExchangeRecord) => {
  const tags: Record<string, string> = {
    "http.request.method": exchange.method,
    "server.address": exchange.serverAddress,
    "adsync.marketplace": exchange.marketplace,
  };
  if (exchange.status !== undefined) tags["http.response.status_code"] = String(exchange.status);
  const errorType =
    exchange.failure ??
    (exchange.status !== undefined && exchange.status >= 400 ? String(exchange.status) : undefined);
  if (errorType !== undefined) tags["error.type"] = errorType;
  return Effect.zipRight(
    Metric.update(withTags(httpClientRequestDuration, tags), exchange.durationMillis / 1000),
    exchange.status === 429
      ? Metric.increment(
          withTags(rateLimitedResponses, { "adsync.marketplace": exchange.marketplace }),
        )
      : Effect.void,
  );
};

/** Records one exchange (`recordHttpExchangeNow`), only when metrics are on. */
export const recordHttpExchange = (exchange: HttpExchangeRecord) =>
  whenMetrics(() => recordHttpExchangeNow(exchange));

/** Records how long a request waited for the marketplace's rate limiter. */
export const recordRateLimiterWait = (marketplace: string, waitedMillis: number) =>
  whenMetrics(() => recordRateLimiterWaitNow(marketplace, waitedMillis));

/** `recordRateLimiterWait` for a caller that already knows metrics are on. */
export const recordRateLimiterWaitNow = (marketplace: string, waitedMillis: number) =>
  Metric.update(
    withTags(rateLimiterWait, { "adsync.marketplace": marketplace }),
    waitedMillis / 1000,
  );

/** Counts one listing outcome. */
export const recordListingOutcome = (marketplace: string, operation: string, outcome: string) =>
  whenMetrics(() =>
    Metric.increment(
      withTags(listingOutcomes, {
        "adsync.marketplace": marketplace,
        "adsync.operation": operation,
        "adsync.outcome": outcome,
      }),
    ),
  );

/** Counts one OAuth token refresh (call it where an adapter refreshes its access token). */
export const recordTokenRefresh = (marketplace: string, outcome: "success" | "failure") =>
  whenMetrics(() =>
    Metric.increment(withTags(tokenRefreshes, { "adsync.marketplace": marketplace, outcome })),
  );

/** Counts an OAuth refresh by how it ended (`adsync.oauth.token_refreshes`). */
export const countTokenRefresh =
  (marketplace: string) =>
  <A, E, R>(refresh: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    refresh.pipe(
      Effect.tapBoth({
        onFailure: () => recordTokenRefresh(marketplace, "failure"),
        onSuccess: () => recordTokenRefresh(marketplace, "success"),
      }),
    );
