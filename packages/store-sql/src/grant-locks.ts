import {
  AdsyncError,
  DealerCredentials,
  type GrantExclusive,
  keyValueDealerCredentials,
} from "@adsync/core";
import { KeyValueStore } from "@effect/platform";
import * as SqlClient from "@effect/sql/SqlClient";
import { SqlError } from "@effect/sql/SqlError";
import { Effect, Layer } from "effect";
import { sqlKeyValueStore } from "./key-value-store.ts";

/*
 * One dealer's rotating OAuth grant (Allegro's refresh token is spent the moment the token
 * endpoint answers) is used by every worker that runs an operation of that dealer. Two workers
 * finding the access token stale at once would both send the same refresh token; the marketplace
 * answers the first and refuses the second, and the dealer must authorize again (seen in the
 * scale benchmark with 3 workers). So on PostgreSQL a refresh runs in a transaction that first
 * takes an advisory lock per grant (held to its commit: the token request and the save): a
 * worker that waited reads the grant the other saved and sends nothing. A worker killed while
 * holding it loses its connection, and PostgreSQL releases the lock with it.
 *
 * SQLite has no lock per key across processes; its processes (one embedded application, or the
 * CLI) refresh one at a time only within a process (the bearer's semaphore).
 */

const lockFailed = (error: { readonly message: string }) =>
  new AdsyncError({
    reason: "Store",
    operation: "lock the OAuth grant",
    message: `cannot lock the OAuth grant for its refresh: ${error.message}`,
  });

/**
 * `keyValueDealerCredentials`' `grantLocks` on this database: PostgreSQL, a transaction holding
 * an advisory lock per grant key (`pg_advisory_xact_lock(hashtext(key))`: two keys sharing a
 * hash only wait for each other); SQLite, none.
 */
export const sqlGrantLocks: Effect.Effect<
  ((key: string) => GrantExclusive) | undefined,
  never,
  SqlClient.SqlClient
> = Effect.map(SqlClient.SqlClient, (sql) =>
  sql.onDialectOrElse({
    pg:
      () =>
      (key: string): GrantExclusive =>
      (refresh) =>
        // One connection per refresh: the lock is the transaction's, and the grant's read and
        // save in `refresh` run on the same connection (the transaction's), so a pool full of
        // refreshes waiting for their locks never waits on itself. The save commits with the
        // transaction, before the bearer uses the new access token.
        sql
          .withTransaction(
            Effect.zipRight(
              sql`SELECT pg_advisory_xact_lock(hashtext(${`adsync-grant:${key}`}))`.pipe(
                Effect.mapError(lockFailed),
              ),
              refresh,
            ),
          )
          .pipe(
            Effect.catchIf(
              (error): error is SqlError => error instanceof SqlError,
              (error) => Effect.fail(lockFailed(error)),
            ),
          ),
    orElse: () => undefined,
  }),
);

/**
 * The dealers' credentials in this database (`adsync_kv`, migrated first), each rotating grant
 * refreshed under `sqlGrantLocks`: what every worker on one PostgreSQL uses.
 */
export const sqlDealerCredentialsLayer: Layer.Layer<
  DealerCredentials,
  AdsyncError,
  SqlClient.SqlClient
> = Layer.effect(
  DealerCredentials,
  Effect.zipWith(KeyValueStore.KeyValueStore, sqlGrantLocks, (store, grantLocks) =>
    keyValueDealerCredentials(store, { grantLocks }),
  ),
).pipe(Layer.provide(sqlKeyValueStore));
