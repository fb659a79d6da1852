import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  TRADERA_SANDBOX_DEALER_CODES,
  TRADERA_SANDBOX_TOKEN,
  type TraderaFake,
} from "../src/index.ts";
import { asPage } from "./support.ts";
import { AD_PATH, startFastTraderaFake, traderaCall, traderaCarAd } from "./tradera-support.ts";

describe("Tradera fake: authentication and dealer codes", () => {
  let fake: TraderaFake;
  beforeEach(async () => {
    fake = await startFastTraderaFake({
      tokens: [
        { token: TRADERA_SANDBOX_TOKEN, dealerCodes: TRADERA_SANDBOX_DEALER_CODES },
        { token: "dealer2-token", dealerCodes: ["DEALER2"] },
        { token: "no-dealers-token", dealerCodes: [] },
      ],
    });
  });
  afterEach(() => fake.close());

  it("answers 403, not 401, without a token or with an unknown one, on every endpoint", async () => {
    for (const path of [AD_PATH, `${AD_PATH}/car-1`, `${AD_PATH}/car-1/log`, "/vehicle/brands"]) {
      const missing = await traderaCall(fake, "GET", path, { token: null });
      expect(missing).toMatchObject({
        status: 403,
        body: "Authentication failed: the X-Auth-Token header is missing.",
      });
      const unknown = await traderaCall(fake, "GET", path, { token: "nope" });
      expect(unknown).toMatchObject({
        status: 403,
        body: "Authentication failed: the token is not valid.",
      });
    }
    const create = await traderaCall(fake, "POST", AD_PATH, {
      token: null,
      body: traderaCarAd("car-1"),
    });
    expect(create.status).toBe(403);
    expect(fake.adCount()).toBe(0);
  });

  it("refuses a dealer_code the token may not use, naming the allowed ones", async () => {
    const expected = {
      status: 403,
      body: {
        dealer_code: [
          "You do not have access to dealer code 'DEALER9'. Allowed dealer codes: DEALER1, DEALER2.",
        ],
      },
    };
    const body = traderaCarAd("car-1", { dealer_code: "DEALER9" });
    expect(await traderaCall(fake, "POST", AD_PATH, { body })).toMatchObject(expected);
    expect(await traderaCall(fake, "POST", `${AD_PATH}/validate`, { body })).toMatchObject(
      expected,
    );
    expect(await traderaCall(fake, "GET", `${AD_PATH}?dealer_code=DEALER9`)).toMatchObject(
      expected,
    );
    const single = await traderaCall(fake, "POST", AD_PATH, {
      token: "dealer2-token",
      body: traderaCarAd("car-1"),
    });
    expect(single.body).toEqual({
      dealer_code: [
        "You do not have access to dealer code 'DEALER1'. Allowed dealer codes: DEALER2.",
      ],
    });
    expect(fake.adCount()).toBe(0);
  });

  it("tells a token without dealer codes that it has none", async () => {
    const answer = await traderaCall(fake, "POST", AD_PATH, {
      token: "no-dealers-token",
      body: traderaCarAd("car-1"),
    });
    expect(answer).toMatchObject({
      status: 403,
      body: {
        dealer_code: [
          "You do not have access to dealer code 'DEALER1'. You have no dealer codes assigned.",
        ],
      },
    });
  });

  it("hides ads of dealers the token does not cover: 404 and an empty list", async () => {
    const created = await traderaCall(fake, "POST", AD_PATH, { body: traderaCarAd("car-1") });
    expect(created.status).toBe(201);
    const asDealer2 = { token: "dealer2-token" };
    for (const [method, suffix] of [
      ["GET", ""],
      ["DELETE", ""],
      ["GET", "/log"],
      ["GET", "/retry"],
    ] as const) {
      const answer = await traderaCall(fake, method, `${AD_PATH}/car-1${suffix}`, asDealer2);
      expect(answer).toMatchObject({ status: 404, body: "Not found." });
    }
    const own = asPage((await traderaCall(fake, "GET", AD_PATH, asDealer2)).body);
    expect(own.count).toBe(0);
    const all = asPage((await traderaCall(fake, "GET", AD_PATH)).body);
    expect(all.results.map((ad) => ad.source_id)).toEqual(["car-1"]);
  });
});
