import {
  type AdsyncError,
  expectedOf,
  isRecordConflict,
  type LifecycleEvent,
  type ListingRecord,
  type StoreService,
  unchangedSince,
} from "@adsync/core";
import { describe, expect, it } from "@effect/vitest";
import { Effect, Either, Option, type Scope } from "effect";
import fc from "fast-check";
import {
  event,
  listing,
  live,
  pending,
  recordCallArbitrary,
  richListing,
  started,
} from "./fixtures.ts";

/** A fresh, empty store for each test; released with the test's scope. */
export type MakeStore = Effect.Effect<StoreService, AdsyncError, Scope.Scope>;

/**
 * A fresh, empty store that can be opened again (a process restarting on the same file): each
 * run of the inner effect opens it, released with the scope it runs in.
 */
export type MakeReopenable = Effect.Effect<MakeStore, AdsyncError, Scope.Scope>;

const operation = (id: string) => ({
  id,
  kind: "create" as const,
  status: "pending" as const,
  startedAt: 1,
  issues: [],
  warnings: [],
  presenceBefore: "absent" as const,
});

const keyOf = (record: ListingRecord) => `${record.marketplace}\u0000${record.adId}`;

// The port does not promise an order for `list`, so listings are compared as sets.
const byKey = (records: ReadonlyArray<ListingRecord>) =>
  [...records].sort((left, right) => keyOf(left).localeCompare(keyOf(right)));

export interface ConformanceOptions {
  /**
   * The dealer the store serves, which it names on every event it reads
   * (`LifecycleEvent.dealer`); absent for a store that knows no dealer.
   */
  readonly dealer?: string | undefined;
}

/**
 * The StoreService contract, as every store must honour it (one suite for all drivers, as
 * unstorage runs one suite against every driver).
 */
