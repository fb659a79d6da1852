import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TraderaFake } from "../src/index.ts";
import {
  AD_PATH,
  asTraderaAd,
  startFastTraderaFake,
  TRADERA_TIMESTAMP,
  traderaCall,
  traderaCarAd,
  withCategoryFields,
} from "./tradera-support.ts";

const REQUIRED = ["This field is required."];

describe("Tradera fake: validation", () => {
  let fake: TraderaFake;
  beforeEach(async () => {
    fake = await startFastTraderaFake();
  });
  afterEach(() => fake.close());

  async function rejects(body: unknown, expected: unknown, path = AD_PATH): Promise<void> {
    const answer = await traderaCall(fake, "POST", path, { body });
    expect(answer.body).toEqual(expected);
    expect(answer.status).toBe(400);
  }

  it("requires the documented top-level fields, keyed by name", async () => {
    await rejects(
      {},
      {
        source_id: REQUIRED,
        dealer_code: REQUIRED,
        category_id: REQUIRED,
        body: REQUIRED,
        price: REQUIRED,
        category_fields: REQUIRED,
      },
    );
    await rejects(
      { ...traderaCarAd("car-1"), body: "", price: [] },
      {
        body: ["This field may not be blank."],
        price: ["This list may not be empty."],
      },
    );
    expect(fake.adCount()).toBe(0);
  });

  it("requires every car field inside category_fields, keyed by its dotted path", async () => {
    await rejects(
      { ...traderaCarAd("car-1"), category_fields: {} },
      {
        "category_fields.model_year": REQUIRED,
        "category_fields.body_type": REQUIRED,
        "category_fields.brand": REQUIRED,
        "category_fields.model": REQUIRED,
        "category_fields.color": REQUIRED,
        "category_fields.powertrain.transmission": REQUIRED,
        "category_fields.powertrain.fuels": REQUIRED,
        "category_fields.condition.mileage.unit": REQUIRED,
        "category_fields.condition.mileage.value": REQUIRED,
        "category_fields.equipments": REQUIRED,
      },
    );
    await rejects(withCategoryFields("car-1", { powertrain: { transmission: "automatic" } }), {
      "category_fields.powertrain.fuels": REQUIRED,
    });
    await rejects(withCategoryFields("car-1", { model_year: "2019" }), {
      "category_fields.model_year": ["A valid integer is required."],
    });
  });

  it("takes category_id as a number, 1020 or 1021 only", async () => {
    await rejects(traderaCarAd("car-1", { category_id: "1020" }), {
      category_id: ["A valid integer is required."],
    });
    await rejects(traderaCarAd("car-1", { category_id: 1140 }), {
      category_id: ["'1140' is not a valid choice."],
    });
    const van = withCategoryFields("van-1", { body_type: "van", brand: "ford", model: "transit" });
    const created = await traderaCall(fake, "POST", AD_PATH, {
      body: { ...van, category_id: 1021 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ category_id: 1021 });
  });

  it("takes category_fields values from the reference data", async () => {
    const invalid = (value: string) => [`'${value}' is not a valid choice.`];
    await rejects(withCategoryFields("car-1", { brand: "saab", model: "9-3" }), {
      "category_fields.brand": invalid("saab"),
    });
    await rejects(withCategoryFields("car-1", { model: "golf" }), {
      "category_fields.model": invalid("golf"),
    });
    await rejects(
      withCategoryFields("car-1", {
        body_type: "limousine",
        color: "pink",
        powertrain: { transmission: "cvt", fuels: ["diesel", "coal"] },
        condition: { mileage: { unit: "miles", value: -1 } },
        equipments: ["navigation", "jetpack"],
      }),
      {
        "category_fields.body_type": invalid("limousine"),
        "category_fields.color": invalid("pink"),
        "category_fields.powertrain.transmission": invalid("cvt"),
        "category_fields.powertrain.fuels": invalid("coal"),
        "category_fields.condition.mileage.unit": invalid("miles"),
        "category_fields.condition.mileage.value": [
          "Ensure this value is greater than or equal to 0.",
        ],
        "category_fields.equipments": invalid("jetpack"),
      },
    );
    await rejects(
      withCategoryFields("car-1", { powertrain: { transmission: "manual", fuels: [] } }),
      {
        "category_fields.powertrain.fuels": ["This list may not be empty."],
      },
    );
    const noEquipment = withCategoryFields("car-1", { equipments: [], color: "silver" });
    expect((await traderaCall(fake, "POST", AD_PATH, { body: noEquipment })).status).toBe(201);
  });

  it("limits warranty, service_history, home_delivery and return_policy to 500 characters", async () => {
    const tooLong = "x".repeat(501);
    await rejects(
      withCategoryFields("car-1", {
        warranty: tooLong,
        service_history: tooLong,
        home_delivery: tooLong,
        return_policy: tooLong,
      }),
      {
        "category_fields.warranty": ["Ensure this field has no more than 500 characters."],
        "category_fields.service_history": ["Ensure this field has no more than 500 characters."],
        "category_fields.home_delivery": ["Ensure this field has no more than 500 characters."],
        "category_fields.return_policy": ["Ensure this field has no more than 500 characters."],
      },
    );
    const longest = withCategoryFields("car-1", { return_policy: "x".repeat(500) });
    expect((await traderaCall(fake, "POST", AD_PATH, { body: longest })).status).toBe(201);
  });

  it("takes prices in SEK of type list, with an amount", async () => {
    await rejects(
      traderaCarAd("car-1", {
        price: [
          { currency: "SEK", type: "list", amount: 1 },
          { currency: "EUR", type: "reduced" },
        ],
      }),
      {
        "price[1].currency": ["'EUR' is not a valid choice."],
        "price[1].type": ["'reduced' is not a valid choice."],
        "price[1].amount": REQUIRED,
      },
    );
  });

  it("requires image URLs on create, with a plain string error", async () => {
    const { image_urls: _omitted, ...withoutImages } = traderaCarAd("car-1");
    await rejects(withoutImages, "ImageUrls are required");
    await rejects(traderaCarAd("car-1", { image_urls: [] }), "ImageUrls are required");
    await rejects(traderaCarAd("car-1", { image_urls: ["not a url"] }), {
      image_urls: ["Item 0: Enter a valid URL."],
    });
    expect(fake.adCount()).toBe(0);
  });

  it("answers a second create with the same source_id with 400 and a plain string", async () => {
    expect((await traderaCall(fake, "POST", AD_PATH, { body: traderaCarAd("car-1") })).status).toBe(
      201,
    );
    await rejects(traderaCarAd("car-1"), "A PublicAd with SourceId 'car-1' already exists.");
    expect(fake.adCount()).toBe(1);
  });

  it("validates without storing: the ad with a zero id, or dotted errors", async () => {
    // The guide's validate example: no image_urls, no title.
    const { image_urls: _images, title: _title, ...example } = traderaCarAd("test-validation");
    const answer = await traderaCall(fake, "POST", `${AD_PATH}/validate`, { body: example });
    expect(answer.status).toBe(200);
    const validated = asTraderaAd(answer.body);
    expect(validated).toMatchObject({
      id: "00000000-0000-0000-0000-000000000000",
      source_id: "test-validation",
      dealer_code: "DEALER1",
      state: "created",
      blocket_ad_id: null,
      image_refs: [],
      log: [],
      category_id: 1020,
      category_fields: { brand: "volvo" },
    });
    expect(validated.created).toMatch(TRADERA_TIMESTAMP);
    await rejects(
      { ...withCategoryFields("test-validation", { brand: undefined }), price: undefined },
      { price: REQUIRED, "category_fields.brand": REQUIRED },
      `${AD_PATH}/validate`,
    );
    expect(fake.adCount()).toBe(0);
    expect((await traderaCall(fake, "GET", `${AD_PATH}/test-validation`)).status).toBe(404);
  });

  it("answers a body that is not a JSON object with a plain string", async () => {
    await rejects([traderaCarAd("car-1")], "The request body must be a JSON object.");
    const response = await fetch(`${fake.url}${AD_PATH}`, {
      method: "POST",
      headers: { "X-Auth-Token": "sandbox-tradera-token", "Content-Type": "application/json" },
      body: "{not json",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatch(/^The request body is not valid JSON: /);
  });
});
