export {
  makeSqliteKeyValueStore,
  type SqliteKeyValueStoreOptions,
  sqliteKeyValueStoreLayer,
} from "./key-value-store.ts";
export {
  makeSqliteStore,
  openDatabase,
  type SqliteStoreOptions,
  type SqliteStoreService,
  type SqliteStoreStatistics,
  sqliteStoreLayer,
} from "./sqlite-store.ts";
