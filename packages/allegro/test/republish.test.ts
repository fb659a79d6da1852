import { type AdsyncClient, createAdsync } from "@adsync/core";
import { type AllegroFake, type RecordedRequest, startAllegroFake } from "@adsync/sandbox";
import { afterEach, describe, expect, it } from "vitest";
import { memoryTokenStore } from "../src/index.ts";
import { car, layerFor } from "./support.ts";

/**
 * Publishing again what adsync itself removed, and adopting an offer a lost create left live:
 * both must leave Allegro holding the ad's latest content.
 */

const started: Array<{ fake: AllegroFake; client: AdsyncClient }> = [];
afterEach(async () => {
  for (const entry of started.splice(0)) {
    await entry.client.close();
    await entry.fake.close();
  }
});

const start = async () => {
  const fake = await startAllegroFake({ taskDelayMs: 10 });
  // One token store for every client of a test: a refresh rotates the token they share.
  const tokenStore = memoryTokenStore();
  const connect = () => {
    const client = createAdsync(layerFor(fake, { tokenStore }));
    started.push({ fake, client });
    return client;
  };
  return { fake, client: connect(), connect };
};

const settle = (client: AdsyncClient, adId: string) =>
  client.awaitSettled(adId, { interval: "20 millis", timeout: "10 seconds" });

const isCommand = (request: RecordedRequest) =>
  request.method === "PUT" && request.path.startsWith("/sale/offer-publication-commands/");
/** The price Allegro holds for an offer, as GET answers it. */
const priceOf = (fake: AllegroFake, offerId: string): unknown => {
  const offer = fake.offer(offerId);
  if (typeof offer !== "object" || offer === null || !("sellingMode" in offer)) return undefined;
  const sellingMode = offer.sellingMode;
  return typeof sellingMode === "object" && sellingMode !== null && "price" in sellingMode
    ? sellingMode.price
    : undefined;
};

/** Waits (on the fake's own task timer) until the fake holds the offer in `status`. */
const untilStatus = async (fake: AllegroFake, offerId: string, status: string) => {
  for (let waited = 0; fake.offerStatus(offerId) !== status; waited += 10) {
    if (waited > 10_000) throw new Error(`offer ${offerId} never reached ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const publishLive = async (client: AdsyncClient, adId: string) => {
  await client.publish(car(adId), { to: ["allegro"] });
  const [live] = await settle(client, adId);
  expect(live?.state.presence).toBe("live");
  return live?.ref?.remoteId ?? "";
};

describe("publishing an ad adsync removed", () => {
  it("relists the offer its own END ended once the removal settled, without relistEnded", async () => {
    const { fake, client } = await start();
    const offerId = await publishLive(client, "again-settled");
    await client.remove("again-settled", { to: ["allegro"] });
    const [removed] = await settle(client, "again-settled");
    expect(removed?.state.presence).toBe("removed");
    expect(fake.offer(offerId)).toMatchObject({ publication: { endedBy: "USER" } });
    fake.clearRequests();

    const again = await client.publish(car("again-settled", 1), { to: ["allegro"] });
    expect(again.outcomes.map((outcome) => [outcome.result, outcome.issues])).toEqual([
      ["accepted", []],
    ]);
    const [live] = await settle(client, "again-settled");
    expect(live?.state.presence).toBe("live");
    expect(live?.ref?.remoteId).toBe(offerId);
    expect(fake.offerStatus(offerId)).toBe("ACTIVE");
    expect(priceOf(fake, offerId)).toMatchObject({ amount: "32900" });
    expect(fake.requests.filter(isCommand).map((request) => request.body)).toEqual([
      {
        offerCriteria: [expect.objectContaining({ offers: [{ id: offerId }] })],
        publication: { action: "ACTIVATE" },
      },
    ]);
  });

  it("relists the offer its own END ended while the removal is still pending in the store", async () => {
    const { fake, client } = await start();
    const offerId = await publishLive(client, "again-pending");
    await client.remove("again-pending", { to: ["allegro"] });
    // The END task ran on Allegro; adsync has not read it back yet.
    await untilStatus(fake, offerId, "ENDED");

    const again = await client.publish(car("again-pending", 1), { to: ["allegro"] });
    expect(again.outcomes.map((outcome) => [outcome.result, outcome.issues])).toEqual([
      ["accepted", []],
    ]);
    const [live] = await settle(client, "again-pending");
    expect(live?.state.presence).toBe("live");
    expect(fake.offerStatus(offerId)).toBe("ACTIVE");
    expect(priceOf(fake, offerId)).toMatchObject({ amount: "32900" });
  });

  it("still asks for relistEnded when Allegro ended the offer (expiry, admin)", async () => {
    const { fake, client } = await start();
    const offerId = await publishLive(client, "expired");
    fake.endOffer(offerId, "ADMIN");
    const again = await client.publish(car("expired", 1), { to: ["allegro"] });
    expect(again.outcomes[0]).toMatchObject({ result: "failed", reason: "Conflict" });
    expect(fake.offerStatus(offerId)).toBe("ENDED");
  });
});

describe("adopting a live offer a create finds by external.id", () => {
  // The default offer API edits with PATCH /sale/product-offers/{id}.
  const isOfferPut = (request: RecordedRequest) =>
    request.method === "PATCH" && /^\/sale\/product-offers\/\d+$/.test(request.path);

  it("sends the ad's content to the offer, so the next publish of that content is unchanged", async () => {
    const first = await start();
    const offerId = await publishLive(first.client, "adopted");
    // A second store that never saw the offer (a create whose answer was lost, a store lost).
    const forgetful = first.connect();
    first.fake.clearRequests();

    const adopted = await forgetful.publish(car("adopted", 1), { to: ["allegro"] });
    expect(adopted.outcomes.map((outcome) => [outcome.result, outcome.state.presence])).toEqual([
      ["accepted", "live"],
    ]);
    expect((await forgetful.status("adopted"))[0]?.ref?.remoteId).toBe(offerId);
    expect(priceOf(first.fake, offerId)).toMatchObject({ amount: "32900" });
    const writes = first.fake.requests.filter((request) => request.method !== "GET");
    expect(writes.filter(isOfferPut).map((request) => request.path)).toEqual([
      `/sale/product-offers/${offerId}`,
    ]);
    expect(writes.filter((request) => request.path === "/sale/product-offers")).toEqual([]);
    expect(writes.filter(isCommand)).toEqual([]);
    expect(first.fake.offerCount()).toBe(1);

    first.fake.clearRequests();
    const again = await forgetful.publish(car("adopted", 1), { to: ["allegro"] });
    expect(again.outcomes[0]?.result).toBe("unchanged");
    const changed = await forgetful.publish(car("adopted", 2), { to: ["allegro"] });
    expect(changed.outcomes[0]?.result).toBe("accepted");
    expect(priceOf(first.fake, offerId)).toMatchObject({ amount: "32800" });
  });
});
