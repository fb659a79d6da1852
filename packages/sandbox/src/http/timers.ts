/**
 * How a fake runs its asynchronous processing (a Pro Import ad's log actions, Marktplaats'
 * enrichment and image downloads, Allegro's publication tasks):
 * - "real" (the default, for the demo and the CLI): each step runs on a timer after its delay,
 *   as the marketplace's workers would;
 * - "manual" (for tests): nothing runs until the test calls `advance` or `flush`, so a test
 *   never races the machine's timers and can look at every intermediate state.
 */
export type ClockMode = "real" | "manual";

export interface ClockOptions {
  /** "real" by default; "manual" holds every asynchronous step until `processing.advance/flush` */
  readonly clock?: ClockMode;
}

/** A test's hold on a fake's asynchronous processing. */
export interface ProcessingControl {
  readonly mode: ClockMode;
  /**
   * Runs, in the order they are due, the steps due within the next `milliseconds` of the
   * fake's clock, steps they schedule within that window included. With the "real" clock the
   * steps run early; with "manual" the fake's clock moves forward by `milliseconds`.
   */
  advance(milliseconds: number): void;
  /** Runs every waiting step, and the steps those schedule, until none is left. */
  flush(): void;
  /** How many steps wait. */
  pending(): number;
  /** The fake's time in epoch milliseconds: the machine's, or the manual clock's. */
  now(): number;
}

interface Step {
  readonly due: number;
  /** creation order: steps due at the same time run in the order they were scheduled */
  readonly order: number;
  readonly run: () => void;
  timer?: NodeJS.Timeout;
}

/**
 * A bound on the steps one `flush` runs, so that a step that keeps scheduling another ends a
 * flush instead of hanging the test; no fake schedules anywhere near this many.
 */
const FLUSH_LIMIT = 100_000;

/**
 * Timers a fake owns, so that closing it cancels every pending one. Real timers are unref'd: a
 * forgotten fake never keeps a test process alive.
 */
export class Timers implements ProcessingControl {
  private readonly steps: Array<Step> = [];
  private cancelled = false;
  private scheduled = 0;
  /** the manual clock's offset from the machine's clock when the fake started */
  private readonly manualStart: number;
  private manualElapsed = 0;

  constructor(readonly mode: ClockMode = "real") {
    this.manualStart = Date.now();
  }

  now(): number {
    return this.mode === "manual" ? this.manualStart + this.manualElapsed : Date.now();
  }

  after(delayMs: number, callback: () => void): void {
    if (this.cancelled) return;
    const step: Step = { due: this.now() + delayMs, order: this.scheduled++, run: callback };
    this.steps.push(step);
    if (this.mode === "real") {
      step.timer = setTimeout(() => this.runStep(step), delayMs);
      step.timer.unref();
    }
  }

  /** Resolves after delayMs; never resolves once the timers are cancelled. */
  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.after(delayMs, resolve));
  }

  advance(milliseconds: number): void {
    const until = this.now() + milliseconds;
    for (let next = this.nextStep(); next !== undefined && next.due <= until; ) {
      this.moveManualClockTo(next.due);
      this.runStep(next);
      next = this.nextStep();
    }
    this.moveManualClockTo(until);
  }

  flush(): void {
    for (
      let count = 0, next = this.nextStep();
      next !== undefined && count < FLUSH_LIMIT;
      count++
    ) {
      this.moveManualClockTo(next.due);
      this.runStep(next);
      next = this.nextStep();
    }
  }

  pending(): number {
    return this.steps.length;
  }

  cancelAll(): void {
    this.cancelled = true;
    for (const step of this.steps) clearTimeout(step.timer);
    this.steps.length = 0;
  }

  private nextStep(): Step | undefined {
    let earliest: Step | undefined;
    for (const step of this.steps)
      if (
        earliest === undefined ||
        step.due < earliest.due ||
        (step.due === earliest.due && step.order < earliest.order)
      )
        earliest = step;
    return earliest;
  }

  private moveManualClockTo(time: number): void {
    if (this.mode === "manual" && time > this.now()) this.manualElapsed = time - this.manualStart;
  }

  private runStep(step: Step): void {
    const index = this.steps.indexOf(step);
    if (index === -1) return;
    this.steps.splice(index, 1);
    clearTimeout(step.timer);
    step.run();
  }
}
