import {
  type InspectedListing,
  type Inspection,
  type MarketplaceAdapter,
  type Sighting,
  VehicleAd,
  type VehicleAdInput,
} from "@adsync/core";
import { type MarktplaatsFake, startMarktplaatsFake } from "@adsync/sandbox";
import { Effect, Either, Schema } from "effect";
import { afterEach, describe, expect, it } from "vitest";
import type { MarktplaatsConfig } from "../src/config.ts";
import { carAd, configFor, withService } from "./support.ts";

/**
 * Bulk observation against the fake: every assertion on cost is on the exact requests the
 * fake received, token requests left out (`/v1/…` only).
 */

const PAGE = 3;
let fakes: Array<MarktplaatsFake> = [];
afterEach(async () => {
  await Promise.all(fakes.map((fake) => fake.close()));
  fakes = [];
});

const startFake = async (site: "marktplaats" | "2dehands" = "marktplaats") => {
  const fake = await startMarktplaatsFake({ site, pageSize: PAGE, clock: "manual" });
  fakes.push(fake);
  return fake;
};

const configOf = (fake: MarktplaatsFake, site: "marktplaats" | "2dehands"): MarktplaatsConfig =>
  site === "marktplaats"
    ? configFor(fake)
    : { ...configFor(fake), site, baseUrl: fake.url, tokenUrl: fake.tokenUrl };

const decode = (input: VehicleAdInput) => Schema.decodeUnknownSync(VehicleAd)(input);

const apiReads = (fake: MarktplaatsFake) =>
  fake.requests
    .filter((request) => request.path.startsWith("/v1/advertisements"))
    .map((request) => ({ method: request.method, path: request.path, query: request.query }));

/** Creates each ad through the adapter; answers the listings as the store would hand them over. */
const createAll = (adapter: MarketplaceAdapter, ads: ReadonlyArray<VehicleAdInput>) =>
  Effect.gen(function* () {
    if (adapter.warmUp !== undefined) yield* adapter.warmUp;
    const listings: Array<InspectedListing> = [];
    for (const input of ads) {
      const ad = decode(input);
      const prepared = adapter.prepare(ad);
      if (Either.isLeft(prepared)) return yield* Effect.die(prepared.left);
      const submitted = yield* adapter.create(ad, prepared.right);
      listings.push({ adId: ad.id, ref: submitted.ref, payload: submitted.payload });
    }
    return listings;
  });

const inspect = (adapter: MarketplaceAdapter, listings: ReadonlyArray<InspectedListing>) => {
  const run = adapter.inspect;
  if (run === undefined) return Effect.die("no inspect");
  return run({ listings, mode: "full" });
};

const sighting = (inspection: Inspection, adId: string) => inspection.sightings.get(adId);

/** Publishes `count` ads, clears the record, and inspects them once. */
const scenario = <A>(
  fake: MarktplaatsFake,
  site: "marktplaats" | "2dehands",
  count: number,
  between: (listings: ReadonlyArray<InspectedListing>) => void,
  after: (inspection: Inspection, listings: ReadonlyArray<InspectedListing>) => A,
  prefix: string = site,
) =>
  withService(configOf(fake, site), (service) =>
    Effect.gen(function* () {
      const ads = Array.from({ length: count }, (_, index) => ({
        ...carAd(`${prefix}-${index}`),
        ...(site === "2dehands" ? { location: { postalCode: "2000" } } : {}),
      }));
      const listings = yield* createAll(service.adapter, ads);
      fake.processing.flush();
      between(listings);
      fake.clearRequests();
      const inspection = yield* inspect(service.adapter, listings);
      return after(inspection, listings);
    }),
  );

