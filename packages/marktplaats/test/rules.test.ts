import { type AdsyncClient, type Listing, VehicleAd, type VehicleAdInput } from "@adsync/core";
import { type MarktplaatsFake, startMarktplaatsFake } from "@adsync/sandbox";
import { Effect, Either, Schema } from "effect";
import { describe, expect, it } from "vitest";
import type { MarktplaatsService } from "../src/adapter.ts";
import type { JsonPatchOperation } from "../src/patch/json-patch.ts";
import { carAd, clientFor, configFor, sharedFakeFile, withService } from "./support.ts";

/**
 * The advertisement doc's update rules (#12), against the fake taught them: what PATCH may
 * change, what only PUT may, attributes that are not updateable, category moves, price
 * models, the images' download status, paid features and where errors point.
 */

const TO = { to: ["marktplaats"] };
let fake: MarktplaatsFake;
let client: AdsyncClient;

const onAds = (target: MarktplaatsFake = fake) =>
  target.requests
    .filter((request) => request.path.startsWith("/v1/advertisements"))
    .map((request) => `${request.method} ${request.path.replace(/m[0-9]+/, "{id}")}`);

const listingOf = (itemId: string, payload?: unknown): Listing => ({
  ref: { remoteId: itemId, ids: {}, meta: {} },
  payload,
});

/** A fresh ad, then a raw PATCH straight from the client: the issues of the fake's refusal. */
const refusedPatch = async (operations: ReadonlyArray<JsonPatchOperation>) => {
  const id = nextId();
  await publish(carAd(id));
  const itemId = await itemIdOf(id);
  const answer = await withService(configFor(fake), (service) =>
    Effect.either(service.client.patch(itemId, operations)),
  );
  return Either.isLeft(answer) ? answer.left.issues : "accepted";
};

/** Creates the ad through the adapter directly, for tests that read `observe` or `promote`. */
const created = (service: MarktplaatsService, input: VehicleAdInput) =>
  Effect.gen(function* () {
    const ad = Schema.decodeUnknownSync(VehicleAd)(input);
    yield* service.adapter.warmUp ?? Effect.void;
    const prepared = service.adapter.prepare(ad);
    if (Either.isLeft(prepared)) return yield* Effect.die("the ad must map");
    return yield* service.adapter.create(ad, prepared.right);
  });

const { nextId, writes, stored, itemIdOf, publish } = sharedFakeFile(
  "rules",
  { clock: "manual", imageDownloadFails: (url) => url.includes("/broken/") },
  (started, publisher) => {
    fake = started;
    client = publisher;
  },
);

