import {
  Clock,
  Context,
  Deferred,
  Duration,
  Effect,
  Exit,
  FiberId,
  Layer,
  Metric,
  Option,
  SynchronizedRef,
} from "effect";
import { AdsyncError, type ErrorReason } from "../errors.ts";
import {
  breakerRejections,
  breakerState,
  breakerTransitions,
  whenMetrics,
  withTags,
} from "../observability/metrics.ts";

/**
 * Circuit breakers: one per marketplace (opened by repeated 5xx answers, timeouts and transport
 * failures) and one per (dealer, marketplace) (opened by repeated 401/403: a revoked or wrong
 * credential). While a breaker is open every request behind it fails at once with reason
 * `CircuitOpen` (retryable: the operation stays failed-retryable or pending in the store and
 * the next publish, sync or refresh resumes it); after `openFor` one request is let through as
 * a probe (half-open): its success closes the breaker, its failure opens it again for the next
 * delay of the schedule (doubling up to `maxOpenFor`).
 *
 * Each transition is logged (a warning when a breaker opens), counted and gauged (metrics, when
 * on) and recorded as an `adsync.circuit_breaker.transition` event on the current span (when
 * spans are on).
 *
 * Breakers are off unless `circuitBreakersLayer` is provided to the adapters' layer.
 */
export interface CircuitBreakerPolicy {
  /** Consecutive 5xx/timeouts/transport failures that open a marketplace's breaker. Default 5. */
  readonly failureThreshold: number;
  /** Consecutive 401/403 answers that open a (dealer, marketplace) breaker. Default 3. */
  readonly authFailureThreshold: number;
  /** How long a breaker stays open before its first half-open probe. Default 30 s. */
  readonly openFor: Duration.DurationInput;
  /** Each failed probe doubles the open time, up to this. Default 10 min. */
  readonly maxOpenFor: Duration.DurationInput;
  /**
   * The breakers' time in epoch ms (default Effect's `Clock`). A test, or a DMS that wants the
   * breakers on its own time, supplies a manual one.
   */
  readonly now?: Effect.Effect<number> | undefined;
}

export const defaultCircuitBreakerPolicy: CircuitBreakerPolicy = {
  failureThreshold: 5,
  authFailureThreshold: 3,
  openFor: "30 seconds",
  maxOpenFor: "10 minutes",
};

export type BreakerStatus = "closed" | "open" | "half-open";
export type BreakerKind = "marketplace" | "dealer";

export interface BreakerSnapshot {
  readonly key: string;
  readonly kind: BreakerKind;
  readonly status: BreakerStatus;
  readonly failures: number;
  /** When an open breaker lets its next probe through (epoch ms). */
  readonly retryAt?: number | undefined;
}

/** Who a request is sent for: the marketplace and, once dealers exist, the dealer. */
export interface BreakerScope {
  readonly marketplace: string;
  readonly dealer?: string | undefined;
}

export interface CircuitBreakersService {
  /** Runs one request attempt behind the marketplace's and the dealer's breakers. */
  readonly guard: <A, R>(
    scope: BreakerScope,
    operation: string,
    attempt: Effect.Effect<A, AdsyncError, R>,
    /** What a successful answer means to the breakers (an answered 401 is `Unauthorized`). */
    classify?: (answer: A) => ErrorReason | undefined,
  ) => Effect.Effect<A, AdsyncError, R>;
  /** Every breaker that has seen a request. */
  readonly snapshot: Effect.Effect<ReadonlyArray<BreakerSnapshot>>;
}

export class CircuitBreakers extends Context.Tag("@adsync/core/CircuitBreakers")<
  CircuitBreakers,
  CircuitBreakersService
>() {}

const marketplaceFailures: ReadonlySet<ErrorReason> = new Set([
  "Unavailable",
  "Timeout",
  "Transport",
]);
const authFailures: ReadonlySet<ErrorReason> = new Set(["Unauthorized", "Forbidden"]);

/** What an attempt's end means to a breaker of this kind. */
const verdict = (
  kind: BreakerKind,
  exit: Exit.Exit<ErrorReason | undefined, AdsyncError>,
): "success" | "failure" | "neutral" => {
  const reason = Exit.isSuccess(exit)
    ? exit.value
    : exit.cause._tag === "Fail"
      ? exit.cause.error.reason
      : undefined;
  if (Exit.isSuccess(exit) && reason === undefined) return "success";
  if (reason === undefined) return "neutral"; // interrupted or a defect: says nothing
  const failure = { reason };
  const failing = kind === "marketplace" ? marketplaceFailures : authFailures;
  if (failing.has(failure.reason)) return "failure";
  // A 429 says nothing about health (Retry-After paces it); a 5xx says nothing about a
  // dealer's credentials; anything else is an answer: the marketplace is up, the key works.
  if (failure.reason === "RateLimited" || failure.reason === "CircuitOpen") return "neutral";
  if (kind === "dealer" && marketplaceFailures.has(failure.reason)) return "neutral";
  return "success";
};

