export { openPgStore, openSqliteStore, openStore, type PromiseStore } from "./facade.ts";
export {
  type PgStoreOptions,
  pgClientLayer,
  pgStore,
  type SqliteStoreOptions,
  SqlStoreLive,
  sqliteClientLayer,
  sqliteStore,
  sqlStoreLayer,
} from "./layers.ts";
export { migrate, migrationsTable, schemaVersion } from "./migrations.ts";
export {
  defaultDealer,
  makeSqlEventFeed,
  makeSqlStore,
  type SqlStoreOptions,
} from "./sql-store.ts";
