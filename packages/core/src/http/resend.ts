import { Data, Duration, Effect, Option, Schedule } from "effect";
import type { AdsyncError } from "../errors.ts";

/** What a create with no idempotency key came to: sent and answered, or found after all. */
export type Reconciled<A, B> =
  | { readonly _tag: "Sent"; readonly value: A }
  | { readonly _tag: "Found"; readonly value: B };

export interface ResendWhileAbsentOptions<A, B, R> {
  /**
   * The request, sent with `retry: "unapplied"`: `MarketplaceHttp` has already sent it again
   * after every failure that certainly did not apply it (429, a refused connection).
   */
  readonly send: Effect.Effect<A, AdsyncError, R>;
  /** Whether a failure leaves the outcome unknown: it may have been applied (timeout, 5xx, …). */
  readonly outcomeUnknown: (error: AdsyncError) => boolean;
  /**
   * After an unknown outcome, what the marketplace holds: `Some` it landed (no second send);
   * `None` it certainly did not, so it is sent again; a failure means nobody can tell, and is
   * the answer (nothing is sent again).
   */
  readonly lookUp: (error: AdsyncError) => Effect.Effect<Option.Option<B>, AdsyncError, R>;
  /** Sends in all, the first included (default 4). */
  readonly attempts?: number | undefined;
  /** The wait before each send after the first (default: 200 ms doubling, at most 5 s). */
  readonly schedule?: Schedule.Schedule<unknown, unknown> | undefined;
}

/** A send that certainly did not land, carrying the failure that left it unknown. */
class Absent extends Data.TaggedError("Absent")<{ readonly error: AdsyncError }> {}

const defaultResendSchedule: Schedule.Schedule<unknown, unknown> = Schedule.exponential(
  "200 millis",
).pipe(Schedule.modifyDelay((_, delay) => Duration.min(delay, Duration.seconds(5))));

/**
 * A request with no idempotency key (a create whose id the server chooses), sent so it is
 * applied at most once (architecture §7.9): what certainly did not land is retried below
 * (`retry: "unapplied"`); what may have landed is looked up and, when it did, found instead of
 * sent twice; only what the lookup shows absent is sent again, up to `attempts` sends.
 */
export const resendWhileAbsent = <A, B, R>(
  options: ResendWhileAbsentOptions<A, B, R>,
): Effect.Effect<Reconciled<A, B>, AdsyncError, R> => {
  const once: Effect.Effect<Reconciled<A, B>, AdsyncError | Absent, R> = Effect.catchAll(
    Effect.map(options.send, (value): Reconciled<A, B> => ({ _tag: "Sent", value })),
    (error) =>
      options.outcomeUnknown(error)
        ? Effect.flatMap(
            options.lookUp(error),
            Option.match({
              onNone: () => Effect.fail(new Absent({ error })),
              onSome: (value) => Effect.succeed<Reconciled<A, B>>({ _tag: "Found", value }),
            }),
          )
        : Effect.fail(error),
  );
  const resends = Math.max(0, (options.attempts ?? 4) - 1);
  return once.pipe(
    Effect.retry({
      schedule: Schedule.intersect(
        options.schedule ?? defaultResendSchedule,
        Schedule.recurs(resends),
      ),
      while: (error) => error._tag === "Absent",
    }),
    Effect.catchTag("Absent", (absent) => Effect.fail(absent.error)),
  );
};
