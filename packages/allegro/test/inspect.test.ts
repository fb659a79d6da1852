import { type InspectedListing, type Sighting, VehicleAd } from "@adsync/core";
import { type AllegroFake, startAllegroFake } from "@adsync/sandbox";
import { Effect, Either, Schema } from "effect";
import { afterEach, describe, expect, it } from "vitest";
import type { AllegroService } from "../src/index.ts";
import { car, withService } from "./support.ts";

const fakes: Array<AllegroFake> = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

const inspectOf = (service: AllegroService) => {
  const inspect = service.adapter.inspect;
  if (inspect === undefined) throw new Error("Allegro has no inspect");
  return inspect;
};

const tasksReads = (fake: AllegroFake) =>
  fake.requests.filter((request) => request.path.endsWith("/tasks")).length;

describe("inspect: bulk observation of Allegro offers", () => {
  it("reads a command's tasks once for all its offers, then follows offer events from a cursor", async () => {
    const fake = await startAllegroFake({ clock: "manual" });
    fakes.push(fake);
    const ads = Array.from({ length: 12 }, (_, index) => car(`inspect-${index}`));
    await withService(fake, (service) =>
      Effect.gen(function* () {
        const inspect = inspectOf(service);
        const outcomes = yield* service.publishMany(ads);
        const listings: Array<InspectedListing> = outcomes.flatMap((outcome) => {
          if (Either.isLeft(outcome.result)) return [];
          const submitted = outcome.result.right;
          const payload = service.adapter.prepare(
            Schema.decodeUnknownSync(VehicleAd)(ads.find((ad) => ad.id === outcome.adId)),
          );
          return [
            {
              adId: outcome.adId,
              ref: submitted.ref,
              requestId: submitted.requestId,
              payload: Either.isRight(payload) ? payload.right.payload : undefined,
              pending: "create" as const,
            },
          ];
        });
        expect(listings).toHaveLength(12);

        fake.clearRequests();
        const waiting = yield* inspect({ listings, mode: "full" });
        expect([...waiting.sightings.values()].map((sighting) => sighting.status)).toEqual(
          Array(12).fill("pending"),
        );
        expect(tasksReads(fake)).toBe(1);

        fake.processing.flush();
        fake.clearRequests();
        const done = yield* inspect({ listings, mode: "full" });
        expect([...done.sightings.values()].map((sighting) => sighting.presence)).toEqual(
          Array(12).fill("live"),
        );
        // One tasks read for the one command, one offer-list read for the 12 offers.
        expect(tasksReads(fake)).toBe(1);
        expect(fake.requests.filter((request) => request.path === "/sale/offers")).toHaveLength(1);

        // observe of one listing is a one-listing inspect: its command's tasks, then the offer
        // from the external.id list, reduced to the same sighting.
        const one = listings[0];
        if (one === undefined) throw new Error("no listing");
        fake.clearRequests();
        const observed = yield* service.adapter.observe(one);
        expect(observed).toEqual(done.sightings.get(one.adId));
        expect(
          fake.requests
            .filter((request) => request.path !== "/auth/oauth/token")
            .map((request) => `${request.method} ${request.path}`),
        ).toEqual([
          `GET /sale/offer-publication-commands/${one.requestId}/tasks`,
          "GET /sale/offers",
        ]);

        const settled = listings.map(({ pending: _pending, ...listing }) => listing);
        const first = yield* inspect({ listings: settled, mode: "changes" });
        expect(first.cursor).toBeDefined();
        expect(first.sightings.size).toBe(12);

        expect(fake.outside.expire("inspect-1")).toBe(true);
        expect(fake.outside.delete("inspect-2")).toBe(true);
        expect(fake.outside.edit("inspect-3", { price: 1000 })).toBe(true);
        expect(fake.outside.deactivate("inspect-4")).toBe(false);
        expect(fake.outside.reject("inspect-4")).toBe(false);
        expect(fake.outside.expire("no-such-ad")).toBe(false);

        fake.clearRequests();
        const changed = yield* inspect({
          listings: settled,
          mode: "changes",
          cursor: first.cursor,
        });
        const seen = (adId: string): Sighting | undefined => changed.sightings.get(adId);
        expect([...changed.sightings.keys()].sort()).toEqual([
          "inspect-1",
          "inspect-2",
          "inspect-3",
        ]);
        expect(seen("inspect-1")).toMatchObject({ presence: "removed" });
        expect(seen("inspect-1")?.notes?.join(" ")).toContain("EXPIRATION");
        expect(seen("inspect-2")).toMatchObject({ status: "succeeded", presence: "removed" });
        expect(seen("inspect-3")).toMatchObject({ presence: "live", drift: true });
        expect(changed.cursor).not.toBe(first.cursor);
        // The archived offer answers 404 by id, as Allegro's do after 60 days.
        const archived = listings.find((listing) => listing.adId === "inspect-2");
        expect(fake.offer(archived?.ref.remoteId ?? "")).toBeUndefined();

        // A full pass reads the same from the external.id list: the archived offer is gone from
        // it (removed), the expired one is ENDED with its endedBy.
        const full = yield* inspect({ listings: settled, mode: "full" });
        expect(full.sightings.get("inspect-1")).toMatchObject({ presence: "removed" });
        expect(full.sightings.get("inspect-1")?.notes?.join(" ")).toContain("EXPIRATION");
        expect(full.sightings.get("inspect-2")).toMatchObject({
          status: "succeeded",
          presence: "removed",
        });
        expect(full.sightings.get("inspect-5")).toMatchObject({ presence: "live" });
        expect(full.sightings.get("inspect-5")?.drift).toBeUndefined();
        // observe of a listing without our payload (adopted by find: `Listing.payload` is
        // undefined) reads the offer by id:
        // the archived one answers 404, which is removed, not an error.
        const bare = { ref: archived?.ref ?? one.ref, payload: undefined };
        fake.clearRequests();
        expect(yield* service.adapter.observe(bare)).toMatchObject({
          status: "succeeded",
          presence: "removed",
        });
        expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toContain(
          `GET /sale/product-offers/${archived?.ref.remoteId}`,
        );

        // Nothing changed since: nothing read but the events.
        fake.clearRequests();
        const quiet = yield* inspect({
          listings: settled,
          mode: "changes",
          cursor: changed.cursor,
        });
        expect(quiet.sightings.size).toBe(0);
        expect(fake.requests.map((request) => request.path)).toEqual(["/sale/offer-events"]);
      }),
    );
  });
});
