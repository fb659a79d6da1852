export { makeSqliteStore, type SqliteStoreOptions, sqliteStoreLayer } from "./sqlite-store.ts";
