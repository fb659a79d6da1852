import {
  type AdsyncClient,
  adaptersLayer,
  createAdsync,
  type Listing,
  type MarketplaceAdapter,
  makeMemoryStore,
  Store,
  VehicleAd,
  type VehicleAdInput,
} from "@adsync/core";
import { onlyOutcome, onlyStatus } from "@adsync/sandbox/conformance";
import { FetchHttpClient } from "@effect/platform";
import { Effect, Layer, Schema } from "effect";
import { describe, expect, it } from "vitest";
import {
  type BlocketConfig,
  type BlocketPayload,
  makeBlocket,
  makeBlocketAdapter,
} from "../src/index.ts";
import { blocketSandboxSuite, mopedAd } from "./support.ts";

/**
 * The documented rules of issue #12, each asserted on the requests the sandbox's fake Blocket
 * received. The fake runs on the manual clock: its processing moves only when a test flushes
 * it, so nothing races a timer on a loaded machine.
 */

const suite = blocketSandboxSuite({ clock: "manual" });
const { clients, configFor } = suite;

const connect = (config: Partial<BlocketConfig> = {}) => {
  const layer = Layer.mergeAll(
    adaptersLayer(makeBlocketAdapter(configFor(config))),
    Layer.succeed(Store, makeMemoryStore()),
  ).pipe(Layer.provide(FetchHttpClient.layer));
  const adsync = createAdsync(layer);
  clients.push(adsync);
  return adsync;
};

/** Lets the fake finish every processing step, then reads the listing's status once. */
const settle = async (adsync: AdsyncClient, id: string) => {
  suite.sandbox.blocket.processing.flush();
  return onlyStatus(
    await adsync.awaitSettled(id, { interval: "10 millis", timeout: "20 seconds" }),
  );
};

let counter = 0;
const uniqueId = (name: string) => `rules-${name}-${++counter}`;

const base = "/pro-import-api";
const adPath = (version: "v3" | "v4", id: string, action?: string) =>
  `${base}/${version}/ad/${encodeURIComponent(id)}${action === undefined ? "" : `/${action}`}`;

/** The requests on ads (the body type and fuel lists read before the first ad left out). */
const adRequests = () =>
  suite.sandbox.blocket.requests
    .filter((request) => !request.path.startsWith(`${base}/v3/vehicle/`))
    .map(({ method, path, body }) => ({ method, path, body }));
const writes = () => adRequests().filter((request) => request.method !== "GET");
const calls = () => writes().map(({ method, path }) => `${method} ${path}`);

const remoteAd = (id: string): Record<string, unknown> => {
  const ad = suite.sandbox.blocket.ad(id);
  if (typeof ad !== "object" || ad === null) throw new Error(`the sandbox has no ad ${id}`);
  return { ...ad };
};

const carAd = (id: string, overrides: Partial<VehicleAdInput> = {}): VehicleAdInput => ({
  id,
  category: "car",
  description: "Volvo XC90 D5 AWD Inscription i fint skick.",
  price: { list: { amount: 35_000_000, currency: "SEK" } },
  location: { regionCodes: { lkf: "0180" } },
  vehicle: {
    make: "Volvo",
    model: "XC90",
    modelYear: 2019,
    bodyType: "suv",
    mileage: { value: 4500, unit: "mil" },
    fuels: ["diesel"],
    transmission: "automatic",
    power: { value: 235, unit: "hp" },
  },
  ...overrides,
});

/** A legacy V3 simple moped ad, as Blocket holds one published before adsync. */
const seedV3Moped = (id: string) =>
  suite.sandbox.blocket.seedV3Ad({
    source_id: id,
    dealer_code: "DEALER1",
    category_id: 1121,
    title: "Yamaha Aerox 2020",
    body: "Old text from the legacy import",
    price: [{ type: "list", amount: 35_000, currency: "SEK" }],
    contact: { name: "Anna Andersson", phone: "0700000000", email: "anna@dealer.example.com" },
  });

/** Publishes and settles an ad; the requests are cleared afterwards. */
const publishSettled = async (adsync: AdsyncClient, ad: VehicleAdInput) => {
  const outcome = onlyOutcome((await adsync.publish(ad)).outcomes);
  expect(outcome.result).toBe("accepted");
  const status = await settle(adsync, ad.id);
  suite.sandbox.blocket.clearRequests();
  return status;
};

