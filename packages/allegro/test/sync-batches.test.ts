import { type AdsyncClient, createAdsync, type VehicleAdInput } from "@adsync/core";
import { type AllegroFake, type RecordedRequest, startAllegroFake } from "@adsync/sandbox";
import { afterEach, describe, expect, it } from "vitest";
import { car, layerFor } from "./support.ts";

/**
 * The two sync points of #11 through the publisher: a `sync` removal of many offers is one END
 * command per 1,000 (the adapter's `removeMany`), and creates are sent in batches as the stock
 * is read, not only once it ends.
 */

const open: Array<{ fake: AllegroFake; client: AdsyncClient }> = [];

afterEach(async () => {
  for (const entry of open.splice(0)) {
    await entry.client.close();
    await entry.fake.close();
  }
});

const start = async () => {
  const fake = await startAllegroFake({ clock: "manual" });
  const client = createAdsync(layerFor(fake));
  open.push({ fake, client });
  return { fake, client };
};

const commandsOf = (requests: ReadonlyArray<RecordedRequest>, action: "ACTIVATE" | "END") =>
  requests.filter((request) => {
    if (request.method !== "PUT" || !request.path.startsWith("/sale/offer-publication-commands/"))
      return false;
    const body = request.body;
    return (
      typeof body === "object" &&
      body !== null &&
      "publication" in body &&
      typeof body.publication === "object" &&
      body.publication !== null &&
      "action" in body.publication &&
      body.publication.action === action
    );
  });

const offersIn = (request: RecordedRequest | undefined) => {
  const body = request?.body;
  if (typeof body !== "object" || body === null || !("offerCriteria" in body)) return 0;
  const criteria = body.offerCriteria;
  return Array.isArray(criteria)
    ? criteria.reduce(
        (total: number, entry: { offers?: ReadonlyArray<unknown> }) =>
          total + (entry.offers?.length ?? 0),
        0,
      )
    : 0;
};

const stock = (count: number) => Array.from({ length: count }, (_, index) => car(`batch-${index}`));

/** Lets the fake finish every publication task, then reads every listing once. */
const settleAll = async (
  fake: AllegroFake,
  client: AdsyncClient,
  ads: ReadonlyArray<{ id: string }>,
) => {
  fake.processing.flush();
  await client.settle({
    adIds: ads.map((ad) => ad.id),
    interval: "1 millis",
    timeout: "30 seconds",
  });
};

describe("sync on Allegro through the publisher", () => {
  it("removes 25 missing offers with exactly one END command, each listing claimed first", async () => {
    const { fake, client } = await start();
    const ads = stock(25);
    await client.sync(ads, { to: ["allegro"] });
    await settleAll(fake, client, ads);
    const live = await Promise.all(ads.map((ad) => client.status(ad.id)));
    expect(live.flat().map((status) => status.state.presence)).toEqual(Array(25).fill("live"));

    fake.clearRequests();
    const summary = await client.sync([], { to: ["allegro"], removeMissing: true });

    const ends = commandsOf(fake.requests, "END");
    expect(ends).toHaveLength(1);
    expect(offersIn(ends[0])).toBe(25);
    expect([...summary.removed].sort()).toEqual(ads.map((ad) => ad.id).sort());
    expect(summary.outcomes).toEqual({ allegro: { accepted: 25 } });
    // Every listing went through its own write-ahead record: a pending removal per listing.
    const events = await client.events({ after: 0, limit: 10_000 });
    for (const ad of ads) {
      const [status] = await client.status(ad.id);
      expect(status?.state.operation?.kind).toBe("remove");
      expect(
        events.events.filter(
          (event) =>
            event.adId === ad.id &&
            event.observation._tag === "Started" &&
            event.observation.kind === "remove",
        ),
      ).toHaveLength(1);
    }
    fake.processing.flush();
    await client.settle({
      adIds: ads.map((ad) => ad.id),
      interval: "1 millis",
      timeout: "30 seconds",
    });
    const gone = await Promise.all(ads.map((ad) => client.status(ad.id)));
    expect(gone.flat().map((status) => status.state.presence)).toEqual(Array(25).fill("removed"));
  }, 60_000);

  it("sends creates in batches of `batchSize` while the stock is still being read", async () => {
    const { fake, client } = await start();
    const ads = stock(12);
    let commandsBeforeLast = -1;
    // The stock hands out its last ad only once a publication command went out (or never).
    async function* inventory(): AsyncGenerator<VehicleAdInput> {
      for (const [index, ad] of ads.entries()) {
        if (index === ads.length - 1) {
          while (commandsOf(fake.requests, "ACTIVATE").length === 0)
            await new Promise((resolve) => setTimeout(resolve, 5));
          commandsBeforeLast = commandsOf(fake.requests, "ACTIVATE").length;
        }
        yield ad;
      }
    }
    const summary = await client.sync(inventory(), {
      to: ["allegro"],
      batchSize: 5,
      concurrency: 2,
    });
    expect(commandsBeforeLast).toBeGreaterThanOrEqual(1);
    expect(summary.outcomes).toEqual({ allegro: { accepted: 12 } });
    const activates = commandsOf(fake.requests, "ACTIVATE");
    expect(activates.map(offersIn)).toEqual([5, 5, 2]);
    await settleAll(fake, client, ads);
    const live = await Promise.all(ads.map((ad) => client.status(ad.id)));
    expect(live.flat().map((status) => status.state.presence)).toEqual(Array(12).fill("live"));
  }, 60_000);
});
