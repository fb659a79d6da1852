import { Effect, Either } from "effect";
import type { MarketplaceAdapter, Prepared, Submitted } from "../adapter/adapter.ts";
import { AdsyncError } from "../errors.ts";
import type { VehicleAd } from "../model/vehicle-ad.ts";
import type { ListingRecord } from "../store/store.ts";
import { isRecordConflict } from "../store/store.ts";
import { type Begun, busyOutcome, type Operations } from "./operations.ts";
import type { ListingOutcome } from "./outcome.ts";

export interface DeferredCreate {
  readonly adapter: MarketplaceAdapter;
  readonly begun: Begun;
  readonly ad: VehicleAd;
  readonly prepared: Prepared;
}

/** The creates a sync keeps for batch-publishing marketplaces. */
export interface CreateBatch {
  readonly deferred: Array<DeferredCreate>;
  readonly keys: Set<string>;
}

/** Keeping creates for one batch per marketplace and sending them (`sync`). */
export const makeBatching = ({ begin, finish }: Pick<Operations, "begin" | "finish">) => {
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
      const key = `${adapter.id}\u0000${ad.id}`;
      // The same ad twice in one stock is one create.
      const begun = batch.keys.has(key) ? undefined : yield* begin(record, "create");
      if (begun !== undefined) batch.deferred.push({ adapter, begun, ad, prepared });
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

  /** Sends every deferred create of a batch, one `createMany` per marketplace. */
  const flushCreates = (batch: CreateBatch) =>
    Effect.gen(function* () {
      const byMarketplace = new Map<string, Array<DeferredCreate>>();
      for (const entry of batch.deferred) {
        byMarketplace.set(entry.adapter.id, [
          ...(byMarketplace.get(entry.adapter.id) ?? []),
          entry,
        ]);
      }
      const outcomes: Array<ListingOutcome> = [];
      for (const entries of byMarketplace.values()) {
        const createMany = entries[0]?.adapter.createMany;
        if (createMany === undefined) continue;
        const answers = yield* Effect.either(
          createMany(
            entries.map((entry) => ({
              ad: entry.ad,
              prepared: entry.prepared,
              context: entry.begun.context,
            })),
          ),
        );
        for (const [index, entry] of entries.entries()) {
          const answer: Either.Either<Submitted, AdsyncError> =
            answers._tag === "Left"
              ? Either.left(answers.left)
              : (answers.right[index] ??
                Either.left(
                  new AdsyncError({
                    reason: "InvalidResponse",
                    marketplace: entry.adapter.id,
                    operation: "create",
                    message: `${entry.adapter.id} answered no result for ${entry.ad.id} in its batch.`,
                  }),
                ));
          outcomes.push(yield* finish(entry.begun, answer, entry.prepared));
        }
      }
      return outcomes;
    });

  return { deferCreate, flushCreates };
};