describe("Marktplaats inspect: one pass over the seller's ads list", () => {
  it("costs ⌈N / page size⌉ list reads, following the list's next links", async () => {
    const fake = await startFake();
    for (const count of [7, 6]) {
      fake.clearRequests();
      await scenario(
        fake,
        "marktplaats",
        count,
        () => {},
        (inspection, listings) => {
          expect(
            listings.every((listing) => sighting(inspection, listing.adId)?.presence === "live"),
          ).toBe(true);
        },
        `count${count}`,
      );
      // The account holds every ad created so far (7, then 13): the pass reads all of them.
      const total = count === 7 ? 7 : 13;
      const reads = apiReads(fake);
      expect(reads).toEqual(
        Array.from({ length: Math.ceil(total / PAGE) }, (_, page) => ({
          method: "GET",
          path: "/v1/advertisements",
          query: page === 0 ? {} : { offset: String(page * PAGE), limit: String(PAGE) },
        })),
      );
    }
  });

  it("states a batch size that takes the whole account in one pass", async () => {
    const fake = await startFake();
    const size = await withService(configFor(fake), (service) =>
      Effect.succeed(service.adapter.inspectBatchSize),
    );
    expect(size).toBeGreaterThanOrEqual(10_000);
  });

  it("turns each outside change into its sighting", async () => {
    const fake = await startFake();
    let deleted = "";
    const result = await scenario(
      fake,
      "marktplaats",
      6,
      (listings) => {
        const id = (index: number) => listings[index]?.ref.remoteId ?? "";
        expect(fake.outside.expire(id(1))).toBe(true);
        expect(fake.outside.deactivate(id(2))).toBe(true);
        expect(fake.outside.delete(id(3))).toBe(true);
        expect(fake.outside.edit(id(4), { title: "Golf van de buurman" })).toBe(true);
        expect(fake.outside.edit(id(5), { price: 12_345 })).toBe(true);
        // The doc has no state for an ad rejected after placement.
        expect(fake.outside.reject(id(0), "spam")).toBe(false);
        expect(fake.outside.deactivate("m999999")).toBe(false);
      },
      (inspection, listings) => {
        deleted = listings[3]?.ref.remoteId ?? "";
        return inspection;
      },
    );
    // Two list pages, and one GET confirming the ad gone from the list is gone (404).
    expect(apiReads(fake).map((read) => `${read.method} ${read.path}`)).toEqual([
      "GET /v1/advertisements",
      "GET /v1/advertisements",
      `GET /v1/advertisements/${deleted}`,
    ]);
    const at = (index: number) => sighting(result, `marktplaats-${index}`);
    expect(at(0)).toMatchObject({ status: "succeeded", presence: "live", drift: false });
    expect(at(0)?.notes).toEqual(expect.arrayContaining([expect.stringMatching(/^closes on /)]));
    expect(at(1)).toMatchObject({ status: "succeeded", presence: "removed" });
    expect(at(1)?.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^closed on .*close date reached/),
        "renewal possible",
      ]),
    );
    expect(at(2)).toMatchObject({ status: "succeeded", presence: "hidden", drift: false });
    expect(at(3)).toMatchObject({ status: "succeeded", presence: "removed" });
    expect(at(4)).toMatchObject({ status: "succeeded", presence: "live", drift: true });
    expect(at(5)).toMatchObject({ status: "succeeded", presence: "live", drift: true });
    expect(at(5)?.warnings).toBeUndefined();
  });

  it("observe reads one ad as the pass reads it: an ad past its close date is removed", async () => {
    const fake = await startFake();
    const result = await withService(configFor(fake), (service) =>
      Effect.gen(function* () {
        const listings = yield* createAll(
          service.adapter,
          Array.from({ length: 5 }, (_, index) => carAd(`observed-${index}`)),
        );
        fake.processing.flush();
        const id = (index: number) => listings[index]?.ref.remoteId ?? "";
        expect(fake.outside.expire(id(1))).toBe(true);
        expect(fake.outside.deactivate(id(2))).toBe(true);
        expect(fake.outside.delete(id(3))).toBe(true);
        expect(fake.outside.edit(id(4), { title: "Golf van de buurman" })).toBe(true);
        const inspection = yield* inspect(service.adapter, listings);
        const observed = yield* Effect.forEach(listings, (listing) =>
          service.adapter.observe(listing),
        );
        return { inspection, listings, observed };
      }),
    );
    const reading = (seen: Sighting | undefined) => ({
      status: seen?.status,
      presence: seen?.presence,
      notes: seen?.notes,
      warnings: seen?.warnings,
      drift: seen?.drift,
    });
    expect(result.observed.map((seen) => seen.presence)).toEqual([
      "live",
      "removed",
      "hidden",
      "removed",
      "live",
    ]);
    result.listings.forEach((listing, index) => {
      const viaInspect = reading(sighting(result.inspection, listing.adId));
      const notes = viaInspect.notes?.filter((note) => note !== "not in the seller's list");
      expect(reading(result.observed[index])).toEqual({ ...viaInspect, notes });
    });
  });

  it("warns about an image the marketplace could not download", async () => {
    const fake = await startFake();
    const result = await withService(configFor(fake), (service) =>
      Effect.gen(function* () {
        const [listing] = yield* createAll(service.adapter, [
          {
            ...carAd("images-1"),
            images: ["https://images.example.nl/1.jpg", "https://gone.invalid/2.jpg"],
          },
        ]);
        fake.processing.flush();
        return yield* inspect(service.adapter, listing === undefined ? [] : [listing]);
      }),
    );
    const seen = sighting(result, "images-1");
    expect(seen?.presence).toBe("live");
    expect(seen?.warnings).toEqual([
      expect.objectContaining({
        path: "images.1",
        code: "remote_error",
        marketplace: "marktplaats",
      }),
    ]);
    expect(seen?.warnings?.[0]?.message).toMatch(
      /could not download https:\/\/gone.invalid\/2.jpg \(status failed\)/,
    );
  });

  it("settles pending operations from the same list read", async () => {
    const fake = await startFake();
    const created = await scenario(
      fake,
      "marktplaats",
      4,
      (listings) => {
        expect(fake.outside.delete(listings[2]?.ref.remoteId ?? "")).toBe(true);
      },
      (_, listings) => listings,
      "settled",
    );
    const unknownRef = { remoteId: "", ids: {}, meta: {} };
    const refOfIndex = (index: number) => created[index]?.ref ?? unknownRef;
    // A pass over operations whose answers adsync never read (synchronous, so: interrupted).
    const pending = await withService(configFor(fake), (service) =>
      Effect.gen(function* () {
        if (service.adapter.warmUp !== undefined) yield* service.adapter.warmUp;
        const payloadOf = (input: VehicleAdInput) => {
          const prepared = service.adapter.prepare(decode(input));
          return Either.isRight(prepared) ? prepared.right.payload : undefined;
        };
        const listings: ReadonlyArray<InspectedListing> = [
          // A create whose answer was lost: no itemId, found by its licence plate.
          {
            adId: "settled-0",
            ref: unknownRef,
            payload: payloadOf(carAd("settled-0")),
            pending: "create",
          },
          // A create that never landed.
          {
            adId: "never",
            ref: unknownRef,
            payload: payloadOf(carAd("never-landed")),
            pending: "create",
          },
          // A removal that landed (deleted), one that did not (still listed).
          { adId: "settled-2", ref: refOfIndex(2), payload: undefined, pending: "remove" },
          { adId: "settled-3", ref: refOfIndex(3), payload: undefined, pending: "remove" },
        ];
        fake.clearRequests();
        return yield* inspect(service.adapter, listings);
      }),
    );
    expect(apiReads(fake).map((read) => `${read.method} ${read.path}`)).toEqual([
      "GET /v1/advertisements",
      `GET /v1/advertisements/${refOfIndex(2).remoteId}`,
    ]);
    expect(pending.sightings.get("settled-0")).toMatchObject({
      status: "succeeded",
      presence: "live",
      ref: { remoteId: refOfIndex(0).remoteId, meta: { platform: "marktplaats" } },
    });
    expect(pending.sightings.get("never")).toMatchObject({ status: "failed", presence: "absent" });
    expect(pending.sightings.get("settled-2")).toMatchObject({
      status: "succeeded",
      presence: "removed",
    });
    expect(pending.sightings.get("settled-3")).toMatchObject({
      status: "failed",
      presence: "live",
    });
  });

  it("reads a pending update back: landed → drift, not landed → failed", async () => {
    const fake = await startFake();
    const result = await withService(configFor(fake), (service) =>
      Effect.gen(function* () {
        const listings = yield* createAll(service.adapter, [carAd("upd-0"), carAd("upd-1")]);
        fake.processing.flush();
        const [first, second] = listings;
        if (first === undefined || second === undefined) return yield* Effect.die("no listings");
        // The first update's answer was lost after it landed; the second's never landed.
        const changed = decode(carAd("upd-0", 3));
        const prepared = service.adapter.prepare(changed);
        if (Either.isLeft(prepared)) return yield* Effect.die(prepared.left);
        yield* service.adapter.update(first, changed, prepared.right);
        fake.clearRequests();
        return yield* inspect(service.adapter, [
          { ...first, pending: "update" },
          { ...second, pending: "update" },
        ]);
      }),
    );
    expect(apiReads(fake)).toHaveLength(1);
    expect(result.sightings.get("upd-0")).toMatchObject({ status: "succeeded", drift: true });
    expect(result.sightings.get("upd-1")).toMatchObject({ status: "failed", drift: false });
  });

  it("reads an ad the list leaves out by itemId before calling it removed", async () => {
    const fake = await startFake();
    let kept = "";
    let paused = "";
    const result = await scenario(
      fake,
      "marktplaats",
      2,
      (listings) => {
        kept = listings[0]?.ref.remoteId ?? "";
        paused = listings[1]?.ref.remoteId ?? "";
        expect(fake.outside.deactivate(paused)).toBe(true);
        // A list that holds online ads only (another reading of "a list of your ads").
        fake.injectFault({
          method: "GET",
          path: "/v1/advertisements",
          fault: {
            type: "status",
            status: 200,
            body: { _embedded: { "mp:advertisement": [fake.advertisement(kept)] }, _links: {} },
          },
        });
      },
      (inspection) => inspection,
      "unlisted",
    );
    expect(apiReads(fake).map((read) => `${read.method} ${read.path}`)).toEqual([
      "GET /v1/advertisements",
      `GET /v1/advertisements/${paused}`,
    ]);
    expect(result.sightings.get("unlisted-1")).toMatchObject({ presence: "hidden" });
    expect(result.sightings.get("unlisted-1")?.notes).toContain("not in the seller's list");
    expect(result.sightings.get("unlisted-0")).toMatchObject({ presence: "live" });
  });

  it("fails rather than call ads removed when the list's next link loops", async () => {
    const fake = await startFake();
    const page = {
      _embedded: { "mp:advertisement": [] },
      _links: { next: { href: "/v1/advertisements?offset=0" } },
    };
    fake.injectFault({
      method: "GET",
      path: "/v1/advertisements",
      times: 2,
      fault: { type: "status", status: 200, body: page },
    });
    const answer = await withService(configFor(fake), (service) =>
      Effect.either(
        inspect(service.adapter, [
          { adId: "x", ref: { remoteId: "m1000", ids: {}, meta: {} }, payload: undefined },
        ]),
      ),
    );
    expect(Either.isLeft(answer) && answer.left.reason).toBe("InvalidResponse");
    expect(apiReads(fake)).toHaveLength(2);
  });
});

describe("2dehands inspect: the same code", () => {
  it("costs ⌈N / page size⌉ and reads outside changes", async () => {
    const fake = await startFake("2dehands");
    const result = await scenario(
      fake,
      "2dehands",
      4,
      (listings) => {
        expect(fake.outside.deactivate(listings[0]?.ref.remoteId ?? "")).toBe(true);
        expect(fake.outside.expire(listings[1]?.ref.remoteId ?? "")).toBe(true);
      },
      (inspection) => inspection,
    );
    expect(apiReads(fake)).toEqual([
      { method: "GET", path: "/v1/advertisements", query: {} },
      { method: "GET", path: "/v1/advertisements", query: { offset: "3", limit: "3" } },
    ]);
    expect(result.sightings.get("2dehands-0")?.presence).toBe("hidden");
    expect(result.sightings.get("2dehands-1")?.presence).toBe("removed");
    expect(result.sightings.get("2dehands-2")).toMatchObject({ presence: "live", drift: false });
  });
});
