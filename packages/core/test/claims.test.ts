import { describe, expect, it } from "@effect/vitest";
import { Effect, Layer, Option, TestClock } from "effect";
import {
  AdsyncError,
  adaptersLayer,
  type ListingRecord,
  type MarketplaceAdapter,
  makeMemoryStore,
  makePublisherWith,
  Store,
  type StoreService,
  type VehicleAdInput,
} from "../src/index.ts";
import { type Fake, fakeAdapter, meeting, queued, refOf, settled } from "./fake-adapter.ts";

/**
 * Claims on a listing that hold across publishers sharing one store (two processes on one
 * SQLite file behave as two publishers on one store: each has its own in-memory lock), and the
 * operations whose outcome is unknown that must not leave the store saying something untrue.
 */

const ad = (description = "First text.", price = 35_000_000): VehicleAdInput => ({
  id: "ad-1",
  category: "car",
  description,
  price: { list: { amount: price, currency: "SEK" } },
  vehicle: { make: "Volvo", model: "XC90", modelYear: 2019 },
});

/** A publisher of its own (its own locks, as in another process) over a shared store. */
const publisherOn = (
  store: StoreService,
  ...adapters: ReadonlyArray<MarketplaceAdapter>
): ReturnType<typeof publisherNamed> => publisherNamed(undefined, store, ...adapters);

const publisherNamed = (
  owner: string | undefined,
  store: StoreService,
  ...adapters: ReadonlyArray<MarketplaceAdapter>
) =>
  makePublisherWith({ leaseDuration: "10 minutes", owner }).pipe(
    Effect.provide(
      Layer.merge(
        adaptersLayer(...adapters.map((adapter) => Effect.succeed(adapter))),
        Layer.succeed(Store, store),
      ),
    ),
  );

const stored = (store: StoreService) =>
  Effect.map(store.get("ad-1", "marktplaats"), Option.getOrUndefined);

const failure = (reason: AdsyncError["reason"], message: string) =>
  new AdsyncError({ reason, marketplace: "marktplaats", message });

/** What a process that stopped after its Started record leaves behind. */
const abandon = (store: StoreService, owner: string) => {
  const abandoned: ListingRecord = {
    adId: "ad-1",
    marketplace: "marktplaats",
    state: {
      presence: "pending",
      notes: [],
      operation: {
        id: "op-crashed",
        kind: "create",
        status: "pending",
        startedAt: 0,
        issues: [],
        warnings: [],
        presenceBefore: "absent",
      },
    },
    lease: { holder: "claim-1", owner, expiresAt: 600_000 },
    updatedAt: 0,
  };
  return store.record(abandoned, {
    adId: "ad-1",
    marketplace: "marktplaats",
    observation: { _tag: "Started", operationId: "op-crashed", kind: "create", at: 0 },
    state: abandoned.state,
  });
};