describe("a V3 ad in a V4-only category that the store did not know", () => {
  it("is migrated when V4 refuses its update with any status, not only a 400 naming the migration", async () => {
    const id = uniqueId("moped-409");
    seedV3Moped(id);
    const blocketAdId = remoteAd(id).blocket_ad_id;
    const adsync = connect();
    // The compatibility table says only "❌ Blocked — use /migrate endpoint": no status, no body.
    suite.sandbox.blocket.injectFault({
      method: "PUT",
      path: adPath("v4", id),
      times: 1,
      fault: { type: "status", status: 409 },
    });
    const outcome = onlyOutcome((await adsync.publish(mopedAd(id, 3_200_000))).outcomes);
    expect(outcome.result).toBe("accepted");
    const status = await settle(adsync, id);
    expect(calls()).toEqual([
      `POST ${base}/v4/ad`,
      `PUT ${adPath("v4", id)}`,
      `POST ${adPath("v4", id, "migrate")}`,
    ]);
    expect(status.state.operation?.status).toMatch(/^succeeded/);
    expect(status.ref?.meta.apiVersion).toBe("v4");
    const remote = remoteAd(id);
    expect(remote.blocket_ad_id).toBe(blocketAdId);
    expect(remote.body).toBe(mopedAd(id, 0).description);
    expect(remote.category_fields).toMatchObject({ brand: "yamaha", model: "aerox" });
  });

  it("a refused update that the migration cannot fix fails the publish: never a success with the old content", async () => {
    const id = uniqueId("moped-refused");
    seedV3Moped(id);
    const adsync = connect();
    suite.sandbox.blocket.injectFault({
      method: "PUT",
      path: adPath("v4", id),
      times: 1,
      fault: { type: "status", status: 422 },
    });
    suite.sandbox.blocket.injectFault({
      method: "POST",
      path: adPath("v4", id, "migrate"),
      times: 1,
      fault: { type: "status", status: 400 },
    });
    const outcome = onlyOutcome((await adsync.publish(mopedAd(id, 3_200_000))).outcomes);
    expect(outcome.result).toBe("failed");
    expect(outcome.reason).toBe("Rejected");
    expect(calls()).toEqual([
      `POST ${base}/v4/ad`,
      `PUT ${adPath("v4", id)}`,
      `POST ${adPath("v4", id, "migrate")}`,
    ]);
    expect(remoteAd(id).body).toBe("Old text from the legacy import");
    expect(remoteAd(id).category_fields).toBeUndefined();
  });
});

describe("a V4 ad in a V4-only category whose update is refused", () => {
  it("costs one migrate, refused as nothing to migrate; the update fails with both answers", async () => {
    const adsync = connect();
    const id = uniqueId("moped-v4");
    const { contact: _contact, ...moped } = mopedAd(id, 3_500_000);
    await publishSettled(adsync, moped);
    suite.sandbox.blocket.injectFault({
      method: "PATCH",
      path: adPath("v4", id),
      times: 1,
      fault: { type: "status", status: 400 },
    });
    const outcome = onlyOutcome(
      (await adsync.publish({ ...moped, description: "Ny text" })).outcomes,
    );
    expect(outcome).toMatchObject({ result: "failed", reason: "Rejected" });
    expect(calls()).toEqual([`PATCH ${adPath("v4", id)}`, `POST ${adPath("v4", id, "migrate")}`]);
    expect(outcome.issues.map((entry) => entry.message).join(" ")).toMatch(/nothing to migrate/);
    expect(remoteAd(id).body).toBe(moped.description);
  });
});

describe("category_fields are required only for registered vehicles", () => {
  it("a motorboat (1061) without a body type is sent, its fields without body_type, and goes live", async () => {
    const adsync = connect();
    const id = uniqueId("boat");
    const boat: VehicleAdInput = {
      id,
      category: "motorboat",
      description: "Buster Magnum, Yamaha F115, trailer included.",
      price: { list: { amount: 42_500_000, currency: "SEK" } },
      contact: { name: "Anna", phone: "070 000 00 00", email: "anna@dealer.example.com" },
      vehicle: { make: "Buster", model: "Magnum", modelYear: 2018 },
    };
    const outcome = onlyOutcome((await adsync.publish(boat)).outcomes);
    expect(outcome.result).toBe("accepted");
    const status = await settle(adsync, id);
    expect(status.state.presence).toBe("live");
    const [create] = writes();
    expect(create?.path).toBe(`${base}/v4/ad`);
    expect(create?.body).toMatchObject({
      category_id: "1061",
      title: "Buster Magnum 2018",
      category_fields: { brand: "buster", model: "magnum", model_year: 2018 },
    });
    expect(create?.body).not.toHaveProperty("category_fields.body_type");
  });
});

