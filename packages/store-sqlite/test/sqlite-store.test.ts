import { join } from "node:path";
import { AdsyncError, Store } from "@adsync/core";
import { describe, expect, it } from "@effect/vitest";
import Database from "better-sqlite3";
import { Effect, Exit, Option } from "effect";
import { makeSqliteStore, sqliteStoreLayer } from "../src/index.ts";
import { schemaVersion } from "../src/migrations.ts";
import { event, listing, live, pending, richListing, started } from "./fixtures.ts";
import { storeConformance } from "./store-conformance.ts";
import { temporaryDirectory } from "./temporary-directory.ts";

// Nested below the temp dir: the store must create missing parent directories itself.
const databasePath = Effect.map(temporaryDirectory, (directory) =>
  join(directory, "state", "nested", "adsync.db"),
);

storeConformance(
  "sqlite",
  Effect.flatMap(databasePath, (path) => makeSqliteStore({ path })),
  // Each open is a new connection to the same file: a restart of the process.
  Effect.map(databasePath, (path) => makeSqliteStore({ path })),
);

/** Runs raw SQL on the file, as an operator or a bug elsewhere could. */
const withRawConnection = <A>(path: string, body: (database: Database.Database) => A): A => {
  const database = new Database(path);
  try {
    return body(database);
  } finally {
    database.close();
  }
};

const expectStoreError = (error: AdsyncError, operation: string) => {
  expect(error).toBeInstanceOf(AdsyncError);
  expect(error.reason).toBe("Store");
  expect(error.operation).toBe(operation);
  expect(error.isRetryable).toBe(false);
};

