import { describe, expect, it } from "@effect/vitest";
import { Effect, Stream } from "effect";
import {
  makeMemoryStore,
  Publisher,
  type StoreService,
  type VehicleAdInput,
} from "../src/index.ts";
import { fakeAdapter, publisherOver } from "./fake-adapter.ts";

/** What the publisher asks of its store: the sync path's cost in store calls (#14). */
const counting = (store: StoreService) => {
  const calls = { get: 0, listAll: 0, record: 0, keys: 0 };
  const counted: StoreService = {
    ...store,
    get: (adId, marketplace) => {
      calls.get += 1;
      return store.get(adId, marketplace);
    },
    list: (adId) => {
      if (adId === undefined) calls.listAll += 1;
      return store.list(adId);
    },
    record: (listing, event, expected) => {
      calls.record += 1;
      return store.record(listing, event, expected);
    },
    keys: (query) => {
      calls.keys += 1;
      return store.keys(query);
    },
  };
  return { calls, counted };
};

const ad = (index: number): VehicleAdInput => ({
  id: `traffic-${String(index).padStart(3, "0")}`,
  category: "car",
  description: `Car number ${index}.`,
  price: { list: { amount: 10_000_000 + index, currency: "SEK" } },
  vehicle: { make: "Volvo", model: "V70", modelYear: 2012 },
});

describe("the publisher's store traffic", () => {
  it.effect("a publish reads the listing once: the answer is written without reading back", () => {
    const { calls, counted } = counting(makeMemoryStore());
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      yield* publisher.publish(ad(1));
      expect(calls).toMatchObject({ get: 1, record: 2 });
    }).pipe(Effect.provide(publisherOver([fakeAdapter("blocket")], counted)));
  });

  it.effect("removeMissing walks keys in pages and reads only the missing listings", () => {
    const { calls, counted } = counting(makeMemoryStore());
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      const stock = Array.from({ length: 30 }, (_, index) => ad(index));
      yield* publisher.sync(Stream.fromIterable(stock));
      calls.get = 0;
      const kept = stock.filter((_, index) => index % 10 !== 0);
      const summary = yield* publisher.sync(Stream.fromIterable(kept), {
        removeMissing: true,
        batchSize: 7,
      });
      expect([...summary.removed].sort()).toEqual(["traffic-000", "traffic-010", "traffic-020"]);
      expect(calls.listAll).toBe(0);
      // 27 unchanged ads read once each, then each of the 3 missing listings (and `remove`'s own
      // reads of it): never the other 27 again.
      expect(calls.get).toBeLessThanOrEqual(27 + 3 * 3);
      expect(calls.keys).toBe(Math.ceil(30 / 7));
    }).pipe(Effect.provide(publisherOver([fakeAdapter("blocket")], counted)));
  });
});
