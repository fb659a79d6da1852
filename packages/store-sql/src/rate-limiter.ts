import type { LimiterKey, Limiters, RateLimit } from "@adsync/core";
import * as SqlClient from "@effect/sql/SqlClient";
import { Clock, Context, Duration, Effect, identity, type RateLimiter, Schedule } from "effect";

/*
 * Rate limits held in the database every worker shares (table `adsync_rate_limits`, schema
 * step 4): a GCRA (generic cell rate algorithm) per limit, one atomic upsert per permit. A row
 * holds the limit's "theoretical arrival time" (TAT): the earliest time the next permit may be
 * taken, in microseconds. Each request reserves its permit's time (the TAT, or now when that
 * has passed) and moves the TAT on, then sleeps until that time: one statement, whatever the
 * number of requests waiting. Time is Effect's `Clock` of the process asking (never the
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
 * Reserves the next permit of `key` at `nowMs` (whole milliseconds, the `Clock`'s) in one
 * statement: the permit's time is `max(TAT, now)` and the TAT moves on by `emission` from it.
 * Answers the reserved time in microseconds. Every caller gets a time of its own in one round
 * trip, in the order the database took them, so callers waiting together never poll the row
 * nor race for the same free time (the take-or-poll this replaced cost up to two statements per
 * waiter each time a permit came free: 144 for 12 requests waiting together, 12 now).
 */
const reservePermit = (sql: SqlClient.SqlClient, key: string, nowMs: number, emission: number) => {
  const now = nowMs * 1000;
  return Effect.map(
    sql<{ readonly tat_us: unknown }>`INSERT INTO adsync_rate_limits (key, tat_us)
      VALUES (${key}, ${now + emission})
      ON CONFLICT (key) DO UPDATE SET
        tat_us = CASE WHEN adsync_rate_limits.tat_us > ${now}
          THEN adsync_rate_limits.tat_us ELSE ${now} END + ${emission}
      RETURNING tat_us`,
    (rows) => Number(rows[0]?.tat_us ?? now + emission) - emission,
  );
};

/**
 * `effect`'s statements on a connection of their own (PostgreSQL's pool), never an enclosing
 * transaction's: a permit taken inside a transaction (a token refresh runs in one, holding its
 * grant's lock, and its token request takes the application's permit) would keep the limit's
 * row locked until that transaction ends, and every request of every dealer and worker on that
 * limit would wait for it (the benchmark measured Allegro's application permits taking up to
 * 1 s so).
 */
const outsideTransactions = <A, E>(effect: Effect.Effect<A, E>): Effect.Effect<A, E> =>
  Effect.mapInputContext(effect, (context: Context.Context<never>) =>
    Context.omit(SqlClient.TransactionConnection)(context),
  );

/** A failing database is tried again briefly before the request goes without a permit. */
const databaseRetry = Schedule.intersect(Schedule.exponential("50 millis"), Schedule.recurs(4));

/**
 * An Effect `RateLimiter` whose permits are rows of `adsync_rate_limits`: requests spaced by
 * `interval / limit`, so never more than `limit` in any window of `interval`, counted across
 * every process on the database (a GCRA with a burst of one, above). A request reserves the
 * next free time in one statement and sleeps until then (Effect's `Clock`); a request
 * interrupted while it sleeps leaves its time unused (the limit is then under-used by one
 * permit, never exceeded). Each request takes one permit (`RateLimiter.withCost` is not read).
 * When the database cannot be reached (after a few tries) the request goes without a permit, with a warning: the marketplace's 429
 * and `Retry-After` are then the limit, rather than every request stalling behind the database.
 */
export const makeSqlRateLimiter = (
  options: SqlRateLimit,
): Effect.Effect<RateLimiter.RateLimiter, never, SqlClient.SqlClient> =>
  Effect.map(SqlClient.SqlClient, (sql) => {
    // SQLite's client is one connection: a statement outside the transaction holding it would
    // wait for it forever, so there a permit joins an enclosing transaction (SQLite has one
    // writer at a time anyway, and takes no grant lock).
    const onItsOwnConnection: <A, E>(effect: Effect.Effect<A, E>) => Effect.Effect<A, E> =
      sql.onDialectOrElse({
        pg: () => outsideTransactions,
        orElse: () => identity,
      });
    const interval = Math.max(1, Math.round(Duration.toMillis(Duration.decode(options.interval))));
    const limit = Math.max(1, Math.floor(options.limit));
    // Microseconds, rounded up: `limit` emissions never add up to less than the interval.
    const emission = Math.max(1, Math.ceil((interval * 1000) / limit));
    // The permit's time is the first whole millisecond whose end is past the reserved time
    // (rounding to milliseconds never gains a permit: reserved times are at least `emission`
    // apart, and `limit` emissions at least the interval, a whole number of milliseconds). The
    // wait is reckoned from the clock once the database has answered, so the round trip is not
    // waited twice.
    const acquire = Effect.flatMap(Clock.currentTimeMillis, (now) =>
      onItsOwnConnection(reservePermit(sql, options.key, now, emission)).pipe(
        Effect.retry(databaseRetry),
        Effect.flatMap((reservedUs) =>
          Effect.flatMap(Clock.currentTimeMillis, (later) => {
            const wait = Math.floor(reservedUs / 1000) - later;
            return wait > 0 ? Effect.sleep(Duration.millis(wait)) : Effect.void;
          }),
        ),
        Effect.catchAll((error) =>
          Effect.logWarning(
            `rate limit ${options.key}: the database did not answer, the request goes without a permit`,
            error,
          ),
        ),
      ),
    );
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
