import { pgClientLayer } from "@adsync/store-sql";
import * as SqlClient from "@effect/sql/SqlClient";
import { Effect, Layer } from "effect";
import { describe, expect, it } from "vitest";
import { postgresDatabase, releasedTogether } from "../../store-sql/test/support/databases.ts";
import { workerClientLayer } from "../src/client.ts";
import { clusterSchemaLockKey, clusterStorageLayer } from "../src/cluster-storage.ts";

/*
 * Several workers starting at once on a new database: @effect/cluster makes its tables with
 * `CREATE TABLE IF NOT EXISTS`, which races between sessions on PostgreSQL (CI saw a worker exit
 * on it). Each worker builds the storages under the cluster schema lock; here three "workers"
 * (each with a pool of its own) are held at that lock until all of them wait there, then let go
 * together.
 */

const database = postgresDatabase();

const clusterTables = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient;
  const rows = yield* sql<{ readonly name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_name LIKE 'cluster_%' ORDER BY table_name`;
  return rows.map((row) => row.name);
});

/** One worker's start, as far as the cluster's tables: its own pool, the storages built. */
const workerStart = (url: string) =>
  Effect.scoped(
    Layer.build(
      clusterStorageLayer({}).pipe(Layer.provide(pgClientLayer({ url, maxConnections: 3 }))),
    ),
  ).pipe(Effect.as("ready"));

describe("the cluster's tables on a new database", () => {
  it("three workers starting at once wait for the cluster schema lock, then all start", async () => {
    const url = database.location();
    const before = await Effect.runPromise(
      Effect.provide(clusterTables, database.client()).pipe(Effect.orDie),
    );
    expect(before).toEqual([]);
    // Fails (times out) if the storages are built without the lock: nobody waits at it.
    const started = await Effect.runPromise(
      Effect.scoped(
        releasedTogether(
          database,
          (sql) => sql`SELECT pg_advisory_xact_lock(${clusterSchemaLockKey})`,
          Effect.all([workerStart(url), workerStart(url), workerStart(url)], {
            concurrency: "unbounded",
          }),
        ),
      ),
    );
    expect(started).toEqual(["ready", "ready", "ready"]);
    const after = await Effect.runPromise(
      Effect.provide(clusterTables, database.client()).pipe(Effect.orDie),
    );
    expect(after).toEqual(
      expect.arrayContaining([
        "cluster_messages",
        "cluster_migrations",
        "cluster_replies",
        "cluster_runners",
      ]),
    );
  });

  it("a DMS's client starting beside a worker waits for the same lock", async () => {
    const url = database.location();
    const clientStart = Effect.scoped(
      Layer.build(workerClientLayer({ databaseUrl: url, maxConnections: 3 })),
    ).pipe(Effect.as("ready"));
    // Fails (times out) if the client builds the cluster's storages without the lock.
    const started = await Effect.runPromise(
      Effect.scoped(
        releasedTogether(
          database,
          (sql) => sql`SELECT pg_advisory_xact_lock(${clusterSchemaLockKey})`,
          Effect.all([workerStart(url), clientStart], { concurrency: "unbounded" }),
        ),
      ),
    );
    expect(started).toEqual(["ready", "ready"]);
  });

  it("a pool too small to start on is refused before anything connects", async () => {
    const refused = await Effect.runPromise(
      Effect.flip(
        Effect.scoped(
          Layer.build(
            workerClientLayer({ databaseUrl: "postgres://127.0.0.1:1/none", maxConnections: 2 }),
          ),
        ),
      ),
    );
    expect(refused.reason).toBe("Configuration");
    expect(refused.message).toContain("at least 3");
  });
});
