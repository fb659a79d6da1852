import { AdsyncError, expectedOf, type StoreService } from "@adsync/core";
import * as SqlClient from "@effect/sql/SqlClient";
import { describe, expect, it } from "@effect/vitest";
import { Context, Effect, Either, Layer, Option } from "effect";
import { event, listing, live, pending, started } from "../../store-sqlite/test/fixtures.ts";
import {
  openPgDealerStores,
  openPgStore,
  openSqliteDealerStores,
  openSqliteStore,
  type PromiseDealerStores,
  type PromiseStore,
} from "../src/facade.ts";
import { migrate, migrationLockKey, migrationsTable, schemaVersion } from "../src/migrations.ts";
import { defaultDealer, makeSqlEventFeed } from "../src/sql-store.ts";
import {
  postgresDatabase,
  releasedTogether,
  sqliteDatabase,
  type TestDatabase,
} from "./support/databases.ts";

const recordOn = (store: StoreService, adId: string, marketplace: string, at: number) =>
  store.record(
    listing(adId, marketplace, live, at),
    event(adId, marketplace, started(`op-${at}`, at), live),
  );

/** The SqlClient of a new connection to the test database, for reading tables directly. */
const direct = (database: TestDatabase) =>
  Effect.map(Layer.build(database.client()), (context) =>
    Context.get(context, SqlClient.SqlClient),
  );

const storeTests = (name: string, database: TestDatabase) =>
  describe(`SQL store on ${name}`, () => {
    it.scoped("keeps two dealers' listings with the same ad id apart", () =>
      Effect.gen(function* () {
        const first = yield* database.freshStore({ dealer: "dealer-1" });
        const second = yield* database.openStore({ dealer: "dealer-2" });
        yield* recordOn(first, "ad-1", "blocket", 1);
        yield* recordOn(second, "ad-1", "blocket", 2);
        yield* first.saveCursor("allegro", "event-1");

        expect(Option.map(yield* first.get("ad-1", "blocket"), (each) => each.updatedAt)).toEqual(
          Option.some(1),
        );
        expect(Option.map(yield* second.get("ad-1", "blocket"), (each) => each.updatedAt)).toEqual(
          Option.some(2),
        );
        expect(yield* first.list()).toHaveLength(1);
        expect(yield* second.events("ad-1")).toHaveLength(1);
        expect(yield* second.keys({ marketplace: "blocket", limit: 10 })).toStrictEqual(["ad-1"]);
        expect(yield* second.cursor("allegro")).toStrictEqual(Option.none());
        // One log, numbered across dealers; each store's feed shows its own dealer's events.
        expect((yield* first.feed()).map((each) => each.seq)).toStrictEqual([1]);
        expect((yield* second.feed()).map((each) => each.seq)).toStrictEqual([2]);
        expect(yield* second.lastSeq).toBe(2);
        // A conditional write of one dealer does not see the other's claim.
        yield* second.record(
          listing("ad-2", "blocket", pending, 3),
          event("ad-2", "blocket", started("op-3", 3), pending),
          expectedOf(undefined),
        );
      }),
    );

    it.scoped("feeds every dealer's events in one log, in seq order, each naming its dealer", () =>
      Effect.gen(function* () {
        const first = yield* database.freshStore({ dealer: "dealer-1" });
        const second = yield* database.openStore({ dealer: "dealer-2" });
        yield* recordOn(first, "ad-1", "blocket", 1);
        yield* recordOn(second, "ad-1", "blocket", 2);
        yield* recordOn(first, "ad-2", "tradera", 3);
        const all = yield* Effect.provideService(
          makeSqlEventFeed,
          SqlClient.SqlClient,
          yield* direct(database),
        );

        const read = yield* all.feed();
        expect(read.map(({ seq, dealer, adId }) => [seq, dealer, adId])).toStrictEqual([
          [1, "dealer-1", "ad-1"],
          [2, "dealer-2", "ad-1"],
          [3, "dealer-1", "ad-2"],
        ]);
        expect((yield* all.feed({ after: 1, limit: 1 })).map((each) => each.seq)).toStrictEqual([
          2,
        ]);
        expect(yield* all.lastSeq).toBe(3);
        // A dealer's own feed is its part of the one log, under the same numbers and names.
        expect(yield* first.feed()).toStrictEqual([read[0], read[2]]);
        expect((yield* second.events("ad-1")).map((each) => each.dealer)).toStrictEqual([
          "dealer-2",
        ]);
        expect(yield* first.lastSeq).toBe(3);
        expect(yield* second.lastSeq).toBe(2);
      }),
    );

    it.scoped("stores today's port under the default dealer, its key columns beside the JSON", () =>
      Effect.gen(function* () {
        const store = yield* database.freshStore();
        yield* store.record(
          {
            ...listing("ad-1", "blocket", pending, 5),
            lease: { holder: "holder-1", owner: "process-1", expiresAt: 9 },
          },
          event("ad-1", "blocket", started("op-1", 5), pending),
        );
        const sql = yield* direct(database);
        const rows = yield* sql<{
          readonly dealer: string;
          readonly lease_holder: string;
        }>`SELECT dealer, lease_holder FROM adsync_listings`;
        expect(rows).toStrictEqual([{ dealer: defaultDealer, lease_holder: "holder-1" }]);
        const events = yield* sql<{ readonly dealer: string }>`SELECT dealer FROM adsync_events`;
        expect(events).toStrictEqual([{ dealer: defaultDealer }]);
      }),
    );

    it.scoped("pages keys in byte order, whatever the database's collation", () =>
      Effect.gen(function* () {
        const store = yield* database.freshStore();
        const ids = ["aa", "a_c", "B", "a-b", "a", "Ä", "b"];
        for (const [at, adId] of ids.entries()) yield* recordOn(store, adId, "blocket", at);
        const walked: Array<string> = [];
        let after: string | undefined;
        for (;;) {
          const page = yield* store.keys({ marketplace: "blocket", after, limit: 3 });
          if (page.length === 0) break;
          walked.push(...page);
          after = page[page.length - 1];
        }
        // UTF-8 byte order; also the UTF-16 order of JavaScript's sort for these ids.
        expect(walked).toStrictEqual(["B", "a", "a-b", "a_c", "aa", "b", "Ä"]);
      }),
    );

    it.scoped("refuses a row it cannot read, naming it, instead of handing it on", () =>
      Effect.gen(function* () {
        const store = yield* database.freshStore();
        yield* recordOn(store, "ad-1", "blocket", 1);
        const sql = yield* direct(database);
        yield* sql`UPDATE adsync_listings SET record = ${'{"adId":"ad-1"}'}`;
        const read = yield* Effect.either(store.get("ad-1", "blocket"));
        expect(Either.isLeft(read) && read.left.reason).toBe("Store");
        expect(Either.isLeft(read) && read.left.message).toContain("blocket/ad-1");
      }),
    );
  });

