import {
  type AdsyncError,
  expectedOf,
  initialState,
  isRecordConflict,
  type ListingRecord,
  reduce,
  type StoreService,
} from "@adsync/core";
import { describe, expect, it } from "@effect/vitest";
import { Effect, Either, Option } from "effect";
import { event, listing, pending, started } from "../../store-sqlite/test/fixtures.ts";
import { defaultDealer } from "../src/sql-store.ts";
import {
  postgresDatabase,
  releasedTogether,
  sqliteDatabase,
  type TestDatabase,
} from "./support/databases.ts";

/** A claim on `adId` by `worker`: its operation and lease, as the publisher writes a Started. */
const claim = (adId: string, worker: string): ListingRecord => ({
  ...listing(adId, "blocket", pending, 1),
  // The state the publisher records with its Started: the lifecycle's own reduction.
  state: reduce(initialState, started(`op-${worker}-${adId}`, 1)),
  lease: { holder: `holder-${worker}-${adId}`, owner: worker, expiresAt: 60_000 },
});

const claimEvent = (record: ListingRecord) =>
  event(
    record.adId,
    record.marketplace,
    started(record.state.operation?.id ?? "", 1),
    record.state,
  );

const workerNames = ["a", "b"];

/** Two writers record their claim expecting the same state: which won, which got the conflict. */
const race = (
  first: StoreService,
  second: StoreService,
  adId: string,
  expected: ReturnType<typeof expectedOf>,
) =>
  Effect.all(
    [first, second].map((store, index) => {
      const record = claim(adId, workerNames[index] ?? "");
      return Effect.either(store.record(record, claimEvent(record), expected));
    }),
    { concurrency: "unbounded" },
  );

const conflicts = (outcome: Either.Either<void, AdsyncError>) =>
  Either.isLeft(outcome) && isRecordConflict(outcome.left);

/** Checks that exactly one write won and the other got the conflict; answers the winner. */
const settled = (outcomes: ReadonlyArray<Either.Either<void, AdsyncError>>) => {
  expect(outcomes.filter(Either.isRight)).toHaveLength(1);
  expect(outcomes.filter(conflicts)).toHaveLength(1);
  return workerNames[outcomes.findIndex(Either.isRight)] ?? "";
};

/** Two workers on the emptied database: two stores, each with a connection of its own. */
const twoWorkers = (database: TestDatabase) =>
  Effect.zipRight(database.empty, Effect.all([database.openStore(), database.openStore()]));

/** Two workers (two stores, each with its own connection) on one database. */
const workers = (name: string, database: TestDatabase) =>
  describe(`two workers on one ${name} database`, () => {
    const ads = Array.from({ length: 12 }, (_, index) => `ad-${String(index).padStart(2, "0")}`);

    it.scoped(
      "racing to claim the same absent listings: exactly one claim per listing wins, the other is refused",
      () =>
        Effect.gen(function* () {
          const [first, second] = yield* twoWorkers(database);
          const outcomes = yield* Effect.forEach(
            ads,
            (adId) => race(first, second, adId, expectedOf(undefined)),
            { concurrency: "unbounded" },
          );

          for (const [index, outcome] of outcomes.entries()) {
            const adId = ads[index] ?? "";
            const winner = claim(adId, settled(outcome));
            // Both workers read the winner's claim; the loser's write left no trace.
            expect(yield* first.get(adId, "blocket")).toStrictEqual(Option.some(winner));
            expect(yield* second.get(adId, "blocket")).toStrictEqual(Option.some(winner));
            // Read back naming the stores' dealer.
            expect(yield* first.events(adId)).toStrictEqual([
              { ...claimEvent(winner), dealer: defaultDealer },
            ]);
          }
          // One event per listing, numbered 1…n in the one log with no gap.
          const feed = yield* second.feed();
          expect(feed.map((each) => each.seq)).toStrictEqual(ads.map((_, index) => index + 1));
          expect(feed.map((each) => each.adId).sort()).toStrictEqual(ads);
        }),
    );

    it.scoped(
      "racing on a claim both read: exactly one writes its answer, the other is refused",
      () =>
        Effect.gen(function* () {
          const [first, second] = yield* twoWorkers(database);
          // A claim of a third worker, expired say: both take over with claims of their own.
          const held = claim("ad-1", "x");
          yield* first.record(held, claimEvent(held), expectedOf(undefined));

          // Each worker read the held claim and takes over with its own operation.
          const winner = settled(yield* race(first, second, "ad-1", expectedOf(held)));
          const stored = Option.getOrThrow(yield* second.get("ad-1", "blocket"));
          expect(stored.lease?.owner).toBe(winner);
          expect(yield* first.events("ad-1")).toHaveLength(2);
          expect(yield* first.lastSeq).toBe(2);
        }),
    );
  });

workers("SQLite", sqliteDatabase());
const postgres = postgresDatabase();
workers("PostgreSQL", postgres);

describe("two workers on PostgreSQL, both writes in flight at once", () => {
  // Live clock: the gate polls the server in real time.
  it.scopedLive(
    "held at a table lock until both wait, then released together: one wins, one gets the conflict",
    () =>
      Effect.gen(function* () {
        const [first, second] = yield* twoWorkers(postgres);
        // A third connection locks the listings against writes until both workers wait.
        const outcome = yield* releasedTogether(
          postgres,
          (sql) => sql`LOCK TABLE adsync_listings IN EXCLUSIVE MODE`,
          race(first, second, "ad-1", expectedOf(undefined)),
        );

        settled(outcome);
        expect(yield* first.events("ad-1")).toHaveLength(1);
        expect((yield* second.feed()).map((each) => each.seq)).toStrictEqual([1]);
      }),
  );
});
