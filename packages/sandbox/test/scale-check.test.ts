import {
  type ListingRecord,
  type LoggedEvent,
  makeMemoryStore,
  type StoreService,
} from "@adsync/core";
import { Effect } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FakeListing } from "../src/http/dealers.ts";
import {
  checkStoreAgainstSandbox,
  checkStoreAgainstSandboxPromise,
  compareSnapshot,
  type FedEvent,
  isClean,
  type Snapshot,
  type SubmittedWork,
} from "../src/scale/check.ts";

/**
 * The "store ≡ sandboxes" check: a consistent world is clean; each kind of divergence is
 * reported, once, under its own name.
 */

const at = 1_700_000_000_000;

const settledListing = (
  adId: string,
  marketplace: string,
  remoteId: string,
  operationId: string,
): ListingRecord => ({
  adId,
  marketplace,
  ref: { remoteId, ids: {}, meta: {} },
  state: {
    presence: "live",
    notes: [],
    operation: {
      id: operationId,
      kind: "create",
      status: "succeeded",
      startedAt: at,
      settledAt: at,
      issues: [],
      warnings: [],
      presenceBefore: "absent",
    },
  },
  updatedAt: at,
});

const events = (dealer: string, listing: ListingRecord, firstSeq: number): Array<FedEvent> => {
  const operation = listing.state.operation;
  if (operation === undefined) return [];
  const started: LoggedEvent = {
    seq: firstSeq,
    adId: listing.adId,
    marketplace: listing.marketplace,
    observation: { _tag: "Started", operationId: operation.id, kind: "create", at },
    state: { presence: "absent", notes: [], operation: { ...operation, status: "pending" } },
  };
  const accepted: LoggedEvent = {
    seq: firstSeq + 1,
    adId: listing.adId,
    marketplace: listing.marketplace,
    observation: { _tag: "Accepted", operationId: operation.id, status: "succeeded", at },
    state: listing.state,
  };
  return [
    { dealer, event: started },
    { dealer, event: accepted },
  ];
};

/** Marketplaces that keep the dealer's ad id, and Marktplaats, which does not (matched by ref). */
const marketplaces = ["blocket", "allegro", "marktplaats"] as const;

const world = (dealers: number, ads: number): Snapshot => {
  const submitted: Array<SubmittedWork> = [];
  const store: Array<{ dealer: string; listing: ListingRecord }> = [];
  const fakes: Record<string, Array<FakeListing>> = {};
  const feed: Array<FedEvent> = [];
  for (let d = 0; d < dealers; d++)
    for (const marketplace of marketplaces)
      for (let a = 0; a < ads; a++) {
        const dealer = `d-${d}`;
        const adId = `ad-${a}`;
        const remoteId = `${marketplace}-${d}-${a}`;
        const listing = settledListing(adId, marketplace, remoteId, `op-${d}-${marketplace}-${a}`);
        submitted.push({ dealer, marketplace, adId, kind: "publish" });
        store.push({ dealer, listing });
        const keeps = marketplace !== "marktplaats";
        const held = fakes[marketplace] ?? [];
        fakes[marketplace] = held;
        held.push({
          dealer,
          remoteId,
          adId: keeps ? adId : undefined,
          key: keeps ? adId : `plate:${d}-${a}`,
          live: true,
          creations: 1,
        });
        feed.push(...events(dealer, listing, feed.length + 1));
      }
  return { submitted, store, fakes, feed };
};

/** The fakes of a snapshot as the check reads running ones (`fake.dealers.listings(dealer)`). */
const fakesOf = (held: Snapshot["fakes"]) =>
  Object.fromEntries(
    marketplaces.map((id) => [
      id,
      {
        dealers: {
          add: () => ({}),
          section: () => undefined,
          ids: () => [],
          listings: (dealer: string) => (held[id] ?? []).filter((entry) => entry.dealer === dealer),
          revoke: () => false,
          rateLimited: () => 0,
        },
      },
    ]),
  );

/** Each dealer's memory store holding the snapshot's listings. */
const storesOf = async (snapshot: Snapshot) => {
  const stores = new Map<string, StoreService>();
  for (const { dealer, listing } of snapshot.store) {
    const store = stores.get(dealer) ?? makeMemoryStore();
    stores.set(dealer, store);
    await Effect.runPromise(
      store.record(listing, {
        adId: listing.adId,
        marketplace: listing.marketplace,
        observation: { _tag: "Seen", presence: "live", at },
        state: listing.state,
      }),
    );
  }
  return (dealer: string) => stores.get(dealer) ?? makeMemoryStore();
};

