import type { LimiterKey, Limiters, RateLimit } from "@adsync/core";
import * as SqlClient from "@effect/sql/SqlClient";
import { Clock, Duration, Effect, Option, type RateLimiter, Schedule } from "effect";

/*
 * Rate limits held in the database every worker shares (table `adsync_rate_limits`, schema
 * step 4): a GCRA (generic cell rate algorithm) per limit, one atomic upsert per permit. A row
 * holds the limit's "theoretical arrival time" (TAT): the earliest time the next permit may be
 * taken, in microseconds. Time is Effect's `Clock` of the process asking (never the
 * database's), so tests drive it with `TestClock`; workers' clocks are assumed close (NTP): a
 * row's TAT only moves forward, whichever clock is ahead.
 *
 * The burst is one permit: permits are spaced by the emission interval `interval / limit`
 * (rounded up to the microsecond) and none is taken before the TAT. That is what makes a
 * dealer's `RateLimit { limit, interval }` mean "at most `limit` in ANY window of `interval`",
 * the sliding window marketplaces count: a GCRA with a burst of `b` permits (a tolerance of
 * `(b - 1) × emission`) admits `b` at once and then one per emission interval, so `limit + 1`
 * within one `interval` unless the emission interval grows to `interval / (limit - b + 1)`, a
 * rate that much lower. A burst of one keeps the full rate (`limit` per `interval`) at the
 * price of spacing requests that arrive together.
 */

/** A limit kept under `key` in `adsync_rate_limits`. */
export interface SqlRateLimit extends RateLimit {
  readonly key: string;
}

/**
 * Takes one permit of `key` at `nowMs` (whole milliseconds, the `Clock`'s) in one statement: a
 * new key, or a TAT before the end of this millisecond, takes it and moves the TAT to
 * `max(TAT, now) + emission` (from the TAT, not from now, when the TAT falls within this
 * millisecond, so rounding to milliseconds never gains a permit: every `limit + 1` permits stay at
 * least `interval` apart). A later TAT updates nothing, so returns no row. Answers whether the
 * permit was taken.
 */
const takePermit = (sql: SqlClient.SqlClient, key: string, nowMs: number, emission: number) => {
  const now = nowMs * 1000;
  return Effect.map(
    sql<{ readonly tat_us: unknown }>`INSERT INTO adsync_rate_limits (key, tat_us)
      VALUES (${key}, ${now + emission})
      ON CONFLICT (key) DO UPDATE SET
        tat_us = CASE WHEN adsync_rate_limits.tat_us > ${now}
          THEN adsync_rate_limits.tat_us ELSE ${now} END + ${emission}
      WHERE adsync_rate_limits.tat_us < ${now + 1000}
      RETURNING tat_us`,
    (rows) => rows.length > 0,
  );
};

/**
 * The time (milliseconds, the `Clock`'s) of `key`'s next permit: the first whole millisecond
 * whose end is past the TAT (now, when the row is gone).
 */
const nextPermitAt = (sql: SqlClient.SqlClient, key: string) =>
  Effect.map(
    sql<{ readonly tat_us: unknown }>`SELECT tat_us FROM adsync_rate_limits WHERE key = ${key}`,
    (rows) => Math.floor(Number(rows[0]?.tat_us ?? 0) / 1000),
  );

/** A failing database is tried again briefly before the request goes without a permit. */
const databaseRetry = Schedule.intersect(Schedule.exponential("50 millis"), Schedule.recurs(4));

/**
 * Repeats an attempt answering how long to wait before the next (none: the permit is taken)
 * after sleeping exactly that long (Effect's `Clock`), until the permit is taken.
 */
const untilTaken = Schedule.identity<Option.Option<Duration.Duration>>().pipe(
  Schedule.whileOutput(Option.isSome),
  Schedule.addDelay(Option.getOrElse(() => Duration.zero)),
);

/**
 * An Effect `RateLimiter` whose permits are rows of `adsync_rate_limits`: requests spaced by
 * `interval / limit`, so never more than `limit` in any window of `interval`, counted across
 * every process on the database (a GCRA with a burst of one, above). A request refused reads
 * the row's next free time, sleeps until then (Effect's `Clock`) and tries again. Each request
 * takes one permit (`RateLimiter.withCost` is not read). When the database cannot be reached
 * (after a few tries) the request goes without a permit, with a warning: the marketplace's 429
 * and `Retry-After` are then the limit, rather than every request stalling behind the database.
 */
export const makeSqlRateLimiter = (
  options: SqlRateLimit,
): Effect.Effect<RateLimiter.RateLimiter, never, SqlClient.SqlClient> =>
  Effect.map(SqlClient.SqlClient, (sql) => {
    const interval = Math.max(1, Math.round(Duration.toMillis(Duration.decode(options.interval))));
    const limit = Math.max(1, Math.floor(options.limit));
    // Microseconds, rounded up: `limit` emissions never add up to less than the interval.
    const emission = Math.max(1, Math.ceil((interval * 1000) / limit));
    // The wait is reckoned from the clock once the database has answered, so the round trip
    // (or a clock moved meanwhile) is not waited twice.
    const attempt = Effect.flatMap(Clock.currentTimeMillis, (now) =>
      Effect.flatMap(takePermit(sql, options.key, now, emission), (taken) =>
        taken
          ? Effect.succeedNone
          : Effect.flatMap(nextPermitAt(sql, options.key), (next) =>
              Effect.map(Clock.currentTimeMillis, (later) =>
                Option.some(Duration.millis(Math.max(0, next - later))),
              ),
            ),
      ).pipe(
        Effect.retry(databaseRetry),
        Effect.catchAll((error) =>
          Effect.as(
            Effect.logWarning(
              `rate limit ${options.key}: the database did not answer, the request goes without a permit`,
              error,
            ),
            Option.none(),
          ),
        ),
      ),
    );
    const acquire = Effect.repeat(attempt, untilTaken);
    return <A, E, R>(task: Effect.Effect<A, E, R>) => Effect.zipRight(acquire, task);
  });

/**
 * The row of a limit: the application's per marketplace, a dealer's per (dealer, marketplace)
 * (every client of the dealer's adapter shares it: the marketplace counts the dealer, not the
 * host), and the interval, so two limits of different intervals never share a row.
 */
export const rateLimitKey = (key: LimiterKey, limit: RateLimit): string => {
  const interval = Math.round(Duration.toMillis(Duration.decode(limit.interval)));
  const owner =
    "application" in key
      ? `application/${encodeURIComponent(key.application)}`
      : `dealer/${encodeURIComponent(key.dealer)}/${encodeURIComponent(key.marketplace)}`;
  return `${owner}/${interval}ms`;
};

/**
 * `DealerAdapters`' `limiters` on this database: every limit (the application's, each
 * dealer's own) a row of `adsync_rate_limits`, so N workers together keep each limit once.
 */
export const sqlRateLimiters: Effect.Effect<Limiters, never, SqlClient.SqlClient> = Effect.map(
  Effect.context<SqlClient.SqlClient>(),
  (context) => (key, limit) =>
    Effect.provide(makeSqlRateLimiter({ key: rateLimitKey(key, limit), ...limit }), context),
);
