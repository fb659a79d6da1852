import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TraderaFake } from "../src/index.ts";
import {
  AD_PATH,
  asTraderaAd,
  createProcessed,
  startFastTraderaFake,
  traderaCall,
  traderaCarAd,
} from "./tradera-support.ts";

/**
 * `fake.outside` on Tradera: each change lands at once and shows through the API as the guide
 * describes an ad (state, visible, log actions), and the ad stays open to updates (it keeps its
 * item id).
 */

let fake: TraderaFake;

beforeAll(async () => {
  fake = await startFastTraderaFake();
});

afterAll(async () => {
  await fake.close();
});

const read = async (sourceId: string) =>
  asTraderaAd((await traderaCall(fake, "GET", `${AD_PATH}/${sourceId}`)).body);

describe("Tradera outside changes", () => {
  it("answer false for an ad the fake does not hold", () => {
    expect(fake.outside.expire("nope")).toBe(false);
    expect(fake.outside.delete("nope")).toBe(false);
    expect(fake.outside.deactivate("nope")).toBe(false);
    expect(fake.outside.reject("nope")).toBe(false);
    expect(fake.outside.edit("nope", { title: "x" })).toBe(false);
  });

  it("expiry logs an unpublish; the ad can be updated and published again", async () => {
    await createProcessed(fake, traderaCarAd("outside-expire"));
    expect(fake.outside.expire("outside-expire")).toBe(true);
    expect(fake.outside.expire("outside-expire")).toBe(false);
    const expired = await read("outside-expire");
    expect(expired.log.at(-1)).toMatchObject({ action: "unpublish", state: "done" });
    const update = await traderaCall(fake, "PATCH", `${AD_PATH}/outside-expire`, {
      body: { source_id: "outside-expire", dealer_code: "DEALER1", title: "Åter till salu" },
    });
    expect(update.status).toBe(200);
    fake.processing.flush();
    expect((await read("outside-expire")).log.at(-1)).toMatchObject({
      action: "publish",
      state: "done",
    });
  });

  it("a delete keeps state created on the wire, with a delete done in the log, and refuses updates", async () => {
    await createProcessed(fake, traderaCarAd("outside-delete"));
    expect(fake.outside.delete("outside-delete")).toBe(true);
    const deleted = await read("outside-delete");
    expect(deleted.state).toBe("created");
    expect(deleted.log.at(-1)).toMatchObject({ action: "delete", state: "done" });
    const listed = await traderaCall(
      fake,
      "GET",
      `${AD_PATH}?state=deleted&source_id=outside-delete`,
    );
    expect((listed.body as { count: number }).count).toBe(1);
    const update = await traderaCall(fake, "PATCH", `${AD_PATH}/outside-delete`, {
      body: { source_id: "outside-delete", dealer_code: "DEALER1", title: "x" },
    });
    expect(update.body).toBe("Cannot update ad that has been deleted.");
  });

  it("deactivate hides, reject logs a publish error with the reason, edit changes title and price", async () => {
    await createProcessed(fake, traderaCarAd("outside-hide"));
    await createProcessed(fake, traderaCarAd("outside-reject"));
    await createProcessed(fake, traderaCarAd("outside-edit"));
    expect(fake.outside.deactivate("outside-hide")).toBe(true);
    expect((await read("outside-hide")).visible).toBe(false);
    expect(fake.outside.reject("outside-reject", "Fel bild")).toBe(true);
    expect((await read("outside-reject")).log.at(-1)).toMatchObject({
      action: "publish",
      state: "error",
      external_message: "Fel bild",
    });
    expect(fake.outside.edit("outside-edit", { title: "Ny titel", price: 299_000 })).toBe(true);
    expect(await read("outside-edit")).toMatchObject({
      title: "Ny titel",
      price: [{ currency: "SEK", type: "list", amount: 299_000 }],
    });
  });
});
