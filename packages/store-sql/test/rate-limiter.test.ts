import type { Limiters } from "@adsync/core";
import * as SqlClient from "@effect/sql/SqlClient";
import * as Statement from "@effect/sql/Statement";
import { describe, expect, it } from "@effect/vitest";
import {
  Chunk,
  Clock,
  Context,
  Deferred,
  Duration,
  Effect,
  Fiber,
  Layer,
  Logger,
  Option,
  type RateLimiter,
  Runtime,
  TestClock,
} from "effect";
import fc from "fast-check";
import { openRateLimiters } from "../src/facade.ts";
import {
  makeSqlRateLimiter,
  rateLimitKey,
  type SqlRateLimit,
  sqlRateLimiters,
} from "../src/rate-limiter.ts";
import { postgresDatabase, sqliteDatabase, type TestDatabase } from "./support/databases.ts";

/** A connection of its own (another worker's): its `SqlClient`, for limiters on it. */
const processOn = (database: TestDatabase) => Layer.build(database.client());

/** The database's limiter of `limit` on a process's connection. */
const limiterIn = (process: Context.Context<SqlClient.SqlClient>, limit: SqlRateLimit) =>
  Effect.provide(makeSqlRateLimiter(limit), process);

/** The database emptied, then `workers` limiters of `limit`, each on a connection of its own. */
const workersWith = (database: TestDatabase, limit: SqlRateLimit, workers: number) =>
  Effect.zipRight(
    database.empty,
    Effect.forEach(Array.from({ length: workers }), () =>
      Effect.flatMap(processOn(database), (process) => limiterIn(process, limit)),
    ),
  );

/** `DealerAdapters`' limiters of another worker: on a connection of its own. */
const limitersOn = (database: TestDatabase) =>
  Effect.flatMap(processOn(database), (context) => Effect.provide(sqlRateLimiters, context));

/** A real pause (the test clock stands still while the database answers). */
const pause = Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 2)));

/**
 * The test clock for the requests' fibers, keeping the wake time of every sleep under way in
 * `wakes` (one entry per sleeping fiber), so the driver knows when every request sleeps.
 */
const trackedClock = (base: Clock.Clock, wakes: Array<number>): Clock.Clock => ({
  [Clock.ClockTypeId]: Clock.ClockTypeId,
  unsafeCurrentTimeMillis: () => base.unsafeCurrentTimeMillis(),
  currentTimeMillis: base.currentTimeMillis,
  unsafeCurrentTimeNanos: () => base.unsafeCurrentTimeNanos(),
  currentTimeNanos: base.currentTimeNanos,
  sleep: (duration) =>
    Effect.suspend(() => {
      const wake = base.unsafeCurrentTimeMillis() + Duration.toMillis(duration);
      wakes.push(wake);
      return Effect.ensuring(
        base.sleep(duration),
        Effect.sync(() => void wakes.splice(wakes.indexOf(wake), 1)),
      );
    }),
});

/** The `index`-th of `items`, round and round. */
const nth = <A>(items: ReadonlyArray<A>, index: number): A => {
  const item = items[index % items.length];
  if (item === undefined) throw new Error("no items");
  return item;
};

/** A request: it arrives `at` milliseconds after the start and goes `through` its limiter(s). */
interface Arrival {
  readonly at: number;
  readonly through: RateLimiter.RateLimiter;
}

/**
 * Runs `arrivals` on the test clock and answers each one's admission time (milliseconds after
 * the start, in arrival order). The clock moves only when every request not yet admitted sleeps
 * (its arrival, a wait for the next permit or a database retry), to the earliest wake: the
 * database answers in real time meanwhile. Generous (a minute without progress) on a loaded
 * machine.
 */
