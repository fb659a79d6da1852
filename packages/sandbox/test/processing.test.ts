import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  asAd,
  call,
  carAd,
  newRequestId,
  type RunningBlocketFake,
  requestSettled,
  simpleAd,
  startFastBlocketFake,
  waitForAd,
} from "./support.ts";

const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

describe("Blocket fake: asynchronous processing", () => {
  let fake: RunningBlocketFake;
  beforeEach(async () => {
    fake = await startFastBlocketFake();
  });
  afterEach(() => fake.close());

  it("answers a create at once with processing actions, then creates, handles media and publishes", async () => {
    const answer = await call(fake, "POST", "/v4/ad", { body: carAd("car-1") });
    expect(answer.status).toBe(201);
    const accepted = asAd(answer.body);
    expect(accepted).toMatchObject({
      state: "created",
      blocket_ad_id: null,
      bytbil_ad_id: null,
      visible: true,
    });
    expect(accepted.created).toMatch(TIMESTAMP);
    expect(
      accepted.log.map((entry) => [entry.action, entry.state, entry.external_message]),
    ).toEqual([
      ["create", "processing", null],
      ["handle_media", "processing", null],
      ["publish", "processing", null],
    ]);
    const requestId = newRequestId(accepted);
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);

    const done = await waitForAd(fake, "car-1", requestSettled(requestId));
    expect(done.log.map((entry) => entry.state)).toEqual(["done", "done", "done"]);
    expect(done.blocket_ad_id).toMatch(/^\d+$/);
    expect(done.blocket_store_id).toMatch(/^\d+$/);
    expect(done.bytbil_ad_id).toMatch(/^\d+$/);
    expect(fake.ad("car-1")).toEqual(done);
  });

  it("publishes a simple ad without media handling and without a Bytbil id", async () => {
    const answer = asAd((await call(fake, "POST", "/v3/ad", { body: simpleAd("tyres-1") })).body);
    expect(answer.log.map((entry) => entry.action)).toEqual(["create", "publish"]);
    const done = await waitForAd(fake, "tyres-1", requestSettled(newRequestId(answer)));
    expect(done.blocket_ad_id).toMatch(/^\d+$/);
    expect(done.bytbil_ad_id).toBeNull();
  });

  it("logs a handle_media error for an image that fails, and still publishes by default", async () => {
    const brokenUrl = "https://cdn.example.com/broken.jpg";
    const answer = asAd(
      (await call(fake, "POST", "/v4/ad", { body: carAd("car-1", { image_urls: [brokenUrl] }) }))
        .body,
    );
    const done = await waitForAd(fake, "car-1", requestSettled(newRequestId(answer)));
    expect(done.log.map((entry) => [entry.action, entry.state, entry.external_message])).toEqual([
      ["create", "done", null],
      ["handle_media", "error", `Failed to download image from URL: ${brokenUrl}`],
      ["publish", "done", null],
    ]);
    expect(done.blocket_ad_id).not.toBeNull();
  });

  it("does not publish on failed images when dont_publish_on_failed_images is set", async () => {
    const fakeWithOwnRule = await startFastBlocketFake({
      imageFails: (url) => url.endsWith("/2.jpg"),
    });
    try {
      const body = carAd("car-1", { dont_publish_on_failed_images: true });
      const answer = asAd((await call(fakeWithOwnRule, "POST", "/v4/ad", { body })).body);
      const done = await waitForAd(fakeWithOwnRule, "car-1", requestSettled(newRequestId(answer)));
      expect(done.log.map((entry) => [entry.action, entry.state, entry.external_message])).toEqual([
        ["create", "done", null],
        [
          "handle_media",
          "error",
          "Failed to download image from URL: https://cdn.example.com/xc60/2.jpg",
        ],
        ["publish", "error", "Not published: images failed"],
      ]);
      expect(done.blocket_ad_id).toBeNull();
    } finally {
      await fakeWithOwnRule.close();
    }
  });

  it("keeps an ad with visible: false unpublished", async () => {
    const answer = asAd(
      (await call(fake, "POST", "/v4/ad", { body: carAd("car-1", { visible: false }) })).body,
    );
    const done = await waitForAd(fake, "car-1", requestSettled(newRequestId(answer)));
    expect(done.log.every((entry) => entry.state === "done")).toBe(true);
    expect(done).toMatchObject({ visible: false, blocket_ad_id: null, state: "created" });
    const bump = await call(fake, "GET", "/v4/ad/car-1/bump");
    expect(bump.status).toBe(400);
  });

  it("deletes then unpublishes, and only then reports the ad deleted", async () => {
    const created = asAd((await call(fake, "POST", "/v4/ad", { body: carAd("car-1") })).body);
    await waitForAd(fake, "car-1", requestSettled(newRequestId(created)));
    const answer = await call(fake, "DELETE", "/v4/ad/car-1");
    expect(answer.status).toBe(200);
    const deleting = asAd(answer.body);
    expect(deleting.state).toBe("created");
    expect(deleting.log.slice(3).map((entry) => [entry.action, entry.state])).toEqual([
      ["delete", "processing"],
      ["unpublish", "processing"],
    ]);
    const deleted = await waitForAd(fake, "car-1", requestSettled(newRequestId(deleting, 3)));
    expect(deleted.state).toBe("deleted");
    const again = await call(fake, "DELETE", "/v4/ad/car-1");
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ detail: "This ad is already deleted." });
  });

  it("processes an update with its own request id, handling media only when images change", async () => {
    const created = asAd((await call(fake, "POST", "/v4/ad", { body: carAd("car-1") })).body);
    const createId = newRequestId(created);
    const published = await waitForAd(fake, "car-1", requestSettled(createId));

    const samePictures = await call(fake, "PUT", "/v4/ad/car-1", {
      body: carAd("car-1", { body: "New text" }),
    });
    expect(samePictures.status).toBe(200);
    const updated = asAd(samePictures.body);
    expect(updated.body).toBe("New text");
    expect(updated.log.slice(3).map((entry) => entry.action)).toEqual(["update", "publish"]);
    const updateId = newRequestId(updated, 3);
    expect(updateId).not.toBe(createId);

    const newPictures = carAd("car-1", { image_urls: ["https://cdn.example.com/xc60/3.jpg"] });
    const patched = asAd((await call(fake, "PUT", "/v4/ad/car-1", { body: newPictures })).body);
    expect(patched.log.slice(5).map((entry) => entry.action)).toEqual([
      "update",
      "handle_media",
      "publish",
    ]);
    const done = await waitForAd(fake, "car-1", requestSettled(newRequestId(patched, 5)));
    expect(done.log.every((entry) => entry.state === "done")).toBe(true);
    expect(done.blocket_ad_id).toBe(published.blocket_ad_id);
  });

  it("merges a PATCH into the stored ad at every depth, so a PATCH cannot remove a nested value", async () => {
    await call(fake, "POST", "/v4/ad", { body: carAd("car-1") });
    const answer = await call(fake, "PATCH", "/v4/ad/car-1", {
      body: {
        price: [{ type: "reduced", amount: 32000000 }],
        category_fields: { model_year: 2022 },
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      body: "Well kept Volvo XC60, one owner",
      price: [{ type: "reduced", amount: 32000000 }],
      category_fields: { brand: "volvo", model: "xc60", model_year: 2022 },
    });
    const invalid = await call(fake, "PATCH", "/v4/ad/car-1", {
      body: { category_fields: { brand: "" } },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toEqual({ category_fields: { brand: ["This field may not be blank."] } });
    expect(fake.ad("car-1")).toMatchObject({ category_fields: { brand: "volvo" } });
    // A power left out of the powertrain is kept: only a PUT removes it.
    await call(fake, "PATCH", "/v4/ad/car-1", {
      body: {
        category_fields: {
          powertrain: {
            transmission: "automatic",
            fuels: ["diesel"],
            power: { unit: "hp", value: 190 },
          },
        },
      },
    });
    await call(fake, "PATCH", "/v4/ad/car-1", {
      body: { category_fields: { powertrain: { transmission: "manual" } } },
    });
    expect(fake.ad("car-1")).toMatchObject({
      category_fields: {
        powertrain: { transmission: "manual", power: { unit: "hp", value: 190 } },
      },
    });
  });

  it("refuses a PUT whose source_id differs from the path, and 404s unknown ads", async () => {
    await call(fake, "POST", "/v4/ad", { body: carAd("car-1") });
    const mismatch = await call(fake, "PUT", "/v4/ad/car-1", { body: carAd("car-2") });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body).toEqual({ source_id: ["Does not match the source_id in the URL."] });
    for (const method of ["GET", "PUT", "PATCH", "DELETE"]) {
      const missing = await call(
        fake,
        method,
        "/v4/ad/nothing",
        method === "PUT" || method === "PATCH" ? { body: {} } : {},
      );
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ detail: "Not found." });
    }
  });

  it("revives a deleted simple ad with PUT but not a deleted car; a new POST recreates it", async () => {
    for (const [path, body] of [
      ["/v3/ad", simpleAd("tyres-1")],
      ["/v4/ad", carAd("car-1")],
    ] as const) {
      const created = asAd((await call(fake, "POST", path, { body })).body);
      await waitForAd(fake, created.source_id, requestSettled(newRequestId(created)));
      const deleting = asAd((await call(fake, "DELETE", `${path}/${created.source_id}`)).body);
      await waitForAd(
        fake,
        created.source_id,
        requestSettled(newRequestId(deleting, created.log.length)),
      );
    }
    const revived = await call(fake, "PUT", "/v3/ad/tyres-1", { body: simpleAd("tyres-1") });
    expect(revived.status).toBe(200);
    expect(revived.body).toMatchObject({ state: "created" });
    const car = await call(fake, "PUT", "/v4/ad/car-1", { body: carAd("car-1") });
    expect(car.status).toBe(400);
    expect(car.body).toEqual({
      detail:
        "A deleted ad in a registered vehicle category cannot be revived; create a new ad with POST.",
    });
    const recreated = await call(fake, "POST", "/v4/ad", { body: carAd("car-1") });
    expect(recreated.status).toBe(201);
    expect(asAd(recreated.body).log.map((entry) => entry.action)).toEqual([
      "create",
      "handle_media",
      "publish",
    ]);
    expect(fake.adCount()).toBe(3);
  });
});
