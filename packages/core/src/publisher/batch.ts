import { Effect, Either } from "effect";
import type { Listing, MarketplaceAdapter, Prepared, Submitted } from "../adapter/adapter.ts";
import { AdsyncError } from "../errors.ts";
import type { OperationKind } from "../lifecycle/state.ts";
import type { VehicleAd } from "../model/vehicle-ad.ts";
import type { ListingRecord } from "../store/store.ts";
import { isRecordConflict } from "../store/store.ts";
import { toListing } from "./listing-rules.ts";
import { type Begun, busyOutcome, type Operations } from "./operations.ts";
import type { ListingOutcome } from "./outcome.ts";

export interface DeferredCreate {
  readonly adapter: MarketplaceAdapter;
  readonly begun: Begun;
  readonly ad: VehicleAd;
  readonly prepared: Prepared;
}

/** The default number of listings a sync hands to `createMany`/`removeMany` at once. */
export const defaultBatchSize = 1000;

/** The creates a sync keeps for batch-publishing marketplaces, per marketplace. */
export interface CreateBatch {
  readonly deferred: Map<string, Array<DeferredCreate>>;
  /** Every listing deferred in this sync (flushed or not): one create per listing. */
  readonly keys: Set<string>;
}

export const emptyBatch = (): CreateBatch => ({ deferred: new Map(), keys: new Set() });

/** A removal whose `Started` record is written, waiting for its marketplace's `removeMany`. */
export interface DeferredRemoval {
  readonly begun: Begun;
  readonly listing: Listing;
}

const batchKey = (marketplace: string, adId: string) => `${marketplace}\u0000${adId}`;

/** Whether an outcome is the pending answer of a create kept for a batch (counted at its flush). */
export const isDeferred = (batch: CreateBatch, outcome: ListingOutcome) =>
  batch.keys.has(batchKey(outcome.marketplace, outcome.adId));

const noAnswer = (marketplace: string, adId: string, kind: OperationKind) =>
  new AdsyncError({
    reason: "InvalidResponse",
    marketplace,
    operation: kind,
    message: `${marketplace} answered no result for ${adId} in its batch.`,
  });

/** Keeping creates and removals for batches per marketplace and sending them (`sync`). */
export const makeBatching = ({ begin, finish }: Pick<Operations, "begin" | "finish">) => {
  /**
   * Records each answer of a batch call (one per entry, in order) on its begun operation. A
   * call that failed as a whole fails every entry with its error.
   */
  const finishAll = <T extends { readonly begun: Begun }>(
    entries: ReadonlyArray<T>,
    answers: Either.Either<ReadonlyArray<Either.Either<Submitted, AdsyncError>>, AdsyncError>,
    preparedOf: (entry: T) => Prepared | undefined,
  ) =>
    Effect.forEach(entries, (entry, index) =>
      finish(
        entry.begun,
        answers._tag === "Left"
          ? Either.left(answers.left)
          : (answers.right[index] ??
              Either.left(
                noAnswer(
                  entry.begun.started.marketplace,
                  entry.begun.started.adId,
                  entry.begun.kind,
                ),
              )),
        preparedOf(entry),
      ),
    );

  /**
   * A create kept for the batch: its Started record is written now (before any request),
   * and the outcome returned is the pending one; `flushCreates` sends the batch.
   */
  const deferCreate = (
    batch: CreateBatch,
    adapter: MarketplaceAdapter,
    record: ListingRecord,
    ad: VehicleAd,
    prepared: Prepared,
  ) =>
    Effect.gen(function* () {
      const key = batchKey(adapter.id, ad.id);
      // The same ad twice in one stock is one create.
      const begun = batch.keys.has(key) ? undefined : yield* begin(record, "create", prepared);
      if (begun !== undefined) {
        const entries = batch.deferred.get(adapter.id) ?? [];
        entries.push({ adapter, begun, ad, prepared });
        batch.deferred.set(adapter.id, entries);
      }
      batch.keys.add(key);
      return {
        adId: ad.id,
        marketplace: adapter.id,
        operation: "create",
        result: "accepted",
        state: begun?.started.state ?? record.state,
        issues: [],
        warnings: [],
      } satisfies ListingOutcome;
    }).pipe(
      // Another process claimed the listing first: no create is kept for the batch.
      Effect.catchIf(isRecordConflict, (error) =>
        Effect.succeed(busyOutcome(record, "create", error)),
      ),
    );

  /**
   * Sends the deferred creates of every marketplace holding at least `atLeast` of them (all,
   * by default), one `createMany` per `size` creates, and records the answers. The batch keeps
   * its keys, so a later duplicate of a flushed ad is still not created twice.
   */
  const flushCreates = (batch: CreateBatch, size = defaultBatchSize, atLeast = 1) =>
    Effect.gen(function* () {
      const outcomes: Array<ListingOutcome> = [];
      for (const [marketplace, entries] of batch.deferred) {
        if (entries.length < atLeast) continue;
        batch.deferred.delete(marketplace);
        const createMany = entries[0]?.adapter.createMany;
        if (createMany === undefined) continue;
        for (let start = 0; start < entries.length; start += size) {
          const chunk = entries.slice(start, start + size);
          const answers = yield* Effect.either(
            createMany(
              chunk.map((entry) => ({
                ad: entry.ad,
                prepared: entry.prepared,
                context: entry.begun.context,
              })),
            ),
          );
          outcomes.push(...(yield* finishAll(chunk, answers, (entry) => entry.prepared)));
        }
      }
      return outcomes;
    });

  /**
   * Claims a listing for a batched removal: the same `Started` record and lease as a single
   * `remove` writes, before anything is sent. A listing another writer holds is busy.
   */
  const deferRemoval = (record: ListingRecord & { ref: NonNullable<ListingRecord["ref"]> }) =>
    Effect.gen(function* () {
      const begun = yield* begin(record, "remove");
      return Either.right<DeferredRemoval>({ begun, listing: toListing(record) });
    }).pipe(
      Effect.catchIf(isRecordConflict, (error) =>
        Effect.succeed(Either.left<ListingOutcome>(busyOutcome(record, "remove", error))),
      ),
    );

  /** Sends claimed removals through the adapter's `removeMany` and records every answer. */
  const flushRemovals = (adapter: MarketplaceAdapter, removals: ReadonlyArray<DeferredRemoval>) =>
    removals.length === 0 || adapter.removeMany === undefined
      ? Effect.succeed<ReadonlyArray<ListingOutcome>>([])
      : Effect.flatMap(
          Effect.either(adapter.removeMany(removals.map((removal) => removal.listing))),
          (answers) => finishAll(removals, answers, () => undefined),
        );

  return { deferCreate, flushCreates, deferRemoval, flushRemovals };
};
