import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TraderaFake } from "../src/index.ts";
import { asPage, newRequestId, requestSettled } from "./support.ts";
import {
  AD_PATH,
  asTraderaAd,
  createProcessed,
  startFastTraderaFake,
  traderaCall,
  traderaCarAd,
  waitForTraderaAd,
  withCategoryFields,
} from "./tradera-support.ts";

describe("Tradera fake: listing ads and reading logs", () => {
  let fake: TraderaFake;
  beforeEach(async () => {
    fake = await startFastTraderaFake();
  });
  afterEach(() => fake.close());

  const sourceIds = async (query: string): Promise<ReadonlyArray<unknown>> => {
    const answer = await traderaCall(fake, "GET", `${AD_PATH}?${query}`);
    expect(answer.status, query).toBe(200);
    return asPage(answer.body).results.map((ad) => ad.source_id);
  };

  it("pages the list 50 at most by default and at most, with offset, next and previous", async () => {
    for (let index = 1; index <= 52; index += 1) {
      const body = traderaCarAd(`car-${String(index).padStart(2, "0")}`);
      expect((await traderaCall(fake, "POST", AD_PATH, { body })).status).toBe(201);
    }
    const first = asPage((await traderaCall(fake, "GET", AD_PATH)).body);
    expect(first).toMatchObject({ count: 52, previous: null });
    expect(first.results).toHaveLength(50);
    expect(first.next).toBe(`${fake.url}${AD_PATH}?limit=50&offset=50`);
    expect(first.results[0]).toMatchObject({ source_id: "car-52", log: expect.any(Array) });
    const capped = asPage((await traderaCall(fake, "GET", `${AD_PATH}?limit=100`)).body);
    expect(capped.results).toHaveLength(50);

    const page = asPage(
      (await traderaCall(fake, "GET", `${AD_PATH}?ordering=created&limit=2&offset=2`)).body,
    );
    expect(page.results.map((ad) => ad.source_id)).toEqual(["car-03", "car-04"]);
    expect(page.previous).toBe(`${fake.url}${AD_PATH}?ordering=created&limit=2`);
    expect(page.next).toBe(`${fake.url}${AD_PATH}?ordering=created&limit=2&offset=4`);
    expect(await sourceIds("ordering=-source_id&limit=2")).toEqual(["car-52", "car-51"]);
    expect(await sourceIds("ordering=source_id&limit=2")).toEqual(["car-01", "car-02"]);
  });

  it("filters the list by every documented filter", async () => {
    const car = await createProcessed(
      fake,
      withCategoryFields("volvo-1", { registration_number: "ABC001" }),
    );
    await createProcessed(fake, withCategoryFields("Volvo-2", { registration_number: "ABC002" }));
    await createProcessed(fake, { ...traderaCarAd("audi-1"), dealer_code: "DEALER2" });

    expect(await sourceIds("dealer_code=DEALER2")).toEqual(["audi-1"]);
    expect(await sourceIds("registration_number=abc 002")).toEqual(["Volvo-2"]);
    expect(await sourceIds("source_id=volvo-1")).toEqual(["volvo-1"]);
    expect(await sourceIds("source_id__icontains=VOLVO&ordering=created")).toEqual([
      "volvo-1",
      "Volvo-2",
    ]);
    expect(await sourceIds("source_id__in=audi-1,volvo-1,nothing&ordering=created")).toEqual([
      "volvo-1",
      "audi-1",
    ]);
    expect(await sourceIds(`blocket_ad_id=${car.blocket_ad_id ?? "none"}`)).toEqual(["volvo-1"]);
    expect(await sourceIds("state=created")).toHaveLength(3);
    expect(await sourceIds("state=deleted")).toEqual([]);

    const settled = asTraderaAd(fake.ad("volvo-1"));
    for (const field of ["created", "updated"] as const) {
      const stamp = settled[field];
      const matches = async (lookup: string) =>
        (await sourceIds(`${lookup}=${stamp}`)).includes("volvo-1");
      expect(await matches(field), field).toBe(true);
      expect(await matches(`${field}__gte`)).toBe(true);
      expect(await matches(`${field}__lte`)).toBe(true);
      expect(await matches(`${field}__gt`)).toBe(false);
      expect(await matches(`${field}__lt`)).toBe(false);
    }
    expect(await sourceIds("created__lt=2000-01-01T00:00:00")).toEqual([]);

    const deleting = asTraderaAd((await traderaCall(fake, "DELETE", `${AD_PATH}/audi-1`)).body);
    await waitForTraderaAd(fake, "audi-1", requestSettled(newRequestId(deleting, 3)));
    expect(await sourceIds("state=deleted")).toEqual(["audi-1"]);
    const deleted = asPage((await traderaCall(fake, "GET", `${AD_PATH}?state=deleted`)).body);
    expect(deleted.results[0]).toMatchObject({ state: "created" });

    const badDate = await traderaCall(fake, "GET", `${AD_PATH}?updated__gte=yesterday`);
    expect(badDate).toMatchObject({
      status: 400,
      body: { updated__gte: ["Enter a valid date/time."] },
    });
    const badState = await traderaCall(fake, "GET", `${AD_PATH}?state=gone`);
    expect(badState.body).toEqual({
      state: ["Select a valid choice. gone is not one of the available choices."],
    });
  });

  it("filters an ad's log by action, state, request_id and created, and orders it", async () => {
    const broken = { image_urls: ["https://example.com/broken.jpg"] };
    const created = await createProcessed(fake, traderaCarAd("car-1", broken));
    const createId = newRequestId(created);
    const patch = await traderaCall(fake, "PATCH", `${AD_PATH}/car-1`, {
      body: { source_id: "car-1", dealer_code: "DEALER1", visible: false },
    });
    const updateId = newRequestId(asTraderaAd(patch.body), 3);
    await waitForTraderaAd(fake, "car-1", requestSettled(updateId));
    const log = async (query: string) => {
      const answer = await traderaCall(fake, "GET", `${AD_PATH}/car-1/log?${query}`);
      expect(answer.status, query).toBe(200);
      return asPage(answer.body).results;
    };
    const actions = async (query: string) => (await log(query)).map((entry) => entry.action);

    expect(await actions("")).toEqual(["create", "handle_media", "publish", "update", "publish"]);
    expect(await actions("state=error")).toEqual(["handle_media"]);
    expect(await actions("state=done")).toEqual(["create", "publish", "update", "publish"]);
    expect(await actions("state=processing")).toEqual([]);
    const publishes = await log("action=publish&ordering=-created");
    expect(publishes.map((entry) => entry.request_id)).toEqual([updateId, createId]);
    expect(await actions(`request_id=${createId}`)).toEqual(["create", "handle_media", "publish"]);
    expect(await actions("ordering=-created")).toEqual([
      "publish",
      "update",
      "publish",
      "handle_media",
      "create",
    ]);

    const first = created.log[0]?.created ?? "";
    expect(await actions(`created=${first}&action=create`)).toEqual(["create"]);
    expect(await actions(`created__gte=${first}&action=create`)).toEqual(["create"]);
    expect(await actions(`created__lte=${first}&action=create`)).toEqual(["create"]);
    expect(await actions(`created__gt=${first}&action=create`)).toEqual([]);
    expect(await actions(`created__lt=${first}`)).toEqual([]);

    const badAction = await traderaCall(fake, "GET", `${AD_PATH}/car-1/log?action=explode`);
    expect(badAction).toMatchObject({
      status: 400,
      body: { action: ["Select a valid choice. explode is not one of the available choices."] },
    });
  });

  it("pages a log 50 entries at most", async () => {
    await createProcessed(fake, traderaCarAd("car-1"));
    for (let bump = 0; bump < 48; bump += 1) {
      expect((await traderaCall(fake, "GET", `${AD_PATH}/car-1/bump`)).status).toBe(200);
    }
    const first = asPage((await traderaCall(fake, "GET", `${AD_PATH}/car-1/log?limit=60`)).body);
    expect(first.count).toBe(51);
    expect(first.results).toHaveLength(50);
    expect(first.next).toBe(`${fake.url}${AD_PATH}/car-1/log?limit=50&offset=50`);
    const page = asPage(
      (await traderaCall(fake, "GET", `${AD_PATH}/car-1/log?limit=2&offset=2`)).body,
    );
    expect(page.results.map((entry) => entry.action)).toEqual(["publish", "bump"]);
    expect(page.previous).toBe(`${fake.url}${AD_PATH}/car-1/log?limit=2`);
  });
});
