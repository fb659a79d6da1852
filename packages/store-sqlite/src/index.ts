export {
  makeSqliteKeyValueStore,
  type SqliteKeyValueStoreOptions,
  sqliteKeyValueStoreLayer,
} from "./key-value-store.ts";
export { makeSqliteStore, type SqliteStoreOptions, sqliteStoreLayer } from "./sqlite-store.ts";
