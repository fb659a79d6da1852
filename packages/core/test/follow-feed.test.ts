import { describe, expect, it } from "@effect/vitest";
import { Chunk, Effect, Fiber, Layer, Stream, TestClock } from "effect";
import {
  DealerStores,
  EventFeed,
  followFeed,
  type ListingRecord,
  type LoggedEvent,
  makeMemoryDealerStores,
} from "../src/index.ts";

/*
 * The log across every dealer, followed: events of two dealers in `seq` order, each naming its
 * dealer, from a cursor or from now on; an empty read waits its interval (TestClock) and reads
 * again, so events written later (by another process, say) arrive without a wake-up.
 */

const recordFor = (dealer: string, adId: string, at: number) =>
  Effect.gen(function* () {
    const store = yield* (yield* DealerStores).storeFor(dealer);
    const listing: ListingRecord = {
      adId,
      marketplace: "blocket",
      state: { presence: "live", notes: [] },
      updatedAt: at,
    };
    yield* store.record(listing, {
      adId,
      marketplace: "blocket",
      observation: { _tag: "Seen", presence: "live", at },
      state: listing.state,
    });
  });

const memoryStores = Layer.unwrapEffect(
  Effect.sync(() => {
    const { stores, feed } = makeMemoryDealerStores();
    return Layer.merge(Layer.succeed(DealerStores, stores), Layer.succeed(EventFeed, feed));
  }),
);

const seen = (events: Chunk.Chunk<LoggedEvent>) =>
  Chunk.toReadonlyArray(events).map((event) => `${event.dealer}/${event.adId}`);

describe("followFeed", () => {
  it.effect("reads every dealer's events from a cursor, then waits for new ones", () =>
    Effect.gen(function* () {
      yield* recordFor("d-1", "a", 1);
      yield* recordFor("d-2", "a", 2);
      const following = yield* Effect.fork(
        Stream.runCollect(Stream.take(followFeed({ after: 0, interval: "5 seconds" }), 4)),
      );
      yield* TestClock.adjust("1 second");
      yield* recordFor("d-2", "b", 3);
      yield* recordFor("d-1", "b", 4);
      // Nothing wakes the follower: it reads again once its interval has passed.
      expect(following.unsafePoll()).toBeNull();
      yield* TestClock.adjust("5 seconds");
      const events = yield* Fiber.join(following);
      expect(seen(events)).toEqual(["d-1/a", "d-2/a", "d-2/b", "d-1/b"]);
      expect(Chunk.toReadonlyArray(events).map((event) => event.seq)).toEqual([1, 2, 3, 4]);
    }).pipe(Effect.provide(memoryStores)),
  );

  it.effect("without a cursor starts from now, and pages through more than a read's limit", () =>
    Effect.gen(function* () {
      yield* recordFor("d-1", "old", 1);
      const following = yield* Effect.fork(
        Stream.runCollect(Stream.take(followFeed({ interval: "1 second", limit: 2 }), 5)),
      );
      yield* TestClock.adjust("1 second");
      for (const [index, dealer] of ["d-1", "d-2", "d-3", "d-1", "d-2"].entries())
        yield* recordFor(dealer, `new-${index}`, 10 + index);
      yield* TestClock.adjust("1 second");
      const events = yield* Fiber.join(following);
      expect(seen(events)).toEqual([
        "d-1/new-0",
        "d-2/new-1",
        "d-3/new-2",
        "d-1/new-3",
        "d-2/new-4",
      ]);
    }).pipe(Effect.provide(memoryStores)),
  );
});
