import { awaitSettled, onlyOutcome, onlyStatus } from "@adsync/conformance";
import {
  type AdsyncClient,
  type AdsyncError,
  adaptersLayer,
  createAdsync,
  makeMemoryStore,
  Store,
  type StoreService,
  VehicleAd,
  type VehicleAdInput,
} from "@adsync/core";
import type { Fault } from "@adsync/sandbox";
import { BLOCKET_SANDBOX_TOKEN } from "@adsync/sandbox";
import { FetchHttpClient } from "@effect/platform";
import { Effect, Either, Layer, Logger, LogLevel, Redacted, Schema } from "effect";
import { describe, expect, it } from "vitest";
import {
  type BlocketConfig,
  type BlocketMappingSettings,
  makeBlocket,
  makeBlocketAdapter,
  toBlocketPayload,
} from "../src/index.ts";
import { blocketSandboxSuite, mopedAd } from "./support.ts";

/**
 * Contract tests: the Blocket adapter, behind the publisher, against the sandbox's fake Blocket
 * over real HTTP on loopback. They assert on what went over the wire (method, path, body) and
 * on what a DMS sees (outcomes, lifecycle).
 *
 * The HTTP client is @effect/platform's FetchHttpClient (Node's fetch, which is undici):
 * @effect/platform-node is not a dependency of @adsync/blocket, so its `layerUndici` cannot be
 * resolved from here.
 */

const suite = blocketSandboxSuite({ processingDelayMs: 20 });
const { clients, configFor } = suite;

interface Connection {
  readonly adsync: AdsyncClient;
  /** Every log line the stack wrote, at every level. */
  readonly logs: Array<string>;
}

const connect = (
  options: { readonly config?: Partial<BlocketConfig>; readonly store?: StoreService } = {},
): Connection => {
  const logs: Array<string> = [];
  const capture = Logger.make((options) => {
    logs.push(Logger.logfmtLogger.log(options));
  });
  const layer = Layer.mergeAll(
    adaptersLayer(makeBlocketAdapter(configFor(options.config))),
    Layer.succeed(Store, options.store ?? makeMemoryStore()),
    Logger.replace(Logger.defaultLogger, capture),
    Logger.minimumLogLevel(LogLevel.All),
  ).pipe(Layer.provide(FetchHttpClient.layer));
  const adsync = createAdsync(layer);
  clients.push(adsync);
  return { adsync, logs };
};

// --- ads and the wire --------------------------------------------------------------------------

let counter = 0;
const uniqueId = (name: string) => `contract-${name}-${++counter}`;

const carAd = (id: string, overrides: Partial<VehicleAdInput> = {}): VehicleAdInput => ({
  id,
  category: "car",
  description: "Volvo XC90 D5 AWD Inscription i fint skick. Nyservad.",
  price: { list: { amount: 35_000_000, currency: "SEK" } },
  images: ["https://cdn.example.com/xc90/1.jpg", "https://cdn.example.com/xc90/2.jpg"],
  location: { postalCode: "111 22" },
  vehicle: {
    make: "Volvo",
    model: "XC90",
    modelYear: 2019,
    bodyType: "suv",
    colour: "black",
    registrationNumber: "ABC 123",
    mileage: { value: 4500, unit: "mil" },
    fuels: ["diesel"],
    transmission: "automatic",
    power: { value: 235, unit: "hp" },
  },
  ...overrides,
});

const decodeAd = Schema.decodeUnknownSync(VehicleAd);

const settings: Record<"v3" | "v4", BlocketMappingSettings> = {
  v4: {
    version: "v4",
    priceUnit: "minor",
    images: { max: 20, httpsOnly: true, tooMany: "truncate" },
    tokenScope: "dealer_group",
    dealerCode: "DEALER1",
  },
  v3: {
    version: "v3",
    priceUnit: "major",
    images: { max: 38, httpsOnly: false, tooMany: "truncate" },
    tokenScope: "dealer_group",
    dealerCode: "DEALER1",
  },
};

/** The content the mapping gives for an ad (what every full write carries). */
const mapped = (input: unknown, version: "v3" | "v4"): Record<string, unknown> => {
  const result = toBlocketPayload(decodeAd(input), settings[version]);
  if (Either.isLeft(result)) throw new Error(`unexpected issues: ${JSON.stringify(result.left)}`);
  const payload = result.right.payload;
  if (typeof payload !== "object" || payload === null) throw new Error("payload not an object");
  return { ...payload };
};

