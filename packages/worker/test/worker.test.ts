import { type BlocketFake, startBlocketFake } from "@adsync/sandbox";
import { openPgStore, type PromiseStore } from "@adsync/store-sql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresDatabase } from "../../store-sql/test/support/databases.ts";
import { createWorkerClient, openBacklog, type PromiseWorkerClient } from "../src/index.ts";
import {
  adFor,
  eventually,
  putSections,
  startWorker,
  stopWorker,
  testWorkerArgs,
  type WorkerProcess,
} from "./support/workers.ts";

/*
 * One `adsync worker` on a real PostgreSQL (store-sql's test server) and the Blocket fake on a
 * manual clock: a DMS submits through the client; the outcome is read from the store and the
 * sandbox, never timed.
 */

const database = postgresDatabase();
const dealer = "dealer-a";
const token = "worker-test-token-a";
const dealerCode = "WORKERA";
/** A dealer that connects Blocket only after the worker has served it once. */
const lateDealer = "dealer-late";
const lateToken = "worker-test-token-late";
const lateCode = "WORKERLATE";

let fake: BlocketFake & { close(): Promise<void> };
let worker: WorkerProcess | undefined;
let client: PromiseWorkerClient | undefined;
let store: PromiseStore | undefined;

beforeAll(async () => {
  fake = await startBlocketFake({
    clock: "manual",
    tokens: [
      { token, scope: "dealer_code", dealerCodes: [dealerCode] },
      { token: lateToken, scope: "dealer_code", dealerCodes: [lateCode] },
    ],
  });
  const url = database.location();
  await putSections(url, {
    [dealer]: {
      blocket: {
        baseUrl: fake.url,
        token,
        tokenScope: "dealer_code",
        dealerCode,
        apiVersion: "v4",
      },
    },
  });
  worker = await startWorker(url, "w1");
  client = await createWorkerClient({ databaseUrl: url });
  store = await openPgStore({ url, dealer, maxConnections: 2 });
});

afterAll(async () => {
  await client?.close();
  if (worker !== undefined) await stopWorker(worker);
  await store?.close();
  await fake?.close();
});

/** Submits through the client, as a DMS does: the dealer's publish or removal on Blocket. */
const publish = (operationId: string, adId: string) =>
  client?.submit({ dealer, marketplace: "blocket", operationId, kind: "publish", ad: adFor(adId) });
const remove = (operationId: string, adId: string) =>
  client?.submit({ dealer, marketplace: "blocket", operationId, kind: "remove", adId });

/** Flushes the sandbox's processing until the store shows the listing in `presence`. */
const reaches = (adId: string, presence: string) =>
  eventually(
    `${adId} ${presence} in the store`,
    async () => {
      // The sandbox processes what it accepted only when told: flush, then let the reconcile
      // pass carry the answer into the store.
      fake.processing.flush();
      return store?.get(adId, "blocket");
    },
    (record) => record?.state.presence === presence,
  );

const createsOf = (adId: string) =>
  fake.requests.filter(
    (request) =>
      request.method === "POST" &&
      typeof request.body === "object" &&
      request.body !== null &&
      (request.body as { source_id?: unknown }).source_id === adId,
  ).length;

