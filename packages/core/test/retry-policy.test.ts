import { describe, expect, it } from "@effect/vitest";
import { Clock, Duration, Effect, Either, Fiber, TestClock } from "effect";
import fc from "fast-check";
import {
  AdsyncError,
  defaultRetryPolicy,
  ErrorReason,
  parseRetryAfter,
  type RetryPolicy,
  retrySchedule,
} from "../src/index.ts";

describe("parseRetryAfter", () => {
  const now = Date.UTC(2025, 0, 15, 12, 0, 0);

  it("reads delay-seconds", () => {
    expect(parseRetryAfter("120", now)).toBe(120);
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter(" 7 ", now)).toBe(7);
  });

  it("reads an HTTP date in the future as the seconds until it", () => {
    expect(parseRetryAfter(new Date(now + 30_000).toUTCString(), now)).toBe(30);
    expect(parseRetryAfter("Wed, 15 Jan 2025 12:01:00 GMT", now)).toBe(60);
  });

  it("reads the obsolete RFC 850 and asctime date forms", () => {
    const at = Date.UTC(1994, 10, 6, 8, 49, 0);
    expect(parseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", at)).toBe(37);
    expect(parseRetryAfter("Sun Nov  6 08:49:37 1994", at)).toBe(37);
  });

  it("rounds a date that is a fraction of a second away up, never down to zero", () => {
    expect(parseRetryAfter(new Date(now + 30_000).toUTCString(), now + 28_500)).toBe(2);
    expect(parseRetryAfter(new Date(now + 1_000).toUTCString(), now + 999)).toBe(1);
  });

  it("reads an HTTP date in the past as zero", () => {
    expect(parseRetryAfter(new Date(now - 60_000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now)).toBe(0);
  });

  it("answers undefined when the header is absent", () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it("answers undefined for garbage", () => {
    for (const value of ["", "   ", "garbage", "soon", "12abc", "in 2 minutes"]) {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    }
  });

  // RFC 9110 §10.2.3: Retry-After = HTTP-date / delay-seconds, and delay-seconds = 1*DIGIT.
  // `Date.parse` is lenient and reads "1.5" or "-5" as dates in 2001, which would answer 0.
  it("answers undefined for numbers that are not delay-seconds", () => {
    for (const value of ["1.5", "-5", "0.5"]) {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    }
  });

  it("round-trips any delay-seconds and any whole-second date offset, never negative", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (seconds) => {
        expect(parseRetryAfter(String(seconds), now)).toBe(seconds);
        expect(parseRetryAfter(new Date(now + seconds * 1000).toUTCString(), now)).toBe(seconds);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), (milliseconds) => {
        const parsed = parseRetryAfter(new Date(now + milliseconds).toUTCString(), now);
        expect(parsed).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

// --- retrySchedule -------------------------------------------------------------------------

const failure = (reason: ErrorReason, retryAfterSeconds?: number) =>
  new AdsyncError({
    reason,
    message: `failed: ${reason}`,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });

/**
 * An effect that fails with `errors[n]` on its n-th attempt (and succeeds once the list is
 * exhausted), retried with `retrySchedule(policy)`. Records the clock time of every attempt.
 */
const retrying = (policy: RetryPolicy, errors: ReadonlyArray<AdsyncError>) => {
  const attempts: Array<number> = [];
  const attempt = Effect.gen(function* () {
    const index = attempts.length;
    attempts.push(yield* Clock.currentTimeMillis);
    const error = errors[index];
    if (error === undefined) return "done";
    return yield* Effect.fail(error);
  });
  return { attempts, effect: Effect.either(Effect.retry(attempt, retrySchedule(policy))) };
};

/** Runs `retrying` on the TestClock, advancing it until the retries are over. */
const retried = (policy: RetryPolicy, errors: ReadonlyArray<AdsyncError>) =>
  Effect.gen(function* () {
    const { attempts, effect } = retrying(policy, errors);
    const fiber = yield* Effect.fork(effect);
    yield* TestClock.adjust("1 days");
    const result = yield* Fiber.join(fiber);
    return { attempts, result };
  });

/**
 * A clock whose sleeps return at once and move its time forward: it runs the real
 * `Effect.retry` driver synchronously, so a property can afford many runs.
 */
class VirtualClock implements Clock.Clock {
  readonly [Clock.ClockTypeId]: Clock.ClockTypeId = Clock.ClockTypeId;
  private now = 0;
  unsafeCurrentTimeMillis(): number {
    return this.now;
  }
  unsafeCurrentTimeNanos(): bigint {
    return BigInt(Math.round(this.now * 1_000_000));
  }
  readonly currentTimeMillis = Effect.sync(() => this.unsafeCurrentTimeMillis());
  readonly currentTimeNanos = Effect.sync(() => this.unsafeCurrentTimeNanos());
  sleep(duration: Duration.Duration): Effect.Effect<void> {
    return Effect.sync(() => {
      this.now += Duration.toMillis(duration);
    });
  }
}

const retriedVirtually = (policy: RetryPolicy, errors: ReadonlyArray<AdsyncError>) => {
  const { attempts, effect } = retrying(policy, errors);
  const result = Effect.runSync(Effect.withClock(effect, new VirtualClock()));
  return { attempts, result };
};

const policyArbitrary = fc.record({
  maxRetries: fc.integer({ min: 0, max: 6 }),
  baseDelayMs: fc.integer({ min: 1, max: 2_000 }),
  maxDelayMs: fc.integer({ min: 1, max: 20_000 }),
  maxRetryAfterMs: fc.integer({ min: 0, max: 120_000 }),
});

const errorArbitrary = fc
  .record({
    reason: fc.constantFrom(...ErrorReason.literals),
    retryAfterSeconds: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
  })
  .map(({ reason, retryAfterSeconds }) => failure(reason, retryAfterSeconds));

describe("retrySchedule", () => {
  it("keeps every delay within the cap, honours Retry-After and stops where it should", () => {
    fc.assert(
      fc.property(
        policyArbitrary,
        fc.array(errorArbitrary, { maxLength: 8 }),
        (generated, errors) => {
          const policy: RetryPolicy = {
            maxRetries: generated.maxRetries,
            baseDelay: Duration.millis(generated.baseDelayMs),
            maxDelay: Duration.millis(generated.maxDelayMs),
            maxRetryAfter: Duration.millis(generated.maxRetryAfterMs),
          };
          const { attempts, result } = retriedVirtually(policy, errors);

          // Attempt n+1 happens only after a retryable failure n, and at most maxRetries times.
          let expectedAttempts = 1;
          while (true) {
            const error = errors[expectedAttempts - 1];
            if (error === undefined || !error.isRetryable) break;
            if (expectedAttempts - 1 >= policy.maxRetries) break;
            expectedAttempts += 1;
          }
          expect(attempts).toHaveLength(expectedAttempts);
          const last = errors[expectedAttempts - 1];
          expect(result).toEqual(last === undefined ? Either.right("done") : Either.left(last));

          for (let index = 0; index + 1 < attempts.length; index += 1) {
            const delay = (attempts[index + 1] ?? 0) - (attempts[index] ?? 0);
            const error = errors[index];
            const retryAfter =
              error?.retryAfterSeconds === undefined
                ? 0
                : Math.min(error.retryAfterSeconds * 1000, generated.maxRetryAfterMs);
            const backoffFloor = Math.min(
              generated.baseDelayMs * 2 ** index * 0.8,
              generated.maxDelayMs,
            );
            expect(delay).toBeLessThanOrEqual(Math.max(generated.maxDelayMs * 1.2, retryAfter) + 1);
            // The documented cap is maxDelay itself: jitter never pushes past it.
            expect(delay).toBeLessThanOrEqual(Math.max(generated.maxDelayMs, retryAfter) + 1);
            expect(delay).toBeGreaterThanOrEqual(retryAfter - 1);
            expect(delay).toBeGreaterThanOrEqual(backoffFloor - 1);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it.effect("stops after maxRetries", () =>
    Effect.gen(function* () {
      const policy: RetryPolicy = { ...defaultRetryPolicy, maxRetries: 3 };
      const { attempts, result } = yield* retried(
        policy,
        Array.from({ length: 10 }, () => failure("Unavailable")),
      );
      expect(attempts).toHaveLength(4);
      expect(Either.isLeft(result)).toBe(true);
    }),
  );

  it.effect("retries the default policy's four times", () =>
    Effect.gen(function* () {
      const { attempts } = yield* retried(
        defaultRetryPolicy,
        Array.from({ length: 10 }, () => failure("Transport")),
      );
      expect(attempts).toHaveLength(5);
    }),
  );

  it.effect("stops at the first error that is not retryable", () =>
    Effect.gen(function* () {
      const rejected = failure("Rejected");
      const { attempts, result } = yield* retried(defaultRetryPolicy, [
        failure("RateLimited"),
        failure("Timeout"),
        rejected,
        failure("Unavailable"),
      ]);
      expect(attempts).toHaveLength(3);
      expect(result).toEqual(Either.left(rejected));
    }),
  );

  it.effect("never retries Unauthorized, Invalid, NotFound or Conflict", () =>
    Effect.gen(function* () {
      for (const reason of ["Unauthorized", "Invalid", "NotFound", "Conflict"] as const) {
        const { attempts } = yield* retried(defaultRetryPolicy, [failure(reason)]);
        expect(attempts).toHaveLength(1);
      }
    }),
  );

  it.effect("waits as long as Retry-After asks when that is longer than the backoff", () =>
    Effect.gen(function* () {
      const policy: RetryPolicy = { ...defaultRetryPolicy, baseDelay: "100 millis" };
      const { attempts, result } = yield* retried(policy, [failure("RateLimited", 5)]);
      expect(result).toEqual(Either.right("done"));
      expect(attempts).toHaveLength(2);
      expect((attempts[1] ?? 0) - (attempts[0] ?? 0)).toBe(5_000);
    }),
  );

  it.effect("caps a Retry-After longer than maxRetryAfter", () =>
    Effect.gen(function* () {
      const policy: RetryPolicy = {
        ...defaultRetryPolicy,
        baseDelay: "100 millis",
        maxRetryAfter: "10 seconds",
      };
      const { attempts } = yield* retried(policy, [failure("RateLimited", 3_600)]);
      expect((attempts[1] ?? 0) - (attempts[0] ?? 0)).toBe(10_000);
    }),
  );

  it.effect("backs off exponentially when no Retry-After is given", () =>
    Effect.gen(function* () {
      const policy: RetryPolicy = {
        ...defaultRetryPolicy,
        baseDelay: "1 second",
        maxDelay: "1 minute",
      };
      const { attempts } = yield* retried(
        policy,
        Array.from({ length: 4 }, () => failure("Unavailable")),
      );
      const delays = attempts.slice(1).map((at, index) => at - (attempts[index] ?? 0));
      expect(delays).toHaveLength(4);
      delays.forEach((delay, index) => {
        expect(delay).toBeGreaterThanOrEqual(1_000 * 2 ** index * 0.8 - 1);
        expect(delay).toBeLessThanOrEqual(1_000 * 2 ** index * 1.2 + 1);
      });
    }),
  );
});
