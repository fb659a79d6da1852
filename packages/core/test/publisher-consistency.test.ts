import { describe, expect, it } from "@effect/vitest";
import { Effect, Layer, Option, Stream } from "effect";
import {
  AdsyncError,
  adaptersLayer,
  type CreateRequest,
  type MarketplaceAdapter,
  makeMemoryStore,
  Publisher,
  publisherLayer,
  Store,
  type VehicleAdInput,
} from "../src/index.ts";
import { fakeAdapter, publisherOver, queued, refOf, settled } from "./fake-adapter.ts";

/**
 * Sequences where the publisher must keep the store and the marketplace in agreement: lost
 * answers, operations that overlap, batches.
 */

const ad = (description = "First text.", price = 35_000_000): VehicleAdInput => ({
  id: "ad-1",
  category: "car",
  description,
  price: { list: { amount: price, currency: "SEK" } },
  vehicle: { make: "Volvo", model: "XC90", modelYear: 2019 },
});

const timeout = (marketplace: string) =>
  new AdsyncError({ reason: "Timeout", marketplace, message: `${marketplace} did not answer` });

describe("a create whose outcome is unknown", () => {
  it.effect("is found through the adapter and removed when the car is sold", () => {
    const blocket = fakeAdapter("blocket", { create: () => Effect.fail(timeout("blocket")) });
    const found: Array<string> = [];
    const withFind: MarketplaceAdapter = {
      ...blocket.adapter,
      find: (adId) =>
        Effect.sync(() => {
          found.push(adId);
          return Option.some(refOf("blocket", adId));
        }),
    };
    const store = makeMemoryStore();
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      const created = yield* publisher.publish(ad());
      expect(created.outcomes[0]?.result).toBe("failed");
      const removed = yield* publisher.remove("ad-1");
      expect(found).toEqual(["ad-1"]);
      expect(removed.outcomes.map((outcome) => outcome.result)).toEqual(["accepted"]);
      expect(blocket.callsOf("remove").map((call) => call.listing?.ref.remoteId)).toEqual([
        "blocket-ad-1",
      ]);
    }).pipe(
      Effect.provide(
        publisherLayer.pipe(
          Layer.provide(
            Layer.merge(adaptersLayer(Effect.succeed(withFind)), Layer.succeed(Store, store)),
          ),
        ),
      ),
    );
  });

  it.effect("makes the next create a resumed one, so the adapter looks before it creates", () => {
    const contexts: Array<boolean | undefined> = [];
    let attempts = 0;
    const blocket = fakeAdapter("blocket", {
      create: (created, _prepared, context) =>
        Effect.suspend(() => {
          contexts.push(context?.resumed);
          attempts += 1;
          return attempts === 1
            ? Effect.fail(timeout("blocket"))
            : Effect.succeed(settled(refOf("blocket", created.id), "live"));
        }),
    });
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      yield* publisher.publish(ad());
      yield* publisher.publish(ad());
      expect(contexts).toEqual([false, true]);
    }).pipe(Effect.provide(publisherOver([blocket])));
  });
});

describe("operations that overlap", () => {
  it.effect(
    "a change published while the create is processing sends nothing and keeps following the create",
    () => {
      const blocket = fakeAdapter("blocket", {
        create: (created) => Effect.succeed(queued(refOf("blocket", created.id), "create-1")),
        observe: () => Effect.succeed({ status: "pending", presence: "pending" }),
      });
      return Effect.gen(function* () {
        const publisher = yield* Publisher;
        yield* publisher.publish(ad());
        const changed = yield* publisher.publish(ad("Second text."));
        const [outcome] = changed.outcomes;
        expect(outcome).toMatchObject({ result: "failed", reason: "Conflict", retryable: true });
        expect(blocket.callsOf("update")).toHaveLength(0);
        const [status] = yield* publisher.status("ad-1");
        expect(status?.state.operation).toMatchObject({
          kind: "create",
          requestId: "create-1",
          status: "pending",
        });
        expect(status?.state.presence).toBe("pending");
      }).pipe(Effect.provide(publisherOver([blocket])));
    },
  );

  it.effect(
    "publishing again while a removal is pending acts instead of answering unchanged",
    () => {
      const blocket = fakeAdapter("blocket", {
        remove: (listing) => Effect.succeed(queued(listing.ref, "remove-1")),
      });
      return Effect.gen(function* () {
        const publisher = yield* Publisher;
        yield* publisher.publish(ad());
        yield* publisher.remove("ad-1");
        const again = yield* publisher.publish(ad());
        expect(again.outcomes[0]?.result).not.toBe("unchanged");
        expect(blocket.callsOf("update")).toHaveLength(1);
      }).pipe(Effect.provide(publisherOver([blocket])));
    },
  );

  it.effect("a second update is diffed against what the marketplace is known to hold", () => {
    const blocket = fakeAdapter("blocket", {
      update: (listing) => Effect.succeed(queued(listing.ref, "update")),
    });
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      yield* publisher.publish(ad("First text."));
      yield* publisher.publish(ad("Second text."));
      yield* publisher.publish(ad("Second text.", 30_000_000));
      const bases = blocket.callsOf("update").map((call) => call.listing?.payload);
      // Both updates start from the confirmed first text: the pending second may still fail.
      expect(bases).toEqual([
        expect.objectContaining({ body: "First text." }),
        expect.objectContaining({ body: "First text." }),
      ]);
    }).pipe(Effect.provide(publisherOver([blocket])));
  });

  it.effect("hiding during a pending update does not confirm the update's content", () => {
    const store = makeMemoryStore();
    const blocket = fakeAdapter("blocket", {
      update: (listing) => Effect.succeed(queued(listing.ref, "update")),
      hide: (listing) =>
        Effect.succeed({ ...settled(listing.ref, "hidden"), payload: listing.payload }),
    });
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      yield* publisher.publish(ad("First text."));
      yield* publisher.publish(ad("Second text."));
      yield* publisher.hide("ad-1");
      const record = Option.getOrThrow(yield* store.get("ad-1", "blocket"));
      expect(record.payload).toMatchObject({ body: "First text." });
    }).pipe(Effect.provide(publisherOver([blocket], store)));
  });
});

describe("a batched sync", () => {
  it.effect("creates an ad listed twice in the stock once", () => {
    const batches: Array<ReadonlyArray<CreateRequest>> = [];
    const allegro = fakeAdapter("allegro", { capabilities: { batchPublication: true } });
    const batching: MarketplaceAdapter = {
      ...allegro.adapter,
      createMany: (requests) =>
        Effect.sync(() => {
          batches.push(requests);
          return requests.map((request) =>
            Effect.runSync(
              Effect.either(Effect.succeed(queued(refOf("allegro", request.ad.id), "c1"))),
            ),
          );
        }),
    };
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      yield* publisher.sync(Stream.fromIterable([ad(), ad()]), { concurrency: 1 });
      expect(batches.map((batch) => batch.map((request) => request.ad.id))).toEqual([["ad-1"]]);
    }).pipe(
      Effect.provide(
        publisherLayer.pipe(
          Layer.provide(
            Layer.merge(
              adaptersLayer(Effect.succeed(batching)),
              Layer.succeed(Store, makeMemoryStore()),
            ),
          ),
        ),
      ),
    );
  });
});