interface Breaker {
  readonly status: BreakerStatus;
  readonly failures: number;
  readonly openedAt: number;
  readonly openMillis: number;
  /** The half-open probe in flight: other requests wait for its verdict instead of failing. */
  readonly probe: Deferred.Deferred<void> | undefined;
}

const closed: Breaker = {
  status: "closed",
  failures: 0,
  openedAt: 0,
  openMillis: 0,
  probe: undefined,
};

const stateValue: Record<BreakerStatus, number> = { closed: 0, "half-open": 1, open: 2 };

/** What a breaker says to one attempt. */
type Admission =
  | { readonly _tag: "Admitted"; readonly probe: Deferred.Deferred<void> | undefined }
  | { readonly _tag: "Refused"; readonly until: number }
  | { readonly _tag: "Wait"; readonly probe: Deferred.Deferred<void> };

export const makeCircuitBreakers = (
  policy: Partial<CircuitBreakerPolicy> = {},
): Effect.Effect<CircuitBreakersService> =>
  Effect.gen(function* () {
    const settings = { ...defaultCircuitBreakerPolicy, ...policy };
    const currentTime = settings.now ?? Clock.currentTimeMillis;
    const firstOpen = Duration.toMillis(Duration.decode(settings.openFor));
    const maxOpen = Duration.toMillis(Duration.decode(settings.maxOpenFor));
    const breakers = yield* SynchronizedRef.make(
      new Map<string, { readonly kind: BreakerKind; readonly breaker: Breaker }>(),
    );

    const transition = (key: string, kind: BreakerKind, from: Breaker, to: Breaker) =>
      from.status === to.status
        ? Effect.void
        : Effect.gen(function* () {
            yield* whenMetrics(() =>
              Effect.zipRight(
                Metric.increment(
                  withTags(breakerTransitions, { breaker: key, kind, to: to.status }),
                ),
                Metric.set(withTags(breakerState, { breaker: key, kind }), stateValue[to.status]),
              ),
            );
            const message = `circuit breaker ${key} (${kind}) ${from.status} → ${to.status}`;
            const annotated = Effect.annotateLogs({
              breaker: key,
              kind,
              from: from.status,
              to: to.status,
              failures: to.failures,
            });
            yield* (
              to.status === "open" ? Effect.logWarning(message) : Effect.logInfo(message)
            ).pipe(annotated);
            // And an event on the span of the request that saw it, when spans are on.
            const span = yield* Effect.option(Effect.currentSpan);
            if (Option.isSome(span))
              span.value.event("adsync.circuit_breaker.transition", yield* Clock.currentTimeNanos, {
                breaker: key,
                kind,
                from: from.status,
                to: to.status,
                failures: to.failures,
              });
          });

    /** Admits an attempt (possibly as the half-open probe), refuses it, or makes it wait. */
    const admit = (key: string, kind: BreakerKind) =>
      SynchronizedRef.modifyEffect(breakers, (map) =>
        Effect.gen(function* () {
          const now = yield* currentTime;
          const current = map.get(key)?.breaker ?? closed;
          let next = current;
          let admission: Admission = { _tag: "Admitted", probe: undefined };
          if (current.status === "open") {
            const retryAt = current.openedAt + current.openMillis;
            if (now >= retryAt) {
              const probe = yield* Deferred.make<void>();
              next = { ...current, status: "half-open", probe };
              admission = { _tag: "Admitted", probe };
            } else admission = { _tag: "Refused", until: retryAt };
          } else if (current.status === "half-open") {
            if (current.probe !== undefined) admission = { _tag: "Wait", probe: current.probe };
            else {
              const probe = yield* Deferred.make<void>();
              next = { ...current, probe };
              admission = { _tag: "Admitted", probe };
            }
          }
          yield* transition(key, kind, current, next);
          const updated = new Map(map);
          updated.set(key, { kind, breaker: next });
          return [admission, updated] as const;
        }),
      );

    const record = (
      key: string,
      kind: BreakerKind,
      probe: Deferred.Deferred<void> | undefined,
      exit: Exit.Exit<ErrorReason | undefined, AdsyncError>,
    ) =>
      SynchronizedRef.updateEffect(breakers, (map) =>
        Effect.gen(function* () {
          const now = yield* currentTime;
          const current = map.get(key)?.breaker ?? closed;
          const seen = verdict(kind, exit);
          const threshold =
            kind === "marketplace" ? settings.failureThreshold : settings.authFailureThreshold;
          // Only the probe's own end releases the probe slot (a late answer of an attempt
          // admitted before the breaker opened does not).
          const ownProbe = probe !== undefined && current.probe === probe;
          const probeAfter = ownProbe ? undefined : current.probe;
          let next: Breaker;
          if (seen === "success") next = closed;
          else if (seen === "neutral") next = { ...current, probe: probeAfter };
          else if (current.status === "half-open" && ownProbe)
            next = {
              status: "open",
              failures: current.failures + 1,
              openedAt: now,
              openMillis: Math.min(maxOpen, Math.max(firstOpen, current.openMillis * 2)),
              probe: undefined,
            };
          else if (current.status === "closed" && current.failures + 1 >= threshold)
            next = {
              status: "open",
              failures: current.failures + 1,
              openedAt: now,
              openMillis: firstOpen,
              probe: undefined,
            };
          else next = { ...current, failures: current.failures + 1 };
          if (probe !== undefined) yield* Deferred.succeed(probe, undefined);
          yield* transition(key, kind, current, next);
          const updated = new Map(map);
          updated.set(key, { kind, breaker: next });
          return updated;
        }),
      );

    const keysOf = (scope: BreakerScope): ReadonlyArray<readonly [string, BreakerKind]> => [
      [scope.marketplace, "marketplace"],
      [`${scope.dealer ?? "*"}@${scope.marketplace}`, "dealer"],
    ];

    /** Admission through one breaker, waiting out a probe in flight. */
    const admitted = (
      key: string,
      kind: BreakerKind,
    ): Effect.Effect<Exclude<Admission, { readonly _tag: "Wait" }>> =>
      Effect.flatMap(admit(key, kind), (admission) =>
        admission._tag === "Wait"
          ? Effect.zipRight(Deferred.await(admission.probe), admitted(key, kind))
          : Effect.succeed(admission),
      );

    const guard = <A, R>(
      scope: BreakerScope,
      operation: string,
      attempt: Effect.Effect<A, AdsyncError, R>,
      classify?: (answer: A) => ErrorReason | undefined,
    ): Effect.Effect<A, AdsyncError, R> =>
      Effect.uninterruptibleMask((restore) =>
        Effect.gen(function* () {
          const taken: Array<readonly [string, BreakerKind, Deferred.Deferred<void> | undefined]> =
            [];
          const giveBack = Effect.forEach(taken, ([key, kind, probe]) =>
            record(key, kind, probe, Exit.interrupt(FiberId.none)),
          );
          for (const [key, kind] of keysOf(scope)) {
            const admission = yield* restore(admitted(key, kind)).pipe(
              Effect.onInterrupt(() => giveBack),
            );
            if (admission._tag === "Refused") {
              // Give back what the breakers already admitted (a probe slot) before refusing.
              yield* giveBack;
              yield* whenMetrics(() =>
                Metric.increment(withTags(breakerRejections, { breaker: key, kind })),
              );
              const now = yield* currentTime;
              return yield* Effect.fail(
                new AdsyncError({
                  reason: "CircuitOpen",
                  marketplace: scope.marketplace,
                  operation,
                  message: `${operation}: not sent, the circuit breaker ${key} is open (${kind === "marketplace" ? "the marketplace keeps failing" : "the credentials keep being refused"})`,
                  retryAfterSeconds: Math.max(0, Math.ceil((admission.until - now) / 1000)),
                }),
              );
            }
            taken.push([key, kind, admission.probe]);
          }
          const exit = yield* Effect.exit(restore(attempt));
          const seen = Exit.map(exit, (value) => classify?.(value));
          for (const [key, kind, probe] of taken) yield* record(key, kind, probe, seen);
          return yield* exit;
        }),
      );

    const snapshot = SynchronizedRef.get(breakers).pipe(
      Effect.map((map) =>
        [...map.entries()].map(
          ([key, { kind, breaker }]): BreakerSnapshot => ({
            key,
            kind,
            status: breaker.status,
            failures: breaker.failures,
            retryAt: breaker.status === "open" ? breaker.openedAt + breaker.openMillis : undefined,
          }),
        ),
      ),
    );

    return { guard, snapshot } satisfies CircuitBreakersService;
  });

/** Breakers for every `MarketplaceHttp` built with this layer in context (off without it). */
export const circuitBreakersLayer = (
  policy: Partial<CircuitBreakerPolicy> = {},
): Layer.Layer<CircuitBreakers> => Layer.effect(CircuitBreakers, makeCircuitBreakers(policy));
