export {
  openDealerStores,
  openPgDealerStores,
  openPgStore,
  openSqliteDealerStores,
  openSqliteStore,
  openStore,
  type PromiseDealerStores,
  type PromiseStore,
} from "./facade.ts";
export {
  type PgStoreOptions,
  pgClientLayer,
  pgDealerStores,
  pgStore,
  type SqliteStoreOptions,
  SqlStoreLive,
  sqlDealerStoresLayer,
  sqliteClientLayer,
  sqliteDealerStores,
  sqliteStore,
  sqlStoreLayer,
} from "./layers.ts";
export { migrate, migrationsTable, schemaVersion } from "./migrations.ts";
export {
  defaultDealer,
  makeSqlDealerStores,
  makeSqlEventFeed,
  makeSqlStore,
  type SqlStoreOptions,
} from "./sql-store.ts";
