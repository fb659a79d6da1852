import { Clock, Duration, Effect } from "effect";

/**
 * A clock whose sleeps return at once, move its time forward and are recorded: an adapter's
 * retry schedule runs without waiting, and a test reads how long it asked to wait (Effect's
 * `Clock`; the fakes keep their own manual clock). Nothing races a real timer.
 */
export class SleepRecordingClock implements Clock.Clock {
  readonly [Clock.ClockTypeId]: Clock.ClockTypeId = Clock.ClockTypeId;
  /** Every sleep asked for, in milliseconds, in order. */
  readonly sleeps: Array<number> = [];
  private now: number;
  constructor(start = Date.now()) {
    this.now = start;
  }
  unsafeCurrentTimeMillis(): number {
    return this.now;
  }
  unsafeCurrentTimeNanos(): bigint {
    return BigInt(Math.round(this.now)) * 1_000_000n;
  }
  readonly currentTimeMillis = Effect.sync(() => this.unsafeCurrentTimeMillis());
  readonly currentTimeNanos = Effect.sync(() => this.unsafeCurrentTimeNanos());
  sleep(duration: Duration.Duration): Effect.Effect<void> {
    return Effect.sync(() => {
      const millis = Duration.toMillis(duration);
      this.sleeps.push(millis);
      this.now += millis;
    });
  }
}
