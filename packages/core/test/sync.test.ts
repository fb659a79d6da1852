import { describe, expect, it } from "@effect/vitest";
import { Effect, Either, Layer, Option, Stream } from "effect";
import {
  adaptersLayer,
  type CreateRequest,
  createAdsync,
  type MarketplaceAdapter,
  makeMemoryStore,
  memoryStoreLayer,
  Publisher,
  publisherLayer,
  Store,
  type VehicleAdInput,
} from "../src/index.ts";
import { adaptersOf, down, fakeAdapter, publisherOver, queued, refOf } from "./fake-adapter.ts";

const stockAd = (index: number, price = 10_000_000): VehicleAdInput => ({
  id: `stock-${index}`,
  category: "car",
  description: `Car number ${index}.`,
  price: { list: { amount: price + index, currency: "SEK" } },
  vehicle: { make: "Volvo", model: "V70", modelYear: 2012 },
});

const stock = (count: number, price?: number) =>
  Array.from({ length: count }, (_, index) => stockAd(index, price));

describe("sync", () => {
  it.effect("publishes every ad of the stock and counts the outcomes per marketplace", () =>
    Effect.gen(function* () {
      const publisher = yield* Publisher;
      const summary = yield* publisher.sync(Stream.fromIterable(stock(25)));
      expect(summary.ads).toBe(25);
      expect(summary.outcomes).toEqual({ blocket: { accepted: 25 } });
    }).pipe(Effect.provide(publisherOver([fakeAdapter("blocket")]))),
  );

  it.effect("costs zero requests for an unchanged stock and one update per changed ad", () => {
    const blocket = fakeAdapter("blocket");
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      yield* publisher.sync(Stream.fromIterable(stock(10)));
      const created = blocket.requests().length;
      expect(created).toBe(10);

      const unchanged = yield* publisher.sync(Stream.fromIterable(stock(10)));
      expect(unchanged.outcomes).toEqual({ blocket: { unchanged: 10 } });
      expect(blocket.requests()).toHaveLength(created);

      const changed = [...stock(10).slice(0, 7), ...stock(10, 9_000_000).slice(7)];
      const repriced = yield* publisher.sync(Stream.fromIterable(changed));
      expect(repriced.outcomes).toEqual({ blocket: { unchanged: 7, accepted: 3 } });
      expect(blocket.callsOf("update")).toHaveLength(3);
    }).pipe(Effect.provide(publisherOver([blocket])));
  });

  it.effect("removes the listings of ads that left the stock, only when asked", () => {
    const blocket = fakeAdapter("blocket");
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      yield* publisher.sync(Stream.fromIterable(stock(5)));
      const kept = yield* publisher.sync(Stream.fromIterable(stock(3)));
      expect(kept.removed).toEqual([]);
      expect(blocket.callsOf("remove")).toHaveLength(0);

      const pruned = yield* publisher.sync(Stream.fromIterable(stock(3)), { removeMissing: true });
      expect([...pruned.removed].sort()).toEqual(["stock-3", "stock-4"]);
      expect(
        blocket
          .callsOf("remove")
          .map((call) => call.listing?.ref.remoteId)
          .sort(),
      ).toEqual(["blocket-stock-3", "blocket-stock-4"]);
      const status = yield* publisher.status("stock-4");
      expect(status.map((entry) => entry.state.presence)).toEqual(["removed"]);
    }).pipe(Effect.provide(publisherOver([blocket])));
  });

  it("takes an async iterable through the Promise facade", async () => {
    const blocket = fakeAdapter("blocket");
    const client = createAdsync(Layer.merge(adaptersOf(blocket), memoryStoreLayer));
    async function* inventory() {
      for (const ad of stock(4)) yield ad;
    }
    const summary = await client.sync(inventory(), { concurrency: 2 });
    await client.close();
    expect(summary).toEqual({ ads: 4, outcomes: { blocket: { accepted: 4 } }, removed: [] });
    expect(blocket.callsOf("create")).toHaveLength(4);
  });

  it.effect("hands the creates of a batch-publishing marketplace over in one createMany", () => {
    const store = makeMemoryStore();
    const batches: Array<ReadonlyArray<CreateRequest>> = [];
    const startedBeforeTheBatch: Array<boolean> = [];
    const allegro = fakeAdapter("allegro", { capabilities: { batchPublication: true } });
    const batching: MarketplaceAdapter = {
      ...allegro.adapter,
      createMany: (requests) =>
        Effect.gen(function* () {
          batches.push(requests);
          // Every listing of the batch has its Started record before the request goes out.
          for (const request of requests) {
            const record = yield* store.get(request.ad.id, "allegro");
            startedBeforeTheBatch.push(
              Option.isSome(record) &&
                record.value.state.operation?.id === request.context.operationId,
            );
          }
          return requests.map((request) =>
            request.ad.id === "stock-13"
              ? Either.left(down("allegro"))
              : Either.right(queued(refOf("allegro", request.ad.id), "command-1")),
          );
        }),
    };
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      const summary = yield* publisher.sync(Stream.fromIterable(stock(20)));
      expect(batches).toHaveLength(1);
      expect(batches[0]?.map((request) => request.ad.id).sort()).toEqual(
        stock(20)
          .map((ad) => ad.id)
          .sort(),
      );
      expect(startedBeforeTheBatch).toEqual(Array.from({ length: 20 }, () => true));
      expect(allegro.callsOf("create")).toHaveLength(0);
      expect(summary.outcomes).toEqual({ allegro: { accepted: 19, failed: 1 } });
      const [failed] = yield* publisher.status("stock-13");
      expect(failed?.state.operation?.status).toBe("failed");
      const [pending] = yield* publisher.status("stock-2");
      expect(pending?.state.operation).toMatchObject({ status: "pending", requestId: "command-1" });

      // A plain publish of one ad is not batched.
      yield* publisher.publish(stockAd(99));
      expect(allegro.callsOf("create")).toHaveLength(1);
    }).pipe(
      Effect.provide(
        publisherLayer.pipe(
          Layer.provide(
            Layer.merge(adaptersLayer(Effect.succeed(batching)), Layer.succeed(Store, store)),
          ),
        ),
      ),
    );
  });
});
