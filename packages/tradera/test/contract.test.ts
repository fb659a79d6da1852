import { awaitSettled, onlyOutcome, onlyStatus } from "@adsync/conformance";
import {
  type AdsyncClient,
  type AdsyncError,
  adaptersLayer,
  createAdsync,
  memoryStoreLayer,
  VehicleAd,
  type VehicleAdInput,
} from "@adsync/core";
import {
  type RecordedRequest,
  startTraderaFake,
  TRADERA_SANDBOX_TOKEN,
  type TraderaFake,
} from "@adsync/sandbox";
import { NodeHttpClient } from "@effect/platform-node";
import { Effect, Either, Layer, Option, Redacted, Schema } from "effect";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  makeTradera,
  makeTraderaAdapter,
  type ReferenceData,
  referenceDataPaths,
  type TraderaConfig,
  type TraderaService,
  toTraderaPayload,
} from "../src/index.ts";

/**
 * Contract tests: the Tradera adapter, behind the publisher, against the sandbox's fake Tradera
 * over real HTTP on loopback. They assert on what went over the wire (method, path, body) and
 * on what a DMS sees (outcomes, lifecycle).
 */

let fake: TraderaFake;
/** Every request any fake received in this file, kept across clears for the /retry check. */
const received: Array<RecordedRequest> = [];
const fakes: Array<TraderaFake> = [];
const clients: Array<AdsyncClient> = [];
/** The fake's reference lists, as the adapter loads them. */
let reference: ReferenceData;

const clearRequests = (target: TraderaFake = fake) => {
  received.push(...target.requests);
  target.clearRequests();
};

const startFake = async (processingDelayMs: number, clock: "real" | "manual" = "real") => {
  const started = await startTraderaFake({ processingDelayMs, clock });
  fakes.push(started);
  return started;
};

beforeAll(async () => {
  fake = await startFake(20);
  reference = await withTradera((tradera) => tradera.referenceData);
});

afterAll(async () => {
  await Promise.all(fakes.map((each) => each.close()));
});

beforeEach(() => {
  fake.clearFaults();
  clearRequests();
});

