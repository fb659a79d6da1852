import { AdsyncError, serviceRunner } from "@adsync/core";
import { pgClientLayer } from "@adsync/store-sql";
import * as SqlClient from "@effect/sql/SqlClient";
import { Context, Effect, Layer, type Redacted } from "effect";

/*
 * The work still queued in the cluster's storage: a health figure, and the watch for the v3
 * cluster line's open issue Effect-TS/effect #6248 (after rolling deploys, runners stay up but
 * stop reading `cluster_messages`). A runner marks a message read (`last_read`) when it takes it
 * and processed when its reply is stored; operations queued and due but read by no runner for
 * longer than a few poll intervals mean the cluster has stopped consuming: restart a worker.
 * Reconcile crons' scheduled runs (entities `ClusterCron/…`) are not work and are left out.
 */

export interface Backlog {
  /** Messages of operations (entity messages, workflow runs, activities) not yet processed. */
  readonly unprocessed: number;
  /** Of those, due now and taken by no runner yet. */
  readonly unread: number;
}

export const backlog: Effect.Effect<Backlog, AdsyncError, SqlClient.SqlClient> = Effect.gen(
  function* () {
    const sql = yield* SqlClient.SqlClient;
    const rows = yield* sql<{
      readonly unprocessed: string | number;
      readonly unread: string | number;
    }>`
      SELECT COUNT(*) AS unprocessed,
             COUNT(*) FILTER (
               WHERE last_read IS NULL AND (deliver_at IS NULL OR deliver_at <= ${Date.now()})
             ) AS unread
      FROM cluster_messages
      WHERE processed = FALSE AND entity_type NOT LIKE 'ClusterCron/%'`;
    return {
      unprocessed: Number(rows[0]?.unprocessed ?? 0),
      unread: Number(rows[0]?.unread ?? 0),
    };
  },
).pipe(
  Effect.mapError(
    (error) =>
      new AdsyncError({
        reason: "Store",
        operation: "backlog",
        message: `the cluster's backlog could not be read: ${error.message}`,
      }),
  ),
);

class BacklogClient extends Context.Tag("@adsync/worker/BacklogClient")<
  BacklogClient,
  { readonly read: Effect.Effect<Backlog, AdsyncError> }
>() {}

/** `backlog` behind Promises, on a small pool of its own. */
export const openBacklog = (options: { readonly databaseUrl: string | Redacted.Redacted }) => {
  const runner = serviceRunner(
    BacklogClient,
    Layer.effect(
      BacklogClient,
      Effect.map(SqlClient.SqlClient, (sql) => ({
        read: Effect.provideService(backlog, SqlClient.SqlClient, sql),
      })),
    ).pipe(Layer.provide(pgClientLayer({ url: options.databaseUrl, maxConnections: 1 }))),
  );
  return {
    read: () => runner.use((client) => client.read),
    close: runner.close,
  };
};
