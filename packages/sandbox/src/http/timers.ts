/**
 * Timers a fake owns, so that closing it cancels every pending one. Timers are unref'd: a
 * forgotten fake never keeps a test process alive.
 */
export class Timers {
  private readonly pending = new Set<NodeJS.Timeout>();
  private cancelled = false;

  after(delayMs: number, callback: () => void): void {
    if (this.cancelled) return;
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      callback();
    }, delayMs);
    timer.unref();
    this.pending.add(timer);
  }

  /** Resolves after delayMs; never resolves once the timers are cancelled. */
  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.after(delayMs, resolve));
  }

  cancelAll(): void {
    this.cancelled = true;
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}
