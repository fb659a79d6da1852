import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  asAd,
  call,
  carAd,
  mopedV3Ad,
  mopedV4Ad,
  newRequestId,
  type RunningBlocketFake,
  requestSettled,
  startFastBlocketFake,
  waitForAd,
} from "./support.ts";

const BLOCKED = {
  detail:
    "This ad was created with v3 in a category that requires v4. Migrate it with POST /v4/ad/{source_id}/migrate.",
};

describe("Blocket fake: V3 ads under V4", () => {
  let fake: RunningBlocketFake;
  beforeEach(async () => {
    fake = await startFastBlocketFake();
  });
  afterEach(() => fake.close());

  it("seeds a legacy V3 moped ad that is already live", async () => {
    fake.seedV3Ad(mopedV3Ad("moped-1"));
    const answer = await call(fake, "GET", "/v4/ad/moped-1");
    expect(answer.status).toBe(200);
    const ad = asAd(answer.body);
    expect(ad).toMatchObject({ dealer_code: "DEALER1", state: "created", bytbil_ad_id: null });
    expect(ad.blocket_ad_id).toMatch(/^\d+$/);
    expect(ad.log.map((entry) => [entry.action, entry.state])).toEqual([
      ["create", "done"],
      ["handle_media", "done"],
      ["publish", "done"],
    ]);
    expect(() => fake.seedV3Ad({ ...mopedV3Ad("moped-2"), title: undefined })).toThrow(/title/);
  });

  it("blocks PUT and PATCH through V4 on a V3 moped ad, but not through V3", async () => {
    fake.seedV3Ad(mopedV3Ad("moped-1"));
    const patch = await call(fake, "PATCH", "/v4/ad/moped-1", {
      body: { price: [{ type: "list", amount: 1 }] },
    });
    expect(patch.status).toBe(400);
    expect(patch.body).toEqual(BLOCKED);
    const put = await call(fake, "PUT", "/v4/ad/moped-1", { body: mopedV4Ad("moped-1") });
    expect(put.status).toBe(400);
    expect(put.body).toEqual(BLOCKED);
    const v3Patch = await call(fake, "PATCH", "/v3/ad/moped-1", {
      body: { price: [{ type: "list", amount: 1 }] },
    });
    expect(v3Patch.status).toBe(200);
    expect(v3Patch.body).toMatchObject({
      price: [{ type: "list", amount: 1 }],
      title: "Yamaha Aerox 2020",
    });
    expect((await call(fake, "DELETE", "/v4/ad/moped-1")).status).toBe(200);
  });

  it("migrates a V3 moped ad in place with a complete V4 payload, keeping its id and history", async () => {
    fake.seedV3Ad(mopedV3Ad("moped-1"));
    const seeded = asAd(fake.ad("moped-1"));

    const incomplete = await call(fake, "POST", "/v4/ad/moped-1/migrate", {
      body: { ...mopedV4Ad("moped-1"), category_fields: undefined },
    });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body).toEqual({ category_fields: ["This field is required."] });
    const otherId = await call(fake, "POST", "/v4/ad/moped-1/migrate", {
      body: mopedV4Ad("moped-2"),
    });
    expect(otherId.body).toEqual({ source_id: ["Does not match the source_id in the URL."] });

    const answer = await call(fake, "POST", "/v4/ad/moped-1/migrate", {
      body: mopedV4Ad("moped-1"),
    });
    expect(answer.status).toBe(200);
    const migrating = asAd(answer.body);
    expect(
      migrating.log.slice(seeded.log.length).map((entry) => [entry.action, entry.state]),
    ).toEqual([
      ["update", "processing"],
      ["handle_media", "processing"],
      ["publish", "processing"],
    ]);
    const migrated = await waitForAd(
      fake,
      "moped-1",
      requestSettled(newRequestId(migrating, seeded.log.length)),
    );
    expect(migrated.blocket_ad_id).toBe(seeded.blocket_ad_id);
    expect(migrated.bytbil_ad_id).toMatch(/^\d+$/);
    expect(migrated.log.slice(0, seeded.log.length)).toEqual(seeded.log);
    expect(migrated).toMatchObject({ category_fields: { brand: "yamaha" } });
    expect(fake.adCount()).toBe(1);

    const patch = await call(fake, "PATCH", "/v4/ad/moped-1", {
      body: { category_fields: { model_year: 2021 } },
    });
    expect(patch.status).toBe(200);
    const again = await call(fake, "POST", "/v4/ad/moped-1/migrate", {
      body: mopedV4Ad("moped-1"),
    });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ detail: "This ad already uses v4; there is nothing to migrate." });
  });

  it("refuses to migrate an ad in another category, and converts a V3 car on a V4 PUT", async () => {
    const v3Car = { ...carAd("car-1"), category_id: 1020 };
    expect((await call(fake, "POST", "/v3/ad", { body: v3Car })).status).toBe(201);
    const migrate = await call(fake, "POST", "/v4/ad/car-1/migrate", { body: carAd("car-1") });
    expect(migrate.status).toBe(400);
    expect(migrate.body).toMatchObject({ detail: expect.stringContaining("can be migrated") });
    const put = await call(fake, "PUT", "/v4/ad/car-1", { body: carAd("car-1") });
    expect(put.status).toBe(200);
    expect(
      (await call(fake, "POST", "/v3/ad/car-1/migrate", { body: carAd("car-1") })).status,
    ).toBe(404);
  });
});
