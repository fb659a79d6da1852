/**
 * #9 "never lose or strand a listing": the defects the model-based test found
 * (packages/cli/test/model), each replayed here on the fake adapter.
 */
import { describe, expect, it } from "@effect/vitest";
import { Deferred, Effect, Fiber, FiberId, Option, Stream } from "effect";
import {
  type FindHint,
  type ListingRef,
  type MarketplaceAdapter,
  makeMemoryStore,
  type Progress,
  Publisher,
  type Submitted,
} from "../src/index.ts";
import {
  type Behaviour,
  fakeAdapter,
  publisherOver,
  queued,
  refOf,
  settled,
} from "./fake-adapter.ts";
import { sampleAd as ad } from "./support/sample-ad.ts";

/** The fake with a `find` by the dealer's ad id (what the marketplace holds now). */
const withFind = (
  fake: ReturnType<typeof fakeAdapter>,
  find: (adId: string) => Option.Option<ListingRef>,
) => {
  const adapter: MarketplaceAdapter = {
    ...fake.adapter,
    find: (adId) => Effect.sync(() => find(adId)),
  };
  return { ...fake, adapter };
};

/**
 * A marketplace that chooses its own ids (Marktplaats): every create makes a new ad with a new
 * id, and `find` answers the live one. The `hold`-th create lands but its answer never comes
 * (the process stops while it is under way).
 */
const serverIds = (hold: number, behaviour: Behaviour = {}) => {
  const live = new Map<string, ListingRef>();
  const removed: Array<string> = [];
  let creates = 0;
  const held = Deferred.unsafeMake<void>(FiberId.none);
  const fake = fakeAdapter("alpha", {
    ...behaviour,
    create: (created) =>
      Effect.suspend(() => {
        creates += 1;
        const ref = { ...refOf("alpha", created.id), remoteId: `alpha-${creates}` };
        live.set(created.id, ref);
        return creates === hold
          ? Deferred.succeed(held, undefined).pipe(Effect.zipRight(Effect.never))
          : Effect.succeed(settled(ref, "live"));
      }),
    remove: (listing) =>
      Effect.sync(() => {
        removed.push(listing.ref.remoteId);
        for (const [adId, ref] of live)
          if (ref.remoteId === listing.ref.remoteId) live.delete(adId);
        return settled(listing.ref, "removed");
      }),
  });
  return {
    fake: withFind(fake, (adId) => Option.fromNullable(live.get(adId))),
    live,
    removed,
    held,
  };
};

/**
 * Published, removed, published again (as `again`, the same ad by default): that create lands
 * (alpha-2), its answer never comes.
 */
const republishInterrupted = (world: ReturnType<typeof serverIds>, again: typeof ad = ad) =>
  Effect.gen(function* () {
    const publisher = yield* Publisher;
    yield* publisher.publish(ad);
    yield* publisher.remove(ad.id);
    const lost = yield* Effect.fork(publisher.publish(again));
    yield* Deferred.await(world.held);
    yield* Fiber.interrupt(lost);
    return publisher;
  });

describe("a republish interrupted after its create landed (a stale ref)", () => {
  it.live("the next publish resumes the create instead of answering Conflict forever", () => {
    const world = serverIds(2);
    const store = makeMemoryStore();
    return Effect.gen(function* () {
      const publisher = yield* republishInterrupted(world);
      const again = yield* publisher.publish(ad);
      expect(again.outcomes[0]).toMatchObject({ operation: "create", result: "accepted" });
      const [record] = yield* store.list(ad.id);
      expect(record?.state.presence).toBe("live");
      expect(record?.ref?.remoteId).toBe(world.live.get(ad.id)?.remoteId);
    }).pipe(Effect.provide(publisherOver([world.fake], store)));
  });

  it.live("a removal looks the new listing up and removes it, not the old ref", () => {
    const world = serverIds(2);
    const store = makeMemoryStore();
    return Effect.gen(function* () {
      const publisher = yield* republishInterrupted(world);
      const removal = yield* publisher.remove(ad.id);
      expect(removal.outcomes[0]).toMatchObject({ operation: "remove", result: "accepted" });
      // The ad the interrupted create made is gone: nothing is left live and unknown.
      expect(world.live.size).toBe(0);
      expect(world.removed).toEqual(["alpha-1", "alpha-2"]);
      const [record] = yield* store.list(ad.id);
      expect(record?.state.presence).toBe("removed");
    }).pipe(Effect.provide(publisherOver([world.fake], store)));
  });
});

describe("find is told what adsync last sent (a marketplace with no field for the ad id)", () => {
  it.live(
    "a removal after an interrupted republish looks it up with the payload adsync last sent",
    () => {
      const world = serverIds(2);
      const hints: Array<unknown> = [];
      const find = world.fake.adapter.find;
      const fake = {
        ...world.fake,
        adapter: {
          ...world.fake.adapter,
          find: (adId: string, sent?: FindHint) =>
            Effect.suspend(() => {
              hints.push(sent?.payload);
              return find === undefined ? Effect.succeed(Option.none()) : find(adId, sent);
            }),
        } satisfies MarketplaceAdapter,
      };
      const repriced = { ...ad, price: { list: { amount: 31_000_000, currency: "SEK" } } };
      const store = makeMemoryStore();
      return Effect.gen(function* () {
        // Published again with another price.
        const publisher = yield* republishInterrupted(world, repriced);
        const removal = yield* publisher.remove(ad.id);
        expect(removal.outcomes[0]).toMatchObject({ operation: "remove", result: "accepted" });
        // What adsync last sent: the interrupted create's Started record carries the payload
        // it sent (#14), the repriced car, not the earlier listing's.
        expect(hints).toEqual([
          { source_id: ad.id, subject: "Volvo XC90", body: ad.description, price: 31_000_000 },
        ]);
        expect(world.removed).toEqual(["alpha-1", "alpha-2"]);
      }).pipe(Effect.provide(publisherOver([fake], store)));
    },
  );
});

