import { describe, expect, it } from "@effect/vitest";
import { Chunk, Effect, Fiber, Layer, Option, Stream, TestClock } from "effect";
import {
  adaptersLayer,
  createAdsync,
  type Inspection,
  type InspectRequest,
  issue,
  type LoggedEvent,
  makeMemoryStore,
  Publisher,
  type Sighting,
  Store,
  type StoreService,
  type VehicleAdInput,
} from "../src/index.ts";
import { type Behaviour, down, fakeAdapter, publisherOver, queued, refOf } from "./fake-adapter.ts";

const adNumbered = (index: number) =>
  ({
    id: `ad-${String(index).padStart(4, "0")}`,
    category: "car",
    description: "A well kept family car.",
    price: { list: { amount: 35_000_000 + index, currency: "SEK" } },
    vehicle: { make: "Volvo", model: "XC90", modelYear: 2019 },
  }) satisfies VehicleAdInput;

/**
 * A marketplace the test changes from outside: what `inspect` sights per ad (live by default),
 * and pending operations settled on every read.
 */
const outside = () => {
  const shown = new Map<string, Sighting>();
  const inspect = (request: InspectRequest): Effect.Effect<Inspection> =>
    Effect.succeed({
      sightings: new Map(
        request.listings.map((listing): [string, Sighting] => [
          listing.adId,
          listing.pending === undefined
            ? (shown.get(listing.adId) ?? { status: "succeeded", presence: "live" })
            : {
                status: "succeeded",
                presence: listing.pending === "remove" ? "removed" : "live",
              },
        ]),
      ),
    });
  return { shown, inspect };
};

/** An asynchronous marketplace (creates queued) with a bulk inspect. */
const inspecting = (id: string, behaviour: Behaviour = {}) => {
  const model = outside();
  const fake = fakeAdapter(id, {
    create: (created) => Effect.succeed(queued(refOf(id, created.id), `req-${created.id}`)),
    inspect: (request) => model.inspect(request),
    ...behaviour,
  });
  return { ...fake, shown: model.shown };
};

const publishAll = (count: number, from = 0) =>
  Effect.flatMap(Publisher, (publisher) =>
    Effect.forEach(
      Array.from({ length: count }, (_, index) => adNumbered(from + index)),
      (ad) => publisher.publish(ad),
    ),
  );

const seenEvents = (store: StoreService) =>
  Effect.map(store.feed({ limit: 100_000 }), (events) =>
    events.filter((event) => event.observation._tag === "Seen"),
  );