const migrationTests = (name: string, database: TestDatabase) =>
  describe(`SQL store schema on ${name}`, () => {
    // Live clock: two processes creating the Migrator's table at once collide, and the loser
    // retries after a real pause.
    it.scopedLive("three processes opening a new database at once apply each step once", () =>
      Effect.gen(function* () {
        const stores = yield* Effect.all(
          [database.openStore(), database.openStore(), database.openStore()],
          { concurrency: "unbounded" },
        );
        for (const [index, store] of stores.entries())
          yield* recordOn(store, `ad-${index}`, "blocket", index);
        const sql = yield* direct(database);
        const steps = yield* sql<{
          readonly migration_id: unknown;
        }>`SELECT migration_id FROM ${sql(migrationsTable)}`;
        expect(steps.map((row) => Number(row.migration_id)).sort()).toStrictEqual(
          Array.from({ length: schemaVersion }, (_, index) => index + 1),
        );
        expect(yield* stores[0]?.lastSeq ?? Effect.succeed(0)).toBe(3);
      }),
    );

    it.scoped("refuses a database written by a newer release", () =>
      Effect.gen(function* () {
        const sql = yield* direct(database);
        yield* Effect.provideService(migrate, SqlClient.SqlClient, sql);
        yield* sql`INSERT INTO ${sql(migrationsTable)} ${sql.insert({ migration_id: schemaVersion + 1, name: "future" })}`;
        const opened = yield* Effect.either(database.openStore());
        expect(opened).toStrictEqual(
          Either.left(
            new AdsyncError({
              reason: "Store",
              operation: "migrate",
              message: `The database has schema version ${schemaVersion + 1}; this release reads up to ${schemaVersion}`,
            }),
          ),
        );
      }),
    );
  });

const migrationLockTests = (database: TestDatabase) =>
  describe("SQL store schema on PostgreSQL, two migrations held at once", () => {
    // Live clock: the gate polls the server in real time.
    it.scopedLive(
      "both wait at the migration lock, then run one after the other: each step applied once, both open",
      () =>
        Effect.gen(function* () {
          // A third connection holds the migration lock until both migrations wait for it.
          const [first, second] = yield* releasedTogether(
            database,
            (sql) => sql`SELECT pg_advisory_xact_lock(${migrationLockKey})`,
            Effect.all([database.openStore(), database.openStore()], {
              concurrency: "unbounded",
            }),
          );

          const sql = yield* direct(database);
          const steps = yield* sql<{
            readonly migration_id: unknown;
          }>`SELECT migration_id FROM ${sql(migrationsTable)} ORDER BY migration_id`;
          expect(steps.map((row) => Number(row.migration_id))).toStrictEqual(
            Array.from({ length: schemaVersion }, (_, index) => index + 1),
          );
          yield* recordOn(first, "ad-1", "blocket", 1);
          yield* recordOn(second, "ad-2", "blocket", 2);
          expect(yield* first.lastSeq).toBe(2);
        }),
    );
  });