const simulate = (arrivals: ReadonlyArray<Arrival>) =>
  Effect.gen(function* () {
    const base = yield* Effect.clock;
    const start = base.unsafeCurrentTimeMillis();
    const wakes: Array<number> = [];
    const clock = trackedClock(base, wakes);
    const admittedAt: Array<number | undefined> = arrivals.map(() => undefined);
    let done = 0;
    const fibers = yield* Effect.forEach(arrivals, (arrival, index) =>
      Effect.fork(
        Effect.sleep(Duration.millis(arrival.at)).pipe(
          Effect.zipRight(
            arrival.through(
              Effect.flatMap(Clock.currentTimeMillis, (now) =>
                Effect.sync(() => {
                  admittedAt[index] = now - start;
                }),
              ),
            ),
          ),
          Effect.ensuring(
            Effect.sync(() => {
              done += 1;
            }),
          ),
          Effect.withClock(clock),
        ),
      ),
    );
    const asleep = Effect.gen(function* () {
      const now = base.unsafeCurrentTimeMillis();
      const pending = wakes.filter((wake) => wake > now);
      if (pending.length !== arrivals.length - done) return false;
      // Every sleep is on the test clock too (a fiber may be between the two).
      const sleeps = Chunk.toArray(yield* TestClock.sleeps());
      return pending.every((wake) => {
        const at = sleeps.indexOf(wake);
        if (at >= 0) sleeps.splice(at, 1);
        return at >= 0;
      });
    });
    while (done < arrivals.length) {
      const deadline = Date.now() + 60_000;
      while (!(yield* asleep)) {
        if (Date.now() > deadline) return yield* Effect.die("the requests never all slept");
        yield* pause;
      }
      if (done < arrivals.length) yield* TestClock.setTime(Math.min(...wakes));
    }
    yield* Effect.forEach(fibers, Fiber.join);
    return admittedAt.map((at) => at ?? Number.NaN);
  });

/** The admissions that break "at most `limit` in any window of `interval`" (none: `[]`). */
const overLimit = (admittedAt: ReadonlyArray<number>, limit: number, interval: number) => {
  const sorted = [...admittedAt].sort((a, b) => a - b);
  return sorted.flatMap((at, index) => {
    const after = sorted[index + limit];
    return after !== undefined && after - at < interval
      ? [sorted.slice(index, index + limit + 1)]
      : [];
  });
};

/**
 * The sorted admission times of requests arriving at `arrivals` (milliseconds after the start)
 * through `workers` workers' limiters of `limit` in turn, the database emptied first.
 */
const admissions = (
  database: TestDatabase,
  test: { readonly limit: SqlRateLimit; readonly workers: number; readonly arrivals: number[] },
) =>
  Effect.gen(function* () {
    const limiters = yield* workersWith(database, test.limit, test.workers);
    const admittedAt = yield* simulate(
      test.arrivals.map((at, index) => ({ at, through: nth(limiters, index) })),
    );
    return [...admittedAt].sort((a, b) => a - b);
  });