describe("visible is the ad's content", () => {
  it("visible: false → true after the create is sent as PATCH {visible: true} and the ad goes live", async () => {
    const adsync = connect();
    const id = uniqueId("visible");
    const hidden = await publishSettled(
      adsync,
      carAd(id, { marketplaces: { blocket: { visible: false } } }),
    );
    expect(hidden.state.presence).toBe("hidden");
    const outcome = onlyOutcome(
      (await adsync.publish(carAd(id, { marketplaces: { blocket: { visible: true } } }))).outcomes,
    );
    expect(outcome).toMatchObject({ result: "accepted", operation: "update" });
    const status = await settle(adsync, id);
    expect(writes()).toEqual([
      { method: "PATCH", path: adPath("v4", id), body: { visible: true } },
    ]);
    expect(status.state.presence).toBe("live");
    expect(remoteAd(id).visible).toBe(true);
  });

  it("an ad hidden by `hide` stays hidden when a later PUT replaces its content", async () => {
    const adsync = connect();
    const id = uniqueId("hide-put");
    await publishSettled(adsync, carAd(id, { marketplaces: { blocket: { visible: true } } }));
    await adsync.hide(id);
    await settle(adsync, id);
    suite.sandbox.blocket.clearRequests();
    const { power: _power, ...vehicle } = carAd(id).vehicle;
    await adsync.publish(carAd(id, { vehicle, marketplaces: { blocket: { visible: true } } }));
    const status = await settle(adsync, id);
    expect(writes()).toEqual([
      expect.objectContaining({
        method: "PUT",
        path: adPath("v4", id),
        body: expect.objectContaining({ visible: false }),
      }),
    ]);
    expect(status.state.presence).toBe("hidden");
  });
});

describe("removing a nested value is a PUT (a PATCH merges and would keep it)", () => {
  it("the power removed: PUT with the full content, and Blocket no longer holds it", async () => {
    const adsync = connect();
    const id = uniqueId("power");
    await publishSettled(adsync, carAd(id));
    const { power: _power, ...vehicle } = carAd(id).vehicle;
    await adsync.publish(carAd(id, { vehicle }));
    await settle(adsync, id);
    expect(calls()).toEqual([`PUT ${adPath("v4", id)}`]);
    const remote = remoteAd(id);
    expect(remote.category_fields).toHaveProperty("powertrain.fuels", ["diesel"]);
    expect(remote.category_fields).not.toHaveProperty("powertrain.power");
  });

  it("LKF → zip code: PUT, and the location is the zip code alone", async () => {
    const adsync = connect();
    const id = uniqueId("lkf");
    await publishSettled(adsync, carAd(id));
    await adsync.publish(carAd(id, { location: { postalCode: "113 51" } }));
    const status = await settle(adsync, id);
    expect(calls()).toEqual([`PUT ${adPath("v4", id)}`]);
    expect(status.state.operation?.status).toBe("succeeded");
    expect(remoteAd(id).location).toEqual({ zipcode: "11351" });
  });

  it("one physics entry removed (a motorhome's beds): PUT, the length kept and the beds gone", async () => {
    const adsync = connect();
    const id = uniqueId("physics");
    const motorhome = (beds: number | undefined): VehicleAdInput => ({
      id,
      category: "motorhome",
      description: "Spacious Mercedes camper with full kitchen",
      price: { list: { amount: 45_000_000, currency: "SEK" } },
      vehicle: {
        make: "Mercedes-Benz",
        model: "Sprinter",
        modelYear: 2019,
        bodyType: "integrated",
        mileage: { value: 50_000, unit: "km" },
        fuels: ["diesel"],
        transmission: "manual",
        lengthMm: 7500,
        ...(beds === undefined ? {} : { beds }),
      },
    });
    await publishSettled(adsync, motorhome(4));
    await adsync.publish(motorhome(undefined));
    await settle(adsync, id);
    expect(calls()).toEqual([`PUT ${adPath("v4", id)}`]);
    expect(remoteAd(id).category_fields).toHaveProperty("physics", {
      length: { unit: "m", value: 7.5 },
    });
  });
});

