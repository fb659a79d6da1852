import type { Timers } from "../http/timers.ts";

/**
 * Runs the steps of each ad's requests one after another, one step per `delayMs`, the way the
 * API's asynchronous workers process an ad's actions in order (the ad logs show each action
 * going from processing to done or error). Ads do not wait for one another.
 */
export class ProcessingQueue {
  private readonly queues = new Map<string, Array<() => void>>();

  constructor(
    private readonly timers: Timers,
    private readonly delayMs: number,
  ) {}

  enqueue(key: string, steps: ReadonlyArray<() => void>): void {
    const queue = this.queues.get(key);
    if (queue !== undefined) {
      queue.push(...steps);
      return;
    }
    this.queues.set(key, [...steps]);
    this.scheduleNext(key);
  }

  private scheduleNext(key: string): void {
    this.timers.after(this.delayMs, () => {
      const queue = this.queues.get(key);
      queue?.shift()?.();
      if (queue !== undefined && queue.length > 0) this.scheduleNext(key);
      else this.queues.delete(key);
    });
  }
}
