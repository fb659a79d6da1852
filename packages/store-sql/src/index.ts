export {
  type PgStoreOptions,
  pgClientLayer,
  pgStore,
  type SqliteStoreOptions,
  sqliteClientLayer,
  sqliteStore,
} from "./clients.ts";
export { openPgStore, openSqliteStore, openStore, type PromiseStore } from "./facade.ts";
export { migrate, migrationsTable, schemaVersion } from "./migrations.ts";
export {
  defaultDealer,
  makeSqlStore,
  SqlStoreLive,
  type SqlStoreOptions,
  sqlStoreLayer,
} from "./sql-store.ts";