describe("reconcile", () => {
  it.effect("reads N listings with ⌈N/batch⌉ inspect calls, and no observe", () => {
    const alpha = inspecting("alpha", { inspectBatchSize: 100 });
    const store = makeMemoryStore();
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      yield* publishAll(250);
      // The creates are pending: one bulk round settles them all.
      const settled = yield* publisher.refreshAll();
      expect(alpha.callsOf("inspect")).toHaveLength(3);
      expect(settled.marketplaces.alpha).toEqual({
        read: 250,
        changed: 250,
        calls: 3,
        failed: 0,
        pending: 0,
      });
      const report = yield* publisher.reconcile();
      expect(alpha.callsOf("inspect")).toHaveLength(6);
      expect(alpha.callsOf("observe")).toHaveLength(0);
      expect(alpha.callsOf("inspect").map((call) => call.inspected?.listings.length ?? 0)).toEqual([
        100, 100, 50, 100, 100, 50,
      ]);
      // Every page of one pass names the same round (an adapter may share a read among them,
      // as Allegro does a command's tasks); the next pass names a new one.
      const rounds = alpha.callsOf("inspect").map((call) => call.inspected?.round);
      expect(rounds[0]).toBeDefined();
      expect(rounds.slice(0, 3).every((round) => round === rounds[0])).toBe(true);
      expect(rounds.slice(3).every((round) => round === rounds[3])).toBe(true);
      expect(rounds[3]).not.toBe(rounds[0]);
      // Nothing changed on the marketplace: nothing is logged.
      expect(report.marketplaces.alpha).toEqual({
        read: 250,
        changed: 0,
        calls: 3,
        failed: 0,
        pending: 0,
      });
    }).pipe(Effect.provide(publisherOver([alpha], store)));
  });

  it.effect("records listings expired or removed outside as removed/hidden, one event each", () => {
    const alpha = inspecting("alpha");
    const store = makeMemoryStore();
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      yield* publishAll(5);
      yield* publisher.refreshAll();
      const image = issue("images.0", "remote_error", "The image could not be downloaded");
      alpha.shown.set("ad-0001", { status: "succeeded", presence: "removed", raw: "expired" });
      alpha.shown.set("ad-0002", { status: "succeeded", presence: "hidden", warnings: [image] });
      const before = (yield* seenEvents(store)).length;

      const report = yield* publisher.reconcile();
      expect(report.marketplaces.alpha?.changed).toBe(2);
      const [removed] = yield* publisher.status("ad-0001");
      const [hidden] = yield* publisher.status("ad-0002");
      expect(removed?.state.presence).toBe("removed");
      expect(hidden?.state.presence).toBe("hidden");
      // What the marketplace said is in the state, so status shows it.
      expect(hidden?.state.seen?.warnings).toEqual([{ ...image, marketplace: "alpha" }]);
      const seen = (yield* seenEvents(store)).slice(before);
      expect(seen.map((event) => [event.adId, event.state.presence])).toEqual([
        ["ad-0001", "removed"],
        ["ad-0002", "hidden"],
      ]);

      // A second pass sees the same: no event. The removed listing is not read again.
      const again = yield* publisher.reconcile();
      expect(again.marketplaces.alpha).toMatchObject({ read: 4, changed: 0 });
      expect((yield* seenEvents(store)).length).toBe(before + 2);
      // The next publish of the removed ad creates it again.
      yield* publisher.publish(adNumbered(1));
      expect(alpha.callsOf("create").map((call) => call.ad?.id)).toContain("ad-0001");
      expect(alpha.callsOf("create")).toHaveLength(6);
    }).pipe(Effect.provide(publisherOver([alpha], store)));
  });

  it.effect("drift: the next publish sends a full update, then content is confirmed", () => {
    const alpha = inspecting("alpha");
    const store = makeMemoryStore();
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      yield* publishAll(1);
      yield* publisher.refreshAll();
      const [unchanged] = (yield* publisher.publish(adNumbered(0))).outcomes;
      expect(unchanged?.result).toBe("unchanged");

      // The dealer edited the ad in the marketplace's own admin.
      alpha.shown.set("ad-0000", { status: "succeeded", presence: "live", drift: true });
      const report = yield* publisher.reconcile();
      expect(report.marketplaces.alpha?.changed).toBe(1);
      const [drifted] = (yield* seenEvents(store)).slice(-1);
      expect(drifted?.observation).toMatchObject({ _tag: "Seen", drift: true });
      // Seen again with the same drift: no new event.
      yield* publisher.reconcile();
      expect((yield* seenEvents(store)).slice(-1)).toEqual([drifted]);

      const [full] = (yield* publisher.publish(adNumbered(0))).outcomes;
      expect(full?.result).toBe("accepted");
      const updates = alpha.callsOf("update");
      expect(updates).toHaveLength(1);
      // No base payload: the adapter sends the whole content, not a diff.
      expect(updates[0]?.listing?.payload).toBeUndefined();
      alpha.shown.delete("ad-0000");
      const [confirmed] = (yield* publisher.publish(adNumbered(0))).outcomes;
      expect(confirmed?.result).toBe("unchanged");
    }).pipe(Effect.provide(publisherOver([alpha], store)));
  });

  it.effect("stores the adapter's cursor and passes it back to the next changes pass", () => {
    const cursors: Array<string | undefined> = [];
    let fail = false;
    const alpha = inspecting("alpha", {
      inspect: (request, count) => {
        cursors.push(request.cursor);
        return fail
          ? Effect.fail(down("alpha"))
          : Effect.succeed({ sightings: new Map(), cursor: `event-${count}` });
      },
    });
    const store = makeMemoryStore();
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      yield* publishAll(2);
      yield* publisher.reconcile();
      expect(yield* store.cursor("alpha")).toEqual(Option.some("event-1"));
      yield* publisher.reconcile({ mode: "changes" });
      expect(alpha.callsOf("inspect").map((call) => call.inspected?.mode)).toEqual([
        "full",
        "changes",
      ]);
      expect(cursors).toEqual([undefined, "event-1"]);
      expect(yield* store.cursor("alpha")).toEqual(Option.some("event-2"));
      // A failed pass leaves the cursor where it was: the changes behind it are read again.
      fail = true;
      const failed = yield* publisher.reconcile({ mode: "changes" });
      expect(failed.marketplaces.alpha).toMatchObject({ calls: 1, failed: 1 });
      expect(yield* store.cursor("alpha")).toEqual(Option.some("event-2"));
    }).pipe(Effect.provide(publisherOver([alpha], store)));
  });

  it.effect("falls back to one observe per listing for adapters without inspect", () => {
    const beta = fakeAdapter("beta", {
      observe: (listing) =>
        Effect.succeed({
          status: "succeeded",
          presence: listing.ref.remoteId === "beta-ad-0001" ? "hidden" : "live",
        }),
    });
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      yield* publishAll(3);
      const report = yield* publisher.reconcile();
      expect(beta.callsOf("observe")).toHaveLength(3);
      expect(report.marketplaces.beta).toEqual({
        read: 3,
        changed: 1,
        calls: 3,
        failed: 0,
        pending: 0,
      });
      const [hidden] = yield* publisher.status("ad-0001");
      expect(hidden?.state.presence).toBe("hidden");
    }).pipe(Effect.provide(publisherOver([beta])));
  });

  it.effect("sync with settle polls what it left pending in bulk until it settles", () => {
    let reads = 0;
    const alpha = inspecting("alpha", {
      inspectBatchSize: 10,
      // The marketplace finishes processing after two rounds of reads.
      inspect: (request) => {
        reads += 1;
        const done = reads > 6;
        return Effect.succeed({
          sightings: new Map(
            request.listings.map((listing): [string, Sighting] => [
              listing.adId,
              { status: done ? "succeeded" : "pending", presence: done ? "live" : "pending" },
            ]),
          ),
        });
      },
    });
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      const syncing = yield* Effect.fork(
        publisher.sync(Stream.fromIterable(Array.from({ length: 25 }, (_, i) => adNumbered(i))), {
          settle: { interval: "1 second" },
        }),
      );
      yield* TestClock.adjust("1 second");
      yield* TestClock.adjust("1 second");
      const summary = yield* Fiber.join(syncing);
      // Three rounds of ⌈25/10⌉ = 3 calls: requests grow with pages, not with ads.
      expect(alpha.callsOf("inspect")).toHaveLength(9);
      expect(alpha.callsOf("observe")).toHaveLength(0);
      expect(summary.settled?.marketplaces.alpha).toMatchObject({ read: 25, pending: 0 });
      const statuses = yield* publisher.status("ad-0024");
      expect(statuses[0]?.state.presence).toBe("live");
    }).pipe(Effect.provide(publisherOver([alpha])));
  });

  it.effect("reconcileEvery runs a pass at once and then on its schedule", () => {
    const alpha = inspecting("alpha");
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      yield* publishAll(3);
      const reports = yield* Effect.fork(
        publisher.reconcileEvery({ every: "10 minutes" }).pipe(Stream.take(3), Stream.runCollect),
      );
      yield* TestClock.adjust("1 minute");
      expect(alpha.callsOf("inspect")).toHaveLength(1);
      yield* TestClock.adjust("9 minutes");
      expect(alpha.callsOf("inspect")).toHaveLength(2);
      yield* TestClock.adjust("10 minutes");
      const collected = Chunk.toReadonlyArray(yield* Fiber.join(reports));
      expect(collected.map((report) => report.marketplaces.alpha?.read)).toEqual([3, 3, 3]);
      // The first pass settled the three creates; the later ones found nothing new.
      expect(collected.map((report) => report.marketplaces.alpha?.changed)).toEqual([3, 0, 0]);
    }).pipe(Effect.provide(publisherOver([alpha])));
  });
});