describe("vehicle data Blocket cannot take is named, never dropped in silence", () => {
  it("a truck (1221, no category fields) is sent as a plain ad with a warning naming the vehicle data left out", async () => {
    const adsync = connect();
    const id = uniqueId("truck");
    const truck: VehicleAdInput = {
      id,
      category: "truck",
      description: "Scania R450 dragbil, välskött.",
      price: { list: { amount: 89_000_000, currency: "SEK" } },
      contact: { name: "Anna", phone: "0700000000", email: "anna@dealer.example.com" },
      vehicle: {
        make: "Scania",
        model: "R450",
        modelYear: 2017,
        mileage: { value: 61_000, unit: "mil" },
        fuels: ["diesel"],
        transmission: "automatic",
      },
    };
    const outcome = onlyOutcome((await adsync.publish(truck)).outcomes);
    expect(outcome.result).toBe("accepted");
    expect(outcome.warnings).toEqual([
      expect.objectContaining({
        path: "vehicle",
        code: "unsupported",
        message: expect.stringMatching(/mileage, fuels, transmission/),
      }),
    ]);
    const [create] = writes();
    expect(create?.body).toMatchObject({ category_id: "1221", title: "Scania R450 2017" });
    expect(create?.body).not.toHaveProperty("category_fields");
  });

  it("a moped through V3 (a simple ad there) warns that its vehicle fields are not sent", async () => {
    const adsync = connect({ apiVersion: "v3" });
    const id = uniqueId("v3-moped");
    const outcome = onlyOutcome((await adsync.publish(mopedAd(id, 3_500_000))).outcomes);
    expect(outcome.result).toBe("accepted");
    expect(outcome.warnings).toEqual([
      expect.objectContaining({ path: "vehicle", message: expect.stringMatching(/use V4/) }),
    ]);
    expect(writes()[0]?.body).not.toHaveProperty("category_fields");
  });
});

describe("length limits", () => {
  it("a 1 MB description is cut to the cap with a too_long warning before it is sent", async () => {
    const adsync = connect();
    const id = uniqueId("long");
    const description = `${"Välvårdad bil. ".repeat(70_000)}Slut.`;
    const outcome = onlyOutcome((await adsync.publish(carAd(id, { description }))).outcomes);
    expect(outcome.result).toBe("accepted");
    expect(outcome.warnings).toEqual([
      expect.objectContaining({ path: "description", code: "too_long", marketplacePath: "body" }),
    ]);
    const body = writes()[0]?.body as { body: string };
    expect(body.body).toHaveLength(10_000);
    expect(description.startsWith(body.body)).toBe(true);
  });

  it("a configured cap is honoured", async () => {
    const adsync = connect({ textLimits: { title: 100, body: 20 } });
    const id = uniqueId("cap");
    await adsync.publish(carAd(id));
    expect((writes()[0]?.body as { body: string } | undefined)?.body).toBe(
      carAd(id).description.slice(0, 20),
    );
  });

  it("a dealer term over 500 characters is refused locally, zero requests", async () => {
    const adsync = connect();
    const id = uniqueId("terms");
    const outcome = onlyOutcome(
      (await adsync.publish(carAd(id, { terms: { warranty: "x".repeat(501) } }))).outcomes,
    );
    expect(outcome.result).toBe("invalid");
    expect(outcome.issues).toEqual([
      expect.objectContaining({ path: "terms.warranty", code: "too_long" }),
    ]);
    expect(adRequests()).toEqual([]);
  });
});

describe("remote validation validates what create would send", () => {
  it("V4: POST /v3/ad/validate with the V4 body (amounts in öre), through the publisher", async () => {
    const adsync = connect();
    const id = uniqueId("validate");
    const result = await adsync.validateRemotely(carAd(id), { to: ["blocket"] });
    expect(result).toMatchObject({ valid: true, remote: { blocket: "validated" } });
    const requests = adRequests();
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      method: "POST",
      path: `${base}/v3/ad/validate`,
      body: {
        source_id: id,
        category_id: 1020,
        price: [{ type: "list", amount: 35_000_000, currency: "SEK" }],
        category_fields: { powertrain: { power: { unit: "hp", value: 235 } } },
      },
    });
    expect(suite.sandbox.blocket.ad(id)).toBeUndefined();
  });

  it("Blocket's findings come back as issues on canonical paths", async () => {
    const adsync = connect();
    const id = uniqueId("validate-refused");
    // A model year the canonical schema allows but Blocket refuses (at most next year).
    const ad = carAd(id, { vehicle: { ...carAd(id).vehicle, modelYear: 2090 } });
    const result = await adsync.validateRemotely(ad, { to: ["blocket"] });
    expect(result.valid).toBe(false);
    expect(result.remote).toEqual({ blocket: "validated" });
    expect(result.issues.blocket).toEqual([
      expect.objectContaining({ path: "vehicle.modelYear", marketplace: "blocket" }),
    ]);
  });

  it("V4-only categories cannot be validated by V3: unavailable, nothing sent", async () => {
    const adsync = connect();
    const id = uniqueId("validate-moped");
    const { contact: _contact, ...moped } = mopedAd(id, 3_500_000);
    const result = await adsync.validateRemotely(moped, { to: ["blocket"] });
    expect(result).toMatchObject({ valid: true, remote: { blocket: "unavailable" } });
    expect(adRequests()).toEqual([]);
  });

  it("V3: the V3 body (whole kronor) is validated", async () => {
    const adsync = connect({ apiVersion: "v3" });
    const id = uniqueId("validate-v3");
    await adsync.validateRemotely(carAd(id), { to: ["blocket"] });
    expect(adRequests()[0]).toMatchObject({
      path: `${base}/v3/ad/validate`,
      body: { category_id: 1020, price: [{ type: "list", amount: 350_000, currency: "SEK" }] },
    });
  });
});