const base = "/pro-import-api";
const adPath = (version: "v3" | "v4", id: string, action?: string) =>
  `${base}/${version}/ad/${encodeURIComponent(id)}${action === undefined ? "" : `/${action}`}`;

/** The requests that changed something (everything but the GETs of status reads). */
const writes = () => suite.sandbox.blocket.requests.filter((request) => request.method !== "GET");

/**
 * The requests on ads: the body type and fuel lists the adapter reads once per client before
 * it prepares its first ad (`GET /v3/vehicle/…`) are left out.
 */
const adRequests = () =>
  suite.sandbox.blocket.requests.filter(
    (request) => !request.path.startsWith(`${base}/v3/vehicle/`),
  );

const wire = () =>
  adRequests().map((request) => ({
    method: request.method,
    path: request.path,
    body: request.body,
  }));

/** The stored ad, read as a record. */
const remoteAd = (id: string): Record<string, unknown> => {
  const ad = suite.sandbox.blocket.ad(id);
  if (typeof ad !== "object" || ad === null) throw new Error(`the sandbox has no ad ${id}`);
  return { ...ad };
};

/** Publishes a new car and waits until it is live; the requests are cleared afterwards. */
const publishLiveCar = async (adsync: AdsyncClient, id: string, overrides = {}) => {
  const outcome = onlyOutcome((await adsync.publish(carAd(id, overrides))).outcomes);
  expect(outcome.result).toBe("accepted");
  const status = onlyStatus(await awaitSettled(adsync, id));
  expect(status.state.presence).toBe("live");
  suite.sandbox.blocket.clearRequests();
  return status;
};

// --- the tests ---------------------------------------------------------------------------------

