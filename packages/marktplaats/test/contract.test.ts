import { type AdsyncClient, VehicleAd } from "@adsync/core";
import { type MarktplaatsFake, startMarktplaatsFake } from "@adsync/sandbox";
import { Effect, Either, Schema } from "effect";
import { describe, expect, it } from "vitest";
import type { MarktplaatsConfig } from "../src/config.ts";
import { carAd, clientFor, configFor, sharedFakeFile, withService } from "./support.ts";

const TO = { to: ["marktplaats"] };

let fake: MarktplaatsFake;
let client: AdsyncClient;

// The manual clock: enrichment arrives when a test lets it, never while the adapter still
// reads the answer it is reporting on.
const { nextId, writes, stored, itemIdOf, publish } = sharedFakeFile(
  "contract",
  { enrichmentDelayMs: 30, clock: "manual" },
  (started, publisher) => {
    fake = started;
    client = publisher;
  },
);

describe("Marktplaats adapter against the fake", () => {
  it("creates with one POST carrying the mapped advertisement, then the images", async () => {
    const id = nextId();
    await publish(carAd(id));
    // A fresh create looks nothing up first: the POST is the first request on the ads.
    const [post, images] = fake.requests.filter((request) => request.path.startsWith("/v1/adv"));
    expect(post?.method).toBe("POST");
    expect(post?.body).toMatchObject({
      categoryId: 157,
      title: "VW Golf 2019",
      priceModel: { modelType: "fixed", askingPrice: 1_899_500 },
      location: { postcode: "1097DN" },
      model: "Golf",
      constructionYear: 2019,
      mileage: 84_000,
      fuel: "Benzine",
      transmission: "Handgeschakeld",
      options: ["Trekhaak", "Navigatiesysteem"],
      seller: { sellerName: "Autobedrijf De Vries", phoneNumber: "0204167248" },
    });
    expect(images?.path).toMatch(/\/images$/);
    expect(images?.body).toEqual({
      urls: ["https://images.example.nl/golf/1.jpg"],
      replaceAll: true,
    });
  });

  it("costs zero requests to publish an unchanged ad", async () => {
    const id = nextId();
    await publish(carAd(id));
    fake.clearRequests();
    const outcome = await publish(carAd(id));
    expect(outcome?.result).toBe("unchanged");
    expect(fake.requests).toEqual([]);
  });

  it("sends a price change as one PATCH with one operation", async () => {
    const id = nextId();
    await publish(carAd(id));
    fake.clearRequests();
    await publish(carAd(id, 1));
    expect(writes().map((request) => [request.method, request.body])).toEqual([
      ["PATCH", [{ op: "replace", path: "/priceModel/askingPrice", value: 1_889_500 }]],
    ]);
    expect(writes()[0]?.headers["content-type"]).toMatch(/^application\/json-patch\+json/);
    expect(stored(await itemIdOf(id)).priceModel).toEqual({
      modelType: "fixed",
      askingPrice: 1_889_500,
    });
  });

  it("keeps the licence-plate enrichment through an update and reports it", async () => {
    const id = nextId();
    const created = await publish(carAd(id));
    const itemId = await itemIdOf(id);
    expect(created?.state.raw).toMatchObject({
      notes: [expect.stringMatching(/^enrichment pending/)],
    });
    expect(stored(itemId)).not.toHaveProperty("makeDescription");
    fake.processing.flush();
    expect(stored(itemId)).toMatchObject({ energyLabel: "B", makeDescription: "Volkswagen" });
    fake.clearRequests();
    await publish(carAd(id, 2));
    const operations = writes().flatMap((request) =>
      Array.isArray(request.body) ? request.body : [],
    );
    expect(operations.some((operation) => operation.op === "remove")).toBe(false);
    expect(stored(itemId)).toMatchObject({
      energyLabel: "B",
      makeDescription: "Volkswagen",
      apkOnDelivery: "Nee",
      fuelConsumption: 5.4,
    });
    const progress = await withService(configFor(fake), (service) =>
      service.adapter.observe({ ref: { remoteId: itemId, ids: {}, meta: {} }, payload: undefined }),
    );
    // Read like the seller's list reads it: the enrichment, then the close date still ahead.
    expect(progress.notes).toEqual([
      expect.stringMatching(/^enrichment arrived: makeDescription/),
      expect.stringMatching(/^closes on /),
    ]);
  });

  it("never creates twice when the create landed but its answer was lost", async () => {
    const id = nextId();
    const before = fake.adCount();
    fake.injectFault({
      method: "POST",
      path: "/v1/advertisements",
      fault: { type: "applyThenDrop" },
    });
    await publish(carAd(id));
    expect(fake.adCount()).toBe(before + 1);
    const calls = fake.requests.map((request) => `${request.method} ${request.path}`);
    expect(calls.filter((call) => call === "POST /v1/advertisements")).toHaveLength(1);
    // Looked up once, after its answer was lost, before anything was sent again.
    expect(calls.filter((call) => call === "GET /v1/advertisements")).toHaveLength(1);
  });

  it("looks the seller's ads up before a create the publisher resumes after a crash", async () => {
    const id = nextId();
    const ad = Schema.decodeUnknownSync(VehicleAd)(carAd(id));
    const calls = await withService(configFor(fake), (service) =>
      Effect.gen(function* () {
        yield* service.adapter.warmUp ?? Effect.void;
        const prepared = service.adapter.prepare(ad);
        if (Either.isLeft(prepared)) return yield* Effect.die("the sample ad must map");
        yield* service.adapter.create(ad, prepared.right, { operationId: "op-1", resumed: true });
        return fake.requests.map((request) => `${request.method} ${request.path}`);
      }),
    );
    const onAds = calls.filter((call) => call.endsWith(" /v1/advertisements"));
    expect(onAds.slice(0, 2)).toEqual(["GET /v1/advertisements", "POST /v1/advertisements"]);
  });

  it("refuses to re-send a lost create it cannot look up (no licence plate)", async () => {
    const id = nextId();
    const { registrationNumber: _plate, ...vehicle } = carAd(id).vehicle;
    const before = fake.adCount();
    fake.injectFault({
      method: "POST",
      path: "/v1/advertisements",
      fault: { type: "applyThenDrop" },
    });
    const result = await client.publish({ ...carAd(id), vehicle }, TO);
    expect(result.outcomes[0]).toMatchObject({ result: "failed", reason: "Conflict" });
    expect(fake.adCount()).toBe(before + 1);
  });

  it("recovers from 409 conflicting-state by reading the ad and diffing again", async () => {
    const id = nextId();
    await publish(carAd(id));
    const itemId = await itemIdOf(id);
    // Someone removed the mileage on the site: our payload still thinks it is there.
    await withService(configFor(fake), (service) =>
      service.client.patch(itemId, [{ op: "remove", path: "/mileage" }]),
    );
    fake.clearRequests();
    await publish({
      ...carAd(id),
      vehicle: { ...carAd(id).vehicle, mileage: { value: 90_000, unit: "km" } },
    });
    expect(fake.requests.map((request) => [request.method, request.body])).toEqual([
      ["PATCH", [{ op: "replace", path: "/mileage", value: 90_000 }]],
      ["GET", undefined],
      ["PATCH", [{ op: "add", path: "/mileage", value: 90_000 }]],
    ]);
    expect(stored(itemId).mileage).toBe(90_000);
  });

  it("maps a validation-failure to issues on the path the dealer set it at", async () => {
    const id = nextId();
    const ad = { ...carAd(id), marketplaces: { marktplaats: { categoryId: 4242 } } };
    const result = await client.publish(ad, TO);
    expect(result.outcomes[0]).toMatchObject({ result: "failed", reason: "Rejected" });
    expect(result.outcomes[0]?.issues).toContainEqual(
      expect.objectContaining({
        // The dealer's own category override, not vehicle.make.
        path: "marketplaces.marktplaats.categoryId",
        code: "not_allowed",
        marketplacePath: "categoryId",
      }),
    );
  });

  it("refreshes an expired access token once and carries on", async () => {
    const saved: Array<string> = [];
    const config = configFor(fake, {});
    const withHook: MarktplaatsConfig = {
      ...config,
      auth: {
        ...config.auth,
        onTokens: (tokens) =>
          Effect.sync(() => saved.push(tokens.expiresAt > Date.now() ? "fresh" : "stale")),
      },
    };
    const count = await withService(withHook, (service) =>
      Effect.gen(function* () {
        yield* service.client.list;
        fake.expireAccessTokens();
        const before = fake.tokenRefreshCount();
        yield* service.client.list;
        return fake.tokenRefreshCount() - before;
      }),
    );
    expect(count).toBe(1);
    expect(saved).toEqual(["fresh", "fresh"]);
    const unauthorized = fake.requests.filter((request) => request.path === "/v1/advertisements");
    expect(unauthorized.length).toBe(3);
  });
});

describe("2dehands, the same adapter with a site preset", () => {
  it("sends the Belgian locale and postcode", async () => {
    const belgian = await startMarktplaatsFake({ site: "2dehands" });
    try {
      const config = configFor(belgian);
      const twoHands = clientFor({
        ...config,
        site: "2dehands",
        baseUrl: belgian.url,
        tokenUrl: belgian.tokenUrl,
      });
      const id = nextId();
      const result = await twoHands.publish(
        {
          ...carAd(id),
          location: { postalCode: "2000" },
          marketplaces: { "2dehands": { locale: "fr-BE" } },
        },
        { to: ["2dehands"] },
      );
      expect(result.outcomes.map((outcome) => [outcome.result, outcome.issues])).toEqual([
        ["accepted", []],
      ]);
      const post = belgian.requests.find(
        (request) => request.method === "POST" && request.path === "/v1/advertisements",
      );
      expect(post?.body).toMatchObject({ locale: "fr-BE", location: { postcode: "2000" } });
      await twoHands.close();
    } finally {
      await belgian.close();
    }
  });
});
