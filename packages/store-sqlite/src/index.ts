export {
  makeSqliteKeyValueStore,
  type SqliteKeyValueStoreOptions,
  sqliteKeyValueStoreLayer,
} from "./key-value-store.ts";
export {
  makeSqliteStore,
  type SqliteStoreOptions,
  type SqliteStoreService,
  type SqliteStoreStatistics,
  sqliteStoreLayer,
} from "./sqlite-store.ts";
