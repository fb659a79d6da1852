import { type BlocketFake, startBlocketFake } from "@adsync/sandbox";
import { openPgStore, type PromiseStore } from "@adsync/store-sql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleAd } from "../../core/test/support/sample-ad.ts";
import { postgresDatabase } from "../../store-sql/test/support/databases.ts";
import { createWorkerClient, type PromiseWorkerClient, type WorkItem } from "../src/index.ts";
import {
  eventually,
  putSections,
  startWorker,
  stopWorker,
  type WorkerProcess,
} from "./support/workers.ts";

/*
 * The suite's small scale test (issue #13): 3 `adsync worker` processes on one PostgreSQL sync a
 * few dealers × a few ads to the Blocket sandbox; one worker is SIGKILLed while a request of its
 * own is in flight (the fake has applied the create and holds the answer: the kill lands after
 * the side effect, before the engine saved the result, spike P7). The others finish: 0 duplicate
 * listings on the sandbox, 0 lost, the store the same as the sandbox. Everything is asserted on
 * final state; the fake runs on a manual clock, so its answers come only when the test says.
 */

const database = postgresDatabase();
const dealers = ["dealer-1", "dealer-2", "dealer-3"] as const;
const adsPerDealer = 4;
const codeOf = (dealer: string) => dealer.toUpperCase().replace("-", "");
const tokenOf = (dealer: string) => `scale-token-${dealer}`;

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

const adIds = Array.from({ length: adsPerDealer }, (_, index) => `car-${index + 1}`);

let fake: BlocketFake & { close(): Promise<void> };
let workers: Array<WorkerProcess> = [];
let client: PromiseWorkerClient | undefined;
const stores = new Map<string, PromiseStore>();

beforeAll(async () => {
  fake = await startBlocketFake({
    clock: "manual",
    tokens: dealers.map((dealer) => ({
      token: tokenOf(dealer),
      scope: "dealer_code" as const,
      dealerCodes: [codeOf(dealer)],
    })),
  });
  const url = database.location();
  await putSections(
    url,
    Object.fromEntries(
      dealers.map((dealer) => [
        dealer,
        {
          blocket: {
            baseUrl: fake.url,
            token: tokenOf(dealer),
            tokenScope: "dealer_code",
            dealerCode: codeOf(dealer),
            apiVersion: "v4",
          },
        },
      ]),
    ),
  );
  workers = await Promise.all(["w1", "w2", "w3"].map((name) => startWorker(url, name)));
  client = await createWorkerClient({ databaseUrl: url });
  for (const dealer of dealers)
    stores.set(dealer, await openPgStore({ url, dealer, maxConnections: 1 }));
});

afterAll(async () => {
  await client?.close();
  await Promise.all(workers.map(stopWorker));
  for (const store of stores.values()) await store.close();
  await fake?.close();
});

const storeOf = (dealer: string) => {
  const store = stores.get(dealer);
  if (store === undefined) throw new Error(`no store for ${dealer}`);
  return store;
};

const allListings = async () =>
  (await Promise.all(dealers.map((dealer) => storeOf(dealer).list()))).flatMap((records, index) =>
    records.map((record) => ({ dealer: dealers[index] ?? "", record })),
  );

describe("3 workers, one SIGKILLed mid-sync", () => {
  it("finish every operation: 0 duplicates on the sandbox, 0 lost, store ≡ sandbox", async () => {
    // Every create's answer is held by the fake (applied first, answered when the clock moves).
    fake.injectFault({ method: "POST", times: 10_000, fault: { type: "slow", delayMs: 1_000 } });
    const items: Array<WorkItem> = dealers.flatMap((dealer) =>
      adIds.map((adId) => ({
        dealer,
        marketplace: "blocket",
        operationId: `sync-${adId}`,
        kind: "publish" as const,
        ad: adFor(adId),
      })),
    );
    await client?.submitMany(items);

    // Let the work move (answer what is held) until the victim holds a listing's lease with its
    // request in flight; then kill it.
    const victim = workers[1];
    if (victim === undefined) throw new Error("no victim");
    const victimOwner = `adsync-worker@127.0.0.1:${victim.port}`;
    const held = await eventually(
      "a listing leased by the victim",
      async () => {
        const leased = (await allListings()).find(
          ({ record }) =>
            record.lease?.owner === victimOwner && record.state.operation?.status === "pending",
        );
        if (leased === undefined) fake.processing.advance(1_000);
        return leased;
      },
      (leased) => leased !== undefined,
    );
    victim.child.kill("SIGKILL");
    await victim.exited;

    // The others finish: every listing live in the store.
    const total = dealers.length * adsPerDealer;
    const final = await eventually(
      "every listing live",
      async () => {
        fake.processing.flush();
        return allListings();
      },
      (listings) =>
        listings.length === total &&
        listings.every(({ record }) => record.state.presence === "live"),
      180_000,
      (listings) =>
        listings.map(
          ({ dealer, record }) =>
            `${dealer}/${record.adId}: ${record.state.presence}, lease ${record.lease?.owner ?? "none"}`,
        ),
    );

    // 0 duplicates, 0 lost: one ad per (dealer, ad id) ever created on the sandbox.
    expect(fake.adCount()).toBe(total);
    for (const dealer of dealers)
      for (const adId of adIds) expect(fake.ad(adId, codeOf(dealer))).toBeDefined();
    // Store ≡ sandbox: the same listings, each pointing at the sandbox's ad, none pending.
    expect(
      final.map(({ dealer, record }) => `${dealer}/${record.adId}:${record.ref?.remoteId}`).sort(),
    ).toEqual(dealers.flatMap((dealer) => adIds.map((adId) => `${dealer}/${adId}:${adId}`)).sort());
    expect(final.every(({ record }) => record.state.operation?.status !== "pending")).toBe(true);
    // The operation the victim was running was finished by another worker.
    const resumed = final.find(
      ({ dealer, record }) => dealer === held?.dealer && record.adId === held.record.adId,
    );
    expect(resumed?.record.lease?.owner).not.toBe(victimOwner);
    // Every event once: the global log's numbers are distinct across the dealers' feeds.
    const seqs = (
      await Promise.all(dealers.map((dealer) => storeOf(dealer).feed({ limit: 10_000 })))
    ).flatMap((events) => events.map((event) => event.seq));
    expect(new Set(seqs).size).toBe(seqs.length);
  });
});