describe("two publishers on one store", () => {
  it.effect("a publisher does not create while another one's create is in flight", () => {
    const gate = Effect.unsafeMakeLatch(false);
    const reached = Effect.unsafeMakeLatch(false);
    const marktplaats = fakeAdapter("marktplaats", {
      // The first create hangs on the gate: its publisher is between Started and its answer.
      create: (created) =>
        reached.open.pipe(
          Effect.zipRight(gate.await),
          Effect.as(settled(refOf("marktplaats", created.id), "live")),
        ),
    });
    const store = makeMemoryStore();
    return Effect.gen(function* () {
      const first = yield* publisherOn(store, marktplaats.adapter);
      const second = yield* publisherOn(store, marktplaats.adapter);
      const creating = yield* Effect.fork(first.publish(ad("First text.")));
      yield* reached.await;
      expect(marktplaats.callsOf("create")).toHaveLength(1);

      const refused = yield* second.publish(ad("Other text."));
      expect(refused.outcomes[0]).toMatchObject({
        result: "failed",
        reason: "Conflict",
        retryable: true,
      });
      expect(marktplaats.callsOf("create")).toHaveLength(1);

      yield* gate.open;
      yield* creating.await;
      // Once the first has its answer, the second sends its content as an update.
      const changed = yield* second.publish(ad("Other text."));
      expect(changed.outcomes[0]?.result).toBe("accepted");
      expect(marktplaats.callsOf("create")).toHaveLength(1);
      expect(marktplaats.callsOf("update")).toHaveLength(1);
      expect((yield* stored(store))?.payload).toEqual(
        expect.objectContaining({ body: "Other text." }),
      );
      expect((yield* stored(store))?.lease).toBeUndefined();
    });
  });

  it.effect("two publishers that both read the listing absent: one claim wins", () => {
    // Both publishers have loaded the (absent) listing when they meet in warm-up; both then
    // write their Started record expecting it absent. Only one create may be sent.
    const marktplaats = fakeAdapter("marktplaats");
    const meetInWarmUp: MarketplaceAdapter = { ...marktplaats.adapter, warmUp: meeting(2) };
    const store = makeMemoryStore();
    return Effect.gen(function* () {
      const first = yield* publisherOn(store, meetInWarmUp);
      const second = yield* publisherOn(store, meetInWarmUp);
      const [one, two] = yield* Effect.all(
        [first.publish(ad("First text.")), second.publish(ad("Other text.", 1_000))],
        { concurrency: "unbounded" },
      );
      const results = [one.outcomes[0], two.outcomes[0]].map((outcome) => outcome?.reason);
      expect(results.filter((reason) => reason === "Conflict")).toHaveLength(1);
      expect(marktplaats.callsOf("create")).toHaveLength(1);
      const sent = marktplaats.callsOf("create")[0]?.prepared?.payload;
      expect((yield* stored(store))?.payload).toEqual(sent);
    });
  });

  it.effect("a lease left by a process that stopped expires, and the operation resumes", () => {
    const store = makeMemoryStore();
    const marktplaats = fakeAdapter("marktplaats");
    return Effect.gen(function* () {
      yield* abandon(store, "stopped-process");
      const publisher = yield* publisherOn(store, marktplaats.adapter);
      const early = yield* publisher.publish(ad());
      expect(early.outcomes[0]?.reason).toBe("Conflict");
      expect(marktplaats.callsOf("create")).toHaveLength(0);

      yield* TestClock.adjust("10 minutes");
      const resumed = yield* publisher.publish(ad());
      expect(resumed.outcomes[0]?.result).toBe("accepted");
      expect(marktplaats.callsOf("create")).toHaveLength(1);
      expect((yield* stored(store))?.state.operation?.id).toBe("op-crashed");
    });
  });

  it.effect("a process restarted under its own name takes its abandoned lease over at once", () => {
    const store = makeMemoryStore();
    const marktplaats = fakeAdapter("marktplaats");
    return Effect.gen(function* () {
      yield* abandon(store, "worker-1");
      const other = yield* publisherNamed("worker-2", store, marktplaats.adapter);
      expect((yield* other.publish(ad())).outcomes[0]?.reason).toBe("Conflict");
      const restarted = yield* publisherNamed("worker-1", store, marktplaats.adapter);
      expect((yield* restarted.publish(ad())).outcomes[0]?.result).toBe("accepted");
      expect(marktplaats.callsOf("create")).toHaveLength(1);
      expect((yield* stored(store))?.state.operation?.id).toBe("op-crashed");
    });
  });
});

/** A publisher over one fake, alone on its store (the store is the test's to read). */
const alone = (fake: Fake | MarketplaceAdapter, store: StoreService) =>
  publisherOn(store, "adapter" in fake ? fake.adapter : fake);

