import { describe, expect, it } from "@effect/vitest";
import { Effect, Either, Option, Stream } from "effect";
import fc from "fast-check";
import {
  type ListingRecord,
  makeMemoryStore,
  Publisher,
  type StoreService,
  type VehicleAdInput,
} from "../src/index.ts";
import {
  allSettled,
  type Fake,
  fakeAdapter,
  payloadOf,
  publisherOver,
  queued,
  refOf,
} from "./fake-adapter.ts";

const base = {
  category: "car",
  vehicle: { make: "Volvo", model: "V70", modelYear: 2012 },
} satisfies Partial<VehicleAdInput>;

/** Ad `index` of the stock: its own id, text and price. */
const ad = (index: number): VehicleAdInput => ({
  ...base,
  id: `fp-${String(index).padStart(3, "0")}`,
  description: `Car number ${index}.`,
  price: { list: { amount: 10_000_000 + index, currency: "SEK" } },
});

const stock = (count: number) => Array.from({ length: count }, (_, index) => ad(index));

const syncOnce = (fake: Fake, store: StoreService, ads: ReadonlyArray<VehicleAdInput>) =>
  Effect.gen(function* () {
    const publisher = yield* Publisher;
    return yield* publisher.sync(Stream.fromIterable(ads));
  }).pipe(Effect.provide(publisherOver([fake], store)));

/** Overwrites a stored listing (unconditionally), as another writer or an observation would. */
const overwrite = (
  store: StoreService,
  adId: string,
  change: (record: ListingRecord) => ListingRecord,
) =>
  Effect.gen(function* () {
    const record = Option.getOrThrow(yield* store.get(adId, "blocket"));
    const next = change(record);
    yield* store.record(next, {
      adId,
      marketplace: "blocket",
      observation: { _tag: "Seen", presence: next.state.presence, at: next.updatedAt },
      state: next.state,
    });
  });

const reset = (fake: Fake) => {
  fake.calls.length = 0;
};

/** The same stock again: every ad `unchanged` without one call to the adapter. */
const resyncSkipped = (fake: Fake, store: StoreService, count: number) =>
  Effect.gen(function* () {
    reset(fake);
    const again = yield* syncOnce(fake, store, stock(count));
    expect(again.outcomes.blocket).toEqual({ unchanged: count });
    expect(fake.calls).toEqual([]);
  });

/** The listing with its last operation in another status. */
const withStatus =
  (status: "pending" | "failed") =>
  (record: ListingRecord): ListingRecord => {
    const operation = record.state.operation;
    return operation === undefined
      ? record
      : { ...record, state: { ...record.state, operation: { ...operation, status } } };
  };

/** What can make a stored listing's payload not known to be what the marketplace holds. */
const unsettling: ReadonlyArray<readonly [string, (record: ListingRecord) => ListingRecord]> = [
  ["drift seen", (record) => ({ ...record, driftSince: record.updatedAt })],
  ["content unconfirmed", (record) => ({ ...record, unconfirmedSince: record.updatedAt })],
  ["a payload pending", (record) => ({ ...record, pendingPayload: record.payload })],
  [
    "a lease held",
    (record) => ({
      ...record,
      lease: { holder: "someone", owner: "another process", expiresAt: Number.MAX_SAFE_INTEGER },
    }),
  ],
  ["its operation pending", withStatus("pending")],
  ["its operation failed", withStatus("failed")],
  [
    "removed on the marketplace",
    (record) => ({ ...record, state: { ...record.state, presence: "removed" } }),
  ],
  ["another input's fingerprint", (record) => ({ ...record, fingerprint: "other" })],
];