describe("PATCH for title, description, priceModel and attributes; PUT for the rest", () => {
  it("sends a seller change as a PUT of the full advertisement that keeps the enrichment", async () => {
    const id = nextId();
    await publish(carAd(id));
    const itemId = await itemIdOf(id);
    fake.processing.flush();
    fake.clearRequests();
    await publish({ ...carAd(id), contact: { name: "Autobedrijf De Vries", phone: "0201234567" } });
    expect(onAds()).toEqual(["GET /v1/advertisements/{id}", "PUT /v1/advertisements/{id}"]);
    const put = writes()[0]?.body;
    expect(put).toMatchObject({
      seller: { phoneNumber: "0201234567" },
      title: "VW Golf 2019",
      energyLabel: "B",
    });
    expect(stored(itemId)).toMatchObject({ seller: { phoneNumber: "0201234567" } });
  });

  it("plans the same PUT (describe) it sends, without sending anything", async () => {
    const id = nextId();
    const first = Schema.decodeUnknownSync(VehicleAd)(carAd(id));
    const changed = Schema.decodeUnknownSync(VehicleAd)({
      ...carAd(id),
      contact: { name: "Autobedrijf De Vries", phone: "0201234567" },
    });
    const planned = await withService(configFor(fake), (service) =>
      Effect.gen(function* () {
        yield* service.adapter.warmUp ?? Effect.void;
        const before = service.adapter.prepare(first);
        const after = service.adapter.prepare(changed);
        if (Either.isLeft(before) || Either.isLeft(after)) return yield* Effect.die("must map");
        fake.clearRequests();
        const describe = service.adapter.describe?.update;
        if (describe === undefined) return yield* Effect.die("describe is offered");
        return describe(listingOf("m1", before.right.payload), changed, after.right);
      }),
    );
    expect(planned.map((request) => `${request.method} ${request.path}`)).toEqual([
      "GET /v1/advertisements/m1",
      "PUT /v1/advertisements/m1",
    ]);
    expect(fake.requests).toEqual([]);
  });

  it("sends a postcode change as a PUT by default: location is not a PATCH field", async () => {
    const id = nextId();
    await publish(carAd(id));
    fake.clearRequests();
    await publish({ ...carAd(id), location: { postalCode: "8388 MA" } });
    expect(writes().map((request) => request.method)).toEqual(["PUT"]);
    expect(stored(await itemIdOf(id)).location).toEqual({ postcode: "8388MA", cityName: "Boijl" });
  });

  it("with patchLocation, changes a postcode the doc's way: remove cityName, then replace postcode", async () => {
    const patching = clientFor(configFor(fake, { patchLocation: true }));
    try {
      const id = nextId();
      await publish(carAd(id), patching);
      fake.clearRequests();
      await publish({ ...carAd(id), location: { postalCode: "8388 MA" } }, patching);
      expect(writes().map((request) => [request.method, request.body])).toEqual([
        [
          "PATCH",
          [
            { op: "remove", path: "/location/cityName" },
            { op: "replace", path: "/location/postcode", value: "8388MA" },
          ],
        ],
      ]);
    } finally {
      await patching.close();
    }
  });

  it("the fake refuses a PATCH of a field outside the PATCH list", async () => {
    expect(
      await refusedPatch([{ op: "replace", path: "/seller/phoneNumber", value: "0201234567" }]),
    ).toEqual([
      expect.objectContaining({ code: "not_allowed", marketplacePath: "seller.phoneNumber" }),
    ]);
  });
});