describe("a publish after a removal", () => {
  it.effect("waits for a pending removal, then creates once the marketplace removed the ad", () => {
    let removing = true;
    const marktplaats = fakeAdapter("marktplaats", {
      remove: (listing) => Effect.succeed(queued(listing.ref, "remove-1")),
      observe: () =>
        Effect.succeed(
          removing
            ? { status: "pending" as const }
            : { status: "succeeded" as const, presence: "removed" as const },
        ),
    });
    const store = makeMemoryStore();
    return Effect.gen(function* () {
      const publisher = yield* alone(marktplaats, store);
      yield* publisher.publish(ad());
      yield* publisher.remove("ad-1");

      const overtaking = yield* publisher.publish(ad("Back on sale."));
      expect(overtaking.outcomes[0]).toMatchObject({ result: "failed", reason: "Conflict" });
      expect(marktplaats.callsOf("update")).toHaveLength(0);

      removing = false;
      const republished = yield* publisher.publish(ad("Back on sale."));
      expect(republished.outcomes[0]?.result).toBe("accepted");
      expect(marktplaats.callsOf("update")).toHaveLength(0);
      expect(marktplaats.callsOf("create")).toHaveLength(2);
      expect((yield* stored(store))?.state.presence).toBe("live");
    });
  });

  it.effect("creates when a removal whose answer was lost had deleted the ad", () => {
    const marktplaats = fakeAdapter("marktplaats", {
      remove: () => Effect.fail(failure("Transport", "connection dropped")),
    });
    const found: Array<string> = [];
    const withFind: MarketplaceAdapter = {
      ...marktplaats.adapter,
      find: (adId) =>
        Effect.sync(() => {
          found.push(adId);
          return Option.none();
        }),
    };
    const store = makeMemoryStore();
    return Effect.gen(function* () {
      const publisher = yield* alone(withFind, store);
      yield* publisher.publish(ad());
      yield* publisher.remove("ad-1");
      expect((yield* stored(store))?.state.presence).toBe("live");

      const republished = yield* publisher.publish(ad("Back on sale."));
      expect(found).toEqual(["ad-1"]);
      expect(republished.outcomes[0]?.result).toBe("accepted");
      expect(marktplaats.callsOf("update")).toHaveLength(0);
      expect(marktplaats.callsOf("create")).toHaveLength(2);
    });
  });

  it.effect("a marketplace answering 'not found' to an update makes the listing removed", () => {
    const marktplaats = fakeAdapter("marktplaats", {
      update: () => Effect.fail(failure("NotFound", "advertisement-not-found")),
    });
    const store = makeMemoryStore();
    return Effect.gen(function* () {
      const publisher = yield* alone(marktplaats, store);
      yield* publisher.publish(ad());
      const doomed = yield* publisher.publish(ad("Second text."));
      expect(doomed.outcomes[0]?.result).toBe("failed");
      expect((yield* stored(store))?.state.presence).toBe("removed");

      const again = yield* publisher.publish(ad("Second text."));
      expect(again.outcomes[0]?.result).toBe("accepted");
      expect(marktplaats.callsOf("create")).toHaveLength(2);
      expect(marktplaats.callsOf("update")).toHaveLength(1);
    });
  });
});

describe("an update whose outcome is unknown", () => {
  it.effect("is not trusted as landed or not: later publishes send the whole content", () => {
    let attempt = 0;
    const marktplaats = fakeAdapter("marktplaats", {
      update: (listing) =>
        Effect.suspend(() => {
          attempt += 1;
          return attempt === 1
            ? Effect.fail(failure("Timeout", "no answer within 30 s"))
            : Effect.succeed({
                ref: listing.ref,
                progress: { status: "succeeded" as const },
              });
        }),
    });
    const store = makeMemoryStore();
    return Effect.gen(function* () {
      const publisher = yield* alone(marktplaats, store);
      yield* publisher.publish(ad("First text."));
      // Times out, but may land later (after the next update succeeded).
      yield* publisher.publish(ad("Timed out."));
      yield* publisher.publish(ad("Newest text."));
      // The same content again: not `unchanged`, as the timed-out text may have landed since.
      const again = yield* publisher.publish(ad("Newest text."));
      expect(again.outcomes[0]?.result).toBe("accepted");
      const bases = marktplaats.callsOf("update").map((call) => call.listing?.payload);
      // The first update diffs from the confirmed content; the later ones send everything.
      expect(bases).toEqual([
        expect.objectContaining({ body: "First text." }),
        undefined,
        undefined,
      ]);

      // Once an update started a lease's length after the unanswered one has succeeded, the
      // content is confirmed again and an unchanged ad costs nothing.
      yield* TestClock.adjust("10 minutes");
      yield* publisher.publish(ad("Newest text."));
      expect((yield* stored(store))?.unconfirmedSince).toBeUndefined();
      const settled = yield* publisher.publish(ad("Newest text."));
      expect(settled.outcomes[0]?.result).toBe("unchanged");
      expect(marktplaats.callsOf("update")).toHaveLength(4);
    });
  });
});