describe("SQLite store", () => {
  it.scoped("reads back what was recorded after the file is closed and opened again", () =>
    Effect.gen(function* () {
      const path = yield* databasePath;
      const first = event("ad-1", "blocket", started("op-7", 5), pending);
      const second = event("ad-1", "blocket", { _tag: "Seen", presence: "live", at: 6 }, live);
      yield* Effect.scoped(
        Effect.gen(function* () {
          const store = yield* makeSqliteStore({ path });
          yield* store.record({ ...richListing, state: pending }, first);
          yield* store.record(richListing, second);
        }),
      );

      const reopened = yield* makeSqliteStore({ path });
      expect(yield* reopened.get("ad-1", "blocket")).toStrictEqual(Option.some(richListing));
      expect(yield* reopened.list()).toStrictEqual([richListing]);
      expect(yield* reopened.events("ad-1")).toStrictEqual([first, second]);
    }),
  );

  it.scoped("leaves a file in WAL mode with its schema version set", () =>
    Effect.gen(function* () {
      const path = yield* databasePath;
      yield* Effect.scoped(makeSqliteStore({ path }));

      const [journalMode, version] = withRawConnection(path, (database) => [
        database.pragma("journal_mode", { simple: true }),
        database.pragma("user_version", { simple: true }),
      ]);
      expect(journalMode).toBe("wal");
      expect(version).toBe(schemaVersion);
    }),
  );

  it.scoped("writes neither the listing nor the event when the event cannot be written", () =>
    Effect.gen(function* () {
      const path = yield* databasePath;
      const store = yield* makeSqliteStore({ path });
      // A BigInt is not JSON: the event fails after the listing row was already written.
      const unwritable = event(
        "ad-1",
        "blocket",
        { _tag: "Seen", presence: "live", raw: 1n, at: 1 },
        live,
      );

      const error = yield* Effect.flip(
        store.record(listing("ad-1", "blocket", live, 1), unwritable),
      );

      expectStoreError(error, "record");
      expect(yield* store.get("ad-1", "blocket")).toStrictEqual(Option.none());
      expect(yield* store.events("ad-1")).toStrictEqual([]);
    }),
  );

  it.scoped("fails with a Store error, not a throw, on a row that is not JSON", () =>
    Effect.gen(function* () {
      const path = yield* databasePath;
      const store = yield* makeSqliteStore({ path });
      withRawConnection(path, (database) => {
        database
          .prepare(
            "INSERT INTO listings (marketplace, ad_id, record, updated_at) VALUES (?, ?, ?, ?)",
          )
          .run("blocket", "ad-1", "{not json", 1);
        database
          .prepare(
            "INSERT INTO events (ad_id, marketplace, observation, state) VALUES (?, ?, ?, ?)",
          )
          .run("ad-1", "blocket", "{not json", "{}");
      });

      const fromGet = yield* Effect.flip(store.get("ad-1", "blocket"));
      expectStoreError(fromGet, "get");
      expect(fromGet.message).toContain("marketplace=blocket ad_id=ad-1");
      expectStoreError(yield* Effect.flip(store.list()), "list");
      expectStoreError(yield* Effect.flip(store.list("ad-1")), "list");
      expectStoreError(yield* Effect.flip(store.events("ad-1")), "events");
      // The other ads stay readable.
      expect(yield* store.list("ad-2")).toStrictEqual([]);
    }),
  );

  it.scoped("fails with a Store error on JSON that is not a listing", () =>
    Effect.gen(function* () {
      const path = yield* databasePath;
      const store = yield* makeSqliteStore({ path });
      withRawConnection(path, (database) => {
        database
          .prepare(
            "INSERT INTO listings (marketplace, ad_id, record, updated_at) VALUES (?, ?, ?, ?)",
          )
          .run("blocket", "ad-1", JSON.stringify({ adId: "ad-1", state: { presence: "gone" } }), 1);
      });

      expectStoreError(yield* Effect.flip(store.get("ad-1", "blocket")), "get");
    }),
  );

  it.scoped("keeps keys it does not know when reading a listing back", () =>
    Effect.gen(function* () {
      const path = yield* databasePath;
      const store = yield* makeSqliteStore({ path });
      const written = { ...listing("ad-1", "blocket", live, 1), addedByANewerRelease: [1, 2] };
      withRawConnection(path, (database) => {
        database
          .prepare(
            "INSERT INTO listings (marketplace, ad_id, record, updated_at) VALUES (?, ?, ?, ?)",
          )
          .run("blocket", "ad-1", JSON.stringify(written), 1);
      });

      expect(yield* store.get("ad-1", "blocket")).toStrictEqual(Option.some(written));
    }),
  );

  it.scoped("refuses a file written by a newer schema version", () =>
    Effect.gen(function* () {
      const path = yield* databasePath;
      yield* Effect.scoped(makeSqliteStore({ path }));
      withRawConnection(path, (database) => database.pragma("user_version = 99"));

      const error = yield* Effect.flip(makeSqliteStore({ path }));

      expectStoreError(error, "migrate");
      expect(error.message).toContain("schema version 99");
    }),
  );

  it.scoped("fails with a Store error when the file cannot be opened", () =>
    Effect.gen(function* () {
      // A directory is not a database file.
      const directory = yield* temporaryDirectory;

      expectStoreError(yield* Effect.flip(makeSqliteStore({ path: directory })), "open");
    }),
  );

  it.scoped("fails with a Store error when used after its scope closed", () =>
    Effect.gen(function* () {
      const path = yield* databasePath;
      const store = yield* Effect.scoped(makeSqliteStore({ path }));

      expectStoreError(yield* Effect.flip(store.get("ad-1", "blocket")), "get");
      expectStoreError(
        yield* Effect.flip(
          store.record(
            listing("ad-1", "blocket", live, 1),
            event("ad-1", "blocket", started("op", 1), live),
          ),
        ),
        "record",
      );
    }),
  );

  it.scoped("provides the Store service through its layer", () =>
    Effect.gen(function* () {
      const path = yield* databasePath;
      const recorded = event("ad-1", "blocket", started("op-1", 1), pending);
      const program = Effect.gen(function* () {
        const store = yield* Store;
        yield* store.record(listing("ad-1", "blocket", pending, 1), recorded);
        return yield* store.events("ad-1");
      });

      const exit = yield* Effect.exit(Effect.provide(program, sqliteStoreLayer({ path })));

      expect(exit).toStrictEqual(Exit.succeed([recorded]));
    }),
  );
});
