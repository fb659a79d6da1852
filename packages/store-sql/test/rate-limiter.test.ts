import type { Limiters } from "@adsync/core";
import * as SqlClient from "@effect/sql/SqlClient";
import { describe, expect, it } from "@effect/vitest";
import { Clock, Context, Effect, Fiber, Layer, Option, TestClock } from "effect";
import { openRateLimiters } from "../src/facade.ts";
import {
  makeSqlRateLimiter,
  rateLimitKey,
  type SqlRateLimit,
  sqlRateLimiters,
} from "../src/rate-limiter.ts";
import { postgresDatabase, sqliteDatabase, type TestDatabase } from "./support/databases.ts";

/** A connection of its own (another worker's), with the database's limiter of `limit` on it. */
const limiterOn = (database: TestDatabase, limit: SqlRateLimit) =>
  Effect.flatMap(Layer.build(database.client()), (context) =>
    Effect.provide(makeSqlRateLimiter(limit), context),
  );

/** `DealerAdapters`' limiters of another worker: on a connection of its own. */
const limitersOn = (database: TestDatabase) =>
  Effect.flatMap(Layer.build(database.client()), (context) =>
    Effect.provide(sqlRateLimiters, context),
  );

/** A real pause (the test clock stands still while the database answers). */
const pause = Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 10)));

/**
 * Sleepers on the test clock waking at `at`: requests that found their window full and wait
 * for the next one to start at `at` (the pg client's own timers wake at other times).
 */
const asleepUntil = (at: number) =>
  Effect.map(TestClock.sleeps(), (sleeps) => [...sleeps].filter((wake) => wake === at).length);

/**
 * Waits until `admitted` requests went and `waiting` sleep until the window starting at `next`;
 * generous on a loaded machine.
 */
const settled = (
  admittedAt: ReadonlyArray<unknown>,
  admitted: number,
  waiting: number,
  next: number,
) =>
  Effect.gen(function* () {
    for (let waited = 0; waited < 60_000; waited += 10) {
      const asleep = yield* asleepUntil(next);
      // One admitted too many fails the test's next assertion at once.
      if (admittedAt.length > admitted || (admittedAt.length === admitted && asleep >= waiting))
        return;
      yield* pause;
    }
  });

const rateLimiterTests = (name: string, database: TestDatabase) =>
  describe(`sqlRateLimiter on ${name}`, () => {
    it.scoped(
      "two workers' limiters on one key never admit more than the limit in a window; the rest wait for the next",
      () =>
        Effect.gen(function* () {
          yield* database.empty;
          const limit: SqlRateLimit = {
            key: "dealer/d-17/blocket/60000ms",
            limit: 3,
            interval: "1 minute",
          };
          const first = yield* limiterOn(database, limit);
          const second = yield* limiterOn(database, limit);
          const admittedAt: Array<number> = [];
          const request = Effect.flatMap(Clock.currentTimeMillis, (now) =>
            Effect.sync(() => admittedAt.push(now)),
          );
          // Eight requests at once, four through each worker.
          const fibers = yield* Effect.forEach(
            [first, second, first, second, first, second, first, second],
            (limiter) => Effect.fork(limiter(request)),
          );
          yield* settled(admittedAt, 3, 5, 60_000);
          expect(admittedAt).toEqual([0, 0, 0]);
          expect(yield* asleepUntil(60_000)).toBe(5);
          yield* TestClock.adjust("1 minute");
          yield* settled(admittedAt, 6, 2, 120_000);
          expect(admittedAt).toEqual([0, 0, 0, 60_000, 60_000, 60_000]);
          expect(yield* asleepUntil(120_000)).toBe(2);
          yield* TestClock.adjust("1 minute");
          yield* Effect.forEach(fibers, Fiber.join);
          expect(admittedAt).toEqual([0, 0, 0, 60_000, 60_000, 60_000, 120_000, 120_000]);
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
          const admitted: Array<string> = [];
          const request = (name: string) => Effect.sync(() => admitted.push(name));
          // dealer-a on both workers (1 a minute), dealer-b on the second: the application's
          // 2 a minute across both workers admits two of the three.
          const appFirst = yield* first(application, perMinute(2));
          const appSecond = yield* second(application, perMinute(2));
          const aFirst = yield* first(dealerA, perMinute(1));
          const aSecond = yield* second(dealerA, perMinute(1));
          const bSecond = yield* second(dealerB, perMinute(1));
          const one = yield* Effect.fork(aFirst(appFirst(request("a"))));
          yield* settled(admitted, 1, 0, 60_000);
          const two = yield* Effect.fork(aSecond(appSecond(request("a again"))));
          const three = yield* Effect.fork(bSecond(appSecond(request("b"))));
          yield* settled(admitted, 2, 1, 60_000);
          // dealer-a's second request waits for its own limit (taken on the other worker).
          expect(admitted.sort()).toEqual(["a", "b"]);
          expect(yield* asleepUntil(60_000)).toBe(1);
          yield* TestClock.adjust("1 minute");
          yield* Effect.forEach([one, two, three], Fiber.join);
          expect(admitted.sort()).toEqual(["a", "a again", "b"]);
          const sql = Context.get(yield* Layer.build(database.client()), SqlClient.SqlClient);
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
        // One a long interval: the window cannot turn during the test on the real clock.
        const limit = { limit: 1, interval: "1000 days" as const };
        const dealer = { dealer: "d-17", marketplace: "allegro" };
        const run = (limiters: Limiters) =>
          Effect.runPromise(
            Effect.scoped(
              Effect.flatMap(limiters(dealer, limit), (limiter) =>
                limiter(Effect.succeed("sent")).pipe(Effect.timeout("300 millis"), Effect.option),
              ),
            ),
          );
        expect(await run(first.limiters)).toStrictEqual(Option.some("sent"));
        expect(await run(second.limiters)).toStrictEqual(Option.none());
      } finally {
        await first.close();
        await second.close();
      }
    });
  });

rateLimiterTests("PostgreSQL", postgresDatabase());
rateLimiterTests("SQLite", sqliteDatabase());