describe("adsync worker", () => {
  it("publishes an ad submitted through the client: live on the sandbox and in the store, events in the feed", async () => {
    await publish("op-1", "car-1");
    const record = await reaches("car-1", "live");
    expect(record?.ref?.remoteId).toBe("car-1");
    expect(fake.ad("car-1", dealerCode)).toBeDefined();
    expect(fake.adCount()).toBe(1);
    const events = (await store?.feed()) ?? [];
    expect(events.map((event) => event.observation._tag)).toEqual(
      expect.arrayContaining(["Started", "Accepted"]),
    );
    expect(events.every((event) => event.adId === "car-1")).toBe(true);
  });

  it("does nothing more for an operation id submitted again", async () => {
    const eventsBefore = (await store?.feed())?.length ?? 0;
    const createsBefore = createsOf("car-1");
    await publish("op-1", "car-1");
    // A later operation of the same pair: the entity runs its messages one at a time, so once
    // this one is done, a second run of op-1 would have happened before it.
    await publish("op-2", "car-2");
    await reaches("car-2", "live");
    expect(createsBefore).toBeGreaterThan(0);
    expect(createsOf("car-1")).toBe(createsBefore);
    const after = (await store?.feed()) ?? [];
    // Every event since is car-2's: op-1 was neither run again nor recorded again.
    expect(after.slice(eventsBefore).filter((event) => event.adId === "car-1")).toEqual([]);
    expect(fake.adCount()).toBe(2);
  });

  it("removes a listing submitted for removal", async () => {
    await remove("op-3", "car-2");
    const record = await reaches("car-2", "removed");
    expect(record?.state.operation?.kind).toBe("remove");
    expect(fake.ad("car-2", dealerCode)).toMatchObject({ state: "deleted" });
    expect((await store?.get("car-1", "blocket"))?.state.presence).toBe("live");
  });

  it("refuses what is not a work item, queuing nothing", async () => {
    await expect(
      client?.submit({
        dealer: "",
        marketplace: "blocket",
        operationId: "op-4",
        kind: "remove",
        adId: "car-1",
      }),
    ).rejects.toMatchObject({ _tag: "AdsyncError", reason: "Invalid" });
  });

  it("stops gracefully on SIGTERM", async () => {
    const running = worker;
    if (running === undefined) throw new Error("no worker");
    await stopWorker(running);
    expect(await running.exited).toBe(0);
    expect(running.log()).toContain(`adsync worker on 127.0.0.1:${running.port} stopped`);
  });

  it("queues durably: what is submitted while no worker runs is done by the next one", async () => {
    await publish("op-5", "car-5");
    expect(fake.ad("car-5", dealerCode)).toBeUndefined();
    const backlog = openBacklog({ databaseUrl: database.location() });
    try {
      // Queued, due, and read by no runner: what the backlog's watch (#6248) reports.
      expect(await backlog.read()).toEqual({ unprocessed: 1, unread: 1 });
      // This one runs no reconcile pass: what reaches the store below, the worker did itself.
      worker = await startWorker(database.location(), "w2", [
        ...testWorkerArgs.slice(0, -2),
        "--reconcile-cron",
        "off",
      ]);
      await eventually(
        "op-5 processed",
        () => backlog.read(),
        (figures) => figures.unprocessed === 0,
      );
    } finally {
      await backlog.close();
    }
    const record = await store?.get("car-5", "blocket");
    expect(record?.ref?.remoteId).toBe("car-5");
    expect(record?.state.operation).toMatchObject({ kind: "create", status: "pending" });
    expect(fake.adCount()).toBe(3);
  });

  it("updates a listing whose create the marketplace is still processing, once it is done", async () => {
    // The create of car-5 is pending on the sandbox (its clock has not moved): the update waits,
    // reading the create's progress on each try (no reconcile pass runs on this worker).
    await client?.submit({
      dealer,
      marketplace: "blocket",
      operationId: "op-6",
      kind: "publish",
      ad: { ...adFor("car-5"), description: "Now with winter tyres." },
    });
    // The worker met the pending create: it read its progress (a GET of car-5) and waits.
    const reads = () =>
      fake.requests.filter((request) => request.method === "GET" && request.path.includes("car-5"))
        .length;
    const before = reads();
    await eventually(
      "the pending create read",
      async () => reads(),
      (count) => count > before,
    );
    await expect(store?.get("car-5", "blocket")).resolves.toMatchObject({
      state: { operation: { kind: "create" } },
    });
    const record = await eventually(
      "car-5 updated",
      async () => {
        fake.processing.flush();
        return store?.get("car-5", "blocket");
      },
      (found) => found?.state.operation?.kind === "update",
    );
    expect(record?.state.operation?.status).not.toBe("failed");
    expect(fake.adCount()).toBe(3);
  });

  it("uses a marketplace the dealer connected after the worker built its publisher", async () => {
    const url = database.location();
    const late = await openPgStore({ url, dealer: lateDealer, maxConnections: 1 });
    const backlog = openBacklog({ databaseUrl: url });
    const lateOperation = (operationId: string) =>
      client?.submit({
        dealer: lateDealer,
        marketplace: "blocket",
        operationId,
        kind: "publish",
        ad: adFor("car-late"),
      });
    try {
      // Not connected yet: the dealer's publisher is built (and cached) without Blocket.
      await lateOperation("op-late-1");
      await eventually(
        "op-late-1 processed",
        () => backlog.read(),
        (figures) => figures.unprocessed === 0,
      );
      expect(await late.get("car-late", "blocket")).toBeUndefined();
      expect(fake.ad("car-late", lateCode)).toBeUndefined();
      // The DMS connects the dealer; the next operation goes out, through the cached publisher
      // built again (without that, it would be answered `unsupported` until the cache idles).
      await putSections(url, {
        [lateDealer]: {
          blocket: {
            baseUrl: fake.url,
            token: lateToken,
            tokenScope: "dealer_code",
            dealerCode: lateCode,
            apiVersion: "v4",
          },
        },
      });
      await lateOperation("op-late-2");
      const record = await eventually(
        "car-late created",
        async () => late.get("car-late", "blocket"),
        (found) => found?.ref !== undefined,
      );
      expect(record?.ref?.remoteId).toBe("car-late");
      expect(fake.ad("car-late", lateCode)).toBeDefined();
    } finally {
      await backlog.close();
      await late.close();
    }
  });
});
