import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TraderaFake } from "../src/index.ts";
import { newRequestId, requestSettled } from "./support.ts";
import {
  AD_PATH,
  asTraderaAd,
  createProcessed,
  startFastTraderaFake,
  TRADERA_TIMESTAMP,
  traderaCall,
  traderaCarAd,
  waitForTraderaAd,
} from "./tradera-support.ts";

describe("Tradera fake: bump and retry", () => {
  let fake: TraderaFake;
  beforeEach(async () => {
    fake = await startFastTraderaFake();
  });
  afterEach(() => fake.close());

  it("bumps a published ad asynchronously, with exclude_blocket, exclude_bytbil and premium", async () => {
    const created = await createProcessed(fake, traderaCarAd("car-1"));
    const answer = await traderaCall(
      fake,
      "GET",
      `${AD_PATH}/car-1/bump?premium=true&exclude_bytbil=true&exclude_blocket=false`,
    );
    expect(answer.status).toBe(200);
    const bumping = asTraderaAd(answer.body);
    expect(bumping.log.slice(3).map((entry) => [entry.action, entry.state])).toEqual([
      ["bump", "processing"],
    ]);
    const bumpId = newRequestId(bumping, 3);
    expect(bumpId).not.toBe(newRequestId(created));
    const bumped = await waitForTraderaAd(fake, "car-1", requestSettled(bumpId));
    expect(bumped.log.at(-1)).toMatchObject({ action: "bump", state: "done" });

    const both = await traderaCall(
      fake,
      "GET",
      `${AD_PATH}/car-1/bump?exclude_bytbil=true&exclude_blocket=true`,
    );
    expect(both.status).toBe(200);
    const notBoolean = await traderaCall(fake, "GET", `${AD_PATH}/car-1/bump?premium=maybe`);
    expect(notBoolean).toMatchObject({
      status: 400,
      body: { premium: ["Must be a valid boolean."] },
    });
  });

  it("bumps an ad published hidden (visible: false), which stays open to updates", async () => {
    const hidden = await createProcessed(fake, traderaCarAd("car-1", { visible: false }));
    expect(hidden).toMatchObject({ visible: false });
    expect(hidden.blocket_ad_id).toMatch(/^\d+$/);
    expect((await traderaCall(fake, "GET", `${AD_PATH}/car-1/bump`)).status).toBe(200);
    const shown = await traderaCall(fake, "PATCH", `${AD_PATH}/car-1`, {
      body: { source_id: "car-1", dealer_code: "DEALER1", visible: true },
    });
    expect(shown).toMatchObject({ status: 200, body: { visible: true } });
  });

  it("answers retry with 200 and one error log entry, and retries nothing", async () => {
    const created = await createProcessed(fake, traderaCarAd("car-1"));
    const answer = await traderaCall(fake, "GET", `${AD_PATH}/car-1/retry`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: created.id, source_id: "car-1" });
    const log = asRecord(answer.body).log;
    expect(log).toEqual([
      {
        action: "retry",
        state: "error",
        created: expect.stringMatching(TRADERA_TIMESTAMP),
        external_message: "Not supported by Tradera",
        request_id: null,
      },
    ]);
    expect(fake.ad("car-1")).toEqual(created);
  });
});

function asRecord(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new Error(`not an object: ${JSON.stringify(body)}`);
  }
  return { ...body };
}
