export {
  openDealerCredentials,
  openDealerStores,
  openPgDealerStores,
  openPgStore,
  openRateLimiters,
  openSqliteDealerStores,
  openSqliteStore,
  openStore,
  type PromiseDealerCredentials,
  type PromiseDealerStores,
  type PromiseRateLimiters,
  type PromiseStore,
} from "./facade.ts";
export { sqlDealerCredentialsLayer, sqlGrantLocks } from "./grant-locks.ts";
export { makeSqlKeyValueStore, sqlKeyValueStore } from "./key-value-store.ts";
export {
  type PgStoreOptions,
  pgClientLayer,
  pgDealerStores,
  pgKeyValueStore,
  pgStore,
  type SqliteStoreOptions,
  SqlStoreLive,
  sqlDealerStoresLayer,
  sqliteClientLayer,
  sqliteDealerStores,
  sqliteKeyValueStore,
  sqliteStore,
  sqlStoreLayer,
} from "./layers.ts";
export { migrate, migrationsTable, schemaVersion } from "./migrations.ts";
export {
  makeSqlRateLimiter,
  rateLimitKey,
  type SqlRateLimit,
  sqlRateLimiters,
} from "./rate-limiter.ts";
export {
  defaultDealer,
  makeSqlDealerStores,
  makeSqlEventFeed,
  makeSqlStore,
  type SqlStoreOptions,
  sqlDealersOn,
} from "./sql-store.ts";
