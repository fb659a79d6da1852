/**
 * `plan` against the sandbox: the sample stock is synced to all four fakes through the
 * publisher, one price changes, and the plan shows exactly the update each marketplace needs —
 * while the fakes receive no write and the store does not change.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type ListingPlan,
  Publisher,
  type PublisherService,
  publisherLayer,
  Store,
} from "@adsync/core";
import { type RecordedRequest, type Sandbox, startSandbox } from "@adsync/sandbox";
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient";
import { Effect, Either, Layer, ManagedRuntime } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadStock } from "../src/commands/demo.ts";
import { planText, readInventory } from "../src/commands/plan.ts";
import { sandboxConfig } from "../src/commands/sandbox.ts";
import type { ConfigFile } from "../src/config.ts";
import { layerFromConfig } from "../src/marketplaces.ts";
import {
  adsync,
  removeTemporaryDirectories,
  temporaryDirectory,
  writeConfig,
  writes,
} from "./cli-support.ts";

const runtimeFor = (config: ConfigFile) => {
  const layer = layerFromConfig({ file: undefined, config }, {});
  if (Either.isLeft(layer)) throw new Error(layer.left);
  const complete = layer.right.pipe(Layer.provide(NodeHttpClient.layerUndici));
  return ManagedRuntime.make(publisherLayer.pipe(Layer.provideMerge(complete)));
};

type Runtime = ReturnType<typeof runtimeFor>;

const withPublisher = <A>(
  runtime: Runtime,
  use: (publisher: PublisherService) => Effect.Effect<A, unknown>,
) => runtime.runPromise(Effect.flatMap(Publisher, use));

/** Every request the four fakes received, with the fake's name. */
const received = (sandbox: Sandbox): ReadonlyArray<RecordedRequest & { fake: string }> =>
  (["blocket", "tradera", "marktplaats", "allegro"] as const).flatMap((fake) =>
    sandbox[fake].requests.map((request) => ({ ...request, fake })),
  );

const clearRequests = (sandbox: Sandbox) => {
  for (const fake of ["blocket", "tradera", "marktplaats", "allegro"] as const)
    sandbox[fake].clearRequests();
};

/** The store as a value: every record and the number of events of every ad. */
const storeSnapshot = (runtime: Runtime) =>
  runtime.runPromise(
    Effect.gen(function* () {
      const store = yield* Store;
      const records = yield* store.list();
      const events: Record<string, number> = {};
      for (const adId of new Set(records.map((record) => record.adId)))
        events[adId] = (yield* store.events(adId)).length;
      return { records, events };
    }),
  );

const stock = loadStock();
const car = stock[0];
if (car === undefined) throw new Error("docs/examples/demo-stock.json lists no car");
const carAd = car.ad;
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
/** The car with a new canonical list price (its Marktplaats and Allegro prices are local). */
const cheaperCar = isRecord(carAd)
  ? { ...carAd, price: { list: { amount: 33990000, currency: "SEK" } } }
  : carAd;

let sandbox: Sandbox;
let runtime: Runtime;

beforeAll(async () => {
  sandbox = await startSandbox({
    blocket: { processingDelayMs: 20 },
    tradera: { processingDelayMs: 20 },
    allegro: { taskDelayMs: 20 },
  });
  runtime = runtimeFor(sandboxConfig(sandbox, { type: "memory" }));
  await withPublisher(runtime, (publisher) =>
    Effect.forEach(stock, (entry) => publisher.publish(entry.ad, { to: entry.to })),
  );
  for (const entry of stock) {
    if (!isRecord(entry.ad) || typeof entry.ad.id !== "string") continue;
    const adId = entry.ad.id;
    await withPublisher(runtime, (publisher) =>
      publisher.awaitSettled(adId, { interval: "50 millis", timeout: "60 seconds" }),
    );
  }
}, 120_000);

afterAll(async () => {
  await runtime?.dispose();
  await sandbox?.close();
  removeTemporaryDirectories();
});

const planOf = (listings: ReadonlyArray<ListingPlan>, adId: string, marketplace: string) => {
  const found = listings.find(
    (listing) => listing.adId === adId && listing.marketplace === marketplace,
  );
  if (found === undefined) throw new Error(`no plan for ${adId} on ${marketplace}`);
  return found;
};