const sizes = fc.record({
  dealers: fc.integer({ min: 1, max: 4 }),
  ads: fc.integer({ min: 1, max: 5 }),
});
const pick = (length: number) => fc.nat({ max: 1_000_000 }).map((n) => n % length);

describe("compareSnapshot", () => {
  it("finds nothing in a world where the store and the fakes agree", () => {
    fc.assert(
      fc.property(sizes, ({ dealers, ads }) => {
        const report = compareSnapshot(world(dealers, ads));
        expect(isClean(report)).toBe(true);
        expect(report.counts.submitted).toBe(dealers * ads * marketplaces.length);
        expect(report.counts.fakeListings).toBe(dealers * ads * marketplaces.length);
      }),
    );
  });

  it("reports a second live listing for one (dealer, ad) as one duplicate", () => {
    fc.assert(
      fc.property(sizes, pick(1_000_000), ({ dealers, ads }, index) => {
        const snapshot = world(dealers, ads);
        const blocket = snapshot.fakes.blocket ?? [];
        const victim = blocket[index % blocket.length];
        if (victim === undefined) throw new Error("no listing");
        const fakes = {
          ...snapshot.fakes,
          blocket: [...blocket, { ...victim, remoteId: "extra" }],
        };
        const report = compareSnapshot({ ...snapshot, fakes });
        expect(report.duplicates).toEqual([
          {
            dealer: victim.dealer,
            marketplace: "blocket",
            adId: victim.key,
            remoteIds: [victim.remoteId, "extra"],
          },
        ]);
        expect(report.lost).toEqual([]);
      }),
    );
  });

  it("reports an ad missing on the fake, or unsettled or missing in the store, as lost", () => {
    fc.assert(
      fc.property(
        sizes,
        pick(1_000_000),
        fc.constantFrom("fake", "unsettled", "store"),
        ({ dealers, ads }, index, where) => {
          const snapshot = world(dealers, ads);
          const target = snapshot.store[index % snapshot.store.length];
          if (target === undefined) throw new Error("no listing");
          const { dealer, listing } = target;
          const same = (entry: { dealer: string; listing: ListingRecord }) =>
            entry.dealer === dealer &&
            entry.listing.adId === listing.adId &&
            entry.listing.marketplace === listing.marketplace;
          const changed: Snapshot =
            where === "fake"
              ? {
                  ...snapshot,
                  fakes: {
                    ...snapshot.fakes,
                    [listing.marketplace]: (snapshot.fakes[listing.marketplace] ?? []).filter(
                      (entry) =>
                        !(entry.dealer === dealer && entry.remoteId === listing.ref?.remoteId),
                    ),
                  },
                }
              : where === "store"
                ? { ...snapshot, store: snapshot.store.filter((entry) => !same(entry)) }
                : {
                    ...snapshot,
                    store: snapshot.store.map((entry) =>
                      same(entry) && entry.listing.state.operation !== undefined
                        ? {
                            dealer,
                            listing: {
                              ...entry.listing,
                              state: {
                                ...entry.listing.state,
                                operation: { ...entry.listing.state.operation, status: "pending" },
                              },
                            },
                          }
                        : entry,
                    ),
                  };
          const report = compareSnapshot(changed);
          const why = {
            fake: "not on the marketplace",
            unsettled: "not settled in the store",
            store: "not in the store",
          }[where];
          expect(report.lost).toEqual([
            { dealer, marketplace: listing.marketplace, adId: listing.adId, why },
          ]);
          expect(report.mismatches).toEqual([]);
          // The fake's listing of an ad the store lost is one nobody refers to.
          expect(report.orphans).toHaveLength(where === "store" ? 1 : 0);
        },
      ),
    );
  });

  it("reports a store ref the fake does not hold as a mismatch, and the fake's as an orphan", () => {
    const snapshot = world(1, 2);
    const store = snapshot.store.map((entry) =>
      entry.listing.marketplace === "allegro" && entry.listing.adId === "ad-1"
        ? {
            ...entry,
            listing: { ...entry.listing, ref: { remoteId: "stale", ids: {}, meta: {} } },
          }
        : entry,
    );
    const report = compareSnapshot({ ...snapshot, store });
    expect(report.mismatches).toEqual([
      {
        dealer: "d-0",
        marketplace: "allegro",
        adId: "ad-1",
        store: { remoteId: "stale", presence: "live" },
        fake: ["allegro-0-1"],
      },
    ]);
    expect(report.lost).toEqual([]);
    expect(report.orphans).toEqual([]);
  });

  it("reports a listing the store says removed but the fake still holds", () => {
    const snapshot = world(1, 1);
    const store = snapshot.store.map((entry) =>
      entry.listing.marketplace === "blocket"
        ? {
            ...entry,
            listing: {
              ...entry.listing,
              state: { ...entry.listing.state, presence: "removed" as const },
            },
          }
        : entry,
    );
    const report = compareSnapshot({ ...snapshot, store });
    expect(report.mismatches.map((mismatch) => mismatch.marketplace)).toEqual(["blocket"]);
  });

  it("reports an operation settled twice and a seq read twice, not a Started written again", () => {
    fc.assert(
      fc.property(sizes, pick(1_000_000), ({ dealers, ads }, index) => {
        const snapshot = world(dealers, ads);
        const accepted = snapshot.feed.filter(
          (entry) => entry.event.observation._tag === "Accepted",
        );
        const started = snapshot.feed.filter((entry) => entry.event.observation._tag === "Started");
        const again = accepted[index % accepted.length];
        const resumed = started[index % started.length];
        if (again === undefined || resumed === undefined) throw new Error("no events");
        const next = snapshot.feed.length + 1;
        const feed = [
          ...snapshot.feed,
          { ...resumed, event: { ...resumed.event, seq: next } },
          { ...again, event: { ...again.event, seq: next + 1 } },
          snapshot.feed[0] ?? again,
        ];
        const report = compareSnapshot({ ...snapshot, feed });
        expect(report.repeatedEvents).toEqual([
          {
            dealer: snapshot.feed[0]?.dealer,
            marketplace: snapshot.feed[0]?.event.marketplace,
            adId: snapshot.feed[0]?.event.adId,
            operationId: undefined,
            seqs: [1, 1],
          },
          {
            dealer: again.dealer,
            marketplace: again.event.marketplace,
            adId: again.event.adId,
            operationId: again.event.state.operation?.id,
            seqs: [again.event.seq, next + 1],
          },
        ]);
      }),
    );
  });

  it("reports a live listing created twice under one key as recreated, and a failure apart", () => {
    const snapshot = world(1, 1);
    const fakes = {
      ...snapshot.fakes,
      blocket: (snapshot.fakes.blocket ?? []).map((entry) => ({ ...entry, creations: 2 })),
    };
    const store = snapshot.store.map((entry) => {
      const operation = entry.listing.state.operation;
      return entry.listing.marketplace === "allegro" && operation !== undefined
        ? {
            ...entry,
            listing: {
              ...entry.listing,
              ref: undefined,
              state: {
                presence: "absent" as const,
                notes: [],
                operation: {
                  ...operation,
                  status: "failed" as const,
                  issues: [{ path: "", code: "remote_error" as const, message: "refused" }],
                },
              },
            },
          }
        : entry;
    });
    const allegro = (snapshot.fakes.allegro ?? []).map((entry) => ({ ...entry, live: false }));
    const report = compareSnapshot({ ...snapshot, store, fakes: { ...fakes, allegro } });
    expect(report.recreated).toEqual([
      { dealer: "d-0", marketplace: "blocket", adId: "ad-0", creations: 2 },
    ]);
    expect(report.failed).toEqual([
      { dealer: "d-0", marketplace: "allegro", adId: "ad-0", issues: ["refused"] },
    ]);
    expect(report.lost).toEqual([]);
    expect(report.mismatches).toEqual([]);
  });
});

