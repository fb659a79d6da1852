import { describe, expect, it } from "@effect/vitest";
import { Effect, Option, Stream } from "effect";
import {
  type InspectRequest,
  makeMemoryStore,
  Publisher,
  type StoreService,
  type VehicleAdInput,
} from "../src/index.ts";
import { allSettled, fakeAdapter, publisherOver, queued, refOf } from "./fake-adapter.ts";

/** What the publisher asks of its store: the sync path's cost in store calls (#14). */
const counting = (store: StoreService) => {
  // `get`: listings read, one by one or in a `page` (which counts each listing it answers);
  // `page`: page reads.
  const calls = { get: 0, page: 0, listAll: 0, record: 0, keys: 0 };
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
    page: (query) =>
      store.page === undefined
        ? Effect.die("the memory store reads pages")
        : Effect.tap(store.page(query), (records) =>
            Effect.sync(() => {
              calls.page += 1;
              calls.get += records.length;
            }),
          ),
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

/** An asynchronous Blocket (creates queued) whose bulk read runs `during` before answering. */
const queuing = (during: (request: InspectRequest) => Effect.Effect<void> = () => Effect.void) =>
  fakeAdapter("blocket", {
    create: (created) => Effect.succeed(queued(refOf("blocket", created.id), `req-${created.id}`)),
    inspect: (request) => Effect.zipRight(during(request), allSettled(request)),
  });

describe("the publisher's store traffic", () => {
  it.effect("a settle round reads each listing once (the page's read) and writes it once", () => {
    const { calls, counted } = counting(makeMemoryStore());
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      yield* publisher.sync(Stream.fromIterable(Array.from({ length: 12 }, (_, i) => ad(i))));
      calls.get = 0;
      calls.record = 0;
      const report = yield* publisher.refreshAll();
      expect(report.marketplaces.blocket).toMatchObject({ read: 12, changed: 12, pending: 0 });
      // Not again under the listing's lock before its write (24 reads before #14's fix).
      expect(calls).toMatchObject({ get: 12, record: 12 });
    }).pipe(Effect.provide(publisherOver([queuing()], counted)));
  });

  it.effect("a reconcile pass that learns nothing new reads each listing once, writes none", () => {
    const { calls, counted } = counting(makeMemoryStore());
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      yield* publisher.sync(Stream.fromIterable(Array.from({ length: 12 }, (_, i) => ad(i))));
      yield* publisher.refreshAll();
      calls.get = 0;
      calls.record = 0;
      const report = yield* publisher.reconcile();
      expect(report.marketplaces.blocket).toMatchObject({ read: 12, changed: 0 });
      expect(calls).toMatchObject({ get: 12, record: 0 });
    }).pipe(Effect.provide(publisherOver([queuing()], counted)));
  });

  it.effect("a listing written after the page was read is read again, not overwritten", () => {
    const store = makeMemoryStore();
    // While the page is being inspected, another writer (same operation, same lease) marks
    // the first listing drifted: the settle must keep that, and still settle the listing.
    const meanwhile = (request: InspectRequest) =>
      Effect.gen(function* () {
        const adId = request.listings[0]?.adId ?? "";
        const current = Option.getOrThrow(yield* store.get(adId, "blocket"));
        const marked = { ...current, driftSince: 7, updatedAt: current.updatedAt + 1 };
        yield* store.record(marked, {
          adId,
          marketplace: "blocket",
          observation: { _tag: "Seen", presence: current.state.presence, drift: true, at: 7 },
          state: current.state,
        });
      }).pipe(Effect.orDie);
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      yield* publisher.publish(ad(1));
      yield* publisher.refreshAll();
      const settled = Option.getOrThrow(yield* store.get(ad(1).id, "blocket"));
      expect(settled.driftSince).toBe(7);
      expect(settled.state.operation?.status).toBe("succeeded");
      expect(settled.state.presence).toBe("live");
    }).pipe(Effect.provide(publisherOver([queuing(meanwhile)], store)));
  });

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