describe("the service's validateRemotely(ad) prepares as the publisher does", () => {
  it("applies the ad's Blocket overrides before validating, and sends nothing for local issues", async () => {
    const id = uniqueId("validate-override");
    const ad = Schema.decodeUnknownSync(VehicleAd)(
      carAd(id, {
        marketplaces: { blocket: { overrides: { title: "Volvo XC90 för Blocket" } } },
      }),
    );
    const refused = Schema.decodeUnknownSync(VehicleAd)(
      carAd(uniqueId("validate-override-refused"), {
        marketplaces: { blocket: { overrides: { vehicle: { modelYear: 1800 } } } },
      }),
    );
    const [issues, local] = await Effect.runPromise(
      Effect.scoped(
        makeBlocket(configFor()).pipe(
          Effect.flatMap((service) =>
            Effect.all([service.validateRemotely(ad), service.validateRemotely(refused)]),
          ),
          Effect.provide(FetchHttpClient.layer),
        ),
      ),
    );
    expect(issues).toEqual([]);
    expect(adRequests()).toEqual([
      expect.objectContaining({
        method: "POST",
        path: `${base}/v3/ad/validate`,
        body: expect.objectContaining({ source_id: id, title: "Volvo XC90 för Blocket" }),
      }),
    ]);
    // A refused override value names the override the dealer set.
    expect(local.map((entry) => entry.path)).toEqual([
      expect.stringMatching(/^marketplaces\.blocket\.overrides\.vehicle\.modelYear/),
    ]);
  });
});

describe("pole position through the contract's promote", () => {
  const runWithAdapter = <A, E>(
    use: (adapter: MarketplaceAdapter<BlocketPayload, BlocketPayload>) => Effect.Effect<A, E>,
  ) =>
    Effect.runPromise(
      Effect.scoped(
        makeBlocket(configFor()).pipe(
          Effect.flatMap((service) => use(service.adapter)),
          Effect.provide(FetchHttpClient.layer),
        ),
      ),
    );

  it("offers pole_position and sends GET /v3/ad/{id}/pole_position, not retried (charges apply)", async () => {
    const adsync = connect();
    const id = uniqueId("pole");
    const status = await publishSettled(adsync, carAd(id));
    const listing: Listing<BlocketPayload> = {
      ref: status.ref ?? { remoteId: id, ids: {}, meta: {} },
      payload: {},
    };
    const submitted = await runWithAdapter((adapter) => {
      expect(adapter.promotions).toEqual(["pole_position"]);
      expect(adapter.capabilities.promote).toBe(true);
      const promote = adapter.promote;
      if (promote === undefined) return Effect.die("no promote");
      return promote(listing, { product: "pole_position" });
    });
    expect(adRequests()).toEqual([
      { method: "GET", path: adPath("v3", id, "pole_position"), body: undefined },
    ]);
    expect(submitted.progress.status).toBe("pending");
    expect(submitted.requestId).toEqual(expect.any(String));
  });

  it("an unknown product is Unsupported and sends nothing", async () => {
    const id = uniqueId("pole-unknown");
    const listing: Listing<BlocketPayload> = {
      ref: { remoteId: id, ids: {}, meta: {} },
      payload: {},
    };
    const failure = await runWithAdapter((adapter) =>
      Effect.flip(adapter.promote?.(listing, { product: "top_ad" }) ?? Effect.die("no promote")),
    );
    expect(failure).toMatchObject({ reason: "Unsupported" });
    expect(adRequests()).toEqual([]);
  });
});

describe("the canonical ad decodes as the tests build it", () => {
  it("every ad above is a valid VehicleAd", () => {
    for (const ad of [carAd("x"), mopedAd("y", 1)])
      expect(() => Schema.decodeUnknownSync(VehicleAd)(ad)).not.toThrow();
  });
});