afterEach(async () => {
  for (const each of fakes) {
    each.clearFaults();
    clearRequests(each);
  }
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

// --- building the stack ----------------------------------------------------------------------

const configFor = (target: TraderaFake, overrides: Partial<TraderaConfig> = {}): TraderaConfig => ({
  baseUrl: target.url,
  token: Redacted.make(TRADERA_SANDBOX_TOKEN),
  dealerCode: "DEALER1",
  http: { retry: { baseDelay: "10 millis" } },
  ...overrides,
});

const connect = (
  options: { readonly fake?: TraderaFake; readonly config?: Partial<TraderaConfig> } = {},
): AdsyncClient => {
  const adsync = createAdsync(
    Layer.mergeAll(
      adaptersLayer(makeTraderaAdapter(configFor(options.fake ?? fake, options.config))),
      memoryStoreLayer,
    ),
  );
  clients.push(adsync);
  return adsync;
};

/** Runs `use` with a Tradera service (client, list, logs, reference data) against a fake. */
function withTradera<A, E>(
  use: (tradera: TraderaService) => Effect.Effect<A, E>,
  target: TraderaFake = fake,
): Promise<A> {
  return Effect.runPromise(
    Effect.scoped(Effect.flatMap(makeTradera(configFor(target)), use)).pipe(
      Effect.provide(NodeHttpClient.layerUndici),
    ),
  );
}

// --- ads and the wire --------------------------------------------------------------------------

let counter = 0;
const uniqueId = (name: string) => `tradera-${name}-${++counter}`;

const carAd = (id: string, overrides: Partial<VehicleAdInput> = {}): VehicleAdInput => ({
  id,
  category: "car",
  title: "Volvo XC90 D5 AWD",
  description: "Välvårdad Volvo XC90 med full servicehistorik. Perfekt familjebil.",
  price: { list: { amount: 35_000_000, currency: "SEK" } },
  images: ["https://cdn.example.com/xc90/1.jpg", "https://cdn.example.com/xc90/2.jpg"],
  location: { coordinates: { latitude: 59.3293, longitude: 18.0686 } },
  vehicle: {
    make: "Volvo",
    model: "XC90",
    variant: "D5 AWD",
    modelYear: 2019,
    bodyType: "suv",
    colour: "black",
    registrationNumber: "ABC 123",
    mileage: { value: 4500, unit: "mil" },
    fuels: ["diesel"],
    transmission: "automatic",
    equipment: ["navigation", "heated_seats"],
  },
  terms: { warranty: "12 månaders garanti" },
  ...overrides,
});

const decodeAd = Schema.decodeUnknownSync(VehicleAd);

/** The content the mapping gives for an ad with the fake's reference data. */
const mapped = (input: unknown): Record<string, unknown> => {
  const result = toTraderaPayload(
    decodeAd(input),
    { priceUnit: "major", dealerCode: "DEALER1" },
    reference,
  );
  if (Either.isLeft(result)) throw new Error(`unexpected issues: ${JSON.stringify(result.left)}`);
  const payload = result.right.payload;
  if (typeof payload !== "object" || payload === null) throw new Error("payload not an object");
  return { ...payload };
};

const adsPath = "/pro-import-api/v3/ad";
const adPath = (id: string, action?: string) =>
  `${adsPath}/${encodeURIComponent(id)}${action === undefined ? "" : `/${action}`}`;

const isReferenceRead = (request: RecordedRequest) => request.path.startsWith("/vehicle/");

/** The ad requests, without the reference-data reads. */
const wire = (target: TraderaFake = fake) =>
  target.requests
    .filter((request) => !isReferenceRead(request))
    .map(({ method, path, body }) => ({ method, path, body }));

/** The requests that changed something (everything but GETs). */
const writes = (target: TraderaFake = fake) =>
  wire(target).filter(({ method }) => method !== "GET");

const isRecordBody = (body: unknown): body is Readonly<Record<string, unknown>> =>
  typeof body === "object" && body !== null && !Array.isArray(body);

/** The stored ad, read as a record. */
const remoteAd = (id: string, target: TraderaFake = fake): Record<string, unknown> => {
  const ad = target.ad(id);
  if (typeof ad !== "object" || ad === null) throw new Error(`the fake has no ad ${id}`);
  return { ...ad };
};

const logOf = (id: string, target: TraderaFake = fake) =>
  Schema.decodeUnknownSync(
    Schema.Array(Schema.Struct({ action: Schema.String, state: Schema.String })),
  )(remoteAd(id, target).log);

/** Publishes a new car and waits until it is live; the requests are cleared afterwards. */
const publishLiveCar = async (
  adsync: AdsyncClient,
  id: string,
  overrides: Record<string, unknown> = {},
  target: TraderaFake = fake,
) => {
  const outcome = onlyOutcome((await adsync.publish(carAd(id, overrides))).outcomes);
  expect(outcome.result).toBe("accepted");
  // Runs the fake's processing now, whichever its clock (a manual one runs nothing otherwise).
  target.processing.flush();
  const status = onlyStatus(await awaitSettled(adsync, id));
  expect(status.state.presence).toBe("live");
  clearRequests(target);
  return status;
};

// --- the tests ---------------------------------------------------------------------------------

describe("Tradera adapter against the fake", () => {
  it("a new car costs the seven reference reads once, then one POST with the mapped body, and settles live with its blocket_ad_id", async () => {
    const adsync = connect();
    const id = uniqueId("new");
    const outcome = onlyOutcome((await adsync.publish(carAd(id))).outcomes);
    expect(outcome).toMatchObject({ result: "accepted", operation: "create" });
    expect(outcome.state.operation?.status).toBe("pending");

    const sent = fake.requests;
    const referenceReads = sent.filter(isReferenceRead);
    expect(referenceReads.map(({ method, path }) => `${method} ${path}`).sort()).toEqual(
      Object.values(referenceDataPaths)
        .map((path) => `GET ${path}`)
        .sort(),
    );
    const postIndex = sent.findIndex((request) => request.method === "POST");
    expect(sent.findLastIndex(isReferenceRead)).toBeLessThan(postIndex);
    expect(wire()).toEqual([
      { method: "POST", path: adsPath, body: { source_id: id, ...mapped(carAd(id)) } },
    ]);
    // The mapping, as the guide spells the fields: a numeric category and whole kronor.
    expect(wire()[0]?.body).toMatchObject({
      source_id: id,
      dealer_code: "DEALER1",
      category_id: 1020,
      price: [{ currency: "SEK", type: "list", amount: 350_000 }],
      image_urls: carAd(id).images,
      location: { latitude: 59.3293, longitude: 18.0686 },
      category_fields: {
        brand: "volvo",
        model: "xc90",
        model_type: "D5 AWD",
        model_year: 2019,
        registration_number: "ABC123",
        color: "black",
        condition: { mileage: { unit: "mil", value: 4500 } },
        powertrain: { transmission: "automatic", fuels: ["diesel"] },
        equipments: ["navigation", "heated_seats"],
        warranty: "12 månaders garanti",
      },
    });

    clearRequests();
    const status = onlyStatus(await awaitSettled(adsync, id));
    expect(status.state).toMatchObject({
      presence: "live",
      operation: { kind: "create", status: "succeeded" },
    });
    // Settling costs status reads of this ad only.
    expect(wire().length).toBeGreaterThan(0);
    for (const read of wire()) {
      expect(read.method).toBe("GET");
      expect(read.path.startsWith(adPath(id))).toBe(true);
    }
    const remote = remoteAd(id);
    expect(status.ref?.remoteId).toBe(id);
    expect(status.ref?.ids.blocket_ad_id).toMatch(/^\d+$/);
    expect(status.ref?.ids.blocket_ad_id).toBe(String(remote.blocket_ad_id));

    // A second ad: the reference data is cached, so one POST and nothing else.
    clearRequests();
    const second = uniqueId("new-second");
    await adsync.publish(carAd(second));
    expect(fake.requests.filter(isReferenceRead)).toEqual([]);
    expect(wire()).toEqual([
      { method: "POST", path: adsPath, body: { source_id: second, ...mapped(carAd(second)) } },
    ]);
  });

  it("publishing the same ad again costs zero requests", async () => {
    const adsync = connect();
    const id = uniqueId("unchanged");
    await publishLiveCar(adsync, id);
    const again = onlyOutcome((await adsync.publish(carAd(id))).outcomes);
    expect(again.result).toBe("unchanged");
    expect(fake.requests).toEqual([]);
  });

  it("a price change costs exactly one PATCH of {source_id, dealer_code, price}", async () => {
    const adsync = connect();
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
    // "Must include both source_id and dealer_code even though they can't change".
    expect(writes()).toEqual([
      {
        method: "PATCH",
        path: adPath(id),
        body: {
          source_id: id,
          dealer_code: "DEALER1",
          price: [{ currency: "SEK", type: "list", amount: 339_000 }],
        },
      },
    ]);
    expect(remoteAd(id).price).toEqual([{ currency: "SEK", type: "list", amount: 339_000 }]);
  });

  it("a create applied then dropped is retried, meets the plain-string 400 duplicate, and is reconciled to the one ad", async () => {
    const adsync = connect();
    const id = uniqueId("duplicate");
    const before = fake.adCount();
    fake.injectFault({ method: "POST", path: adsPath, fault: { type: "applyThenDrop" } });
    const outcome = onlyOutcome((await adsync.publish(carAd(id))).outcomes);
    expect(outcome).toMatchObject({ result: "accepted", operation: "create" });
    expect(outcome.issues).toEqual([]);
    const [firstPost, secondPost, read, ...rest] = wire();
    expect(firstPost).toMatchObject({ method: "POST", path: adsPath });
    expect(secondPost).toMatchObject({ method: "POST", path: adsPath });
    expect(read).toMatchObject({ method: "GET", path: adPath(id) });
    // The ad already holds this content: nothing more is sent.
    expect(rest).toEqual([]);

    const status = onlyStatus(await awaitSettled(adsync, id));
    expect(status.state).toMatchObject({
      presence: "live",
      operation: { kind: "create", status: "succeeded" },
    });
    expect(status.ref?.ids.blocket_ad_id).toBe(String(remoteAd(id).blocket_ad_id));
    expect(fake.adCount() - before).toBe(1);
  });

  it("the duplicate answer is the guide's plain string, so the reconciliation above met it", async () => {
    const id = uniqueId("duplicate-answer");
    const payload = { source_id: id, ...mapped(carAd(id)) };
    const error = await withTradera((tradera) =>
      Effect.zipRight(
        tradera.client.create("v3", payload),
        Effect.flip(tradera.client.create("v3", payload)),
      ),
    );
    expect(error).toMatchObject({ reason: "Rejected", status: 400 });
    expect(error.issues).toEqual([
      expect.objectContaining({
        path: "",
        code: "conflict",
        message: `A PublicAd with SourceId '${id}' already exists.`,
      }),
    ]);
  });

  it("an invalid ad costs zero requests and answers issues on canonical paths", async () => {
    const adsync = connect();
    // Local validation needs the reference data: load it first, then watch the wire.
    await adsync.validate(carAd(uniqueId("warm-up")));
    clearRequests();
    const id = uniqueId("invalid");
    const invalid = carAd(id, { category: "motorcycle", images: [] });
    const outcome = onlyOutcome((await adsync.publish(invalid)).outcomes);
    expect(outcome).toMatchObject({ result: "invalid", reason: "Invalid", retryable: false });
    expect(outcome.issues.map((entry) => [entry.path, entry.code, entry.marketplace])).toEqual(
      expect.arrayContaining([
        ["category", "not_allowed", "tradera"],
        ["images", "required", "tradera"],
      ]),
    );
    expect(fake.requests).toEqual([]);
  });

  describe("removal", () => {
    it("is reported removed only once the delete action is done, while the ad's state stays created", async () => {
      // The manual clock holds the delete in "processing" until the test lets it finish.
      const slow = await startFake(250, "manual");
      const adsync = connect({ fake: slow });
      const id = uniqueId("remove-slow");
      await publishLiveCar(adsync, id, {}, slow);

      const outcome = onlyOutcome((await adsync.remove(id)).outcomes);
      expect(outcome).toMatchObject({ result: "accepted", operation: "remove" });
      expect(outcome.state.presence).not.toBe("removed");
      expect(outcome.state.operation).toMatchObject({ kind: "remove", status: "pending" });

      // One status read while the delete is still processing: not removed yet.
      const during = onlyStatus(await adsync.refresh(id));
      expect(logOf(id, slow)).toContainEqual({ action: "delete", state: "processing" });
      expect(during.state.presence).not.toBe("removed");
      expect(during.state.operation).toMatchObject({ kind: "remove", status: "pending" });
      expect(remoteAd(id, slow).state).toBe("created");

      slow.processing.flush();
      const after = onlyStatus(await awaitSettled(adsync, id));
      expect(logOf(id, slow)).toContainEqual({ action: "delete", state: "done" });
      expect(after.state).toMatchObject({
        presence: "removed",
        operation: { kind: "remove", status: "succeeded" },
        raw: { state: "created" },
      });
      // "The ad state remains "created" - check logs for actual deletion status".
      expect(remoteAd(id, slow).state).toBe("created");
      expect(writes(slow)).toEqual([{ method: "DELETE", path: adPath(id), body: undefined }]);
    });

    it("a DELETE applied then dropped is retried and follows the delete that landed", async () => {
      const adsync = connect();
      const id = uniqueId("remove-dropped");
      await publishLiveCar(adsync, id);
      fake.injectFault({ method: "DELETE", path: adPath(id), fault: { type: "applyThenDrop" } });
      const outcome = onlyOutcome((await adsync.remove(id)).outcomes);
      // The retry meets "Cannot delete ad that has already been deleted.": not a failure.
      expect(outcome).toMatchObject({ result: "accepted", operation: "remove" });
      expect(outcome.issues).toEqual([]);
      const status = onlyStatus(await awaitSettled(adsync, id));
      expect(status.state).toMatchObject({
        presence: "removed",
        operation: { kind: "remove", status: "succeeded" },
      });
      expect(writes().map(({ method, path }) => `${method} ${path}`)).toEqual([
        `DELETE ${adPath(id)}`,
        `DELETE ${adPath(id)}`,
      ]);
      expect(logOf(id).filter((entry) => entry.action === "delete")).toEqual([
        { action: "delete", state: "done" },
      ]);
    });
  });

  describe("listing a car again after its removal (D6: <adId>~<n>)", () => {
    /** A fake whose processing runs only when the test flushes it. */
    let manual: TraderaFake;
    beforeAll(async () => {
      manual = await startFake(250, "manual");
    });

    const removeAndSettle = async (adsync: AdsyncClient, id: string) => {
      expect(onlyOutcome((await adsync.remove(id)).outcomes).result).toBe("accepted");
      manual.processing.flush();
      expect(onlyStatus(await awaitSettled(adsync, id)).state.presence).toBe("removed");
      clearRequests(manual);
    };

    const sentSourceIds = () =>
      wire(manual).map(({ method, path, body }) => ({
        method,
        path,
        ...(isRecordBody(body) ? { source_id: body.source_id } : {}),
      }));

    it("a removed car published again is created under <adId>~1, and later updates, status and removal address <adId>~1", async () => {
      const adsync = connect({ fake: manual });
      const id = uniqueId("relist");
      await publishLiveCar(adsync, id, {}, manual);
      await removeAndSettle(adsync, id);

      const before = manual.adCount();
      const outcome = onlyOutcome((await adsync.publish(carAd(id))).outcomes);
      expect(outcome).toMatchObject({ result: "accepted", operation: "create" });
      // The plain id meets the deleted ad ("already exists"), is read, and the next is free.
      expect(sentSourceIds()).toEqual([
        { method: "POST", path: adsPath, source_id: id },
        { method: "GET", path: adPath(id) },
        { method: "POST", path: adsPath, source_id: `${id}~1` },
      ]);
      expect(wire(manual)[2]?.body).toEqual({ source_id: `${id}~1`, ...mapped(carAd(id)) });
      expect(manual.adCount() - before).toBe(1);
      manual.processing.flush();
      const live = onlyStatus(await awaitSettled(adsync, id));
      expect(live.state.presence).toBe("live");
      expect(live.ref?.remoteId).toBe(`${id}~1`);
      expect(live.ref?.ids.blocket_ad_id).toBe(String(remoteAd(`${id}~1`, manual).blocket_ad_id));
      clearRequests(manual);

      // An update goes to the relisted ad, with its source_id in the body.
      const cheaper = carAd(id, { price: { list: { amount: 33_900_000, currency: "SEK" } } });
      expect(onlyOutcome((await adsync.publish(cheaper)).outcomes).operation).toBe("update");
      expect(writes(manual)).toEqual([
        {
          method: "PATCH",
          path: adPath(`${id}~1`),
          body: {
            source_id: `${id}~1`,
            dealer_code: "DEALER1",
            price: [{ currency: "SEK", type: "list", amount: 339_000 }],
          },
        },
      ]);
      manual.processing.flush();
      expect(onlyStatus(await awaitSettled(adsync, id)).state.presence).toBe("live");
      clearRequests(manual);

      // Removal deletes the relisted ad; a third listing walks past both deleted ones.
      await removeAndSettle(adsync, id);
      await adsync.publish(cheaper);
      expect(sentSourceIds()).toEqual([
        { method: "POST", path: adsPath, source_id: id },
        { method: "GET", path: adPath(id) },
        { method: "POST", path: adsPath, source_id: `${id}~1` },
        { method: "GET", path: adPath(`${id}~1`) },
        { method: "POST", path: adsPath, source_id: `${id}~2` },
      ]);
      manual.processing.flush();
      expect(onlyStatus(await awaitSettled(adsync, id)).ref?.remoteId).toBe(`${id}~2`);
    });

    it('an ad deleted outside adsync is listed again under <adId>~1 when its update meets "Cannot update ad that has been deleted."', async () => {
      const adsync = connect({ fake: manual });
      const id = uniqueId("relist-outside");
      await publishLiveCar(adsync, id, {}, manual);
      // Deleted with the dealer's own tool: adsync still holds the listing live.
      await withTradera((tradera) => tradera.client.remove("v3", id), manual);
      manual.processing.flush();
      clearRequests(manual);

      const cheaper = carAd(id, { price: { list: { amount: 33_900_000, currency: "SEK" } } });
      const outcome = onlyOutcome((await adsync.publish(cheaper)).outcomes);
      expect(outcome.result).toBe("accepted");
      expect(sentSourceIds()).toEqual([
        { method: "PATCH", path: adPath(id), source_id: id },
        { method: "POST", path: adsPath, source_id: `${id}~1` },
      ]);
      expect(wire(manual)[1]?.body).toEqual({ source_id: `${id}~1`, ...mapped(cheaper) });
      manual.processing.flush();
      const status = onlyStatus(await awaitSettled(adsync, id));
      expect(status.state.presence).toBe("live");
      expect(status.ref?.remoteId).toBe(`${id}~1`);

      // Looking the ad up by the dealer's id follows the chain to the listing that is there.
      const found = await withTradera(
        (tradera) => tradera.adapter.find?.(id) ?? Effect.die("no find"),
        manual,
      );
      expect(Option.getOrUndefined(found)?.remoteId).toBe(`${id}~1`);
    });

    it("a plan's create says it may become a relisting, and describes the POST as sent", async () => {
      const id = uniqueId("relist-plan");
      const ad = decodeAd(carAd(id));
      const planned = await withTradera((tradera) =>
        Effect.sync(() =>
          tradera.adapter.describe?.create(ad, { payload: mapped(ad), warnings: [] }),
        ),
      );
      expect(planned).toEqual([
        expect.objectContaining({
          method: "POST",
          path: adsPath,
          body: { source_id: id, ...mapped(ad) },
          note: expect.stringContaining(`${id}~1`),
        }),
      ]);
      expect(wire()).toEqual([]);
    });

    it("a resumed relisting whose POST landed adopts <adId>~1 instead of creating <adId>~2", async () => {
      const adsync = connect({ fake: manual });
      const id = uniqueId("relist-dropped");
      await publishLiveCar(adsync, id, {}, manual);
      await removeAndSettle(adsync, id);
      manual.injectFault({
        method: "POST",
        path: adsPath,
        fault: { type: "applyThenDrop" },
        times: 2,
      });
      const before = manual.adCount();
      await adsync.publish(carAd(id));
      manual.processing.flush();
      const status = onlyStatus(await awaitSettled(adsync, id));
      expect(status.ref?.remoteId).toBe(`${id}~1`);
      expect(status.state.presence).toBe("live");
      expect(manual.adCount() - before).toBe(1);
      expect(manual.ad(`${id}~2`)).toBeUndefined();
    });
  });

  describe("dealer codes and credentials", () => {
    it("a foreign dealer code is a clear, non-retryable Forbidden outcome after one POST", async () => {
      const adsync = connect();
      const id = uniqueId("foreign-dealer");
      const outcome = onlyOutcome(
        (await adsync.publish(carAd(id, { marketplaces: { tradera: { dealerCode: "OTHER" } } })))
          .outcomes,
      );
      expect(outcome).toMatchObject({
        result: "failed",
        operation: "create",
        reason: "Forbidden",
        retryable: false,
      });
      expect(outcome.state.presence).toBe("absent");
      expect(outcome.issues).toEqual([
        expect.objectContaining({
          path: "marketplaces.tradera.dealerCode",
          code: "forbidden",
          marketplace: "tradera",
          message: expect.stringContaining("OTHER"),
        }),
      ]);
      expect(writes()).toEqual([
        {
          method: "POST",
          path: adsPath,
          body: expect.objectContaining({ source_id: id, dealer_code: "OTHER" }),
        },
      ]);
      expect(fake.ad(id)).toBeUndefined();
    });

    it("a changed dealer code is refused locally with an issue on marketplaces.tradera.dealerCode, and the next update still goes through", async () => {
      // "You cannot change the dealer_code after creation".
      const manual = await startFake(250, "manual");
      const adsync = connect({ fake: manual });
      const id = uniqueId("dealer-change");
      await publishLiveCar(adsync, id, {}, manual);
      const cheaper = { price: { list: { amount: 33_900_000, currency: "SEK" } } };
      const moved = carAd(id, { ...cheaper, marketplaces: { tradera: { dealerCode: "DEALER2" } } });
      const refused = onlyOutcome((await adsync.publish(moved)).outcomes);
      expect(refused).toMatchObject({ result: "failed", reason: "Invalid", retryable: false });
      expect(refused.issues).toEqual([
        expect.objectContaining({
          path: "marketplaces.tradera.dealerCode",
          code: "not_allowed",
          marketplace: "tradera",
          marketplacePath: "dealer_code",
          message: expect.stringContaining("'DEALER1'"),
        }),
      ]);
      expect(manual.requests).toEqual([]);
      expect(remoteAd(id, manual).dealer_code).toBe("DEALER1");

      // Nothing wrong was stored: the same change under the ad's own code is one PATCH.
      const outcome = onlyOutcome((await adsync.publish(carAd(id, cheaper))).outcomes);
      expect(outcome).toMatchObject({ result: "accepted", operation: "update" });
      expect(writes(manual)).toEqual([
        {
          method: "PATCH",
          path: adPath(id),
          body: expect.objectContaining({ source_id: id, dealer_code: "DEALER1" }),
        },
      ]);
      manual.processing.flush();
      expect(onlyStatus(await awaitSettled(adsync, id)).state.operation).toMatchObject({
        kind: "update",
        status: "succeeded",
      });
      await manual.close();
    });

    it("a token Tradera refuses (403) is a non-retryable Forbidden outcome and sends no ad", async () => {
      const adsync = connect({ config: { token: Redacted.make("expired-token") } });
      const id = uniqueId("bad-token");
      const outcome = onlyOutcome((await adsync.publish(carAd(id))).outcomes);
      expect(outcome).toMatchObject({ result: "failed", reason: "Forbidden", retryable: false });
      expect(outcome.issues.length).toBeGreaterThan(0);
      expect(wire()).toEqual([]);
    });
  });

  describe("per-marketplace vehicle overrides", () => {
    it("marketplaces.tradera.overrides.vehicle.colour fixes a colour Tradera does not list, for Tradera only", async () => {
      const adsync = connect();
      await adsync.validate(carAd(uniqueId("warm-up")));
      const id = uniqueId("override-colour");
      const gold = carAd(id);
      const goldVehicle = { ...gold.vehicle, colour: "gold" as const };
      // Tradera's colours hold no gold: refused on the canonical field, nothing sent.
      clearRequests();
      const refused = onlyOutcome(
        (await adsync.publish({ ...gold, vehicle: goldVehicle })).outcomes,
      );
      expect(refused.result).toBe("invalid");
      expect(refused.issues).toEqual([
        expect.objectContaining({ path: "vehicle.colour", code: "invalid_value" }),
      ]);
      expect(fake.requests).toEqual([]);

      const fixed = {
        ...gold,
        vehicle: goldVehicle,
        marketplaces: { tradera: { overrides: { vehicle: { colour: "beige" } } } },
      };
      const outcome = onlyOutcome((await adsync.publish(fixed)).outcomes);
      expect(outcome).toMatchObject({ result: "accepted", operation: "create" });
      const [post] = writes();
      expect(post).toMatchObject({ method: "POST", path: adsPath });
      // Only the colour changed: make, model and the rest are the ad's own.
      expect(post?.body).toEqual({
        source_id: id,
        ...mapped({ ...gold, vehicle: { ...gold.vehicle, colour: "beige" } }),
      });
    });

    it("an override Tradera cannot take is an issue on the override's path, not on the ad's field", async () => {
      const adsync = connect();
      await adsync.validate(carAd(uniqueId("warm-up")));
      clearRequests();
      const id = uniqueId("override-bad");
      const listedNowhere = carAd(id, {
        marketplaces: { tradera: { overrides: { vehicle: { colour: "gold" } } } },
      });
      const outcome = onlyOutcome((await adsync.publish(listedNowhere)).outcomes);
      expect(outcome.result).toBe("invalid");
      expect(outcome.issues).toEqual([
        expect.objectContaining({
          path: "marketplaces.tradera.overrides.vehicle.colour",
          code: "invalid_value",
          marketplacePath: "category_fields.color",
        }),
      ]);
      const notAColour = carAd(id, {
        marketplaces: { tradera: { overrides: { vehicle: { colour: "pink" } } } },
      });
      const invalid = onlyOutcome((await adsync.publish(notAColour)).outcomes);
      expect(invalid.result).toBe("invalid");
      expect([...new Set(invalid.issues.map((entry) => entry.path))]).toEqual([
        "marketplaces.tradera.overrides.vehicle.colour",
      ]);
      expect(fake.requests).toEqual([]);
    });
  });

  describe("remote validation of a canonical ad", () => {
    it("POSTs /v3/ad/validate with the body a create would send, answers no issues, and creates nothing", async () => {
      const id = uniqueId("validate");
      const ad = decodeAd(carAd(id, { marketplaces: { tradera: { visible: false } } }));
      const prepared = { payload: mapped(ad), warnings: [] };
      const before = fake.adCount();
      const issues = await withTradera(
        (tradera) => tradera.adapter.validateRemotely?.(ad, prepared) ?? Effect.die("none"),
      );
      expect(issues).toEqual([]);
      expect(wire()).toEqual([
        {
          method: "POST",
          path: `${adsPath}/validate`,
          body: { source_id: id, ...mapped(ad), visible: false },
        },
      ]);
      expect(fake.adCount()).toBe(before);
      expect(fake.ad(id)).toBeUndefined();
    });

    it("validateAd checks locally first (no request for a refused ad), then sends the create's body", async () => {
      const bad = decodeAd(carAd(uniqueId("validate-local"), { category: "motorcycle" }));
      const local = await withTradera((tradera) => tradera.validateAd(bad));
      expect(local.map((entry) => [entry.path, entry.code])).toEqual([["category", "not_allowed"]]);
      expect(wire()).toEqual([]);
      const id = uniqueId("validate-ad");
      const ad = decodeAd(carAd(id));
      expect(await withTradera((tradera) => tradera.validateAd(ad))).toEqual([]);
      expect(wire()).toEqual([
        { method: "POST", path: `${adsPath}/validate`, body: { source_id: id, ...mapped(ad) } },
      ]);
    });

    it("validateAd applies the ad's Tradera overrides, as the publisher prepares it", async () => {
      const id = uniqueId("validate-override");
      const ad = decodeAd(
        carAd(id, { marketplaces: { tradera: { overrides: { title: "Volvo XC90 på Tradera" } } } }),
      );
      expect(await withTradera((tradera) => tradera.validateAd(ad))).toEqual([]);
      expect(wire()).toEqual([
        expect.objectContaining({
          method: "POST",
          path: `${adsPath}/validate`,
          body: expect.objectContaining({ source_id: id, title: "Volvo XC90 på Tradera" }),
        }),
      ]);
    });

    it("answers Tradera's field errors as issues on canonical paths", async () => {
      const ad = decodeAd(carAd(uniqueId("validate-400")));
      const { category_fields: fields, ...content } = mapped(ad);
      const { brand: _removed, ...withoutBrand } = isRecordBody(fields) ? fields : {};
      const issues = await withTradera(
        (tradera) =>
          tradera.adapter.validateRemotely?.(ad, {
            payload: { ...content, category_fields: withoutBrand },
            warnings: [],
          }) ?? Effect.die("none"),
      );
      expect(issues).toEqual([
        expect.objectContaining({
          path: "vehicle.make",
          code: "required",
          marketplacePath: "category_fields.brand",
        }),
      ]);
    });
  });

  describe("Tradera's own validation errors, bypassing local validation", () => {
    /** Sends a payload with the Tradera client directly and answers its error. */
    const rejection = (payload: Record<string, unknown>): Promise<AdsyncError> =>
      withTradera((tradera) => Effect.flip(tradera.client.create("v3", payload)));

    const validPayload = (id: string): Record<string, unknown> => ({
      source_id: id,
      ...mapped(carAd(id)),
    });

    const categoryFields = (payload: Record<string, unknown>) =>
      Schema.decodeUnknownSync(Schema.Record({ key: Schema.String, value: Schema.Unknown }))(
        payload.category_fields,
      );

    it("a dotted category_fields.brand error lands on vehicle.make", async () => {
      const payload = validPayload(uniqueId("dotted-400"));
      const { brand: _removed, ...fields } = categoryFields(payload);
      const error = await rejection({ ...payload, category_fields: fields });
      expect(error).toMatchObject({ reason: "Rejected", status: 400, marketplace: "tradera" });
      expect(error.isRetryable).toBe(false);
      expect(error.issues).toEqual([
        {
          path: "vehicle.make",
          code: "required",
          message: "This field is required.",
          marketplace: "tradera",
          marketplacePath: "category_fields.brand",
        },
      ]);
    });

    it("several dotted errors each land on their canonical path", async () => {
      const payload = validPayload(uniqueId("dotted-many-400"));
      const fields = categoryFields(payload);
      const error = await rejection({
        ...payload,
        category_id: 1045,
        category_fields: {
          ...fields,
          color: "pink",
          powertrain: { transmission: "automatic" },
          condition: { mileage: { unit: "miles", value: 4500 } },
        },
      });
      expect(error.reason).toBe("Rejected");
      expect(
        error.issues.map((entry) => [entry.path, entry.code, entry.marketplacePath]).sort(),
      ).toEqual(
        [
          ["category", "invalid_value", "category_id"],
          ["vehicle.colour", "invalid_value", "category_fields.color"],
          ["vehicle.fuels", "required", "category_fields.powertrain.fuels"],
          ["vehicle.mileage.unit", "invalid_value", "category_fields.condition.mileage.unit"],
        ].sort(),
      );
    });

    it("a price item's error lands on the canonical price", async () => {
      const error = await rejection({
        ...validPayload(uniqueId("price-400")),
        price: [{ currency: "EUR", type: "list", amount: 350_000 }],
      });
      expect(error.reason).toBe("Rejected");
      expect(error.issues).toHaveLength(1);
      expect(error.issues[0]?.path).toMatch(/^price(\.|$)/);
    });
  });

  describe("updates that cannot be a PATCH", () => {
    it("a field that disappeared costs one PUT with the full content, source_id and dealer_code", async () => {
      const adsync = connect();
      const id = uniqueId("put");
      await publishLiveCar(adsync, id);
      const { title: _removed, ...untitled } = carAd(id);
      const outcome = onlyOutcome((await adsync.publish(untitled)).outcomes);
      expect(outcome).toMatchObject({ result: "accepted", operation: "update" });
      // "The source_id in the path must match the source_id in the body".
      expect(writes()).toEqual([
        { method: "PUT", path: adPath(id), body: { source_id: id, ...mapped(untitled) } },
      ]);
      expect(onlyStatus(await awaitSettled(adsync, id)).state).toMatchObject({
        presence: "live",
        operation: { kind: "update", status: "succeeded" },
      });
      expect(remoteAd(id).title).toBeNull();
    });

    it("a PUT of an ad created hidden keeps it hidden", async () => {
      // PUT "Replaces all fields of an existing ad": a body without `visible` makes it visible.
      const adsync = connect();
      const id = uniqueId("put-hidden");
      const hidden = { marketplaces: { tradera: { visible: false } } };
      await adsync.publish(carAd(id, hidden));
      expect(onlyStatus(await awaitSettled(adsync, id)).state.presence).toBe("hidden");
      clearRequests();
      const { title: _removed, ...untitled } = carAd(id, hidden);
      await adsync.publish(untitled);
      const status = onlyStatus(await awaitSettled(adsync, id));
      expect(writes().map(({ method }) => method)).toEqual(["PUT"]);
      expect(writes()[0]?.body).toMatchObject({ source_id: id, visible: false });
      expect(status.state.presence).toBe("hidden");
      expect(remoteAd(id).visible).toBe(false);
    });

    it("a change published while the create is still processing does not lose the listing", async () => {
      // "Cannot update an ad that has not been published yet": the ad exists and will go live.
      const adsync = connect();
      const id = uniqueId("early-change");
      await adsync.publish(carAd(id));
      const cheaper = carAd(id, { price: { list: { amount: 33_900_000, currency: "SEK" } } });
      const early = onlyOutcome((await adsync.publish(cheaper)).outcomes);
      expect(early.state.presence).not.toBe("absent");
      const status = onlyStatus(await awaitSettled(adsync, id));
      expect(fake.adCount()).toBeGreaterThan(0);
      expect(remoteAd(id).blocket_ad_id).toEqual(expect.any(String));
      expect(status.state.presence).toBe("live");
    });
  });

  describe("follow-up operations", () => {
    it("renew sends GET …/bump with premium and exclude_bytbil when the ad asks for them", async () => {
      const adsync = connect();
      const id = uniqueId("renew");
      await publishLiveCar(adsync, id, {
        marketplaces: { tradera: { premium: true, excludeBytbil: true } },
      });
      const outcome = onlyOutcome((await adsync.renew(id)).outcomes);
      expect(outcome).toMatchObject({ result: "accepted", operation: "renew" });
      const [bump] = fake.requests;
      expect(bump).toMatchObject({ method: "GET", path: adPath(id, "bump") });
      expect(bump?.query).toEqual({ premium: "true", exclude_bytbil: "true" });
      const status = onlyStatus(await awaitSettled(adsync, id));
      expect(status.state).toMatchObject({
        presence: "live",
        operation: { kind: "renew", status: "succeeded" },
      });
    });

    it("renew sends only the parameters the ad asks for: exclude_blocket alone, or none", async () => {
      const adsync = connect();
      const id = uniqueId("renew-plain");
      await publishLiveCar(adsync, id, { marketplaces: { tradera: { excludeBlocket: true } } });
      await adsync.renew(id);
      const [bump] = fake.requests;
      expect(bump).toMatchObject({ method: "GET", path: adPath(id, "bump") });
      expect(bump?.query).toEqual({ exclude_blocket: "true" });

      const plain = uniqueId("renew-none");
      await publishLiveCar(adsync, plain);
      await adsync.renew(plain);
      expect(fake.requests[0]).toMatchObject({ path: adPath(plain, "bump"), query: {} });
    });

    it("an ad that no longer asks for premium is renewed without premium", async () => {
      // Premium "may incur additional costs": once the dealer drops it, it must not be sent.
      const adsync = connect();
      const id = uniqueId("renew-premium-dropped");
      await publishLiveCar(adsync, id, { marketplaces: { tradera: { premium: true } } });
      const cheaper = carAd(id, {
        price: { list: { amount: 33_900_000, currency: "SEK" } },
        marketplaces: { tradera: {} },
      });
      expect(onlyOutcome((await adsync.publish(cheaper)).outcomes).operation).toBe("update");
      await awaitSettled(adsync, id);
      clearRequests();
      await adsync.renew(id);
      const [bump] = fake.requests;
      expect(bump).toMatchObject({ method: "GET", path: adPath(id, "bump") });
      expect(bump?.query).toEqual({});
    });

    it("hide sends PATCH {visible: false, source_id, dealer_code} and ends hidden; show ends live", async () => {
      const adsync = connect();
      const id = uniqueId("hide");
      await publishLiveCar(adsync, id);

      expect(onlyOutcome((await adsync.hide(id)).outcomes).result).toBe("accepted");
      expect(onlyStatus(await awaitSettled(adsync, id)).state).toMatchObject({
        presence: "hidden",
        operation: { kind: "hide", status: "succeeded" },
      });
      expect(remoteAd(id).visible).toBe(false);
      expect(onlyOutcome((await adsync.show(id)).outcomes).result).toBe("accepted");
      expect(onlyStatus(await awaitSettled(adsync, id)).state).toMatchObject({
        presence: "live",
        operation: { kind: "show", status: "succeeded" },
      });
      expect(writes()).toEqual([
        {
          method: "PATCH",
          path: adPath(id),
          body: { visible: false, source_id: id, dealer_code: "DEALER1" },
        },
        {
          method: "PATCH",
          path: adPath(id),
          body: { visible: true, source_id: id, dealer_code: "DEALER1" },
        },
      ]);
    });
  });

  describe("list and logs", () => {
    it("cap limit at the documented 50", async () => {
      const id = uniqueId("list");
      await withTradera((tradera) =>
        Effect.gen(function* () {
          yield* tradera.list({ limit: 500 });
          yield* tradera.list();
          yield* tradera.list({ limit: 10, state: "created" });
          // No such ad: the answer is a 404, but what was asked is the point.
          yield* Effect.either(tradera.logs(id, { limit: 200, action: "create" }));
        }),
      );
      const asked = fake.requests
        .filter((request) => !isReferenceRead(request))
        .map(({ method, path, query }) => ({ method, path, query }));
      expect(asked).toEqual([
        { method: "GET", path: adsPath, query: { limit: "50" } },
        { method: "GET", path: adsPath, query: { limit: "50" } },
        { method: "GET", path: adsPath, query: { limit: "10", state: "created" } },
        { method: "GET", path: adPath(id, "log"), query: { limit: "50", action: "create" } },
      ]);
    });
  });

  // Runs last: it looks at every request of the file.
  it("never calls the unsupported /retry endpoint, in any test", () => {
    const all = [...received, ...fakes.flatMap((each) => each.requests)];
    // The tests above did create, update, delete and bump ads: the check covers them.
    const methods = new Set(all.map((request) => request.method));
    for (const method of ["GET", "POST", "PATCH", "DELETE"]) expect(methods).toContain(method);
    expect(all.some((request) => request.path.endsWith("/bump"))).toBe(true);
    expect(all.filter((request) => /\/retry(\/|$)/.test(request.path))).toEqual([]);
  });
});
