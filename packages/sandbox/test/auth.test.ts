import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BLOCKET_SANDBOX_DEALER_CODES, BLOCKET_SANDBOX_TOKEN } from "../src/index.ts";
import {
  asPage,
  call,
  carAd,
  type RunningBlocketFake,
  simpleAd,
  startFastBlocketFake,
} from "./support.ts";

describe("Blocket fake: authentication and dealer scope", () => {
  let fake: RunningBlocketFake;
  beforeEach(async () => {
    fake = await startFastBlocketFake({
      tokens: [
        {
          token: BLOCKET_SANDBOX_TOKEN,
          scope: "dealer_group",
          dealerCodes: BLOCKET_SANDBOX_DEALER_CODES,
        },
        { token: "single-dealer-token", scope: "dealer_code", dealerCodes: ["DEALER1"] },
      ],
    });
  });
  afterEach(() => fake.close());

  it("answers 401 without a token and with an unknown one, on every endpoint", async () => {
    for (const path of ["/v4/ad", "/v3/ad/x", "/v3/vehicle/brands"]) {
      const missing = await call(fake, "GET", path, { token: null });
      expect(missing.status).toBe(401);
      expect(missing.body).toEqual({ detail: "Authentication credentials were not provided." });
      const unknown = await call(fake, "GET", path, { token: "nope" });
      expect(unknown.status).toBe(401);
      expect(unknown.body).toEqual({ detail: "Invalid token." });
    }
    const create = await call(fake, "POST", "/v4/ad", { token: null, body: carAd("car-1") });
    expect(create.status).toBe(401);
    expect(fake.adCount()).toBe(0);
  });

  it("answers 401 to a revoked token, and only to it", async () => {
    const before = await call(fake, "GET", "/v4/ad", { token: "single-dealer-token" });
    expect(before.status).toBe(200);
    expect(fake.revokeToken("single-dealer-token")).toBe(true);
    expect(fake.revokeToken("never-issued")).toBe(false);
    const revoked = await call(fake, "GET", "/v4/ad", { token: "single-dealer-token" });
    expect(revoked.status).toBe(401);
    expect(revoked.body).toEqual({ detail: "Invalid token." });
    expect((await call(fake, "GET", "/v4/ad")).status).toBe(200);
  });

  it("requires dealer_code in a create with a dealer_group token", async () => {
    const { dealer_code: _omitted, ...withoutDealer } = carAd("car-1");
    const answer = await call(fake, "POST", "/v4/ad", { body: withoutDealer });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ dealer_code: ["This field is required."] });
  });

  it("forbids a dealer_code the token does not cover", async () => {
    const answer = await call(fake, "POST", "/v4/ad", {
      body: carAd("car-1", { dealer_code: "DEALER9" }),
    });
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({ detail: "You do not have permission to perform this action." });
    const single = await call(fake, "POST", "/v4/ad", {
      token: "single-dealer-token",
      body: carAd("car-2", { dealer_code: "DEALER2" }),
    });
    expect(single.status).toBe(403);
    expect(fake.adCount()).toBe(0);
  });

  it("takes the dealer from a dealer_code token and hides ads from tokens of other dealers", async () => {
    const { dealer_code: _omitted, ...withoutDealer } = simpleAd("tyres-1");
    const created = await call(fake, "POST", "/v3/ad", {
      token: "single-dealer-token",
      body: withoutDealer,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ source_id: "tyres-1", dealer_code: "DEALER1" });

    const other = await call(fake, "POST", "/v3/ad", {
      body: simpleAd("tyres-2", { dealer_code: "DEALER2" }),
    });
    expect(other.status).toBe(201);

    const own = await call(fake, "GET", "/v3/ad", { token: "single-dealer-token" });
    expect(asPage(own.body).results.map((ad) => ad.source_id)).toEqual(["tyres-1"]);
    const foreign = await call(fake, "GET", "/v3/ad/tyres-2", { token: "single-dealer-token" });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual({ detail: "Not found." });
    const deleteForeign = await call(fake, "DELETE", "/v3/ad/tyres-2", {
      token: "single-dealer-token",
    });
    expect(deleteForeign.status).toBe(404);
    const group = await call(fake, "GET", "/v3/ad");
    expect(asPage(group.body).count).toBe(2);
  });
});