describe("a removal and a create the marketplace is still processing", () => {
  it.live("a removal reads a pending create first and does not overtake it", () => {
    let processing = true;
    const alpha = fakeAdapter("alpha", {
      create: (created) => Effect.succeed(queued(refOf("alpha", created.id), "req-1")),
      observe: () =>
        Effect.sync(
          (): Progress =>
            processing
              ? { status: "pending", presence: "pending" }
              : { status: "succeeded", presence: "live" },
        ),
    });
    const store = makeMemoryStore();
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      yield* publisher.publish(ad);
      const early = yield* publisher.remove(ad.id);
      expect(early.outcomes[0]).toMatchObject({
        operation: "remove",
        result: "failed",
        reason: "Conflict",
        retryable: true,
      });
      expect(alpha.callsOf("remove")).toHaveLength(0);
      processing = false;
      const later = yield* publisher.remove(ad.id);
      expect(later.outcomes[0]).toMatchObject({ operation: "remove", result: "accepted" });
      expect(alpha.callsOf("remove")).toHaveLength(1);
      const [record] = yield* store.list(ad.id);
      expect(record?.state.presence).toBe("removed");
    }).pipe(Effect.provide(publisherOver([alpha], store)));
  });

  it.live("a re-create answered pending with no handle (an adopted offer) is retried", () => {
    let creates = 0;
    const alpha = fakeAdapter("alpha", {
      // The second create adopts an offer still activating: pending, and no command id.
      create: (created) =>
        Effect.sync((): Submitted => {
          creates += 1;
          return creates === 2
            ? {
                ref: refOf("alpha", created.id),
                progress: { status: "pending", presence: "pending" },
              }
            : settled(refOf("alpha", created.id), "live");
        }),
    });
    const store = makeMemoryStore();
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      yield* publisher.publish(ad);
      yield* publisher.remove(ad.id);
      yield* publisher.publish(ad);
      const again = yield* publisher.publish(ad);
      expect(again.outcomes[0]).toMatchObject({ operation: "create", result: "accepted" });
      const [record] = yield* store.list(ad.id);
      expect(record?.state).toMatchObject({
        presence: "live",
        operation: { kind: "create", status: "succeeded" },
      });
    }).pipe(Effect.provide(publisherOver([alpha], store)));
  });

  it.live("a publish after an interrupted removal of a listing still there updates it", () => {
    const held = Deferred.unsafeMake<void>(FiberId.none);
    let removals = 0;
    const alpha = withFind(
      fakeAdapter("alpha", {
        remove: () =>
          Effect.suspend(() => {
            removals += 1;
            return Deferred.succeed(held, undefined).pipe(Effect.zipRight(Effect.never));
          }),
      }),
      (adId) => Option.some(refOf("alpha", adId)),
    );
    const store = makeMemoryStore();
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      yield* publisher.publish(ad);
      const lost = yield* Effect.fork(publisher.remove(ad.id));
      yield* Deferred.await(held);
      yield* Fiber.interrupt(lost);
      const again = yield* publisher.publish({ ...ad, description: "Newly serviced." });
      expect(again.outcomes[0]).toMatchObject({ operation: "update", result: "accepted" });
      expect(removals).toBe(1);
    }).pipe(Effect.provide(publisherOver([alpha], store)));
  });
});

describe("a sync whose stock no longer has an ad whose create's outcome is unknown", () => {
  /** The first create lands and its answer never comes; then the stock drops the ad. */
  const interruptedThenDropped = (world: ReturnType<typeof serverIds>) =>
    Effect.gen(function* () {
      const publisher = yield* Publisher;
      const lost = yield* Effect.fork(publisher.publish(ad));
      yield* Deferred.await(world.held);
      yield* Fiber.interrupt(lost);
      return yield* publisher.sync(Stream.empty, { removeMissing: true });
    });

  it.live("removes what the create made, one remove at a time", () => {
    const world = serverIds(1);
    const store = makeMemoryStore();
    return Effect.gen(function* () {
      const summary = yield* interruptedThenDropped(world);
      expect(summary.removed).toEqual([ad.id]);
      expect(world.live.size).toBe(0);
      expect(world.removed).toEqual(["alpha-1"]);
    }).pipe(Effect.provide(publisherOver([world.fake], store)));
  });

  it.live("removes what the create made through removeMany", () => {
    const world = serverIds(1);
    const grouped: Array<ReadonlyArray<string>> = [];
    const remove = world.fake.adapter.remove;
    const adapter: MarketplaceAdapter = {
      ...world.fake.adapter,
      removeMany: (listings) =>
        Effect.suspend(() => {
          grouped.push(listings.map((listing) => listing.ref.remoteId));
          return Effect.forEach(listings, (listing) => Effect.either(remove(listing)));
        }),
    };
    const store = makeMemoryStore();
    return Effect.gen(function* () {
      const summary = yield* interruptedThenDropped(world);
      expect(summary.removed).toEqual([ad.id]);
      expect(grouped).toEqual([["alpha-1"]]);
      expect(world.live.size).toBe(0);
    }).pipe(Effect.provide(publisherOver([{ ...world.fake, adapter }], store)));
  });
});