const rateLimiterTests = (name: string, database: TestDatabase) =>
  describe(`sqlRateLimiter on ${name}`, () => {
    it.scoped(
      "two workers' limiters on one key space the permits by interval / limit: requests arriving together go one every 20 s of a 3-a-minute limit",
      () =>
        Effect.gen(function* () {
          // Eight requests at once, four through each worker.
          const admitted = yield* admissions(database, {
            limit: { key: "dealer/d-17/blocket/60000ms", limit: 3, interval: "1 minute" },
            workers: 2,
            arrivals: Array.from({ length: 8 }, () => 0),
          });
          expect(admitted).toEqual(Array.from({ length: 8 }, (_, index) => index * 20_000));
        }),
    );

    it.scoped(
      "requests waiting together reserve their times in one statement each: none polls the row or races the others for a free time",
      () =>
        Effect.gen(function* () {
          let statements = 0;
          const counting = Statement.withTransformer((statement) =>
            Effect.sync(() => {
              statements += 1;
              return statement;
            }),
          );
          const limiters = yield* workersWith(
            database,
            { key: "application/allegro/1000ms", limit: 4, interval: 1000 },
            3,
          );
          const admitted = yield* counting(
            simulate(
              Array.from({ length: 12 }, (_, index) => ({ at: 0, through: nth(limiters, index) })),
            ),
          );
          expect([...admitted].sort((a, b) => a - b)).toEqual(
            Array.from({ length: 12 }, (_, index) => index * 250),
          );
          expect(statements).toBe(12);
        }),
    );

    // PostgreSQL only: there a refresh holds its grant's lock in a transaction and the pool
    // gives a permit a connection of its own; SQLite's client is one connection, so a permit
    // joins an enclosing transaction (rate-limiter.ts).
    if (name === "PostgreSQL")
      it.live(
        "a permit taken inside a transaction (a token refresh's) does not keep the limit's row locked until that transaction ends",
        () =>
          Effect.scoped(
            Effect.gen(function* () {
              yield* database.empty;
              // A limit far above the demand: no request waits for a permit, only for the row.
              const limit = {
                key: "application/allegro/60000ms",
                limit: 1_000_000,
                interval: 60_000,
              };
              const refreshing = yield* processOn(database);
              const inside = yield* limiterIn(refreshing, limit);
              const other = yield* limiterIn(yield* processOn(database), limit);
              const sql = Context.get(refreshing, SqlClient.SqlClient);
              const otherDone = yield* Deferred.make<void>();
              // The transaction stays open until the other worker's request went (or 20 s).
              const transaction = yield* Effect.fork(
                sql.withTransaction(
                  inside(Effect.timeout(Deferred.await(otherDone), "20 seconds")),
                ),
              );
              yield* Effect.sleep("200 millis");
              const went = yield* other(Effect.succeed("sent")).pipe(
                Effect.timeout("10 seconds"),
                Effect.option,
              );
              yield* Deferred.succeed(otherDone, undefined);
              yield* Fiber.join(transaction).pipe(Effect.ignore);
              expect(went).toStrictEqual(Option.some("sent"));
            }),
          ),
        60_000,
      );

    it.scoped(
      "a constant demand above the limit, from three workers, is admitted at the limit's rate: 3 a second, one every 333⅓ ms rounded so that no window of a second holds a fourth",
      () =>
        Effect.gen(function* () {
          // 10 a second for 2 s, from each worker in turn.
          const sorted = yield* admissions(database, {
            limit: { key: "application/allegro/1000ms", limit: 3, interval: 1000 },
            workers: 3,
            arrivals: Array.from({ length: 20 }, (_, index) => index * 100),
          });
          // The emission interval is 333,334 µs: admitted in the first millisecond whose end
          // is past the next free time.
          expect(sorted.slice(0, 10)).toEqual([
            0, 333, 666, 1000, 1333, 1666, 2000, 2333, 2666, 3000,
          ]);
          expect(sorted.at(-1)).toBe(6333);
          expect(overLimit(sorted, 3, 1000)).toEqual([]);
          // Each second holds exactly three.
          for (let second = 0; second < 6; second++) {
            const within = sorted.filter((at) => at >= second * 1000 && at < (second + 1) * 1000);
            expect(within).toHaveLength(3);
          }
        }),
    );

    it.scoped(
      "property: requests from three workers arriving at random never get more than the limit in any window of the interval, and every one is admitted",
      () =>
        Effect.gen(function* () {
          const processes = [
            yield* processOn(database),
            yield* processOn(database),
            yield* processOn(database),
          ];
          const runtime = yield* Effect.runtime<never>();
          const pattern = fc.record({
            limit: fc.integer({ min: 1, max: 4 }),
            interval: fc.integer({ min: 50, max: 5_000 }),
            arrivals: fc.array(
              fc.record({
                process: fc.integer({ min: 0, max: 2 }),
                // Per mille of the interval, over three intervals.
                at: fc.integer({ min: 0, max: 3_000 }),
              }),
              { minLength: 1, maxLength: 12 },
            ),
          });
          yield* Effect.promise(() =>
            fc.assert(
              fc.asyncProperty(pattern, ({ limit, interval, arrivals }) =>
                Runtime.runPromise(runtime)(
                  Effect.gen(function* () {
                    yield* database.empty;
                    const options = { key: "dealer/d-17/allegro/random", limit, interval };
                    const limiters = yield* Effect.forEach(processes, (process) =>
                      limiterIn(process, options),
                    );
                    const admittedAt = yield* simulate(
                      arrivals.map((arrival) => ({
                        at: Math.round((arrival.at * interval) / 1000),
                        through: nth(limiters, arrival.process),
                      })),
                    );
                    expect(admittedAt.every(Number.isFinite)).toBe(true);
                    expect(overLimit(admittedAt, limit, interval)).toEqual([]);
                  }),
                ),
              ),
              { numRuns: 30 },
            ),
          );
        }),
      120_000,
    );

    it.scoped(
      "fails open: with the table gone the request goes after a few retries, without a permit, and a warning is logged",
      () =>
        Effect.gen(function* () {
          yield* database.empty;
          const gate = yield* processOn(database);
          const sql = Context.get(gate, SqlClient.SqlClient);
          const limiter = yield* limiterIn(yield* processOn(database), {
            key: "dealer/d-17/blocket/1000ms",
            limit: 1,
            interval: 1000,
          });
          yield* Effect.acquireRelease(
            sql`ALTER TABLE adsync_rate_limits RENAME TO adsync_rate_limits_away`,
            () =>
              Effect.orDie(sql`ALTER TABLE adsync_rate_limits_away RENAME TO adsync_rate_limits`),
          );
          const warnings: Array<string> = [];
          const capture = Logger.make(({ logLevel, message }) => {
            if (logLevel._tag === "Warning") warnings.push(String(message));
          });
          const admittedAt = yield* simulate([
            { at: 0, through: limiter },
            { at: 0, through: limiter },
          ]).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, capture)));
          // Both went (a limit of one a second would have spaced them), after four retries
          // 50, 100, 200 and 400 ms apart.
          expect(admittedAt).toEqual([750, 750]);
          const failedOpen = warnings.filter((warning) =>
            warning.includes(
              "rate limit dealer/d-17/blocket/1000ms: the database did not answer, the request goes without a permit",
            ),
          );
          expect(failedOpen).toHaveLength(2);
        }),
    );

    it.scoped(
      "sqlRateLimiters: the application's limit is one row for every dealer and worker, each dealer's its own",
      () =>
        Effect.gen(function* () {
          yield* database.empty;
          const first = yield* limitersOn(database);
          const second = yield* limitersOn(database);
          const perMinute = (limit: number) => ({ limit, interval: "1 minute" as const });
          const application = { application: "allegro" };
          const dealerA = { dealer: "d/17", marketplace: "allegro" };
          const dealerB = { dealer: "d-18", marketplace: "allegro" };
          // dealer-a on both workers (1 a minute), dealer-b on the second: the application's
          // 2 a minute across both workers spaces the three by 30 s.
          const appFirst = yield* first(application, perMinute(2));
          const appSecond = yield* second(application, perMinute(2));
          const aFirst = yield* first(dealerA, perMinute(1));
          const aSecond = yield* second(dealerA, perMinute(1));
          const bSecond = yield* second(dealerB, perMinute(1));
          const [a, aAgain, b] = yield* simulate([
            { at: 0, through: (task) => aFirst(appFirst(task)) },
            { at: 1, through: (task) => aSecond(appSecond(task)) },
            { at: 2, through: (task) => bSecond(appSecond(task)) },
          ]);
          // dealer-b waits for the application's next permit only; dealer-a's second request
          // for its own limit (taken on the other worker), then the application's.
          expect({ a, b, aAgain }).toEqual({ a: 0, b: 30_000, aAgain: 60_000 });
          const sql = Context.get(yield* processOn(database), SqlClient.SqlClient);
          const rows = yield* sql<{
            readonly key: string;
          }>`SELECT key FROM adsync_rate_limits ORDER BY key`;
          expect(rows.map((row) => row.key)).toEqual(
            [application, dealerA, dealerB].map((key) => rateLimitKey(key, perMinute(1))).sort(),
          );
          expect(rateLimitKey(dealerA, perMinute(1))).toBe("dealer/d%2F17/allegro/60000ms");
        }),
    );

    it("behind Promises: the limiters of another process on the same rows", async () => {
      await Effect.runPromise(database.empty);
      const first = await openRateLimiters(database.client());
      const second = await openRateLimiters(database.client());
      try {
        // One a long interval: the next permit cannot come during the test on the real clock.
        const limit = { limit: 1, interval: "1000 days" as const };
        const dealer = { dealer: "d-17", marketplace: "allegro" };
        // The first is awaited however long the database takes (a loaded machine); only the
        // second is cut short, as it must wait for the next permit whatever the load.
        const run = (limiters: Limiters, within?: Duration.DurationInput) =>
          Effect.runPromise(
            Effect.scoped(
              Effect.flatMap(limiters(dealer, limit), (limiter) =>
                within === undefined
                  ? Effect.asSome(limiter(Effect.succeed("sent")))
                  : limiter(Effect.succeed("sent")).pipe(Effect.timeout(within), Effect.option),
              ),
            ),
          );
        expect(await run(first.limiters)).toStrictEqual(Option.some("sent"));
        expect(await run(second.limiters, "300 millis")).toStrictEqual(Option.none());
      } finally {
        await first.close();
        await second.close();
      }
    });
  });

rateLimiterTests("PostgreSQL", postgresDatabase());
rateLimiterTests("SQLite", sqliteDatabase());