export const storeConformance = (
  name: string,
  makeStore: MakeStore,
  makeReopenable: MakeReopenable,
  options: ConformanceOptions = {},
) =>
  describe(`StoreService contract: ${name}`, () => {
    /** An event as the store reads it back: naming the store's dealer, when it serves one. */
    const named = <E extends LifecycleEvent>(recorded: E): E =>
      options.dealer === undefined ? recorded : { ...recorded, dealer: options.dealer };
    const seen = (adId: string, at: number) =>
      event(adId, "blocket", { _tag: "Seen", presence: "live", at }, live);
    const recordSeen = (store: StoreService, adId: string, at: number) =>
      store.record(listing(adId, "blocket", live, at), seen(adId, at));

    it.scoped("numbers every event in one global log, 1, 2, 3, … in recording order", () =>
      Effect.gen(function* () {
        const store = yield* makeStore;
        expect(yield* store.lastSeq).toBe(0);
        expect(yield* store.feed()).toStrictEqual([]);
        const recorded = [seen("ad-2", 1), seen("ad-1", 2), seen("ad-2", 3)];
        for (const each of recorded) {
          yield* store.record(listing(each.adId, "blocket", live, 0), each);
        }

        expect(yield* store.feed()).toStrictEqual(
          recorded.map((each, index) => ({ ...named(each), seq: index + 1 })),
        );
        expect(yield* store.lastSeq).toBe(3);
        // The per-ad log stays as it was: events without their place in the global log.
        expect(yield* store.events("ad-2")).toStrictEqual(
          [recorded[0], recorded[2]].map((each) => each && named(each)),
        );
      }),
    );

    it.scoped("reads the log after a cursor, a page at a time, each event exactly once", () =>
      Effect.gen(function* () {
        const store = yield* makeStore;
        for (let at = 1; at <= 7; at++) yield* recordSeen(store, `ad-${at % 3}`, at);

        expect((yield* store.feed({ after: 5 })).map((each) => each.seq)).toStrictEqual([6, 7]);
        expect(yield* store.feed({ after: 7 })).toStrictEqual([]);
        const read: Array<number> = [];
        let cursor = 0;
        for (;;) {
          const page = yield* store.feed({ after: cursor, limit: 3 });
          if (page.length === 0) break;
          expect(page.length).toBeLessThanOrEqual(3);
          read.push(...page.map((each) => each.observation.at));
          cursor = page[page.length - 1]?.seq ?? cursor;
        }
        expect(read).toStrictEqual([1, 2, 3, 4, 5, 6, 7]);
      }),
    );

    it.scoped("gives a refused conditional write no number: the log has no gap", () =>
      Effect.gen(function* () {
        const store = yield* makeStore;
        yield* recordSeen(store, "ad-1", 1);
        const refused = yield* Effect.either(
          store.record(listing("ad-1", "blocket", live, 2), seen("ad-1", 2), {
            operationId: "op-elsewhere",
            leaseHolder: undefined,
          }),
        );
        expect(Either.isLeft(refused)).toBe(true);
        yield* recordSeen(store, "ad-1", 3);

        expect((yield* store.feed()).map((each) => [each.seq, each.observation.at])).toStrictEqual([
          [1, 1],
          [2, 3],
        ]);
      }),
    );

    it.scoped("resumes after a restart from the last cursor: no event missed, none twice", () =>
      Effect.gen(function* () {
        const open = yield* makeReopenable;
        const cursor = yield* Effect.scoped(
          Effect.gen(function* () {
            const store = yield* open;
            for (let at = 1; at <= 4; at++) yield* recordSeen(store, `ad-${at}`, at);
            // A DMS read two events and stored its cursor; then the process stopped.
            const read = yield* store.feed({ limit: 2 });
            for (let at = 5; at <= 6; at++) yield* recordSeen(store, `ad-${at}`, at);
            return read[read.length - 1]?.seq ?? 0;
          }),
        );

        const store = yield* open;
        yield* recordSeen(store, "ad-7", 7);
        const rest = yield* store.feed({ after: cursor });
        expect(rest.map((each) => each.observation.at)).toStrictEqual([3, 4, 5, 6, 7]);
        expect(rest.map((each) => each.seq)).toStrictEqual([3, 4, 5, 6, 7]);
        expect(yield* store.lastSeq).toBe(7);
      }),
    );

    it.scoped("walks one marketplace's keys in pages, ascending, each key once", () =>
      Effect.gen(function* () {
        const store = yield* makeStore;
        const ids = ["b", "a", "d", "c", "e", "a-1"];
        for (const adId of ids) {
          yield* store.record(
            listing(adId, "blocket", live, 0),
            event(adId, "blocket", started("op", 0), live),
          );
          // The same ad twice (a new record, no new key) and on another marketplace.
          yield* store.record(
            listing(adId, "blocket", pending, 1),
            event(adId, "blocket", started("op", 1), pending),
          );
          yield* store.record(
            listing(`${adId}-other`, "tradera", live, 0),
            event(adId, "tradera", started("op", 0), live),
          );
        }
        const walked: Array<ReadonlyArray<string>> = [];
        let after: string | undefined;
        for (;;) {
          const page = yield* store.keys({ marketplace: "blocket", after, limit: 4 });
          if (page.length === 0) break;
          walked.push(page);
          after = page[page.length - 1];
        }
        expect(walked).toStrictEqual([
          ["a", "a-1", "b", "c"],
          ["d", "e"],
        ]);
        // A listing added behind the walk's position is met by a later walk, not this one.
        yield* recordSeen(store, "f", 2);
        expect(yield* store.keys({ marketplace: "blocket", after: "e", limit: 4 })).toStrictEqual([
          "f",
        ]);
        expect(yield* store.keys({ marketplace: "allegro", limit: 4 })).toStrictEqual([]);
      }),
    );

    it.scoped("reads a page of listings as `keys` pages them (when the store offers `page`)", () =>
      Effect.gen(function* () {
        const store = yield* makeStore;
        const page = store.page;
        // Optional in the port: a store without it is read key by key (nothing to check).
        if (page === undefined) return;
        for (const adId of ["b", "a", "c"]) yield* recordSeen(store, adId, 1);
        yield* store.record(listing("a", "tradera", pending, 0), seen("a", 0));
        const first = yield* page({ marketplace: "blocket", limit: 2 });
        expect(first).toStrictEqual([
          Option.getOrThrow(yield* store.get("a", "blocket")),
          Option.getOrThrow(yield* store.get("b", "blocket")),
        ]);
        const rest = yield* page({ marketplace: "blocket", after: "b", limit: 2 });
        expect(rest.map((record) => [record.adId, record.marketplace])).toStrictEqual([
          ["c", "blocket"],
        ]);
        expect(yield* page({ marketplace: "allegro", limit: 2 })).toStrictEqual([]);
      }),
    );

    it.scoped("stores cursors by name, the last value saved", () =>
      Effect.gen(function* () {
        const open = yield* makeReopenable;
        yield* Effect.scoped(
          Effect.gen(function* () {
            const store = yield* open;
            expect(yield* store.cursor("allegro")).toStrictEqual(Option.none());
            yield* store.saveCursor("allegro", "event-1");
            yield* store.saveCursor("allegro", "event-2");
            yield* store.saveCursor("blocket", "x");
          }),
        );
        const store = yield* open;
        expect(yield* store.cursor("allegro")).toStrictEqual(Option.some("event-2"));
        expect(yield* store.cursor("blocket")).toStrictEqual(Option.some("x"));
        expect(yield* store.cursor("tradera")).toStrictEqual(Option.none());
      }),
    );

    it.scoped("answers None for a listing it never recorded", () =>
      Effect.gen(function* () {
        const store = yield* makeStore;
        expect(yield* store.get("ad-1", "blocket")).toStrictEqual(Option.none());

        yield* store.record(
          listing("ad-1", "bytbil", live, 1),
          event("ad-1", "bytbil", started("op-1", 1), live),
        );
        expect(yield* store.get("ad-1", "blocket")).toStrictEqual(Option.none());
        expect(yield* store.get("ad-2", "bytbil")).toStrictEqual(Option.none());
      }),
    );

    it.scoped(
      "gives back exactly the listing recorded, nested state, ref and payload included",
      () =>
        Effect.gen(function* () {
          const store = yield* makeStore;
          const recorded = event(
            richListing.adId,
            richListing.marketplace,
            started("op-7", 5),
            richListing.state,
          );
          yield* store.record(richListing, recorded);

          expect(yield* store.get(richListing.adId, richListing.marketplace)).toStrictEqual(
            Option.some(richListing),
          );
          expect(yield* store.events(richListing.adId)).toStrictEqual([named(recorded)]);
        }),
    );

    it.scoped("keeps keys named like Object.prototype's members, __proto__ included", () =>
      Effect.gen(function* () {
        const store = yield* makeStore;
        // As JSON.parse gives them back: "__proto__" is an own member, not the prototype.
        const ids: Record<string, string> = JSON.parse('{"__proto__":"p-1","constructor":"c-1"}');
        const meta: Record<string, string> = JSON.parse('{"toString":"t","__proto__":"m"}');
        const payload: unknown = JSON.parse('{"__proto__":{"polluted":true},"title":"x"}');
        const awkward: ListingRecord = {
          ...listing("ad-1", "blocket", live, 1),
          ref: { remoteId: "r-1", ids, meta },
          payload,
        };
        yield* store.record(awkward, event("ad-1", "blocket", started("op-1", 1), live));

        const [found] = yield* store.list("ad-1");
        expect(found).toStrictEqual(awkward);
        expect(Object.keys(found?.ref?.ids ?? {})).toStrictEqual(["__proto__", "constructor"]);
        expect(Object.hasOwn(found?.ref?.meta ?? {}, "__proto__")).toBe(true);
        expect(Object.getPrototypeOf(found?.ref?.ids)).toBe(Object.prototype);
      }),
    );

    it.scoped("lists the listings of one ad, or of every ad", () =>
      Effect.gen(function* () {
        const store = yield* makeStore;
        const first = listing("ad-1", "blocket", live, 1);
        const second = listing("ad-1", "bytbil", pending, 2);
        const other = listing("ad-2", "blocket", live, 3);
        for (const each of [first, second, other]) {
          yield* store.record(
            each,
            event(each.adId, each.marketplace, started("op", 0), each.state),
          );
        }

        expect(byKey(yield* store.list("ad-1"))).toStrictEqual(byKey([first, second]));
        expect(yield* store.list("ad-2")).toStrictEqual([other]);
        expect(yield* store.list("ad-3")).toStrictEqual([]);
        expect(byKey(yield* store.list())).toStrictEqual(byKey([first, second, other]));
      }),
    );

    it.scoped("keeps each ad's events in the order they were recorded", () =>
      Effect.gen(function* () {
        const store = yield* makeStore;
        const calls: ReadonlyArray<LifecycleEvent> = [
          event("ad-1", "blocket", started("op-1", 1), pending),
          event("ad-2", "blocket", started("op-2", 2), pending),
          event("ad-1", "bytbil", started("op-3", 3), pending),
          event("ad-1", "blocket", { _tag: "Seen", presence: "live", at: 4 }, live),
          event(
            "ad-2",
            "blocket",
            { _tag: "Rejected", operationId: "op-2", issues: [], at: 5 },
            live,
          ),
        ];
        for (const [index, each] of calls.entries()) {
          yield* store.record(listing(each.adId, each.marketplace, each.state, index), each);
        }

        expect(yield* store.events("ad-1")).toStrictEqual(
          calls.filter((each) => each.adId === "ad-1").map(named),
        );
        expect(yield* store.events("ad-2")).toStrictEqual(
          calls.filter((each) => each.adId === "ad-2").map(named),
        );
        expect(yield* store.events("ad-3")).toStrictEqual([]);
      }),
    );

    it.scoped("replaces the listing on each record but appends its event", () =>
      Effect.gen(function* () {
        const store = yield* makeStore;
        const before = listing("ad-1", "blocket", pending, 1);
        const after = { ...listing("ad-1", "blocket", live, 2), payload: { title: "andra" } };
        const first = event("ad-1", "blocket", started("op-1", 1), pending);
        const second = event("ad-1", "blocket", { _tag: "Seen", presence: "live", at: 2 }, live);
        yield* store.record(before, first);
        yield* store.record(after, second);

        expect(yield* store.get("ad-1", "blocket")).toStrictEqual(Option.some(after));
        expect(yield* store.list()).toStrictEqual([after]);
        expect(yield* store.events("ad-1")).toStrictEqual([first, second].map(named));
      }),
    );

    it.scoped("writes conditionally: only when the operation id and lease are as expected", () =>
      Effect.gen(function* () {
        const store = yield* makeStore;
        const claimed: ListingRecord = {
          ...listing("ad-1", "marketplaats", pending, 1),
          state: { ...pending, operation: operation("op-1") },
          lease: { holder: "holder-a", owner: "process-a", expiresAt: 100 },
        };
        const first = event("ad-1", "marketplaats", started("op-1", 1), claimed.state);
        // Two writers read the absent listing; the first claim wins.
        yield* store.record(claimed, first, expectedOf(undefined));
        const rival: ListingRecord = {
          ...claimed,
          state: { ...pending, operation: operation("op-2") },
          lease: { holder: "holder-b", owner: "process-b", expiresAt: 100 },
        };
        const lost = yield* Effect.either(
          store.record(
            rival,
            event("ad-1", "marketplaats", started("op-2", 2), rival.state),
            expectedOf(undefined),
          ),
        );
        expect(Either.isLeft(lost) && isRecordConflict(lost.left)).toBe(true);

        // The same operation id under another lease holder is not the claim read either.
        const wrongHolder = yield* Effect.either(
          store.record(rival, event("ad-1", "marketplaats", started("op-2", 2), rival.state), {
            operationId: "op-1",
            leaseHolder: "holder-b",
          }),
        );
        expect(Either.isLeft(wrongHolder) && isRecordConflict(wrongHolder.left)).toBe(true);
        expect(yield* store.get("ad-1", "marketplaats")).toStrictEqual(Option.some(claimed));
        expect(yield* store.events("ad-1")).toStrictEqual([named(first)]);

        // The writer holding the claim writes on it and releases the lease.
        const answered: ListingRecord = { ...claimed, state: live, lease: undefined, updatedAt: 2 };
        const second = event(
          "ad-1",
          "marketplaats",
          { _tag: "Seen", presence: "live", at: 2 },
          live,
        );
        yield* store.record(answered, second, expectedOf(claimed));
        expect(
          Option.map(yield* store.get("ad-1", "marketplaats"), (each) => each.lease),
        ).toStrictEqual(Option.some(undefined));
        expect(yield* store.events("ad-1")).toStrictEqual([first, second].map(named));
        // Expecting the released state (no operation, no lease) now holds.
        yield* store.record(claimed, first, { operationId: undefined, leaseHolder: undefined });

        // Expecting the record itself (`unchangedSince`, its `updatedAt` too): a record read
        // before the last write fails, though its operation and lease are the stored ones.
        const readBefore: ListingRecord = { ...claimed, updatedAt: claimed.updatedAt - 1 };
        const stale = yield* Effect.either(
          store.record(answered, second, unchangedSince(readBefore)),
        );
        expect(Either.isLeft(stale) && isRecordConflict(stale.left)).toBe(true);
        yield* store.record(answered, second, unchangedSince(claimed));
        expect(
          Option.map(yield* store.get("ad-1", "marketplaats"), (each) => each.state),
        ).toStrictEqual(Option.some(live));
      }),
    );

    it("after any sequence of records lists the last record per (ad, marketplace) and every event", () =>
      fc.assert(
        fc.asyncProperty(fc.array(recordCallArbitrary, { maxLength: 12 }), (calls) =>
          Effect.runPromise(
            Effect.scoped(
              Effect.gen(function* () {
                const store = yield* makeStore;
                for (const call of calls) yield* store.record(call.listing, call.event);

                const lastPerKey = new Map(
                  calls.map((call) => [keyOf(call.listing), call.listing]),
                );
                expect(byKey(yield* store.list())).toEqual(byKey([...lastPerKey.values()]));
                for (const adId of ["ad-1", "ad-2", "ad-3"]) {
                  expect(yield* store.events(adId)).toEqual(
                    calls.flatMap((call) => (call.event.adId === adId ? [named(call.event)] : [])),
                  );
                }
              }),
            ),
          ),
        ),
        { numRuns: 100 },
      ));
  });
