import { Duration, Schedule } from "effect";
import type { AdsyncError } from "../errors.ts";

/** How transient failures (429, 5xx, transport errors, timeouts) are retried. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** The first backoff delay; each later one doubles, with ±20 % jitter. */
  readonly baseDelay: Duration.DurationInput;
  /** No backoff delay grows beyond this. */
  readonly maxDelay: Duration.DurationInput;
  /** The longest `Retry-After` we honour; a longer one is capped to this. */
  readonly maxRetryAfter: Duration.DurationInput;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 4,
  baseDelay: "200 millis",
  maxDelay: "10 seconds",
  maxRetryAfter: "60 seconds",
};

/**
 * Capped exponential backoff with jitter that honours the marketplace's `Retry-After`: the
 * delay before a retry is the longer of the backoff and what the marketplace asked for.
 * Stops at the first error that is not retryable.
 */
export const retrySchedule = (policy: RetryPolicy): Schedule.Schedule<unknown, AdsyncError> => {
  const maxDelay = Duration.decode(policy.maxDelay);
  const maxRetryAfter = Duration.decode(policy.maxRetryAfter);
  return Schedule.exponential(policy.baseDelay, 2).pipe(
    Schedule.jittered,
    Schedule.modifyDelay((_, delay) => Duration.min(delay, maxDelay)),
    Schedule.intersect(Schedule.recurs(policy.maxRetries)),
    Schedule.intersect(Schedule.identity<AdsyncError>()),
    Schedule.modifyDelay(([, error], delay) =>
      error.retryAfterSeconds === undefined
        ? delay
        : Duration.max(
            delay,
            Duration.min(Duration.seconds(error.retryAfterSeconds), maxRetryAfter),
          ),
    ),
    Schedule.whileInput((error: AdsyncError) => error.isRetryable),
  );
};

/**
 * Parses a `Retry-After` header: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Answers seconds from `now`, never negative; undefined when absent or unreadable.
 */
export const parseRetryAfter = (value: string | undefined, now: number): number | undefined => {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // Every HTTP-date form starts with a day name; Date.parse alone would read "1.5" as a date.
  if (!/^[A-Za-z]{3}/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
};
