import { Effect } from "effect";
import { storeConformance } from "../../store-sqlite/test/store-conformance.ts";
import { postgresDatabase, sqliteDatabase, type TestDatabase } from "./support/databases.ts";

/** The shared StoreService contract (store-sqlite's suite), on each dialect of this one store. */
const conform = (name: string, database: TestDatabase) =>
  storeConformance(
    name,
    database.freshStore(),
    // A restart: each run opens the (emptied-once) database on a new connection and migrates.
    Effect.as(database.empty, database.openStore()),
  );

conform("@effect/sql on SQLite", sqliteDatabase());
conform("@effect/sql on PostgreSQL", postgresDatabase());