describe("checkStoreAgainstSandbox", () => {
  it("reads each dealer's store and feed, and the fakes' listings of those dealers", async () => {
    const snapshot = world(2, 2);
    const stores = new Map<string, StoreService>();
    for (const dealer of ["d-0", "d-1"]) stores.set(dealer, makeMemoryStore());
    for (const { dealer, event } of snapshot.feed) {
      const store = stores.get(dealer);
      const listing = snapshot.store.find(
        (entry) =>
          entry.dealer === dealer &&
          entry.listing.adId === event.adId &&
          entry.listing.marketplace === event.marketplace,
      );
      if (store === undefined || listing === undefined) throw new Error("inconsistent world");
      const { seq: _seq, ...logged } = event;
      await Effect.runPromise(store.record({ ...listing.listing, state: event.state }, logged));
    }
    const report = await Effect.runPromise(
      checkStoreAgainstSandbox({
        submitted: snapshot.submitted,
        storeFor: (dealer) => {
          const store = stores.get(dealer);
          if (store === undefined) throw new Error(`no store for ${dealer}`);
          return store;
        },
        fakes: fakesOf(snapshot.fakes),
        pageSize: 3,
      }),
    );
    expect(report.counts).toEqual({
      submitted: 12,
      storeListings: 12,
      fakeListings: 12,
      events: 24,
    });
    expect(isClean(report)).toBe(true);
  });

  it("reads a cross-dealer feed page by page when given one, and finds a page read twice", async () => {
    const snapshot = world(2, 1);
    const storeFor = await storesOf(snapshot);
    const fakes = fakesOf(snapshot.fakes);
    const check = (repeatFirstPage: boolean) => {
      const reads: Array<number> = [];
      return Effect.runPromise(
        checkStoreAgainstSandbox({
          submitted: snapshot.submitted,
          storeFor,
          fakes,
          feed: (after) => {
            reads.push(after);
            // A feed that answers its first page again once (a reader's cursor not kept).
            const from = repeatFirstPage && reads.length === 2 ? 0 : after;
            return Effect.succeed(
              snapshot.feed.filter((entry) => entry.event.seq > from).slice(0, 4),
            );
          },
        }),
      );
    };
    const clean = await check(false);
    expect(clean.counts.events).toBe(snapshot.feed.length);
    expect(isClean(clean)).toBe(true);
    const repeated = await check(true);
    expect(repeated.repeatedEvents.map((entry) => entry.seqs)).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ]);
  });
});