describe("the input fingerprint (#14)", () => {
  it.effect("an unchanged re-sync prepares nothing and sends nothing", () =>
    Effect.gen(function* () {
      const store = makeMemoryStore();
      const fake = fakeAdapter("blocket", { mappingVersion: "1" });
      yield* syncOnce(fake, store, stock(20));
      expect(fake.callsOf("create")).toHaveLength(20);
      yield* resyncSkipped(fake, store, 20);
    }),
  );

  it.effect("the fingerprint follows a pending payload into the settled one", () =>
    Effect.gen(function* () {
      const store = makeMemoryStore();
      const fake = fakeAdapter("blocket", {
        mappingVersion: "1",
        create: (created) =>
          Effect.succeed(queued(refOf("blocket", created.id), `r-${created.id}`)),
        inspect: allSettled,
      });
      yield* syncOnce(fake, store, stock(5));
      // Pending: not known to be on the marketplace yet, so prepared and compared.
      reset(fake);
      yield* syncOnce(fake, store, stock(5));
      expect(fake.callsOf("prepare")).toHaveLength(5);
      yield* Effect.gen(function* () {
        yield* (yield* Publisher).refreshAll();
      }).pipe(Effect.provide(publisherOver([fake], store)));
      yield* resyncSkipped(fake, store, 5);
    }),
  );

  it.effect("an adapter without a mapping version is always prepared", () =>
    Effect.gen(function* () {
      const store = makeMemoryStore();
      const fake = fakeAdapter("blocket");
      yield* syncOnce(fake, store, stock(5));
      reset(fake);
      yield* syncOnce(fake, store, stock(5));
      expect(fake.callsOf("prepare")).toHaveLength(5);
      expect(fake.requests()).toEqual([]);
    }),
  );

  it.effect("a new mapping version prepares every ad again and sends what changed", () =>
    Effect.gen(function* () {
      const store = makeMemoryStore();
      yield* syncOnce(fakeAdapter("blocket", { mappingVersion: "1" }), store, stock(5));
      const remapped = fakeAdapter("blocket", {
        mappingVersion: "2",
        prepare: (mapped) =>
          Either.right({
            payload: mapped.id === "fp-002" ? { remapped: true } : payloadOf(mapped),
            warnings: [],
          }),
      });
      yield* syncOnce(remapped, store, stock(5));
      expect(remapped.callsOf("prepare")).toHaveLength(5);
      expect(remapped.callsOf("update").map((call) => call.ad?.id)).toEqual(["fp-002"]);
    }).pipe(Effect.orDie),
  );

  it.effect(
    "any edit of the ad is prepared and compared, never skipped (property)",
    () =>
      Effect.gen(function* () {
        const edits = fc.oneof(
          // Words only: an edit that makes the ad invalid is refused before `prepare`, which is
          // not what this property is about (seed 1150709440 found one).
          fc.stringMatching(/^[a-z0-9]{1,12}$/).map((text) => (input: VehicleAdInput) => ({
            ...input,
            description: `${input.description} ${text}`,
          })),
          fc.integer({ min: 1, max: 1_000_000 }).map((delta) => (input: VehicleAdInput) => ({
            ...input,
            price: { list: { amount: 20_000_000 + delta, currency: "SEK" } },
          })),
          fc.stringMatching(/^[A-Za-z0-9]{1,12}$/).map((title) => (input: VehicleAdInput) => ({
            ...input,
            title,
          })),
          fc.integer({ min: 1990, max: 2025 }).map((modelYear) => (input: VehicleAdInput) => ({
            ...input,
            vehicle: { ...input.vehicle, modelYear: modelYear === 2012 ? 2013 : modelYear },
          })),
          fc.constantFrom("red", "blue", "black").map((colour) => (input: VehicleAdInput) => ({
            ...input,
            vehicle: { ...input.vehicle, colour },
          })),
        );
        yield* Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(fc.integer({ min: 0, max: 4 }), edits, (edited, edit) =>
              Effect.runPromise(
                Effect.gen(function* () {
                  const store = makeMemoryStore();
                  const fake = fakeAdapter("blocket", { mappingVersion: "1" });
                  yield* syncOnce(fake, store, stock(5));
                  reset(fake);
                  const next = stock(5).map((input, index) =>
                    index === edited ? edit(input) : input,
                  );
                  yield* syncOnce(fake, store, next);
                  expect(fake.callsOf("prepare").map((call) => call.ad?.id)).toEqual([
                    ad(edited).id,
                  ]);
                }),
              ),
            ),
            { numRuns: 40 },
          ),
        );
      }),
    // Generous: 40 syncs on a loaded machine (no timed assertion).
    120_000,
  );

  it.effect(
    "a listing not settled and confirmed is never skipped (property)",
    () =>
      Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 0, max: unsettling.length - 1 }),
            fc.integer({ min: 0, max: 2 }),
            (which, target) =>
              Effect.runPromise(
                Effect.gen(function* () {
                  const store = makeMemoryStore();
                  const fake = fakeAdapter("blocket", { mappingVersion: "1" });
                  yield* syncOnce(fake, store, stock(3));
                  const [, change] = unsettling[which] ?? unsettling[0] ?? ["", (r) => r];
                  yield* overwrite(store, ad(target).id, change);
                  reset(fake);
                  const again = yield* syncOnce(fake, store, stock(3));
                  // The full path: prepared and compared, or answered busy (a lease held
                  // elsewhere) before preparing — never the fingerprint's silent `unchanged`.
                  const prepared = fake.callsOf("prepare").map((call) => call.ad?.id);
                  expect(prepared.filter((id) => id !== ad(target).id)).toEqual([]);
                  expect(prepared.length === 1 || again.outcomes.blocket?.unchanged !== 3).toBe(
                    true,
                  );
                }),
              ),
          ),
          { numRuns: 40 },
        ),
      ),
    120_000,
  );
});
