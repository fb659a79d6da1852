import { afterEach, beforeEach, describe, expect, it, onTestFinished } from "vitest";
import { startTraderaFake, type TraderaFake } from "../src/index.ts";
import { newRequestId, requestSettled } from "./support.ts";
import {
  AD_PATH,
  asTraderaAd,
  createProcessed,
  startFastTraderaFake,
  TRADERA_TIMESTAMP,
  traderaCall,
  traderaCarAd,
  UUID,
  waitForTraderaAd,
} from "./tradera-support.ts";

const actionsAndStates = (log: ReadonlyArray<{ action: string; state: string }>) =>
  log.map((entry) => [entry.action, entry.state]);

describe("Tradera fake: create, update and delete", () => {
  let fake: TraderaFake;
  beforeEach(async () => {
    fake = await startFastTraderaFake();
  });
  afterEach(() => fake.close());

  it("answers a create with 201 and processing actions, then creates, handles media and publishes", async () => {
    const answer = await traderaCall(fake, "POST", AD_PATH, { body: traderaCarAd("car-1") });
    expect(answer.status).toBe(201);
    const accepted = asTraderaAd(answer.body);
    expect(accepted).toMatchObject({
      source_id: "car-1",
      dealer_code: "DEALER1",
      state: "created",
      blocket_ad_id: null,
      offer_id: null,
      category_id: 1020,
      visible: true,
      image_refs: [],
      category_fields: {
        brand: "volvo",
        model: "xc90",
        equipments: ["navigation", "leather_seats"],
      },
    });
    expect(accepted.id).toMatch(UUID);
    expect(accepted.created).toMatch(TRADERA_TIMESTAMP);
    expect(accepted.log[0]?.created).toMatch(TRADERA_TIMESTAMP);
    expect(actionsAndStates(accepted.log)).toEqual([
      ["create", "processing"],
      ["handle_media", "processing"],
      ["publish", "processing"],
    ]);
    const requestId = newRequestId(accepted);
    expect(requestId).toMatch(UUID);

    const done = await waitForTraderaAd(fake, "car-1", requestSettled(requestId));
    expect(done.log.map((entry) => [entry.state, entry.external_message])).toEqual([
      ["done", null],
      ["done", null],
      ["done", null],
    ]);
    expect(done.blocket_ad_id).toMatch(/^\d+$/);
    expect(done.id).toBe(accepted.id);
    expect(done.image_refs).toHaveLength(2);
    expect(fake.ad("car-1")).toEqual(done);
    expect(fake.adCount()).toBe(1);
  });

  it("processes each action 150 ms apart unless told otherwise", async () => {
    const slow = await startTraderaFake({ clock: "manual" });
    onTestFinished(() => slow.close());
    await traderaCall(slow, "POST", AD_PATH, { body: traderaCarAd("car-1") });
    const states = async () => {
      const answer = await traderaCall(slow, "GET", `${AD_PATH}/car-1`);
      return asTraderaAd(answer.body).log.map((entry) => entry.state);
    };
    expect(await states()).toEqual(["processing", "processing", "processing"]);
    slow.processing.advance(149);
    expect(await states()).toEqual(["processing", "processing", "processing"]);
    slow.processing.advance(1);
    expect(await states()).toEqual(["done", "processing", "processing"]);
    slow.processing.advance(149);
    expect(await states()).toEqual(["done", "processing", "processing"]);
    slow.processing.advance(1);
    expect(await states()).toEqual(["done", "done", "processing"]);
    slow.processing.advance(150);
    expect(await states()).toEqual(["done", "done", "done"]);
    expect(slow.processing.pending()).toBe(0);
  });

  it("logs a handle_media error for an image that fails to download, and still publishes", async () => {
    const broken = "https://example.com/images/broken.jpg";
    const ad = traderaCarAd("car-1", { image_urls: ["https://example.com/1.jpg", broken] });
    const done = await createProcessed(fake, ad);
    expect(done.log.map((entry) => [entry.action, entry.state, entry.external_message])).toEqual([
      ["create", "done", null],
      ["handle_media", "error", `Failed to download image from URL: ${broken}`],
      ["publish", "done", null],
    ]);
    expect(done.blocket_ad_id).not.toBeNull();
    expect(done.image_refs).toHaveLength(1);
  });

  it("refuses to update or bump an ad that is not published yet", async () => {
    // On the manual clock the ad stays unpublished until the test lets it be processed.
    const unpublished = await startTraderaFake({ clock: "manual" });
    onTestFinished(() => unpublished.close());
    await traderaCall(unpublished, "POST", AD_PATH, { body: traderaCarAd("car-1") });
    const put = await traderaCall(unpublished, "PUT", `${AD_PATH}/car-1`, {
      body: traderaCarAd("car-1"),
    });
    expect(put).toMatchObject({
      status: 400,
      body: "Cannot update ad that has not been published yet.",
    });
    const patch = await traderaCall(unpublished, "PATCH", `${AD_PATH}/car-1`, {
      body: { source_id: "car-1", dealer_code: "DEALER1", visible: false },
    });
    expect(patch).toMatchObject({
      status: 400,
      body: "Cannot update ad that has not been published yet.",
    });
    const bump = await traderaCall(unpublished, "GET", `${AD_PATH}/car-1/bump`);
    expect(bump).toMatchObject({
      status: 400,
      body: "Cannot bump ad that has not been published yet.",
    });
  });

  it("retries a failed creation on PUT, but not on PATCH", async () => {
    const failing = traderaCarAd("car-1", {
      image_urls: ["https://example.com/broken.jpg"],
      dont_publish_on_failed_images: true,
    });
    const failed = await createProcessed(fake, failing);
    expect(failed.log.at(-1)).toMatchObject({ action: "publish", state: "error" });
    expect(failed.blocket_ad_id).toBeNull();

    const patch = await traderaCall(fake, "PATCH", `${AD_PATH}/car-1`, {
      body: {
        source_id: "car-1",
        dealer_code: "DEALER1",
        image_urls: ["https://example.com/ok.jpg"],
      },
    });
    expect(patch.body).toBe("Cannot update ad that has not been published yet.");
    const withoutImages = traderaCarAd("car-1", { image_urls: [] });
    const noImages = await traderaCall(fake, "PUT", `${AD_PATH}/car-1`, { body: withoutImages });
    expect(noImages).toMatchObject({ status: 400, body: "ImageUrls are required" });

    const retry = await traderaCall(fake, "PUT", `${AD_PATH}/car-1`, {
      body: traderaCarAd("car-1"),
    });
    expect(retry.status).toBe(200);
    const retrying = asTraderaAd(retry.body);
    expect(actionsAndStates(retrying.log.slice(3))).toEqual([
      ["create", "processing"],
      ["handle_media", "processing"],
      ["publish", "processing"],
    ]);
    const retryId = newRequestId(retrying, 3);
    expect(retryId).not.toBe(newRequestId(failed));
    const published = await waitForTraderaAd(fake, "car-1", requestSettled(retryId));
    expect(published.blocket_ad_id).toMatch(/^\d+$/);
    expect(fake.adCount()).toBe(1);
  });

  it("replaces every field on PUT, handling media again only when the images change", async () => {
    const created = await createProcessed(fake, traderaCarAd("car-1"));
    const { title: _title, ...untitled } = traderaCarAd("car-1", { body: "Price reduced!" });
    const answer = await traderaCall(fake, "PUT", `${AD_PATH}/car-1`, { body: untitled });
    expect(answer.status).toBe(200);
    const updated = asTraderaAd(answer.body);
    expect(updated).toMatchObject({ body: "Price reduced!", title: null, id: created.id });
    expect(actionsAndStates(updated.log.slice(3))).toEqual([
      ["update", "processing"],
      ["publish", "processing"],
    ]);
    const settled = await waitForTraderaAd(fake, "car-1", requestSettled(newRequestId(updated, 3)));
    expect(settled.blocket_ad_id).toBe(created.blocket_ad_id);

    const newImages = traderaCarAd("car-1", { image_urls: ["https://example.com/new.jpg"] });
    const reimaged = asTraderaAd(
      (await traderaCall(fake, "PUT", `${AD_PATH}/car-1`, { body: newImages })).body,
    );
    expect(reimaged.log.slice(5).map((entry) => entry.action)).toEqual([
      "update",
      "handle_media",
      "publish",
    ]);
  });

  it("merges a PATCH into the stored ad, category_fields at every depth", async () => {
    await createProcessed(fake, traderaCarAd("car-1"));
    const identity = { source_id: "car-1", dealer_code: "DEALER1" };
    const answer = await traderaCall(fake, "PATCH", `${AD_PATH}/car-1`, {
      body: {
        ...identity,
        price: [{ currency: "SEK", type: "list", amount: 315000 }],
        category_fields: { condition: { mileage: { value: 47000 } } },
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      body: "Well maintained Volvo XC90 with full service history.",
      price: [{ currency: "SEK", type: "list", amount: 315000 }],
      category_fields: {
        brand: "volvo",
        condition: { mileage: { unit: "km", value: 47000 } },
        powertrain: { transmission: "automatic", fuels: ["diesel"] },
      },
    });
    expect(asTraderaAd(answer.body).log.at(-2)).toMatchObject({
      action: "update",
      state: "processing",
    });

    const invalid = await traderaCall(fake, "PATCH", `${AD_PATH}/car-1`, {
      body: { ...identity, category_fields: { model: "golf" } },
    });
    expect(invalid).toMatchObject({
      status: 400,
      body: { "category_fields.model": ["'golf' is not a valid choice."] },
    });
    expect(fake.ad("car-1")).toMatchObject({ category_fields: { model: "xc90" } });
  });

  it("requires source_id and dealer_code in an update, and lets neither change", async () => {
    await createProcessed(fake, traderaCarAd("car-1"));
    const bare = await traderaCall(fake, "PATCH", `${AD_PATH}/car-1`, {
      body: { visible: false },
    });
    expect(bare).toMatchObject({
      status: 400,
      body: { source_id: ["This field is required."], dealer_code: ["This field is required."] },
    });
    const otherSource = await traderaCall(fake, "PUT", `${AD_PATH}/car-1`, {
      body: traderaCarAd("car-2"),
    });
    expect(otherSource).toMatchObject({
      status: 400,
      body: "SourceId in path must match SourceId in body.",
    });
    const otherDealer = await traderaCall(fake, "PATCH", `${AD_PATH}/car-1`, {
      body: { source_id: "car-1", dealer_code: "DEALER2", visible: false },
    });
    expect(otherDealer).toMatchObject({ status: 400, body: "Dealer code cannot be changed." });
    expect(fake.ad("car-1")).toMatchObject({ visible: true, dealer_code: "DEALER1" });
  });

  it("keeps a deleted ad's state created, logs delete processing then done, and closes the ad", async () => {
    await createProcessed(fake, traderaCarAd("car-1"));
    const answer = await traderaCall(fake, "DELETE", `${AD_PATH}/car-1`);
    expect(answer.status).toBe(200);
    const deleting = asTraderaAd(answer.body);
    expect(deleting.state).toBe("created");
    expect(actionsAndStates(deleting.log.slice(3))).toEqual([["delete", "processing"]]);
    const deleted = await waitForTraderaAd(
      fake,
      "car-1",
      requestSettled(newRequestId(deleting, 3)),
    );
    expect(deleted.state).toBe("created");
    expect(actionsAndStates(deleted.log.slice(3))).toEqual([["delete", "done"]]);

    const refusals = [
      ["PUT", "", traderaCarAd("car-1"), "Cannot update ad that has been deleted."],
      [
        "PATCH",
        "",
        { source_id: "car-1", dealer_code: "DEALER1" },
        "Cannot update ad that has been deleted.",
      ],
      ["DELETE", "", undefined, "Cannot delete ad that has already been deleted."],
      ["GET", "/bump", undefined, "Cannot bump ad that has been deleted."],
    ] as const;
    for (const [method, suffix, body, expected] of refusals) {
      const refused = await traderaCall(fake, method, `${AD_PATH}/car-1${suffix}`, { body });
      expect(refused).toMatchObject({ status: 400, body: expected });
    }
    const recreate = await traderaCall(fake, "POST", AD_PATH, { body: traderaCarAd("car-1") });
    expect(recreate).toMatchObject({
      status: 400,
      body: "A PublicAd with SourceId 'car-1' already exists.",
    });
    expect((await traderaCall(fake, "GET", `${AD_PATH}/car-1`)).status).toBe(200);
    expect(fake.adCount()).toBe(1);
  });

  it("answers 404 on every ad endpoint for an unknown source_id", async () => {
    const body = traderaCarAd("nothing");
    for (const [method, suffix] of [
      ["GET", ""],
      ["PUT", ""],
      ["PATCH", ""],
      ["DELETE", ""],
      ["GET", "/log"],
      ["GET", "/bump"],
      ["GET", "/retry"],
    ] as const) {
      const options = method === "PUT" || method === "PATCH" ? { body } : {};
      const answer = await traderaCall(fake, method, `${AD_PATH}/nothing${suffix}`, options);
      expect(answer.status, `${method} ${suffix}`).toBe(404);
    }
  });
});
