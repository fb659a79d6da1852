import { AdsyncError, serviceRunner } from "@adsync/core";
import { pgClientLayer } from "@adsync/store-sql";
import { NodeClusterSocket } from "@effect/platform-node";
import { Context, Effect, Either, Layer, Option, type Redacted, Schema } from "effect";
import { checkConnections, clusterStorageLayer } from "./cluster-storage.ts";
import { Listings, pairId, WorkItem } from "./protocol.ts";

/*
 * The DMS's side: a long-lived client-only cluster node on the workers' PostgreSQL (no shards,
 * no entities). `submit` stores the operation as a message of its pair's entity and resolves
 * once the row is committed: durable, and stored once per operation id. Keep one client for the
 * application's life: a client that just started has not read the shard assignments yet, so its
 * first messages wait for the owner's next poll of the table (spike P5) — still durable, only
 * later.
 */

export interface WorkerClientService {
  /** Resolves once the item is durably queued; the same operation id again changes nothing. */
  readonly submit: (item: WorkItem) => Effect.Effect<void, AdsyncError>;
  /** `submit` for each item (a few at a time); resolves once all are queued. */
  readonly submitMany: (items: Iterable<WorkItem>) => Effect.Effect<void, AdsyncError>;
}

export class WorkerClient extends Context.Tag("@adsync/worker/WorkerClient")<
  WorkerClient,
  WorkerClientService
>() {}

export interface WorkerClientOptions {
  /** The workers' PostgreSQL. */
  readonly databaseUrl: string | Redacted.Redacted;
  /** The client's pool; default 4 connections, at least 3. */
  readonly maxConnections?: number | undefined;
  /** How many submits of `submitMany` run at once; default 16. */
  readonly concurrency?: number | undefined;
}

const decodeItem = Schema.decodeUnknown(WorkItem);

const submitFailed = (error: { readonly message?: string } | unknown) =>
  new AdsyncError({
    reason: "Store",
    operation: "submit",
    message: `the work item could not be queued: ${
      typeof error === "object" && error !== null && "message" in error
        ? String(error.message)
        : String(error)
    }`,
  });

const makeWorkerClient = (concurrency: number) =>
  Effect.gen(function* () {
    const clientFor = yield* Listings.client;
    const submit = (input: WorkItem) =>
      Effect.gen(function* () {
        const item = yield* decodeItem(input).pipe(
          Effect.mapError(
            (error) =>
              new AdsyncError({
                reason: "Invalid",
                operation: "submit",
                message: `not a work item: ${error.message}`,
              }),
          ),
        );
        const entity = clientFor(pairId(item.dealer, item.marketplace));
        const sent =
          item.kind === "publish"
            ? entity.Publish(
                {
                  dealer: item.dealer,
                  marketplace: item.marketplace,
                  operationId: item.operationId,
                  kind: item.kind,
                  ad: item.ad,
                },
                { discard: true },
              )
            : entity.Remove(
                {
                  dealer: item.dealer,
                  marketplace: item.marketplace,
                  operationId: item.operationId,
                  kind: item.kind,
                  adId: item.adId,
                },
                { discard: true },
              );
        yield* Effect.mapError(sent, submitFailed);
      });
    return {
      submit,
      submitMany: (items) => Effect.forEach(items, submit, { concurrency, discard: true }),
    } satisfies WorkerClientService;
  });

const shardingConfig = { runnerAddress: Option.none() };

/** The client as a layer: a client-only cluster node and its own PostgreSQL pool. */
export const workerClientLayer = (
  options: WorkerClientOptions,
): Layer.Layer<WorkerClient, AdsyncError> => {
  const connections = checkConnections(options.maxConnections, 4);
  if (Either.isLeft(connections))
    return Layer.fail(
      new AdsyncError({
        reason: "Configuration",
        operation: "worker client",
        message: connections.left,
      }),
    );
  return Layer.effect(WorkerClient, makeWorkerClient(options.concurrency ?? 16)).pipe(
    Layer.provide(
      // The cluster's tables built under the workers' lock (`cluster-storage.ts`): a client
      // started beside workers on a new database would race them on the tables otherwise.
      Layer.orDie(
        NodeClusterSocket.layer({ clientOnly: true, storage: "byo", shardingConfig }).pipe(
          Layer.provideMerge(clusterStorageLayer(shardingConfig)),
        ),
      ),
    ),
    Layer.provide(
      pgClientLayer({
        url: options.databaseUrl,
        maxConnections: connections.right,
        applicationName: "adsync-worker-client",
      }),
    ),
  );
};

/** The client behind Promises, for DMS code that does not use Effect. */
export interface PromiseWorkerClient {
  /** Resolves once the item is durably queued (rejects with the `AdsyncError`). */
  readonly submit: (item: WorkItem) => Promise<void>;
  readonly submitMany: (items: Iterable<WorkItem>) => Promise<void>;
  /** Stops the client node and closes its pool. */
  readonly close: () => Promise<void>;
}

/**
 * The client as Promises. It is built (and joins the cluster's storage) before this resolves;
 * its Promises reject with the `AdsyncError` itself.
 */
export const createWorkerClient = async (
  options: WorkerClientOptions,
): Promise<PromiseWorkerClient> => {
  const runner = serviceRunner(WorkerClient, workerClientLayer(options));
  await runner
    .use(() => Effect.void)
    .catch(async (error: unknown) => {
      await runner.close();
      throw error;
    });
  return {
    submit: (item) => runner.use((client) => client.submit(item)),
    submitMany: (items) => runner.use((client) => client.submitMany(items)),
    close: runner.close,
  };
};