describe("plan", () => {
  it("plans one one-field update per marketplace whose payload changes, sending no write and changing nothing in the store", async () => {
    const directory = temporaryDirectory();
    const file = join(directory, "car.json");
    writeFileSync(file, JSON.stringify(cheaperCar));
    const before = await storeSnapshot(runtime);
    clearRequests(sandbox);

    const carPlan = await withPublisher(runtime, (publisher) =>
      Effect.flatMap(readInventory(file), (entries) =>
        publisher.plan(entries.map((entry) => entry.ad)),
      ),
    );
    const others = await withPublisher(runtime, (publisher) =>
      Effect.forEach(stock.slice(1), (entry) => publisher.plan([entry.ad], { to: entry.to })),
    );

    const carId = "demo-car-xc90";
    const blocket = planOf(carPlan.listings, carId, "blocket");
    expect(blocket.action).toBe("update");
    expect(blocket.changes).toStrictEqual([
      { path: "price.0.amount", before: 34990000, after: 33990000 },
    ]);
    expect(blocket.requests).toStrictEqual([
      {
        method: "PATCH",
        path: `/v4/ad/${carId}`,
        body: { price: [{ amount: 33990000, currency: "SEK", type: "list" }] },
      },
    ]);
    const tradera = planOf(carPlan.listings, carId, "tradera");
    expect(tradera.action).toBe("update");
    // Tradera takes whole kronor ("major" units), Blocket V4 öre.
    expect(tradera.changes).toStrictEqual([
      { path: "price.0.amount", before: 349900, after: 339900 },
    ]);
    expect(tradera.requests).toHaveLength(1);
    expect(tradera.requests[0]?.method).toBe("PATCH");
    expect(tradera.requests[0]?.path).toBe(`/pro-import-api/v3/ad/${carId}`);
    // "Must include both source_id and dealer_code even though they can't change".
    expect(Object.keys(tradera.requests[0]?.body ?? {}).sort()).toStrictEqual([
      "dealer_code",
      "price",
      "source_id",
    ]);
    // Their prices are local (marketplaces.*.overrides.price): the canonical one does not reach them.
    expect(planOf(carPlan.listings, carId, "marktplaats").action).toBe("unchanged");
    expect(planOf(carPlan.listings, carId, "allegro").action).toBe("unchanged");

    const rest = others.flatMap((result) => result.listings);
    expect(
      rest.map((listing) => `${listing.adId} ${listing.marketplace} ${listing.action}`),
    ).toStrictEqual([
      "demo-moped-aerox blocket unchanged",
      "demo-golf-broken-image blocket unchanged",
      "demo-golf-broken-image tradera unchanged",
      "demo-invalid-passat blocket invalid",
      "demo-invalid-passat tradera invalid",
      "demo-invalid-passat marktplaats invalid",
      "demo-invalid-passat allegro invalid",
    ]);
    for (const listing of rest.filter((entry) => entry.action === "invalid"))
      expect(listing.issues.length).toBeGreaterThan(0);
    for (const listing of [...carPlan.listings, ...rest])
      if (listing.action === "unchanged" || listing.action === "invalid")
        expect(listing.requests).toStrictEqual([]);

    const writes = received(sandbox).filter((request) => request.method !== "GET");
    expect(writes).toStrictEqual([]);
    expect(await storeSnapshot(runtime)).toStrictEqual(before);
  });

  it("plans Marktplaats' JSON Patch and Allegro's product-offer PATCH when their local prices change", async () => {
    const marketplaces = isRecord(carAd) && isRecord(carAd.marketplaces) ? carAd.marketplaces : {};
    const local = (site: string, amount: number, currency: string) => {
      const section = isRecord(marketplaces[site]) ? marketplaces[site] : {};
      const overrides = isRecord(section.overrides) ? section.overrides : {};
      return { ...section, overrides: { ...overrides, price: { list: { amount, currency } } } };
    };
    const repriced = isRecord(carAd)
      ? {
          ...carAd,
          marketplaces: {
            ...marketplaces,
            marktplaats: local("marktplaats", 3199500, "EUR"),
            allegro: local("allegro", 13990000, "PLN"),
          },
        }
      : carAd;
    clearRequests(sandbox);
    const result = await withPublisher(runtime, (publisher) =>
      publisher.plan([repriced], { to: ["marktplaats", "allegro"] }),
    );
    const marktplaats = planOf(result.listings, "demo-car-xc90", "marktplaats");
    expect(marktplaats.action).toBe("update");
    expect(marktplaats.changes).toHaveLength(1);
    expect(marktplaats.requests).toHaveLength(1);
    expect(marktplaats.requests[0]).toMatchObject({
      method: "PATCH",
      contentType: "application/json-patch+json",
      body: [{ op: "replace", path: "/priceModel/askingPrice" }],
    });
    const allegro = planOf(result.listings, "demo-car-xc90", "allegro");
    expect(allegro.action).toBe("update");
    expect(allegro.changes).toStrictEqual([
      { path: "sellingMode.price.amount", before: "149900", after: "139900" },
    ]);
    // Allegro's current offer API: one PATCH carrying only the changed price.
    expect(allegro.requests.map((request) => request.method)).toStrictEqual(["PATCH"]);
    expect(received(sandbox).filter((request) => request.method !== "GET")).toStrictEqual([]);
  });

  it("plans a removal for each listing whose ad left the inventory, with its request, sending nothing", async () => {
    clearRequests(sandbox);
    const withoutMoped = stock.filter((entry) => entry !== stock[1]).map((entry) => entry.ad);
    const result = await withPublisher(runtime, (publisher) =>
      publisher.plan(withoutMoped, { to: ["blocket"], removeMissing: true }),
    );
    expect(result.listings.filter((listing) => listing.action === "remove")).toStrictEqual([
      expect.objectContaining({
        adId: "demo-moped-aerox",
        marketplace: "blocket",
        requests: [{ method: "DELETE", path: "/v4/ad/demo-moped-aerox" }],
      }),
    ]);
    expect(received(sandbox).filter((request) => request.method !== "GET")).toStrictEqual([]);
  });

  it("plans a new ad's create with the exact body publishing then sends", async () => {
    const newCar = isRecord(carAd) ? { ...carAd, id: "plan-new-car" } : carAd;
    const to = ["blocket", "tradera", "marktplaats"];
    clearRequests(sandbox);
    const planned = await withPublisher(runtime, (publisher) => publisher.plan([newCar], { to }));
    expect(received(sandbox).filter((request) => request.method !== "GET")).toStrictEqual([]);
    expect(planned.listings.map((listing) => listing.action)).toStrictEqual([
      "create",
      "create",
      "create",
    ]);

    await withPublisher(runtime, (publisher) => publisher.publish(newCar, { to }));
    for (const marketplace of ["blocket", "tradera", "marktplaats"] as const) {
      const create = planOf(planned.listings, "plan-new-car", marketplace).requests.find(
        (request) => request.method === "POST",
      );
      const sent = sandbox[marketplace].requests.find(
        (request) => request.method === "POST" && request.path.endsWith(create?.path ?? "-"),
      );
      expect(create?.body).toBeDefined();
      expect(sent?.body).toStrictEqual(create?.body);
    }
  });

  it("plans Allegro's create with its fee and whether it is above maxFee, reading only", async () => {
    const newCar = isRecord(carAd) ? { ...carAd, id: "plan-allegro-car" } : carAd;
    clearRequests(sandbox);
    const unlimited = await withPublisher(runtime, (publisher) =>
      publisher.plan([newCar], { to: ["allegro"] }),
    );
    const free = planOf(unlimited.listings, "plan-allegro-car", "allegro");
    expect(free.action).toBe("create");
    expect(free.cost?.aboveMaximum).toBe(false);
    expect(free.cost?.maximum).toBeUndefined();
    expect(Number(free.cost?.total.amount)).toBeGreaterThan(1);
    // The quote is a read: the fee preview is Allegro's only request that is not a GET.
    const notGet = (fake: Sandbox) =>
      received(fake)
        .filter((request) => request.method !== "GET")
        .map((request) => `${request.method} ${request.path}`);
    expect(notGet(sandbox)).toStrictEqual(["POST /pricing/offer-fee-preview"]);

    // A second sandbox: Allegro rotates refresh tokens, so one seller login serves one client.
    const second = await startSandbox();
    const base = sandboxConfig(second, { type: "memory" });
    const allegro = base.marketplaces.allegro;
    if (allegro === undefined) throw new Error("the sandbox config has no Allegro");
    const capped = runtimeFor({
      ...base,
      marketplaces: { ...base.marketplaces, allegro: { ...allegro, maxFee: 1 } },
    });
    try {
      const limited = await withPublisher(capped, (publisher) =>
        publisher.plan([newCar], { to: ["allegro"] }),
      );
      const above = planOf(limited.listings, "plan-allegro-car", "allegro");
      expect(above.cost).toStrictEqual({ ...free.cost, maximum: 1, aboveMaximum: true });
      expect(planText(limited)).toContain(`${free.cost?.total.amount} PLN (above maxFee 1)`);
      // Nothing cached in this client: the contact list and categories are read, not written.
      // (The seller's token is fetched first: a login, not a change to any listing.)
      expect(
        notGet(second).filter((request) => request !== "POST /auth/oauth/token"),
      ).toStrictEqual(["POST /pricing/offer-fee-preview"]);
    } finally {
      await capped.dispose();
      await second.close();
    }
  });

  it("runs as `adsync plan` over a config: parses --to, prints the table, sends no write", async () => {
    const directory = temporaryDirectory();
    const file = join(directory, "stock.json");
    writeFileSync(file, JSON.stringify([cheaperCar]));
    // A fresh store of its own: the car is new there, so each target plans its create.
    const config = writeConfig(sandbox, { directory });
    clearRequests(sandbox);
    const run = await adsync(["plan", "--to", "blocket,tradera", file, "--config", config]);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/demo-car-xc90 +blocket +create +POST \/v4\/ad/);
    expect(run.out).toMatch(/demo-car-xc90 +tradera +create +POST \/pro-import-api\/v3\/ad/);
    expect(run.out).not.toContain("marktplaats");
    expect(run.out).toContain("1 ads: 2 create. Nothing was sent.");
    expect(writes(received(sandbox))).toStrictEqual([]);
  });
});