describe("refused parts never poison later updates", () => {
  it("keeps a non-updateable attribute as placed, warns, and later updates still work", async () => {
    const id = nextId();
    await publish(carAd(id));
    const itemId = await itemIdOf(id);
    fake.clearRequests();
    const newer = { ...carAd(id, 1), vehicle: { ...carAd(id, 1).vehicle, modelYear: 2020 } };
    const result = await client.publish(newer, TO);
    expect(result.outcomes[0]?.result).toBe("accepted");
    expect(result.outcomes[0]?.warnings).toContainEqual(
      expect.objectContaining({
        path: "vehicle.modelYear",
        code: "not_allowed",
        marketplacePath: "constructionYear",
      }),
    );
    // The derived title carries the new year (a PATCH field); the construction year stays.
    expect(writes().map((request) => [request.method, request.body])).toEqual([
      [
        "PATCH",
        [
          { op: "replace", path: "/title", value: "VW Golf 2020" },
          { op: "replace", path: "/priceModel/askingPrice", value: 1_889_500 },
        ],
      ],
    ]);
    expect(stored(itemId).constructionYear).toBe(2019);
    fake.clearRequests();
    const later = { ...newer, price: { list: { amount: 1_700_000, currency: "EUR" } } };
    const again = await client.publish(later, TO);
    expect(again.outcomes[0]?.result).toBe("accepted");
    expect(writes().map((request) => request.body)).toEqual([
      [{ op: "replace", path: "/priceModel/askingPrice", value: 1_700_000 }],
    ]);
  });

  it("refuses a category move locally without the privilege; the next update goes through", async () => {
    const id = nextId();
    await publish(carAd(id));
    fake.clearRequests();
    const volvo = { ...carAd(id), vehicle: { ...carAd(id).vehicle, make: "Volvo", model: "V60" } };
    const result = await client.publish(volvo, TO);
    expect(result.outcomes[0]).toMatchObject({ result: "failed", reason: "Rejected" });
    expect(result.outcomes[0]?.issues).toEqual([
      expect.objectContaining({
        path: "vehicle.make",
        code: "not_allowed",
        message: expect.stringMatching(/privilege/),
      }),
    ]);
    expect(fake.requests).toEqual([]);
    fake.clearRequests();
    await publish(carAd(id, 3));
    expect(writes().map((request) => request.method)).toEqual(["PATCH"]);
  });

  it("moves a category once with the privilege (PUT), refuses the second move locally", async () => {
    const privileged = await startMarktplaatsFake({
      clock: "manual",
      categoryChangePrivilege: true,
    });
    const moving = clientFor(configFor(privileged, { categoryChange: { privilege: true } }));
    try {
      const id = nextId();
      const override = (categoryId: number): VehicleAdInput => ({
        ...carAd(id),
        vehicle: { ...carAd(id).vehicle, model: "Golf" },
        marketplaces: { marktplaats: { categoryId, attributes: {} } },
      });
      await publish(carAd(id), moving);
      const itemId = await itemIdOf(id, moving);
      privileged.clearRequests();
      // Mercedes-Benz (161) lists no "Golf": the dealer sets the model for the new category.
      const mercedes = {
        ...override(161),
        vehicle: { ...carAd(id).vehicle, make: "Mercedes-Benz", model: "C-Klasse" },
      };
      await publish(mercedes, moving);
      expect(onAds(privileged)).toEqual([
        "GET /v1/advertisements/{id}",
        "PUT /v1/advertisements/{id}",
      ]);
      expect(stored(itemId, privileged).categoryId).toBe(161);
      privileged.clearRequests();
      const bmw = { ...mercedes, vehicle: { ...mercedes.vehicle, make: "BMW", model: "X5" } };
      const second = await moving.publish(
        { ...bmw, marketplaces: { marktplaats: { categoryId: 159 } } },
        TO,
      );
      expect(second.outcomes[0]?.issues).toEqual([
        expect.objectContaining({
          path: "marketplaces.marktplaats.categoryId",
          message: expect.stringMatching(/once/),
        }),
      ]);
      expect(writes(privileged)).toEqual([]);
    } finally {
      await moving.close();
      await privileged.close();
    }
  });

  it("refuses a move after the period (windowDays) before sending anything", async () => {
    const privileged = await startMarktplaatsFake({ categoryChangePrivilege: true });
    const late = clientFor(
      configFor(privileged, { categoryChange: { privilege: true, windowDays: 0 } }),
    );
    try {
      const id = nextId();
      await publish(carAd(id), late);
      await new Promise((resolve) => setTimeout(resolve, 5));
      privileged.clearRequests();
      const volvo = {
        ...carAd(id),
        vehicle: { ...carAd(id).vehicle, make: "Volvo", model: "V60" },
      };
      const result = await late.publish(volvo, TO);
      expect(result.outcomes[0]?.issues).toEqual([
        expect.objectContaining({ message: expect.stringMatching(/more than 0 days ago/) }),
      ]);
      expect(writes(privileged)).toEqual([]);
    } finally {
      await late.close();
      await privileged.close();
    }
  });
});

