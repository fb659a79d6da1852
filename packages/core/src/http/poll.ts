import { type Duration, Effect, Option, Schedule } from "effect";

/**
 * Reads `poll` until it answers `Some` (an asynchronous operation done), waiting between reads
 * as `schedule` says; `None` when the schedule gives up first. A failure of `poll` ends the
 * polling at once. Polling lives here, as a `Schedule`, so no adapter writes a loop of its own
 * (Allegro's `202` operations, a batch's tasks).
 */
export const pollUntil = <A, E, R, RS = never>(
  poll: Effect.Effect<Option.Option<A>, E, R>,
  schedule: Schedule.Schedule<unknown, unknown, RS>,
): Effect.Effect<Option.Option<A>, E, R | RS> =>
  Effect.repeat(
    poll,
    Schedule.passthrough(
      Schedule.intersect(Schedule.recurWhile<Option.Option<A>>(Option.isNone), schedule),
    ),
  );

/** How often an asynchronous operation is read: quickly at first, then at a steady pace. */
export interface PollingPace {
  /** The wait before the second read; each later one doubles… */
  readonly first: Duration.DurationInput;
  /** …until it reaches this, the wait from then on. */
  readonly atMost: Duration.DurationInput;
  /** Reads after the first, at most. */
  readonly reads: number;
}

/** A polling schedule for `pollUntil`: doubling waits from `first`, capped at `atMost`. */
export const pollingSchedule = (pace: PollingPace): Schedule.Schedule<unknown, unknown> =>
  Schedule.exponential(pace.first).pipe(
    Schedule.union(Schedule.spaced(pace.atMost)),
    Schedule.intersect(Schedule.recurs(pace.reads)),
  );