describe("Blocket adapter against the sandbox", () => {
  it("a new car ad costs exactly one POST /v4/ad with the mapped body, then only status reads, and ends live with its ids", async () => {
    const { adsync } = connect();
    const id = uniqueId("new");
    const published = await adsync.publish(carAd(id));
    const outcome = onlyOutcome(published.outcomes);
    expect(outcome).toMatchObject({ result: "accepted", operation: "create" });
    expect(outcome.state.operation?.status).toBe("pending");

    const status = onlyStatus(await awaitSettled(adsync, id));
    expect(status.state.presence).toBe("live");
    expect(status.state.operation).toMatchObject({ kind: "create", status: "succeeded" });

    const [create, ...reads] = wire();
    expect(create).toEqual({
      method: "POST",
      path: `${base}/v4/ad`,
      body: { source_id: id, ...mapped(carAd(id), "v4") },
    });
    // The mapping itself, as the V4 guide spells the fields.
    expect(create?.body).toMatchObject({
      source_id: id,
      dealer_code: "DEALER1",
      category_id: "1020",
      price: [{ type: "list", amount: 35_000_000, currency: "SEK" }],
      image_urls: carAd(id).images,
      location: { zipcode: "11122" },
      category_fields: {
        brand: "volvo",
        model: "xc90",
        model_year: 2019,
        registration_number: "ABC123",
        condition: { mileage: { unit: "mil", value: 4500 } },
      },
    });
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) expect(read).toMatchObject({ method: "GET", path: adPath("v4", id) });

    const remote = remoteAd(id);
    expect(status.ref?.remoteId).toBe(id);
    expect(status.ref?.ids.blocket_ad_id).toBe(String(remote.blocket_ad_id));
    expect(status.ref?.ids.bytbil_ad_id).toBe(String(remote.bytbil_ad_id));
    expect(status.ref?.ids.blocket_ad_id).toMatch(/^\d+$/);
    expect(status.ref?.ids.bytbil_ad_id).toMatch(/^\d+$/);
  });

  it("publishing the same ad again costs zero requests", async () => {
    const { adsync } = connect();
    const id = uniqueId("unchanged");
    await publishLiveCar(adsync, id);
    const again = onlyOutcome((await adsync.publish(carAd(id))).outcomes);
    expect(again.result).toBe("unchanged");
    expect(suite.sandbox.blocket.requests).toEqual([]);
  });

  it("a price change costs exactly one PATCH carrying only the price", async () => {
    const { adsync } = connect();
    const id = uniqueId("price");
    await publishLiveCar(adsync, id);
    const cheaper = carAd(id, { price: { list: { amount: 33_900_000, currency: "SEK" } } });
    const outcome = onlyOutcome((await adsync.publish(cheaper)).outcomes);
    expect(outcome).toMatchObject({ result: "accepted", operation: "update" });
    const status = onlyStatus(await awaitSettled(adsync, id));
    expect(status.state).toMatchObject({
      presence: "live",
      operation: { kind: "update", status: "succeeded" },
    });
    expect(writes().map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      {
        method: "PATCH",
        path: adPath("v4", id),
        body: { price: [{ type: "list", amount: 33_900_000, currency: "SEK" }] },
      },
    ]);
    expect(remoteAd(id).price).toEqual([{ type: "list", amount: 33_900_000, currency: "SEK" }]);
  });

  it("a V3 moped ad is migrated with POST /v4/ad/{id}/migrate and the full V4 payload, keeping its ad id", async () => {
    const store = makeMemoryStore();
    const id = uniqueId("moped");
    // A legacy V3 ad: a simple ad in a category that V4 made a registered vehicle.
    suite.sandbox.blocket.seedV3Ad({ source_id: id, ...mapped(mopedAd(id, 3_500_000), "v3") });
    const blocketAdId = remoteAd(id).blocket_ad_id;
    expect(blocketAdId).toEqual(expect.anything());

    // The store learns of it through a V3 adapter: the create answers 409 and the ad is adopted.
    const legacy = connect({ config: { apiVersion: "v3" }, store });
    const adopted = onlyOutcome((await legacy.adsync.publish(mopedAd(id, 3_500_000))).outcomes);
    expect(adopted.result).toBe("accepted");
    expect(onlyStatus(await awaitSettled(legacy.adsync, id)).state.presence).toBe("live");
    expect(suite.sandbox.blocket.adCount()).toBeGreaterThan(0);
    suite.sandbox.blocket.clearRequests();

    const current = connect({ store });
    const outcome = onlyOutcome((await current.adsync.publish(mopedAd(id, 3_200_000))).outcomes);
    expect(outcome).toMatchObject({ result: "accepted", operation: "update" });
    const status = onlyStatus(await awaitSettled(current.adsync, id));
    // The moped keeps the contact its V3 simple ad needed: V4 does not send it, and says so.
    expect(status.state).toMatchObject({
      presence: "live",
      operation: { kind: "update", status: "succeeded_with_warnings" },
    });
    expect(status.state.operation?.warnings?.map((warning) => warning.path)).toEqual(["contact"]);
    expect(writes().map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      {
        method: "POST",
        path: adPath("v4", id, "migrate"),
        body: { source_id: id, ...mapped(mopedAd(id, 3_200_000), "v4") },
      },
    ]);
    const remote = remoteAd(id);
    expect(remote.blocket_ad_id).toBe(blocketAdId);
    expect(status.ref?.ids.blocket_ad_id).toBe(String(blocketAdId));
    expect(remote.category_fields).toMatchObject({ brand: "yamaha", model: "aerox" });
    expect(status.ref?.meta.apiVersion).toBe("v4");

    // Once migrated, a later change is an ordinary PATCH.
    suite.sandbox.blocket.clearRequests();
    await current.adsync.publish(mopedAd(id, 3_000_000));
    await awaitSettled(current.adsync, id);
    expect(writes().map(({ method, path }) => `${method} ${path}`)).toEqual([
      `PATCH ${adPath("v4", id)}`,
    ]);
  });

  it("a V3 moped the store took for V4 is migrated once V4 refuses its update", async () => {
    const id = uniqueId("moped-unknown");
    suite.sandbox.blocket.seedV3Ad({ source_id: id, ...mapped(mopedAd(id, 3_500_000), "v3") });
    const blocketAdId = remoteAd(id).blocket_ad_id;
    const { adsync } = connect();
    // The V4 create meets the V3 ad (409) and adopts it without knowing its version. The
    // adopted ad holds the V3 simple-ad content, so the adapter sends what differs; V4 refuses
    // the PATCH of a V3 moped, and the adapter migrates it with the full V4 payload.
    await adsync.publish(mopedAd(id, 3_200_000));
    const status = onlyStatus(await awaitSettled(adsync, id));
    expect(status.state).toMatchObject({
      presence: "live",
      operation: { kind: "create", status: "succeeded_with_warnings" },
    });
    const sent = writes();
    // The V3 simple ad holds a title and a contact the V4 content no longer sends: a PATCH
    // would leave them, so the adopted ad is replaced whole (PUT), which V4 refuses for a V3
    // moped, and the adapter migrates it.
    expect(sent.map(({ method, path }) => `${method} ${path}`)).toEqual([
      "POST /pro-import-api/v4/ad",
      `PUT ${adPath("v4", id)}`,
      `POST ${adPath("v4", id, "migrate")}`,
    ]);
    expect(sent[2]?.body).toEqual({ source_id: id, ...mapped(mopedAd(id, 3_200_000), "v4") });
    expect(remoteAd(id).blocket_ad_id).toBe(blocketAdId);
    expect(status.ref?.meta.apiVersion).toBe("v4");

    // Migrated: the next change is an ordinary PATCH.
    suite.sandbox.blocket.clearRequests();
    await adsync.publish(mopedAd(id, 3_000_000));
    await awaitSettled(adsync, id);
    expect(writes().map(({ method, path }) => `${method} ${path}`)).toEqual([
      `PATCH ${adPath("v4", id)}`,
    ]);
  });

  it("an ad created with visible: false ends hidden", async () => {
    const { adsync } = connect();
    const id = uniqueId("invisible");
    await adsync.publish(carAd(id, { marketplaces: { blocket: { visible: false } } }));
    const status = onlyStatus(await awaitSettled(adsync, id));
    expect(status.state).toMatchObject({
      presence: "hidden",
      operation: { kind: "create", status: "succeeded" },
    });
    expect(writes()[0]?.body).toMatchObject({ source_id: id, visible: false });
  });

  it("a create whose answer was lost, retried after the ad changed, leaves Blocket with the new content", async () => {
    // No automatic retry: the lost answer surfaces as a failed create, as after a crash.
    const { adsync } = connect({ config: { http: { retry: { maxRetries: 0 } } } });
    const id = uniqueId("lost-then-changed");
    const before = suite.sandbox.blocket.adCount();
    suite.sandbox.blocket.injectFault({
      method: "POST",
      path: `${base}/v4/ad`,
      fault: { type: "applyThenDrop" },
    });
    const lost = onlyOutcome((await adsync.publish(carAd(id))).outcomes);
    expect(lost).toMatchObject({ result: "failed", reason: "Transport", retryable: true });

    // The dealer lowers the price before the DMS publishes again: the create answers 409.
    const cheaper = carAd(id, { price: { list: { amount: 33_900_000, currency: "SEK" } } });
    const retried = onlyOutcome((await adsync.publish(cheaper)).outcomes);
    expect(retried.result).toBe("accepted");
    await awaitSettled(adsync, id);
    expect(suite.sandbox.blocket.adCount() - before).toBe(1);
    expect(remoteAd(id).price).toEqual([{ type: "list", amount: 33_900_000, currency: "SEK" }]);
  });

  describe("transient failures are retried and still make exactly one ad", () => {
    /** Publishes a new car through a fault on its POST; answers the POSTs Blocket received. */
    const publishThrough = async (name: string, fault: Fault, times = 1) => {
      const { adsync } = connect();
      const id = uniqueId(name);
      const before = suite.sandbox.blocket.adCount();
      suite.sandbox.blocket.injectFault({ method: "POST", path: `${base}/v4/ad`, times, fault });
      const outcome = onlyOutcome((await adsync.publish(carAd(id))).outcomes);
      expect(outcome.result).toBe("accepted");
      expect(onlyStatus(await awaitSettled(adsync, id)).state.presence).toBe("live");
      expect(suite.sandbox.blocket.adCount() - before).toBe(1);
      return writes();
    };

    it("429 with Retry-After: 1 is retried after about a second", async () => {
      const posts = await publishThrough("429", { type: "status", status: 429, retryAfter: "1" });
      expect(posts.map((request) => request.method)).toEqual(["POST", "POST"]);
      const [first, second] = posts;
      expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
    });

    it("503 twice is retried until the create lands", async () => {
      const posts = await publishThrough("503", { type: "status", status: 503 }, 2);
      expect(posts.map((request) => request.method)).toEqual(["POST", "POST", "POST"]);
    });

    it("a dropped connection is retried", async () => {
      const posts = await publishThrough("drop", { type: "drop" });
      expect(posts.map((request) => request.method)).toEqual(["POST", "POST"]);
    });

    it("a create applied and then dropped is retried, answered 409, and reconciled to the one ad", async () => {
      const { adsync } = connect();
      const id = uniqueId("applied");
      const before = suite.sandbox.blocket.adCount();
      suite.sandbox.blocket.injectFault({
        method: "POST",
        path: `${base}/v4/ad`,
        fault: { type: "applyThenDrop" },
      });
      const outcome = onlyOutcome((await adsync.publish(carAd(id))).outcomes);
      expect(outcome).toMatchObject({ result: "accepted", operation: "create" });
      expect(suite.sandbox.blocket.adCount() - before).toBe(1);
      const [firstPost, secondPost, read] = wire();
      expect(firstPost).toMatchObject({ method: "POST", path: `${base}/v4/ad` });
      expect(secondPost).toMatchObject({ method: "POST", path: `${base}/v4/ad` });
      expect(read).toMatchObject({ method: "GET", path: adPath("v4", id) });
      const status = onlyStatus(await awaitSettled(adsync, id));
      expect(status.state).toMatchObject({
        presence: "live",
        operation: { kind: "create", status: "succeeded" },
      });
      expect(status.ref?.ids.blocket_ad_id).toBe(String(remoteAd(id).blocket_ad_id));
      expect(suite.sandbox.blocket.adCount() - before).toBe(1);
    });
  });

  it("an invalid ad costs zero requests and answers issues on canonical paths", async () => {
    const { adsync } = connect();
    const id = uniqueId("invalid");
    const { bodyType: _removed, ...vehicle } = carAd(id).vehicle;
    const invalid = carAd(id, { vehicle, price: { list: { amount: 3_000_000, currency: "EUR" } } });
    const outcome = onlyOutcome((await adsync.publish(invalid)).outcomes);
    expect(outcome).toMatchObject({ result: "invalid", reason: "Invalid", retryable: false });
    expect(outcome.issues.map((entry) => [entry.path, entry.code, entry.marketplace])).toEqual(
      expect.arrayContaining([
        ["vehicle.bodyType", "required", "blocket"],
        ["price.list.currency", "invalid_value", "blocket"],
      ]),
    );
    expect(adRequests()).toEqual([]);
  });

  it("a broken image URL ends succeeded with warnings on images, and the ad is live", async () => {
    const { adsync } = connect();
    const id = uniqueId("image");
    const images = ["https://cdn.example.com/ok.jpg", "https://cdn.example.com/broken.jpg"];
    await adsync.publish(carAd(id, { images }));
    const status = onlyStatus(await awaitSettled(adsync, id));
    expect(status.state.presence).toBe("live");
    expect(status.state.operation?.status).toBe("succeeded_with_warnings");
    expect(status.state.operation?.warnings).toEqual([
      expect.objectContaining({
        path: "images",
        marketplace: "blocket",
        message: expect.stringContaining("broken.jpg"),
      }),
    ]);
  });

  describe("follow-up operations", () => {
    it("remove sends DELETE and ends removed", async () => {
      const { adsync } = connect();
      const id = uniqueId("remove");
      await publishLiveCar(adsync, id);
      const outcome = onlyOutcome((await adsync.remove(id)).outcomes);
      expect(outcome).toMatchObject({ result: "accepted", operation: "remove" });
      const status = onlyStatus(await awaitSettled(adsync, id));
      expect(status.state).toMatchObject({
        presence: "removed",
        operation: { kind: "remove", status: "succeeded" },
      });
      expect(writes().map(({ method, path }) => `${method} ${path}`)).toEqual([
        `DELETE ${adPath("v4", id)}`,
      ]);
      expect(remoteAd(id).state).toBe("deleted");
    });

    it("a DELETE applied and then dropped is retried and ends removed, not failed", async () => {
      const { adsync } = connect();
      const id = uniqueId("remove-dropped");
      await publishLiveCar(adsync, id);
      suite.sandbox.blocket.injectFault({
        method: "DELETE",
        path: adPath("v4", id),
        fault: { type: "applyThenDrop" },
      });
      const outcome = onlyOutcome((await adsync.remove(id)).outcomes);
      expect(outcome).toMatchObject({ result: "accepted", operation: "remove" });
      const status = onlyStatus(await awaitSettled(adsync, id));
      expect(status.state).toMatchObject({
        presence: "removed",
        operation: { kind: "remove", status: "succeeded" },
      });
      expect(writes().map(({ method, path }) => `${method} ${path}`)).toEqual([
        `DELETE ${adPath("v4", id)}`,
        `DELETE ${adPath("v4", id)}`,
      ]);
    });

    it("publishing a removed car again creates it anew", async () => {
      const { adsync } = connect();
      const id = uniqueId("republish");
      await publishLiveCar(adsync, id);
      await adsync.remove(id);
      await awaitSettled(adsync, id);
      const before = suite.sandbox.blocket.adCount();
      suite.sandbox.blocket.clearRequests();
      const outcome = onlyOutcome((await adsync.publish(carAd(id))).outcomes);
      expect(outcome).toMatchObject({ result: "accepted", operation: "create" });
      expect(onlyStatus(await awaitSettled(adsync, id)).state.presence).toBe("live");
      expect(writes().map(({ method, path }) => `${method} ${path}`)).toEqual([
        `POST ${base}/v4/ad`,
      ]);
      expect(suite.sandbox.blocket.adCount() - before).toBe(1);
      expect(remoteAd(id).state).toBe("created");
    });

    it("renew sends GET /v3/ad/{id}/bump with exclude_bytbil when the ad asks for it", async () => {
      const { adsync } = connect();
      const id = uniqueId("renew");
      await publishLiveCar(adsync, id, { marketplaces: { blocket: { excludeBytbil: true } } });
      const outcome = onlyOutcome((await adsync.renew(id)).outcomes);
      expect(outcome).toMatchObject({ result: "accepted", operation: "renew" });
      const status = onlyStatus(await awaitSettled(adsync, id));
      expect(status.state).toMatchObject({
        presence: "live",
        operation: { kind: "renew", status: "succeeded" },
      });
      const [bump] = suite.sandbox.blocket.requests;
      expect(bump).toMatchObject({
        method: "GET",
        path: adPath("v3", id, "bump"),
        query: { exclude_bytbil: "true" },
      });
      expect(bump?.query.exclude_blocket).toBeUndefined();
    });

    it("a bump whose answer was lost is reported, not sent again (charges apply)", async () => {
      const { adsync } = connect();
      const id = uniqueId("renew-lost");
      await publishLiveCar(adsync, id);
      suite.sandbox.blocket.clearRequests();
      suite.sandbox.blocket.injectFault({
        method: "GET",
        path: adPath("v3", id, "bump"),
        fault: { type: "applyThenDrop" },
      });
      const outcome = onlyOutcome((await adsync.renew(id)).outcomes);
      expect(outcome).toMatchObject({ result: "failed", reason: "Transport", retryable: true });
      const bumps = suite.sandbox.blocket.requests.filter(
        (request) => request.path === adPath("v3", id, "bump"),
      );
      expect(bumps).toHaveLength(1);
    });

    it("renew of an ad without exclusions sends no exclude parameter", async () => {
      const { adsync } = connect();
      const id = uniqueId("renew-plain");
      await publishLiveCar(adsync, id);
      await adsync.renew(id);
      const [bump] = suite.sandbox.blocket.requests;
      expect(bump).toMatchObject({ method: "GET", path: adPath("v3", id, "bump"), query: {} });
    });

    it("hide sends PATCH {visible: false} and ends hidden; show sends {visible: true} and ends live", async () => {
      const { adsync } = connect();
      const id = uniqueId("hide");
      await publishLiveCar(adsync, id);

      expect(onlyOutcome((await adsync.hide(id)).outcomes).result).toBe("accepted");
      expect(onlyStatus(await awaitSettled(adsync, id)).state).toMatchObject({
        presence: "hidden",
        operation: { kind: "hide", status: "succeeded" },
      });
      expect(onlyOutcome((await adsync.show(id)).outcomes).result).toBe("accepted");
      expect(onlyStatus(await awaitSettled(adsync, id)).state).toMatchObject({
        presence: "live",
        operation: { kind: "show", status: "succeeded" },
      });
      expect(writes().map(({ method, path, body }) => ({ method, path, body }))).toEqual([
        { method: "PATCH", path: adPath("v4", id), body: { visible: false } },
        { method: "PATCH", path: adPath("v4", id), body: { visible: true } },
      ]);
    });
  });

  describe("credentials", () => {
    it("a wrong token fails with a non-retryable Unauthorized outcome after one request, and never shows the token", async () => {
      const token = "wrong-token-0f9a8c7e-do-not-log";
      const { adsync, logs } = connect({ config: { token: Redacted.make(token) } });
      const id = uniqueId("401");
      const outcome = onlyOutcome((await adsync.publish(carAd(id))).outcomes);
      expect(outcome).toMatchObject({
        result: "failed",
        reason: "Unauthorized",
        retryable: false,
      });
      expect(outcome.state.presence).toBe("absent");
      expect(outcome.issues).toEqual([
        expect.objectContaining({ code: "unauthorized", marketplace: "blocket" }),
      ]);
      // The reference lists read before the first ad is refused (each once, no retry), with the
      // token in X-Auth-Token; nothing about the ad is sent.
      expect(suite.sandbox.blocket.requests.map((request) => request.path).sort()).toEqual([
        `${base}/v3/vehicle/body_types`,
        `${base}/v3/vehicle/fuels`,
      ]);
      for (const request of suite.sandbox.blocket.requests)
        expect(request.headers["x-auth-token"]).toBe(token);

      const statuses = await adsync.status(id);
      expect(logs.length).toBeGreaterThan(0);
      for (const line of logs) expect(line).not.toContain(token);
      expect(JSON.stringify(outcome)).not.toContain(token);
      expect(JSON.stringify(statuses)).not.toContain(token);
    });

    it("the valid token appears in no log line of a whole publish", async () => {
      const { adsync, logs } = connect();
      const id = uniqueId("token-logs");
      await adsync.publish(carAd(id));
      await awaitSettled(adsync, id);
      expect(logs.length).toBeGreaterThan(0);
      for (const line of logs) expect(line).not.toContain(BLOCKET_SANDBOX_TOKEN);
    });
  });

  describe("Blocket's own validation errors, bypassing local validation", () => {
    /** Sends a payload with the Blocket client directly and answers its error. */
    const rejection = (payload: Record<string, unknown>): Promise<AdsyncError> =>
      Effect.runPromise(
        Effect.scoped(
          Effect.flatMap(makeBlocket(configFor()), (blocket) =>
            Effect.flip(blocket.client.create("v4", payload)),
          ),
        ).pipe(Effect.provide(FetchHttpClient.layer)),
      );

    const validPayload = (id: string): Record<string, unknown> => ({
      source_id: id,
      ...mapped(carAd(id), "v4"),
    });

    it("a nested category_fields error comes back as an issue on the canonical field", async () => {
      const id = uniqueId("nested-400");
      const payload = validPayload(id);
      const { brand: _removed, ...fields } = payload.category_fields as Record<string, unknown>;
      const error = await rejection({ ...payload, category_fields: fields });
      expect(error).toMatchObject({ reason: "Rejected", status: 400, marketplace: "blocket" });
      expect(error.isRetryable).toBe(false);
      expect(error.issues).toEqual([
        {
          path: "vehicle.make",
          code: "required",
          message: "This field is required.",
          marketplace: "blocket",
          marketplacePath: "category_fields.brand",
        },
      ]);
    });

    it("several field errors each land on their canonical path", async () => {
      const id = uniqueId("many-400");
      const payload = validPayload(id);
      const error = await rejection({
        ...payload,
        body: "",
        location: { zipcode: "111 22" },
        image_urls: ["http://cdn.example.com/1.jpg"],
      });
      expect(error.reason).toBe("Rejected");
      expect(error.issues.map((entry) => entry.path).sort()).toEqual(
        ["description", "images", "location.postalCode"].sort(),
      );
    });

    it("a price item's error lands on the canonical price", async () => {
      const id = uniqueId("price-400");
      const error = await rejection({
        ...validPayload(id),
        price: [{ type: "list", amount: "many", currency: "SEK" }],
      });
      expect(error.reason).toBe("Rejected");
      expect(error.issues).toHaveLength(1);
      expect(error.issues[0]?.marketplacePath).toBe("price.0.amount");
      expect(error.issues[0]?.path).toMatch(/^price(\.|$)/);
    });
  });
});