describe("price models", () => {
  it("sends call-for-price as on-request without an askingPrice, warning about the price", async () => {
    const id = nextId();
    const result = await client.publish(
      { ...carAd(id), price: { list: { amount: 1_500_000, currency: "EUR" }, callForPrice: true } },
      TO,
    );
    expect(result.outcomes[0]?.result).toBe("accepted");
    expect(result.outcomes[0]?.warnings).toContainEqual(
      expect.objectContaining({ path: "price.list", code: "unsupported" }),
    );
    const post = fake.requests.find((request) => request.method === "POST");
    expect(post?.body).toMatchObject({ priceModel: { modelType: "on-request" } });
    expect(post?.body).not.toHaveProperty("priceModel.askingPrice");
  });

  it("sends a minimum-bid model with the list price as its askingPrice", async () => {
    const id = nextId();
    await publish({ ...carAd(id), marketplaces: { marktplaats: { priceModelType: "min-bid" } } });
    const post = fake.requests.find((request) => request.method === "POST");
    expect(post?.body).toMatchObject({
      priceModel: { modelType: "min-bid", askingPrice: 1_899_500 },
    });
  });

  it("the fake refuses an askingPrice for a model that takes none (input-not-allowed)", async () => {
    expect(
      await refusedPatch([{ op: "replace", path: "/priceModel/modelType", value: "on-request" }]),
    ).toEqual([
      expect.objectContaining({ code: "not_allowed", marketplacePath: "priceModel.askingPrice" }),
    ]);
  });
});

describe("images and paid features", () => {
  it("reports an image that failed to download as a warning when observed", async () => {
    const id = nextId();
    const urls = ["https://images.example.nl/ok/1.jpg", "https://images.example.nl/broken/2.jpg"];
    const progress = await withService(configFor(fake), (service) =>
      Effect.gen(function* () {
        const submitted = yield* created(service, { ...carAd(id), images: urls });
        const listing = { ref: submitted.ref, payload: submitted.payload };
        const before = yield* service.adapter.observe(listing);
        fake.processing.flush();
        return [before, yield* service.adapter.observe(listing)] as const;
      }),
    );
    expect(progress[0].notes).toContainEqual("images downloading: 2 of 2");
    expect(progress[1]).toMatchObject({
      status: "succeeded_with_warnings",
      warnings: [
        expect.objectContaining({
          path: "images.1",
          code: "remote_error",
          message: expect.stringContaining("broken/2.jpg"),
        }),
      ],
    });
  });

  it("warns that a URL shows only with its feature, and buys it through promote", async () => {
    const id = nextId();
    const result = await withService(configFor(fake), (service) =>
      Effect.gen(function* () {
        const submitted = yield* created(service, {
          ...carAd(id),
          url: "https://dealer.example.nl/golf",
        });
        const listing = { ref: submitted.ref, payload: submitted.payload };
        fake.clearRequests();
        const before = yield* service.adapter.observe(listing);
        const promote = service.adapter.promote;
        if (promote === undefined) return yield* Effect.die("promote is offered");
        yield* promote(listing, { product: "url" });
        yield* promote(listing, { product: "bump" });
        const after = yield* service.adapter.observe(listing);
        return { submitted, before, after, promotions: service.adapter.promotions };
      }),
    );
    const urlWarning = expect.objectContaining({ path: "url", code: "unsupported" });
    expect(result.submitted.progress.warnings).toContainEqual(urlWarning);
    expect(result.before.warnings).toContainEqual(urlWarning);
    expect(result.after.warnings ?? []).toEqual([]);
    expect(result.promotions).toEqual(expect.arrayContaining(["bump", "top-ad"]));
    expect(onAds()).toEqual([
      "GET /v1/advertisements/{id}",
      "GET /v1/advertisements/{id}/features",
      "POST /v1/advertisements/{id}/buy-feature",
      "POST /v1/advertisements/{id}/buy-feature",
      "GET /v1/advertisements/{id}",
      "GET /v1/advertisements/{id}/features",
    ]);
    expect(writes().map((request) => request.body)).toEqual([
      { feature: "url" },
      { feature: "bump" },
    ]);
  });

  it("warns when an update adds a URL whose feature is not active", async () => {
    const id = nextId();
    await publish(carAd(id));
    fake.clearRequests();
    const result = await client.publish({ ...carAd(id), url: "https://dealer.example.nl/1" }, TO);
    expect(result.outcomes[0]?.warnings).toEqual([
      expect.objectContaining({ path: "url", code: "unsupported" }),
    ]);
    expect(onAds()).toEqual([
      "GET /v1/advertisements/{id}",
      "PUT /v1/advertisements/{id}",
      "GET /v1/advertisements/{id}/features",
    ]);
  });

  it("observes an ad without URL, sticker or video with one GET", async () => {
    const id = nextId();
    await publish(carAd(id));
    const itemId = await itemIdOf(id);
    fake.clearRequests();
    await withService(configFor(fake), (service) => service.adapter.observe(listingOf(itemId)));
    expect(onAds()).toEqual(["GET /v1/advertisements/{id}"]);
  });
});

