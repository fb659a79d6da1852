import {
  anyPayloadAdapter,
  type InspectedListing,
  type MarketplaceAdapter,
  type VehicleAdInput,
} from "@adsync/core";
import { startTraderaFake, TRADERA_SANDBOX_TOKEN, type TraderaFake } from "@adsync/sandbox";
import { NodeHttpClient } from "@effect/platform-node";
import { Effect, Redacted } from "effect";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  askedIds,
  bulkPasses,
  inspectAll,
  inspectedCar,
  listReads,
  outsidePass,
  publishListing,
  settled,
  sightingOf,
} from "../../pro-import/test/support/inspect-harness.ts";
import { makeTradera, type TraderaConfig, type TraderaService } from "../src/index.ts";

/**
 * `inspect` against the fake Tradera: one `GET /pro-import-api/v3/ad` per 50 listings ("limit -
 * Number of results per page (max 50, default 50)"), filtered by `source_id__in`, and what
 * each outside change becomes.
 */

const LIST = "/pro-import-api/v3/ad";
let fake: TraderaFake;

beforeAll(async () => {
  fake = await startTraderaFake({ clock: "manual", processingDelayMs: 10 });
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  fake.clearRequests();
});

const config = (): TraderaConfig => ({
  baseUrl: fake.url,
  token: Redacted.make(TRADERA_SANDBOX_TOKEN),
  dealerCode: "DEALER1",
  http: { retry: { baseDelay: "10 millis" } },
});

const withService = <A>(use: (tradera: TraderaService) => Effect.Effect<A, unknown>) =>
  Effect.runPromise(
    Effect.scoped(Effect.flatMap(makeTradera(config()), use)).pipe(
      Effect.provide(NodeHttpClient.layerUndici),
    ),
  );

const withAdapter = <A>(use: (adapter: MarketplaceAdapter) => Effect.Effect<A, unknown>) =>
  withService((tradera) => use(anyPayloadAdapter(tradera.adapter)));

let counter = 0;
const carAd = (name: string, overrides: Partial<VehicleAdInput> = {}): VehicleAdInput =>
  inspectedCar(`inspect-${name}-${++counter}`, overrides);

const publishMany = (adapter: MarketplaceAdapter, inputs: ReadonlyArray<VehicleAdInput>) =>
  Effect.forEach(inputs, (input) => publishListing(adapter, input));

describe("Tradera inspect", () => {
  it("reads 120 listings with 3 list requests of at most 50, and pending creates settle through them", async () => {
    await withAdapter((adapter) =>
      Effect.gen(function* () {
        expect(adapter.inspectBatchSize).toBe(50);
        const inputs = Array.from({ length: 120 }, (_, index) => carAd(`bulk${index}`));
        const { reads } = yield* bulkPasses(adapter, fake, LIST, inputs);
        expect(reads.map((read) => read.query.limit)).toEqual(["50", "50", "50"]);
        expect(askedIds(reads).map((ids) => ids.length)).toEqual([50, 50, 20]);
      }),
    );
  });

  it("sees each outside change as its sighting, in one list request; observe reads each alike", async () => {
    await withAdapter((adapter) =>
      Effect.gen(function* () {
        const seen = yield* outsidePass(adapter, fake, "tradera", carAd);
        // "The ad state remains "created" - check logs for actual deletion status".
        expect(seen("deleted").raw).toMatchObject({ state: "created", ended: "delete" });
      }),
    );
  });

  it("warns about images that failed, and sees a listing the marketplace does not have as removed", async () => {
    await withAdapter((adapter) =>
      Effect.gen(function* () {
        const [broken] = yield* publishMany(adapter, [
          carAd("broken", { images: ["https://cdn.example.com/broken.jpg"] }),
        ]);
        fake.processing.flush();
        if (broken === undefined) throw new Error("not published");
        const unknown: InspectedListing = {
          ...settled(broken),
          adId: "never-created",
          ref: { ...broken.ref, remoteId: "never-created" },
        };
        fake.clearRequests();
        const sightings = yield* inspectAll(adapter, [settled(broken), unknown]);
        expect(fake.requests).toHaveLength(1);
        const seen = sightingOf(sightings, broken.adId);
        expect(seen.presence).toBe("live");
        expect(seen.warnings?.map((entry) => entry.path)).toEqual(["images"]);
        expect(sightingOf(sightings, "never-created")).toMatchObject({ presence: "removed" });
      }),
    );
  });

  it("follows a pending remove to removed", async () => {
    await withAdapter((adapter) =>
      Effect.gen(function* () {
        const [listing] = yield* publishMany(adapter, [carAd("remove")]);
        if (listing === undefined) throw new Error("not published");
        fake.processing.flush();
        const removal = yield* adapter.remove(settled(listing));
        const pendingRemove: InspectedListing = {
          ...settled(listing),
          requestId: removal.requestId,
          pending: "remove",
        };
        fake.clearRequests();
        const before = yield* inspectAll(adapter, [pendingRemove]);
        expect(sightingOf(before, listing.adId).status).toBe("pending");
        fake.processing.flush();
        const after = yield* inspectAll(adapter, [pendingRemove]);
        expect(sightingOf(after, listing.adId)).toMatchObject({
          status: "succeeded",
          presence: "removed",
        });
        expect(listReads(fake.requests, LIST)).toHaveLength(2);
        expect(fake.requests).toHaveLength(2);
      }),
    );
  });

  it("types and pages the list and the logs: listAll reads 55 ads in 2 pages of 50", async () => {
    await withService((tradera) =>
      Effect.gen(function* () {
        const listings = yield* publishMany(
          anyPayloadAdapter(tradera.adapter),
          Array.from({ length: 55 }, (_, index) => carAd(`paged${index}`)),
        );
        fake.processing.flush();
        fake.clearRequests();
        const ads = yield* tradera.listAll({ source_id__icontains: "-paged" });
        expect(ads.map((ad) => ad.source_id).sort()).toEqual(
          listings.map((listing) => listing.adId).sort(),
        );
        expect(
          listReads(fake.requests, LIST).map((read) => [read.query.limit, read.query.offset]),
        ).toEqual([
          ["50", "0"],
          ["50", "50"],
        ]);
        const first = listings[0];
        if (first === undefined) throw new Error("not published");
        const page = yield* tradera.logs(first.adId, { action: "publish" });
        expect(page.results.map((entry) => [entry.action, entry.state])).toEqual([
          ["publish", "done"],
        ]);
        const log = yield* tradera.logsAll(first.adId);
        expect(log.map((entry) => entry.action)).toEqual(["create", "handle_media", "publish"]);
      }),
    );
  });
});
