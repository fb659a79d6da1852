import { Effect } from "effect";
import { storeConformance } from "../../store-sqlite/test/store-conformance.ts";
import { defaultDealer, type SqlStoreOptions } from "../src/sql-store.ts";
import { postgresDatabase, sqliteDatabase, type TestDatabase } from "./support/databases.ts";

/**
 * The shared StoreService contract (store-sqlite's suite), on each dialect of this one store:
 * every event read back names the store's dealer.
 */
const conform = (name: string, database: TestDatabase, options: SqlStoreOptions = {}) =>
  storeConformance(
    name,
    database.freshStore(options),
    // A restart: each run opens the (emptied-once) database on a new connection and migrates.
    Effect.as(database.empty, database.openStore(options)),
    { dealer: options.dealer ?? defaultDealer },
  );

conform("@effect/sql on SQLite", sqliteDatabase());
conform("@effect/sql on PostgreSQL, dealer d-17", postgresDatabase(), { dealer: "d-17" });
