import { Clock, Effect, type Either, Option, PubSub } from "effect";
import type { OperationContext, Prepared, Submitted } from "../adapter/adapter.ts";
import type { AdsyncError } from "../errors.ts";
import { reduce } from "../lifecycle/reducer.ts";
import type { Observation, OperationKind } from "../lifecycle/state.ts";
import type { LifecycleEvent, ListingRecord, StoreService } from "../store/store.ts";
import { createOutcomeUnknown, issuesOf, payloadAfter, withMarketplace } from "./listing-rules.ts";
import type { ListingOutcome } from "./outcome.ts";

/** An operation whose `Started` record is written: what `finish` records the answer on. */
export interface Begun {
  readonly started: ListingRecord;
  readonly kind: OperationKind;
  readonly context: OperationContext;
}

/**
 * How the publisher writes to the store: one operation at a time per listing, every
 * observation reduced into the record and announced, the `Started` record before each
 * request and the answer after it.
 */
export const makeOperations = (store: StoreService, events: PubSub.PubSub<LifecycleEvent>) => {
  const locks = new Map<string, { readonly lock: Effect.Semaphore; users: number }>();

  /**
   * One operation at a time per listing: concurrent calls for one ad queue up. A lock lives
   * only while someone holds or awaits it, so a sync of thousands of ads leaves none behind.
   */
  const exclusive = <A, E, R>(
    adId: string,
    marketplace: string,
    effect: Effect.Effect<A, E, R>,
  ) => {
    const key = `${marketplace}\u0000${adId}`;
    return Effect.acquireUseRelease(
      Effect.sync(() => {
        const entry = locks.get(key) ?? { lock: Effect.unsafeMakeSemaphore(1), users: 0 };
        entry.users += 1;
        locks.set(key, entry);
        return entry;
      }),
      (entry) => entry.lock.withPermits(1)(effect),
      (entry) =>
        Effect.sync(() => {
          entry.users -= 1;
          if (entry.users === 0) locks.delete(key);
        }),
    );
  };

  const load = (adId: string, marketplace: string) =>
    store.get(adId, marketplace).pipe(Effect.map(Option.getOrUndefined));

  /** Reduces an observation into the record and writes both atomically, then announces it. */
  const observe = (
    record: ListingRecord,
    observation: Observation,
    changes: Partial<Pick<ListingRecord, "ref" | "payload" | "pendingPayload">> = {},
  ) =>
    Effect.gen(function* () {
      const next: ListingRecord = {
        ...record,
        ...changes,
        state: reduce(record.state, observation),
        updatedAt: observation.at,
      };
      const event: LifecycleEvent = {
        adId: record.adId,
        marketplace: record.marketplace,
        observation,
        state: next.state,
      };
      yield* store.record(next, event);
      yield* PubSub.publish(events, event);
      return next;
    });

  /**
   * Writes an operation's `Started` record before its request (so a crash between request
   * and answer leaves a visible, reconcilable operation). An operation of the same kind
   * interrupted before its answer is resumed under its own id: the adapter can reuse what
   * it derived from it (a publication command UUID) and knows to look before it creates.
   */
  const begin = (record: ListingRecord, kind: OperationKind) =>
    Effect.gen(function* () {
      const previous = record.state.operation;
      const interrupted =
        previous !== undefined &&
        previous.kind === kind &&
        previous.status === "pending" &&
        previous.requestId === undefined;
      // A create that failed before the marketplace gave it a ref may still have landed
      // (its answer lost after every retry): the next create must look before it creates.
      const resumed = interrupted || (kind === "create" && createOutcomeUnknown(record));
      const operationId = interrupted ? previous.id : crypto.randomUUID();
      const at = yield* Clock.currentTimeMillis;
      const started = yield* observe(record, { _tag: "Started", operationId, kind, at });
      return { started, kind, context: { operationId, resumed } satisfies OperationContext };
    });

  /** Records the marketplace's answer to a begun operation. */
  const finish = (
    begun: Begun,
    answer: Either.Either<Submitted, AdsyncError>,
    prepared: Prepared | undefined,
  ) =>
    Effect.gen(function* () {
      const { kind } = begun;
      const operationId = begun.context.operationId;
      // The record as it is now: a batched create is answered after other work on the
      // listing may have happened; a newer operation keeps its state (the reducer ignores
      // a stale observation) and only a ref it lacks is learned.
      const current = (yield* load(begun.started.adId, begun.started.marketplace)) ?? begun.started;
      const stale = current.state.operation?.id !== operationId;
      const started = current;
      const at = yield* Clock.currentTimeMillis;
      if (answer._tag === "Left") {
        const error = answer.left;
        const issues = withMarketplace(issuesOf(error), started.marketplace);
        const failed = yield* observe(
          started,
          { _tag: "Rejected", operationId, issues, at },
          stale ? {} : { pendingPayload: undefined },
        );
        return {
          adId: started.adId,
          marketplace: started.marketplace,
          operation: kind,
          result: "failed",
          state: failed.state,
          ref: failed.ref,
          issues,
          warnings: [],
          reason: error.reason,
          retryable: error.isRetryable,
        } satisfies ListingOutcome;
      }
      const submitted = answer.right;
      const progress = submitted.progress;
      const warnings = withMarketplace(
        [...(prepared?.warnings ?? []), ...(progress.warnings ?? [])],
        started.marketplace,
      );
      const accepted = yield* observe(
        started,
        {
          _tag: "Accepted",
          operationId,
          requestId: submitted.requestId,
          status: progress.status,
          presence: progress.presence,
          issues: withMarketplace(progress.issues ?? [], started.marketplace),
          warnings,
          notes: progress.notes,
          raw: progress.raw,
          at,
        },
        stale
          ? { ref: started.ref ?? submitted.ref }
          : {
              ref: submitted.ref,
              ...payloadAfter(started, progress.status, submitted.payload ?? prepared?.payload),
            },
      );
      return {
        adId: started.adId,
        marketplace: started.marketplace,
        operation: kind,
        result: "accepted",
        state: accepted.state,
        ref: accepted.ref,
        issues: accepted.state.operation?.issues ?? [],
        warnings: accepted.state.operation?.warnings ?? [],
      } satisfies ListingOutcome;
    });

  /** One operation: the Started record, the request, the answer recorded. */
  const run = (
    record: ListingRecord,
    kind: OperationKind,
    request: (context: OperationContext) => Effect.Effect<Submitted, AdsyncError>,
    prepared?: Prepared,
  ) =>
    Effect.gen(function* () {
      const begun = yield* begin(record, kind);
      const answer = yield* Effect.either(request(begun.context));
      return yield* finish(begun, answer, prepared);
    });

  return { exclusive, load, observe, begin, finish, run };
};

export type Operations = ReturnType<typeof makeOperations>;
