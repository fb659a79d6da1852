/**
 * `find(adId, sent)`: an advertisement has no field for the dealer's reference, so the ad is
 * recognised by the licence plate and category of what adsync last sent (decision D8).
 */
import {
  type AdsyncClient,
  type FindHint,
  type MarketplaceAdapter,
  VehicleAd,
  type VehicleAdInput,
} from "@adsync/core";
import type { MarktplaatsFake } from "@adsync/sandbox";
import { Effect, Either, Option, Schema } from "effect";
import { describe, expect, it } from "vitest";
import { carAd, configFor, sharedFakeFile, withService } from "./support.ts";

let fake: MarktplaatsFake;
let client: AdsyncClient;
const { nextId, publish } = sharedFakeFile(
  "find",
  { enrichmentDelayMs: 30, clock: "manual" },
  (started, publisher) => {
    fake = started;
    client = publisher;
  },
);

/** The payload `prepare` makes for an ad: what the publisher stores as sent. */
const payloadOf = (adapter: MarketplaceAdapter, input: VehicleAdInput) => {
  const prepared = adapter.prepare(Schema.decodeUnknownSync(VehicleAd)(input));
  if (Either.isLeft(prepared)) throw new Error("the sample ad must map");
  return prepared.right.payload;
};

/**
 * `find` on a fresh adapter over the shared fake, with the payload prepared from `sentFor` as
 * the hint (none without it); the fake's requests are cleared just before.
 */
const findWith = (adId: string, sentFor?: VehicleAdInput) =>
  withService(configFor(fake), (service) =>
    Effect.gen(function* () {
      const adapter = service.adapter;
      if (adapter.find === undefined) return yield* Effect.die("Marktplaats has a find");
      yield* adapter.warmUp ?? Effect.void;
      const sent: FindHint | undefined =
        sentFor === undefined ? undefined : { payload: payloadOf(adapter, sentFor) };
      fake.clearRequests();
      return yield* Effect.either(adapter.find(adId, sent));
    }),
  );

const onAds = () =>
  fake.requests
    .filter((request) => request.path.startsWith("/v1/advertisements"))
    .map((request) => `${request.method} ${request.path}`);

describe("Marktplaats find", () => {
  it("finds the ad by the licence plate of what was sent: the ref create made, one read", async () => {
    const id = nextId();
    await publish(carAd(id));
    const [status] = await client.status(id);
    const found = await findWith(id, carAd(id));
    expect(found).toEqual(Either.right(Option.some(status?.ref)));
    expect(onAds()).toEqual(["GET /v1/advertisements"]);
  });

  it("answers None when no ad of the seller has the plate in the category", async () => {
    const id = nextId();
    expect(await findWith(id, carAd(id))).toEqual(Either.right(Option.none()));
  });

  it("fails with Conflict when several ads match, naming them, and guesses none", async () => {
    const first = nextId();
    const second = nextId();
    await publish(carAd(first));
    // Another ad of the same car (same plate, same category): two candidates.
    await publish({ ...carAd(second), vehicle: { ...carAd(second).vehicle, ...plateOf(first) } });
    const found = await findWith(first, carAd(first));
    const itemIds = await Promise.all(
      [first, second].map(async (adId) => (await client.status(adId))[0]?.ref?.remoteId),
    );
    expect(Either.isLeft(found)).toBe(true);
    if (Either.isRight(found)) return;
    expect(found.left).toMatchObject({ reason: "Conflict", operation: "find" });
    for (const itemId of itemIds) expect(found.left.message).toContain(itemId);
    expect(found.left.issues.map((entry) => entry.code)).toEqual(["conflict"]);
  });

  it("fails without a hint, or with one that has no licence plate, and reads nothing", async () => {
    const id = nextId();
    await publish(carAd(id));
    const { registrationNumber: _plate, ...unplated } = carAd(id).vehicle;
    for (const found of [
      await findWith(id),
      await findWith(id, { ...carAd(id), vehicle: unplated }),
    ]) {
      expect(Either.isLeft(found)).toBe(true);
      if (Either.isRight(found)) return;
      expect(found.left).toMatchObject({ reason: "Unsupported", operation: "find" });
      expect(found.left.message).toContain("no field for the dealer's reference");
      expect(onAds()).toEqual([]);
    }
  });
});

/** The vehicle fields that carry an ad's licence plate. */
const plateOf = (adId: string) => ({ registrationNumber: carAd(adId).vehicle.registrationNumber });
