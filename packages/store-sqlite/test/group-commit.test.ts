import { join } from "node:path";
import { expectedOf, isRecordConflict, type ListingState } from "@adsync/core";
import { describe, expect, it } from "@effect/vitest";
import Database from "better-sqlite3";
import { Effect, Either, Option } from "effect";
import { makeSqliteStore } from "../src/index.ts";
import { event, listing, live, pending, started } from "./fixtures.ts";
import { temporaryDirectory } from "./temporary-directory.ts";

/**
 * Group commit (#14): the writes of concurrent operations share one transaction, and each
 * caller resumes only once its write is committed — durable and visible to another process.
 */

const databasePath = Effect.map(temporaryDirectory, (directory) => join(directory, "group.db"));

/** What another process sees in the file right now. */
const rowsSeenElsewhere = (path: string): number => {
  const database = new Database(path, { readonly: true });
  try {
    const row: unknown = database.prepare("SELECT count(*) AS n FROM listings").get();
    return typeof row === "object" && row !== null && "n" in row ? Number(row.n) : -1;
  } finally {
    database.close();
  }
};

const pendingWith = (operationId: string): ListingState => ({
  presence: "pending",
  notes: [],
  operation: {
    id: operationId,
    kind: "create",
    status: "pending",
    startedAt: 1,
    issues: [],
    warnings: [],
    presenceBefore: "absent",
  },
});

describe("SQLite store group commit", () => {
  it.scoped("commits concurrent writes in one transaction, each caller resuming after it", () =>
    Effect.gen(function* () {
      const path = yield* databasePath;
      const store = yield* makeSqliteStore({ path });
      const writes = Array.from({ length: 50 }, (_, index) => {
        const adId = `ad-${index}`;
        return Effect.tap(
          store.record(
            listing(adId, "blocket", pending, index),
            event(adId, "blocket", started(`op-${index}`, index), pending),
          ),
          // The moment a caller resumes, its write is on disk for every other connection.
          () => Effect.sync(() => expect(rowsSeenElsewhere(path)).toBeGreaterThan(index)),
        );
      });
      yield* Effect.all(writes, { concurrency: "unbounded" });
      expect(rowsSeenElsewhere(path)).toBe(50);
      const statistics = store.statistics();
      expect(statistics.writes).toBe(50);
      expect(statistics.transactions).toBe(1);
      expect((yield* store.feed({ after: 0, limit: 100 })).map((entry) => entry.seq)).toEqual(
        Array.from({ length: 50 }, (_, index) => index + 1),
      );
    }),
  );

  it.scoped("groups at most `groupCommit` writes per transaction", () =>
    Effect.gen(function* () {
      const path = yield* databasePath;
      const store = yield* makeSqliteStore({ path, groupCommit: 1 });
      yield* Effect.all(
        Array.from({ length: 5 }, (_, index) =>
          store.record(
            listing(`ad-${index}`, "blocket", live, index),
            event(`ad-${index}`, "blocket", started(`op-${index}`, index), live),
          ),
        ),
        { concurrency: "unbounded" },
      );
      expect(store.statistics().transactions).toBe(5);
    }),
  );

  it.scoped("keeps compare-and-set within one group: of two claims on one listing, one wins", () =>
    Effect.gen(function* () {
      const path = yield* databasePath;
      const store = yield* makeSqliteStore({ path });
      const base = listing("ad-1", "blocket", live, 1);
      yield* store.record(base, event("ad-1", "blocket", started("op-0", 1), live));
      const claim = (operationId: string) =>
        Effect.either(
          store.record(
            { ...base, state: pendingWith(operationId) },
            event("ad-1", "blocket", started(operationId, 2), pendingWith(operationId)),
            expectedOf(base),
          ),
        );
      const [first, second] = yield* Effect.all([claim("op-a"), claim("op-b")], {
        concurrency: "unbounded",
      });
      expect(Either.isRight(first)).toBe(true);
      expect(Either.isLeft(second) && isRecordConflict(second.left)).toBe(true);
      const stored = Option.getOrThrow(yield* store.get("ad-1", "blocket"));
      expect(stored.state.operation?.id).toBe("op-a");
      expect(yield* store.events("ad-1")).toHaveLength(2);
    }),
  );

  it.scoped("fails only the bad write of a group; the others are committed", () =>
    Effect.gen(function* () {
      const path = yield* databasePath;
      const store = yield* makeSqliteStore({ path });
      const good = (adId: string) =>
        Effect.either(
          store.record(
            listing(adId, "blocket", live, 1),
            event(adId, "blocket", started("op", 1), live),
          ),
        );
      // A listing row whose key column breaks a constraint of the table fails inside SQLite.
      const bad = Effect.either(
        store.record(
          { ...listing("ad-bad", "blocket", live, 1), marketplace: null as unknown as string },
          event("ad-bad", "blocket", started("op", 1), live),
        ),
      );
      const [one, broken, two] = yield* Effect.all([good("ad-1"), bad, good("ad-2")], {
        concurrency: "unbounded",
      });
      expect(Either.isRight(one) && Either.isRight(two)).toBe(true);
      expect(Either.isLeft(broken) && broken.left.reason).toBe("Store");
      expect(rowsSeenElsewhere(path)).toBe(2);
    }),
  );
});
