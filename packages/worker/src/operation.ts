import {
  AdsyncError,
  DealerPublishers,
  type ListingOutcome,
  type PublishResult,
  uncheckedAd,
} from "@adsync/core";
import { Activity } from "@effect/workflow";
import { Data, Duration, Effect, Schedule } from "effect";
import { OperationPermits } from "./operation-permits.ts";
import { OperationSummary, OperationWorkflow } from "./protocol.ts";

/*
 * The body of one operation's workflow: a single activity that runs the dealer's publisher.
 *
 * Activities are at-least-once (a runner killed after the marketplace answered and before the
 * engine saved the result runs the activity again elsewhere). What keeps that from making a
 * second listing is the publisher itself: its write-ahead `Started` record and lease are written
 * before any request, and an operation found pending is re-run under its own id with
 * `resumed: true`, so the adapter looks (`find`, the marketplace's own key) before it creates.
 * A re-run after the operation finished publishes an unchanged ad: zero requests.
 *
 * The same wait covers an update of a listing whose create the marketplace is still processing:
 * each try reads that create's progress first (the publisher's `settleBeforeUpdate`) and goes on
 * once it is done.
 *
 * The one wait: the killed runner's lease on the listing. Until it expires the publisher answers
 * a retryable `Conflict` ("another process is running an operation") and sends nothing; the
 * activity tries again on a `Schedule` until the lease is past (the worker's lease duration is
 * chosen short enough for failover, long enough to outlast one operation's requests).
 */

export interface OperationOptions {
  /** Between two tries while the listing is held by another (e.g. a dead) runner's lease. */
  readonly busyRetryInterval: Duration.DurationInput;
  /** How long to keep trying a busy listing before the operation ends `failed`/`Conflict`. */
  readonly busyRetryBudget: Duration.DurationInput;
}

class Busy extends Data.TaggedError("Busy")<{ readonly outcome: ListingOutcome }> {}

const isBusy = (outcome: ListingOutcome) =>
  outcome.result === "failed" && outcome.reason === "Conflict" && outcome.retryable === true;

const summaryOf = (
  result: PublishResult,
  marketplace: string,
  fallbackAdId: string,
): ListingOutcome | OperationSummary => {
  const outcome = result.outcomes.find((each) => each.marketplace === marketplace);
  return (
    outcome ?? {
      adId: result.adId === "" ? fallbackAdId : result.adId,
      marketplace,
      result: "unchanged",
    }
  );
};

const toSummary = (outcome: ListingOutcome | OperationSummary): OperationSummary => ({
  adId: outcome.adId,
  marketplace: outcome.marketplace,
  result: outcome.result,
  ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
  ...(outcome.retryable === undefined ? {} : { retryable: outcome.retryable }),
});

/** A store that fails for a moment (a failover of the database, a dropped connection). */
const storeRetry = Schedule.exponential("500 millis").pipe(
  Schedule.union(Schedule.spaced("10 seconds")),
  Schedule.intersect(Schedule.recurs(6)),
);

export const operationWorkflowLayer = (options: OperationOptions) =>
  OperationWorkflow.toLayer((payload) =>
    Activity.make({
      name: payload.kind,
      success: OperationSummary,
      error: AdsyncError,
      execute: Effect.gen(function* () {
        const publishers = yield* DealerPublishers;
        const permits = yield* OperationPermits;
        const adId = payload.adId ?? "";
        // A marketplace the dealer connected after its publisher was cached (its section put
        // in the database by the DMS) is picked up by core's `DealerPublishers` itself: the
        // publisher is built again once for a target it lacks that the dealer has a section for.
        // Each try holds one of the worker's permits (`maxOperations`) while it runs, none
        // between tries.
        const once = publishers
          .withPublisher(payload.dealer, (publisher) =>
            payload.kind === "publish"
              ? publisher.publish(uncheckedAd(payload.ad), { to: [payload.marketplace] })
              : publisher.remove(adId, { to: [payload.marketplace] }),
          )
          .pipe(
            permits.withPermit(payload.marketplace),
            Effect.map((result) => summaryOf(result, payload.marketplace, adId)),
            Effect.flatMap((outcome) =>
              "state" in outcome && isBusy(outcome)
                ? Effect.fail(new Busy({ outcome }))
                : Effect.succeed(outcome),
            ),
            Effect.retry({
              schedule: storeRetry,
              while: (error) => error._tag === "AdsyncError" && error.reason === "Store",
            }),
          );
        const budget = Duration.toMillis(Duration.decode(options.busyRetryBudget));
        return yield* once.pipe(
          Effect.retry({
            schedule: Schedule.spaced(options.busyRetryInterval).pipe(
              Schedule.upTo(Duration.millis(budget)),
            ),
            while: (error) => error._tag === "Busy",
          }),
          Effect.catchTag("Busy", (busy) => Effect.succeed(busy.outcome)),
          Effect.map(toSummary),
        );
      }),
    }),
  );
