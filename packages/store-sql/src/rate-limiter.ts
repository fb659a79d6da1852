import type { LimiterKey, Limiters, RateLimit } from "@adsync/core";
import * as SqlClient from "@effect/sql/SqlClient";
import { Clock, Duration, Effect, type RateLimiter, Schedule } from "effect";

/*
 * Rate limits held in the database every worker shares (table `adsync_rate_limits`, schema step
 * 3): a fixed window per limit, one atomic upsert per permit. Time is Effect's `Clock` of the
 * process asking (never the database's), so tests drive it with `TestClock`; workers' clocks
 * are assumed close (NTP): a row's window only moves forward, whichever clock is ahead.
 */

/** A limit kept under `key` in `adsync_rate_limits`. */
export interface SqlRateLimit extends RateLimit {
  readonly key: string;
}

/**
 * Takes one permit of `key`'s window starting at `windowStart`, in one statement: a new key or
 * a later window starts at 1; the same (or an earlier, on a clock behind) window counts on while
 * below `limit`. Answers whether the permit was taken (a full window updates nothing, so
 * returns no row).
 */
const takePermit = (sql: SqlClient.SqlClient, key: string, windowStart: number, limit: number) =>
  Effect.map(
    sql<{ readonly count: unknown }>`INSERT INTO adsync_rate_limits (key, window_start, count)
      VALUES (${key}, ${windowStart}, 1)
      ON CONFLICT (key) DO UPDATE SET
        window_start = CASE WHEN adsync_rate_limits.window_start < excluded.window_start
          THEN excluded.window_start ELSE adsync_rate_limits.window_start END,
        count = CASE WHEN adsync_rate_limits.window_start < excluded.window_start
          THEN 1 ELSE adsync_rate_limits.count + 1 END
      WHERE adsync_rate_limits.window_start < excluded.window_start
        OR adsync_rate_limits.count < ${limit}
      RETURNING count`,
    (rows) => rows.length > 0,
  );

/** A failing database is tried again briefly before the request goes without a permit. */
const databaseRetry = Schedule.intersect(Schedule.exponential("50 millis"), Schedule.recurs(4));

/**
 * An Effect `RateLimiter` whose permits are rows of `adsync_rate_limits`: at most `limit`
 * requests per fixed window of `interval` (windows aligned on the epoch), counted across every
 * process on the database. A request finding its window full sleeps (Effect's `Clock`) until
 * the next window starts and tries again. Each request takes one permit (`RateLimiter.withCost`
 * is not read). When the database cannot be reached (after a few tries) the request goes
 * without a permit, with a warning: the marketplace's 429 and `Retry-After` are then the limit,
 * rather than every request stalling behind the database.
 */
export const makeSqlRateLimiter = (
  options: SqlRateLimit,
): Effect.Effect<RateLimiter.RateLimiter, never, SqlClient.SqlClient> =>
  Effect.map(SqlClient.SqlClient, (sql) => {
    const interval = Math.max(1, Math.round(Duration.toMillis(Duration.decode(options.interval))));
    const limit = Math.max(1, Math.floor(options.limit));
    const acquire = Effect.gen(function* () {
      for (;;) {
        const now = yield* Clock.currentTimeMillis;
        const windowStart = now - (now % interval);
        const taken = yield* takePermit(sql, options.key, windowStart, limit).pipe(
          Effect.retry(databaseRetry),
          Effect.catchAll((error) =>
            Effect.as(
              Effect.logWarning(
                `rate limit ${options.key}: the database did not answer, the request goes without a permit`,
                error,
              ),
              true,
            ),
          ),
        );
        if (taken) return;
        yield* Effect.sleep(Duration.millis(windowStart + interval - now));
      }
    });
    return <A, E, R>(task: Effect.Effect<A, E, R>) => Effect.zipRight(acquire, task);
  });

/**
 * The row of a limit: the application's per marketplace, a dealer's per (dealer, marketplace)
 * (every client of the dealer's adapter shares it: the marketplace counts the dealer, not the
 * host), and the interval, so two limits of different intervals never share a window.
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