describe("checkStoreAgainstSandboxPromise", () => {
  /** The cross-dealer feed of a snapshot, a page of 5 after a cursor. */
  const feedOf = (snapshot: Snapshot) => (after: number) =>
    Effect.succeed(snapshot.feed.filter((entry) => entry.event.seq > after).slice(0, 5));

  it("finds nothing when the stores, the fakes and the feed agree", async () => {
    const snapshot = world(2, 2);
    const report = await checkStoreAgainstSandboxPromise({
      submitted: snapshot.submitted,
      storeFor: await storesOf(snapshot),
      fakes: fakesOf(snapshot.fakes),
      feed: feedOf(snapshot),
    });
    expect(isClean(report)).toBe(true);
    expect(report.counts).toEqual({
      submitted: 12,
      storeListings: 12,
      fakeListings: 12,
      events: 24,
    });
  });

  it("reports a duplicate, a listing moved on the fake and a stray listing", async () => {
    const snapshot = world(2, 2);
    const blocket = snapshot.fakes.blocket ?? [];
    const first = blocket.find((entry) => entry.dealer === "d-0" && entry.key === "ad-0");
    if (first === undefined) throw new Error("no listing");
    const held = {
      ...snapshot.fakes,
      // A second live listing for d-0's ad-0 on Blocket.
      blocket: [...blocket, { ...first, remoteId: "blocket-extra" }],
      // d-1's ad-1 on Allegro under another offer than the store's.
      allegro: (snapshot.fakes.allegro ?? []).map((entry) =>
        entry.dealer === "d-1" && entry.key === "ad-1"
          ? { ...entry, remoteId: "allegro-moved" }
          : entry,
      ),
      // A live Marktplaats listing of d-0 no store listing refers to.
      marktplaats: [
        ...(snapshot.fakes.marktplaats ?? []),
        {
          dealer: "d-0",
          remoteId: "mp-stray",
          adId: undefined,
          key: "plate:stray",
          live: true,
          creations: 1,
        },
      ],
    };
    const report = await checkStoreAgainstSandboxPromise({
      submitted: snapshot.submitted,
      storeFor: await storesOf(snapshot),
      fakes: fakesOf(held),
      feed: feedOf(snapshot),
    });
    expect(isClean(report)).toBe(false);
    expect(report.duplicates).toEqual([
      {
        dealer: "d-0",
        marketplace: "blocket",
        adId: "ad-0",
        remoteIds: ["blocket-0-0", "blocket-extra"],
      },
    ]);
    expect(report.mismatches).toEqual([
      {
        dealer: "d-0",
        marketplace: "blocket",
        adId: "ad-0",
        store: { remoteId: "blocket-0-0", presence: "live" },
        fake: ["blocket-0-0", "blocket-extra"],
      },
      {
        dealer: "d-1",
        marketplace: "allegro",
        adId: "ad-1",
        store: { remoteId: "allegro-1-1", presence: "live" },
        fake: ["allegro-moved"],
      },
    ]);
    expect(report.orphans.map((orphan) => [orphan.marketplace, orphan.remoteId])).toEqual([
      ["marktplaats", "mp-stray"],
    ]);
    expect(report.lost).toEqual([]);
    expect(report.repeatedEvents).toEqual([]);
  });
});