describe("errors point at the dealer's own overrides", () => {
  it("a refused override category points at marketplaces.marktplaats.categoryId", async () => {
    const result = await client.publish(
      { ...carAd(nextId()), marketplaces: { marktplaats: { categoryId: 4242 } } },
      TO,
    );
    expect(result.outcomes[0]?.issues).toContainEqual(
      expect.objectContaining({
        path: "marketplaces.marktplaats.categoryId",
        marketplacePath: "categoryId",
      }),
    );
  });

  it("a refused seller override points at marketplaces.marktplaats.seller.*", async () => {
    const strict = await startMarktplaatsFake({ apiPartner: false });
    const partner = clientFor(configFor(strict, { apiPartner: true }));
    try {
      const name = "Autobedrijf De Vries en Zonen Amsterdam";
      const withOverride = await partner.publish(
        { ...carAd(nextId()), marketplaces: { marktplaats: { seller: { sellerName: name } } } },
        TO,
      );
      expect(withOverride.outcomes[0]?.issues).toEqual([
        expect.objectContaining({ path: "marketplaces.marktplaats.seller.sellerName" }),
      ]);
      const fromContact = await partner.publish({ ...carAd(nextId()), contact: { name } }, TO);
      expect(fromContact.outcomes[0]?.issues).toEqual([
        expect.objectContaining({ path: "contact.name" }),
      ]);
    } finally {
      await partner.close();
      await strict.close();
    }
  });
});

describe("the fake applies the doc's category rules itself", () => {
  it("refuses another L1, allows one move within 7 days, refuses a second and a late one", async () => {
    const privileged = await startMarktplaatsFake({
      clock: "manual",
      categoryChangePrivilege: true,
    });
    try {
      const codes = await withService(configFor(privileged), (service) =>
        Effect.gen(function* () {
          const place = () =>
            Effect.flatMap(created(service, carAd(nextId())), (submitted) =>
              Effect.succeed(submitted.ref.remoteId),
            );
          const move = (itemId: string, categoryId: number, model: string) =>
            Effect.flatMap(service.client.get(itemId), (current) =>
              Effect.either(
                service.client.replace(itemId, {
                  ...Object.fromEntries(
                    Object.entries(current ?? {}).filter(
                      ([key]) => !["itemId", "_links", "_embedded"].includes(key),
                    ),
                  ),
                  categoryId,
                  model,
                }),
              ),
            );
          const codeOf = (answer: Either.Either<unknown, { issues: ReadonlyArray<unknown> }>) =>
            Either.isRight(answer)
              ? "accepted"
              : JSON.stringify(answer.left.issues.map((entry) => Object(entry).message)[0]);
          const early = yield* place();
          const otherL1 = yield* move(early, 35, "Golf");
          const first = yield* move(early, 158, "V60");
          const second = yield* move(early, 159, "X5");
          const late = yield* place();
          privileged.processing.advance(8 * 86_400_000);
          const afterWindow = yield* move(late, 158, "V60");
          return [otherL1, first, second, afterWindow].map(codeOf);
        }),
      );
      expect(codes).toEqual([
        expect.stringContaining("another L1"),
        "accepted",
        expect.stringContaining("already changed once"),
        expect.stringContaining("more than 7 days"),
      ]);
    } finally {
      await privileged.close();
    }
  });
});
