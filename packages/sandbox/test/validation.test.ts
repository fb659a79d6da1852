import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  call,
  carAd,
  categoryFieldsOf,
  mopedV4Ad,
  type RunningBlocketFake,
  simpleAd,
  startFastBlocketFake,
} from "./support.ts";

describe("Blocket fake: validation", () => {
  let fake: RunningBlocketFake;
  beforeEach(async () => {
    fake = await startFastBlocketFake();
  });
  afterEach(() => fake.close());

  async function rejects(path: string, body: unknown, expected: unknown): Promise<void> {
    const answer = await call(fake, "POST", path, { body });
    expect(answer.body).toEqual(expected);
    expect(answer.status).toBe(400);
  }

  it("requires the registered-vehicle category_fields, nested as DRF nests them", async () => {
    const car = carAd("car-1");
    await rejects(
      "/v4/ad",
      { ...car, category_fields: undefined },
      { category_fields: ["This field is required."] },
    );
    const { brand: _brand, ...noBrand } = categoryFieldsOf(car);
    await rejects(
      "/v4/ad",
      { ...car, category_fields: noBrand },
      {
        category_fields: { brand: ["This field is required."] },
      },
    );
    await rejects(
      "/v4/ad",
      {
        ...car,
        category_fields: { ...categoryFieldsOf(car), condition: {}, powertrain: { fuels: [] } },
      },
      {
        category_fields: {
          condition: { mileage: ["This field is required."] },
          powertrain: {
            transmission: ["This field is required."],
            fuels: ["This list may not be empty."],
          },
        },
      },
    );
    await rejects(
      "/v4/ad",
      { ...car, category_fields: { ...categoryFieldsOf(car), model_year: "2021" } },
      {
        category_fields: { model_year: ["A valid integer is required."] },
      },
    );
    expect(fake.adCount()).toBe(0);
  });

  it("needs no title or contact for a car, and no mileage for a trailer", async () => {
    expect((await call(fake, "POST", "/v4/ad", { body: carAd("car-1") })).status).toBe(201);
    const trailer = {
      source_id: "trailer-1",
      dealer_code: "DEALER1",
      category_id: 1045,
      body: "Brenderup 1205S",
      price: [{ type: "list", amount: 900000 }],
      category_fields: {
        brand: "brenderup",
        model: "1205s",
        model_year: 2019,
        body_type: "trailer",
      },
    };
    expect((await call(fake, "POST", "/v4/ad", { body: trailer })).status).toBe(201);
  });

  it("requires title and contact outside registered-vehicle categories", async () => {
    const ad = simpleAd("tyres-1");
    await rejects("/v3/ad", { ...ad, title: undefined }, { title: ["This field is required."] });
    await rejects(
      "/v3/ad",
      { ...ad, contact: undefined },
      { contact: ["This field is required."] },
    );
    await rejects(
      "/v3/ad",
      { ...ad, contact: { name: "Henry", phone: "+46 70 000", email: "henry@example.com" } },
      {
        contact: { phone: ["Enter digits only."] },
      },
    );
  });

  it("checks source_id, body and price", async () => {
    const ad = simpleAd("tyres-1");
    await rejects(
      "/v3/ad",
      { ...ad, source_id: undefined, body: "" },
      {
        source_id: ["This field is required."],
        body: ["This field may not be blank."],
      },
    );
    await rejects("/v3/ad", { ...ad, price: [] }, { price: ["This list may not be empty."] });
    await rejects(
      "/v3/ad",
      {
        ...ad,
        price: [
          { type: "list", amount: 10 },
          { type: "cheap", amount: -1 },
        ],
      },
      {
        price: [
          {},
          {
            type: ['"cheap" is not a valid choice.'],
            amount: ["Ensure this value is greater than or equal to 0."],
          },
        ],
      },
    );
    expect(
      (await call(fake, "POST", "/v3/ad", { body: { ...ad, price: [{ type: "call" }] } })).status,
    ).toBe(201);
  });

  it("takes category_id as a digit string on V4 only, and refuses unknown categories", async () => {
    await rejects(
      "/v3/ad",
      { ...simpleAd("tyres-1"), category_id: "1042" },
      {
        category_id: ["A valid integer is required."],
      },
    );
    await rejects(
      "/v4/ad",
      { ...simpleAd("tyres-1"), category_id: "9999" },
      {
        category_id: ['"9999" is not a valid choice.'],
      },
    );
    const created = await call(fake, "POST", "/v4/ad", {
      body: { ...simpleAd("tyres-1"), category_id: "1042" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ category_id: 1042 });
  });

  it("applies V4's image rules (HTTPS only, at most 20) and V3's (at most 38)", async () => {
    const images = (count: number, scheme = "https") =>
      Array.from({ length: count }, (_, index) => `${scheme}://cdn.example.com/${index}.jpg`);
    const tooMany = await call(fake, "POST", "/v4/ad", {
      body: carAd("car-1", { image_urls: images(21) }),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toEqual({
      image_urls: ["Ensure this field has no more than 20 elements."],
    });
    const plainHttp = await call(fake, "POST", "/v4/ad", {
      body: carAd("car-1", { image_urls: images(1, "http") }),
    });
    expect(plainHttp.status).toBe(400);
    expect(plainHttp.body).toEqual({
      image_urls: ["Item 0: Only HTTPS URLs are accepted in v4 (http://cdn.example.com/0.jpg)."],
    });
    const v3Car = { ...carAd("car-1"), category_id: 1020 };
    expect(
      (await call(fake, "POST", "/v3/ad", { body: { ...v3Car, image_urls: images(39, "http") } }))
        .status,
    ).toBe(400);
    expect(
      (await call(fake, "POST", "/v3/ad", { body: { ...v3Car, image_urls: images(38, "http") } }))
        .status,
    ).toBe(201);
    expect(
      (await call(fake, "POST", "/v4/ad", { body: carAd("car-2", { image_urls: images(20) }) }))
        .status,
    ).toBe(201);
  });

  it("checks video_url and location", async () => {
    const ad = simpleAd("tyres-1");
    await rejects(
      "/v3/ad",
      { ...ad, video_url: "https://example.com/video" },
      {
        video_url: ["Only YouTube and Vimeo URLs are supported."],
      },
    );
    await rejects(
      "/v3/ad",
      { ...ad, location: { zipcode: "12133", lkf: "0680" } },
      {
        location: { non_field_errors: ["Use only one of zipcode, lkf or latitude and longitude."] },
      },
    );
    await rejects(
      "/v3/ad",
      { ...ad, location: { lkf: "06801" } },
      {
        location: { lkf: ["Enter a four or six digit LKF code."] },
      },
    );
    const valid = { ...ad, video_url: "https://vimeo.com/123", location: { lkf: "038004" } };
    expect((await call(fake, "POST", "/v3/ad", { body: valid })).status).toBe(201);
  });

  it("offers mopeds, campers, caravans and trailers as simple ads only on V3", async () => {
    const v3Moped = { ...mopedV4Ad("moped-1"), category_id: 1121 };
    await rejects("/v3/ad", v3Moped, {
      title: ["This field is required."],
      contact: ["This field is required."],
      category_fields: ["Not available for this category in v3; use /v4/ad."],
    });
    const simple = {
      ...v3Moped,
      category_fields: undefined,
      title: "Yamaha Aerox",
      contact: { name: "Henry", phone: "0700000000", email: "henry@example.com" },
    };
    expect((await call(fake, "POST", "/v3/ad", { body: simple })).status).toBe(201);
    expect((await call(fake, "POST", "/v4/ad", { body: mopedV4Ad("moped-2") })).status).toBe(201);
  });

  it("answers 409 to a second create with the same source_id", async () => {
    expect((await call(fake, "POST", "/v4/ad", { body: carAd("car-1") })).status).toBe(201);
    for (const version of ["v4", "v3"]) {
      const again = await call(fake, "POST", `/${version}/ad`, {
        body: carAd("car-1", { category_id: 1020 }),
      });
      expect(again.status).toBe(409);
      expect(again.body).toEqual({ source_id: ["Ad with this source_id already exists."] });
    }
    expect(fake.adCount()).toBe(1);
  });

  it("validates without storing on /v3/ad/validate", async () => {
    const valid = await call(fake, "POST", "/v3/ad/validate", { body: simpleAd("tyres-1") });
    expect(valid.status).toBe(200);
    expect(valid.body).toMatchObject({
      source_id: "tyres-1",
      dealer_code: "DEALER1",
      title: "Winter tyres 17 inch",
    });
    const invalid = await call(fake, "POST", "/v3/ad/validate", {
      body: { ...simpleAd("tyres-1"), title: undefined },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toEqual({ title: ["This field is required."] });
    expect(fake.adCount()).toBe(0);
    expect((await call(fake, "GET", "/v3/ad/tyres-1")).status).toBe(404);
  });

  it("answers a body that is not a JSON object as DRF does", async () => {
    const empty = await call(fake, "POST", "/v4/ad");
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ source_id: ["This field is required."] });
    const response = await fetch(`${fake.url}/v4/ad`, {
      method: "POST",
      headers: { "X-Auth-Token": "sandbox-blocket-token", "Content-Type": "application/json" },
      body: "{not json",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      detail: expect.stringMatching(/^JSON parse error - /),
    });
    const plainText = await fetch(`${fake.url}/v4/ad`, {
      method: "POST",
      headers: { "X-Auth-Token": "sandbox-blocket-token", "Content-Type": "text/plain" },
      body: "{}",
    });
    expect(plainText.status).toBe(415);
    const list = await call(fake, "POST", "/v4/ad", { body: [carAd("car-1")] });
    expect(list.body).toEqual({
      non_field_errors: ["Invalid data. Expected a dictionary, but got list."],
    });
  });
});
