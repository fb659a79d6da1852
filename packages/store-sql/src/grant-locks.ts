import {
  AdsyncError,
  DealerCredentials,
  type GrantExclusive,
  keyValueDealerCredentials,
} from "@adsync/core";
import { KeyValueStore } from "@effect/platform";
import * as SqlClient from "@effect/sql/SqlClient";
import { Effect, Exit, Layer, Scope } from "effect";
import { sqlKeyValueStore } from "./key-value-store.ts";

/*
 * One dealer's rotating OAuth grant (Allegro's refresh token is spent the moment the token
 * endpoint answers) is used by every worker that runs an operation of that dealer. Two workers
 * finding the access token stale at once would both send the same refresh token; the marketplace
 * answers the first and refuses the second, and the dealer must authorize again (seen in the
 * scale benchmark with 3 workers). So on PostgreSQL a refresh runs under an advisory lock per
 * grant, held on a connection of its own for the refresh's length (the token request and the
 * save): a worker that waited reads the grant the other saved and sends nothing. A worker killed
 * while holding it loses its connection, and PostgreSQL releases the lock with it.
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
 * `keyValueDealerCredentials`' `grantLocks` on this database: PostgreSQL, an advisory lock per
 * grant key (`pg_advisory_lock(hashtext(key))`: two keys sharing a hash only wait for each
 * other); SQLite, none.
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
      (refresh) => {
        const lockKey = `adsync-grant:${key}`;
        return Effect.acquireUseRelease(
          Scope.make(),
          (scope) =>
            Effect.gen(function* () {
              const connection = yield* Scope.extend(sql.reserve, scope).pipe(
                Effect.mapError(lockFailed),
              );
              yield* connection
                .executeRaw("SELECT pg_advisory_lock(hashtext($1))", [lockKey])
                .pipe(Effect.mapError(lockFailed));
              yield* Scope.addFinalizer(
                scope,
                connection
                  .executeRaw("SELECT pg_advisory_unlock(hashtext($1))", [lockKey])
                  .pipe(Effect.ignore),
              );
              return yield* refresh;
            }),
          (scope, exit) => Scope.close(scope, Exit.asVoid(exit)),
        );
      },
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
