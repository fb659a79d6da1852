import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  asAd,
  call,
  carAd,
  newRequestId,
  type RunningBlocketFake,
  requestSettled,
  startFastBlocketFake,
  waitForAd,
} from "./support.ts";

describe("Blocket fake: bump and pole position", () => {
  let fake: RunningBlocketFake;
  beforeEach(async () => {
    fake = await startFastBlocketFake();
  });
  afterEach(() => fake.close());

  it("bumps only a published ad, asynchronously", async () => {
    const created = asAd((await call(fake, "POST", "/v4/ad", { body: carAd("car-1") })).body);
    const early = await call(fake, "GET", "/v4/ad/car-1/bump");
    expect(early.status).toBe(400);
    expect(early.body).toEqual({ detail: "Only published ads can be bumped." });
    await waitForAd(fake, "car-1", requestSettled(newRequestId(created)));

    const bump = await call(fake, "GET", "/v3/ad/car-1/bump?exclude_bytbil=true");
    expect(bump.status).toBe(200);
    const bumping = asAd(bump.body);
    expect(bumping.log.slice(3).map((entry) => [entry.action, entry.state])).toEqual([
      ["bump", "processing"],
    ]);
    const bumped = await waitForAd(fake, "car-1", requestSettled(newRequestId(bumping, 3)));
    expect(bumped.log.at(-1)).toMatchObject({ action: "bump", state: "done" });

    const both = await call(
      fake,
      "GET",
      "/v4/ad/car-1/bump?exclude_bytbil=true&exclude_blocket=true",
    );
    expect(both.status).toBe(400);
    const notBoolean = await call(fake, "GET", "/v4/ad/car-1/bump?exclude_blocket=maybe");
    expect(notBoolean.body).toEqual({ exclude_blocket: ["Must be a valid boolean."] });
  });

  it("refuses to bump an ad on pole position", async () => {
    const created = asAd((await call(fake, "POST", "/v4/ad", { body: carAd("car-1") })).body);
    await waitForAd(fake, "car-1", requestSettled(newRequestId(created)));
    const pole = await call(fake, "GET", "/v4/ad/car-1/pole_position");
    expect(pole.status).toBe(200);
    expect(asAd(pole.body).log.at(-1)).toMatchObject({
      action: "pole_position",
      state: "processing",
    });
    const bump = await call(fake, "GET", "/v4/ad/car-1/bump");
    expect(bump.status).toBe(400);
    expect(bump.body).toEqual({
      detail: "Currently, ads on pole position cannot be bumped/renewed",
    });
    expect((await call(fake, "GET", "/v4/ad/unknown/pole_position")).status).toBe(404);
  });
});
