import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  asAd,
  call,
  carAd,
  type RunningBlocketFake,
  startFastBlocketFake,
  waitForAd,
} from "./support.ts";

/**
 * `fake.outside` on Blocket: an ad taken down is no longer live (a bump is refused) until an
 * update publishes it again; V4 prices are written in öre ("Amount is in minor currency units").
 */

let fake: RunningBlocketFake;

beforeAll(async () => {
  fake = await startFastBlocketFake();
});

afterAll(async () => {
  await fake.close();
});

const created = async (sourceId: string) => {
  const answer = await call(fake, "POST", "/v4/ad", { body: carAd(sourceId) });
  expect(answer.status).toBe(201);
  return waitForAd(fake, sourceId, (ad) => ad.log.every((entry) => entry.state !== "processing"));
};

describe("Blocket outside changes", () => {
  it("an expired ad cannot be bumped until an update publishes it again", async () => {
    await created("outside-expire");
    expect(fake.outside.expire("outside-expire")).toBe(true);
    expect((await call(fake, "GET", "/v3/ad/outside-expire/bump")).status).toBe(400);
    const update = await call(fake, "PATCH", "/v4/ad/outside-expire", { body: { body: "Åter" } });
    expect(update.status).toBe(200);
    fake.processing.flush();
    expect(fake.outside.expire("outside-expire")).toBe(true);
  });

  it("an admin delete turns the state deleted; an edit writes V4 prices in öre", async () => {
    await created("outside-delete");
    await created("outside-edit");
    expect(fake.outside.delete("outside-delete")).toBe(true);
    expect(asAd((await call(fake, "GET", "/v4/ad/outside-delete")).body).state).toBe("deleted");
    expect(fake.outside.delete("outside-delete")).toBe(false);
    expect(fake.outside.edit("outside-edit", { price: 299_000 })).toBe(true);
    const edited = (await call(fake, "GET", "/v4/ad/outside-edit")).body as { price: unknown };
    expect(edited.price).toEqual([{ type: "list", amount: 29_900_000, currency: "SEK" }]);
  });
});