describe("the event log: events and watch", () => {
  it.effect("events pages the log from a cursor; the cursor stays on an empty page", () => {
    const alpha = inspecting("alpha");
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      yield* publishAll(3);
      const first = yield* publisher.events({ limit: 4 });
      expect(first.events.map((event) => event.seq)).toEqual([1, 2, 3, 4]);
      expect(first.cursor).toBe(4);
      const rest = yield* publisher.events({ after: first.cursor });
      expect(rest.events.map((event) => event.seq)).toEqual([5, 6]);
      const none = yield* publisher.events({ after: rest.cursor });
      expect(none).toEqual({ events: [], cursor: 6 });
    }).pipe(Effect.provide(publisherOver([alpha])));
  });

  it.effect(
    "a watcher resuming from its cursor on a new publisher misses nothing, repeats nothing",
    () => {
      const store = makeMemoryStore();
      const alpha = inspecting("alpha");
      return Effect.gen(function* () {
        // The first process: the DMS handled the first three events, then it stopped.
        const handled = yield* Effect.gen(function* () {
          const publisher = yield* Publisher;
          yield* publishAll(2);
          const watched = yield* publisher
            .watch({ after: 0 })
            .pipe(Stream.take(3), Stream.runCollect);
          yield* publishAll(3, 2);
          return Chunk.toReadonlyArray(watched);
        }).pipe(Effect.provide(publisherOver([alpha], store)));
        const cursor = handled[handled.length - 1]?.seq ?? 0;

        // A new process on the same store resumes, and more happens while it watches.
        const resumed = yield* Effect.gen(function* () {
          const publisher = yield* Publisher;
          const watching = yield* Effect.fork(
            publisher.watch({ after: cursor }).pipe(Stream.take(12), Stream.runCollect),
          );
          yield* publisher.refreshAll();
          return Chunk.toReadonlyArray(yield* Fiber.join(watching));
        }).pipe(Effect.provide(publisherOver([alpha], store)));

        const all = yield* store.feed();
        // Five creates (Started, Accepted) and five settled by the bulk read (Progress).
        expect(all).toHaveLength(15);
        expect([...handled, ...resumed]).toEqual(all);
        expect(resumed.map((event: LoggedEvent) => event.seq)).toEqual(
          Array.from({ length: 12 }, (_, index) => index + 4),
        );
      });
    },
  );

  it("the Promise facade: reconcile, events and follow from a cursor", async () => {
    const alpha = inspecting("alpha");
    const client = createAdsync(
      Layer.merge(
        adaptersLayer(Effect.succeed(alpha.adapter)),
        Layer.succeed(Store, makeMemoryStore()),
      ),
    );
    try {
      await client.publish(adNumbered(0));
      const report = await client.reconcile();
      expect(report.marketplaces.alpha).toMatchObject({ read: 1, changed: 1, calls: 1 });
      const page = await client.events({ after: 1 });
      expect(page.events.map((event) => event.observation._tag)).toEqual(["Accepted", "Progress"]);
      const followed: Array<number> = [];
      for await (const event of client.follow({ after: 1 })) {
        followed.push(event.seq);
        if (event.seq === 3) break;
      }
      expect(followed).toEqual([2, 3]);
    } finally {
      await client.close();
    }
  });
});