const facadeTests = (
  name: string,
  database: TestDatabase,
  open: (location: string) => Promise<PromiseStore>,
  openDealers: (location: string) => Promise<PromiseDealerStores>,
) =>
  describe(`SQL store behind Promises on ${name}`, () => {
    it("serves each dealer's store over one connection, and the log across them", async () => {
      await Effect.runPromise(database.empty);
      const dealers = await openDealers(database.location());
      try {
        const first = await dealers.storeFor("d-1");
        const second = await dealers.storeFor("d-2");
        await first.record(
          listing("ad-1", "blocket", pending, 1),
          event("ad-1", "blocket", started("op-1", 1), pending),
        );
        await second.record(
          listing("ad-1", "blocket", live, 2),
          event("ad-1", "blocket", started("op-2", 2), live),
        );
        expect((await first.get("ad-1", "blocket"))?.updatedAt).toBe(1);
        expect(
          (await second.page({ marketplace: "blocket", limit: 5 })).map((each) => each.updatedAt),
        ).toStrictEqual([2]);
        expect((await dealers.feed()).map((each) => [each.seq, each.dealer])).toStrictEqual([
          [1, "d-1"],
          [2, "d-2"],
        ]);
        expect(await dealers.lastSeq()).toBe(2);
        expect((await second.feed()).map((each) => each.seq)).toStrictEqual([2]);
        // Followed from the start: leaving the loop stops it.
        const followed: Array<string> = [];
        for await (const each of dealers.follow({ after: 0, interval: "20 millis" })) {
          followed.push(`${each.seq}:${each.dealer}`);
          if (followed.length === 2) break;
        }
        expect(followed).toStrictEqual(["1:d-1", "2:d-2"]);
      } finally {
        await dealers.close();
      }
    });

    it("records, reads, pages keys and rejects a conflict with the AdsyncError", async () => {
      await Effect.runPromise(database.empty);
      const store = await open(database.location());
      try {
        const claimed = listing("ad-1", "blocket", pending, 1);
        await store.record(claimed, event("ad-1", "blocket", started("op-1", 1), pending));
        expect(await store.get("ad-1", "blocket")).toStrictEqual(claimed);
        expect(await store.get("ad-2", "blocket")).toBeUndefined();
        expect(await store.keys({ marketplace: "blocket", limit: 5 })).toStrictEqual(["ad-1"]);
        expect((await store.feed()).map((each) => each.seq)).toStrictEqual([1]);
        expect(await store.lastSeq()).toBe(1);
        await store.saveCursor("allegro", "x");
        expect(await store.cursor("allegro")).toBe("x");
        const refused = store.record(
          claimed,
          event("ad-1", "blocket", started("op-2", 2), pending),
          {
            operationId: "op-9",
            leaseHolder: undefined,
          },
        );
        await expect(refused).rejects.toBeInstanceOf(AdsyncError);
        await expect(refused).rejects.toMatchObject({ reason: "Conflict", operation: "record" });
      } finally {
        await store.close();
      }
    });
  });

const sqlite = sqliteDatabase();
storeTests("SQLite", sqlite);
facadeTests(
  "SQLite",
  sqlite,
  (filename) => openSqliteStore({ filename }),
  (filename) => openSqliteDealerStores({ filename }),
);
migrationTests("SQLite", sqliteDatabase({ migrated: false }));

const postgres = postgresDatabase();
storeTests("PostgreSQL", postgres);
facadeTests(
  "PostgreSQL",
  postgres,
  (url) => openPgStore({ url }),
  (url) => openPgDealerStores({ url }),
);
migrationTests("PostgreSQL", postgresDatabase({ migrated: false }));
migrationLockTests(postgresDatabase({ migrated: false }));

describe("SQL store behind Promises, when the database cannot be reached", () => {
  it("rejects with the AdsyncError (reason Store, operation open)", async () => {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    const opening = openPgStore({ url: "postgres://adsync:none@127.0.0.1:1/none" });
    await expect(opening).rejects.toBeInstanceOf(AdsyncError);
    await expect(opening).rejects.toMatchObject({ reason: "Store", operation: "open" });
  });
});
