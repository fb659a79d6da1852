import { type BlocketFake, startBlocketFake } from "@adsync/sandbox";
import { openPgStore, type PromiseStore } from "@adsync/store-sql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleAd } from "../../core/test/support/sample-ad.ts";
import { postgresDatabase } from "../../store-sql/test/support/databases.ts";
import { createWorkerClient, type PromiseWorkerClient } from "../src/index.ts";
import {
  eventually,
  putSections,
  startWorker,
  stopWorker,
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

/** Core's sample car with what Blocket requires beside. */
const adFor = (id: string) => ({
  ...sampleAd,
  id,
  images: [`https://images.example.com/${id}/1.jpg`],
  vehicle: {
    ...sampleAd.vehicle,
    bodyType: "suv",
    mileage: { value: 9000, unit: "mil" },
    fuels: ["petrol"],
    transmission: "automatic",
  },
});

let fake: BlocketFake & { close(): Promise<void> };
let worker: WorkerProcess | undefined;
let client: PromiseWorkerClient | undefined;
let store: PromiseStore | undefined;

beforeAll(async () => {
  fake = await startBlocketFake({
    clock: "manual",
    tokens: [{ token, scope: "dealer_code", dealerCodes: [dealerCode] }],
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
    const live = (adId: string) =>
      eventually(
        `${adId} live in the store`,
        async () => {
          // The sandbox processes what it accepted only when told: flush, then let the
          // reconcile pass carry the answer into the store.
          fake.processing.flush();
          return store?.get(adId, "blocket");
        },
        (record) => record?.state.presence === "live",
      );
    await client?.submit({
      dealer,
      marketplace: "blocket",
      operationId: "op-1",
      kind: "publish",
      ad: adFor("car-1"),
    });
    const record = await live("car-1");
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
    await client?.submit({
      dealer,
      marketplace: "blocket",
      operationId: "op-1",
      kind: "publish",
      ad: adFor("car-1"),
    });
    // A later operation of the same pair: the entity runs its messages one at a time, so once
    // this one is done, a second run of op-1 would have happened before it.
    await client?.submit({
      dealer,
      marketplace: "blocket",
      operationId: "op-2",
      kind: "publish",
      ad: adFor("car-2"),
    });
    await eventually(
      "car-2 live",
      async () => {
        fake.processing.flush();
        return store?.get("car-2", "blocket");
      },
      (record) => record?.state.presence === "live",
    );
    expect(createsBefore).toBeGreaterThan(0);
    expect(createsOf("car-1")).toBe(createsBefore);
    const after = (await store?.feed()) ?? [];
    // Every event since is car-2's: op-1 was neither run again nor recorded again.
    expect(after.slice(eventsBefore).filter((event) => event.adId === "car-1")).toEqual([]);
    expect(fake.adCount()).toBe(2);
  });
});
