import { describe, expect, it } from "@effect/vitest";
import { Effect, Layer, Stream } from "effect";
import { createAdsync, memoryStoreLayer, Publisher } from "../src/index.ts";
import { adaptersOf, fakeAdapter, publisherOver } from "./fake-adapter.ts";

const stockAd = (index: number, price = 10_000_000) => ({
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
});
