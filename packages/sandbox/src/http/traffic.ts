import type { Timers } from "./timers.ts";

/**
 * How a fake answers under load, for the scale test and the benchmark (#13): an added latency
 * per request and a rate limit per dealer. Both run on the fake's own `Timers`, so with the
 * "manual" clock a test moves them with `processing.advance(ms)` and never races real time;
 * real latency is for benchmark runs only.
 */
export interface TrafficOptions {
  /** Added before every answer (faults and 429s included). Default: none. */
  readonly latency?: LatencyOptions;
  /**
   * A limit per dealer (per account: a Pro Import token, an OAuth seller). Requests over it are
   * answered `429 Too Many Requests` with `Retry-After` in whole seconds, without being handled.
   * Default: none. Requests that name no account (the OAuth token endpoints) are not limited.
   */
  readonly rateLimit?: RateLimitOptions;
}

export interface LatencyOptions {
  /** Every answer waits this long (default 0). */
  readonly fixedMs?: number;
  /**
   * Plus a uniform random part in [0, jitterMs), drawn from a generator seeded with `seed`
   * (default 1): the same seed gives the same delays in the same order.
   */
  readonly jitterMs?: number;
  readonly seed?: number;
}

/**
 * At most `requests` requests in any window of `perMs` milliseconds per account (a sliding
 * window). None of the four marketplaces' documents gives the answer to a request over the
 * limit (Tradera's guide only says "Implement rate limiting in your script"; Blocket's
 * implementation guide has an empty "Rate Limiting" heading); the fakes answer as HTTP does
 * (RFC 6585 §4: 429 "MAY include a Retry-After header"), with the seconds until the window has
 * room again, which every adsync client honours (core `retry-policy.ts`).
 */
export interface RateLimitOptions {
  readonly requests: number;
  readonly perMs: number;
}

/** What the traffic rules decide for one request before it is handled. */
export type TrafficVerdict =
  | { readonly kind: "pass" }
  | { readonly kind: "limited"; readonly retryAfterSeconds: number };

/** The latency and rate limit of one fake (see `TrafficOptions`). */
export class Traffic {
  private readonly random: () => number;
  private readonly windows = new Map<string, Array<number>>();
  private limited = 0;

  constructor(
    private readonly options: TrafficOptions,
    private readonly timers: Timers,
  ) {
    this.random = seededRandom(options.latency?.seed ?? 1);
  }

  /** The delay of the next answer, in milliseconds (draws the next jitter). */
  nextDelayMs(): number {
    const latency = this.options.latency;
    if (latency === undefined) return 0;
    const jitter = latency.jitterMs ?? 0;
    return (latency.fixedMs ?? 0) + (jitter > 0 ? Math.floor(this.random() * jitter) : 0);
  }

  /** Waits the next answer's delay on the fake's timers (at once without latency). */
  async delay(): Promise<void> {
    const delayMs = this.nextDelayMs();
    if (delayMs > 0) await this.timers.sleep(delayMs);
  }

  /** Counts a request of `account` against its window; `limited` when the window is full. */
  admit(account: string | undefined): TrafficVerdict {
    const limit = this.options.rateLimit;
    if (limit === undefined || account === undefined) return { kind: "pass" };
    const now = this.timers.now();
    const since = now - limit.perMs;
    const window = (this.windows.get(account) ?? []).filter((at) => at > since);
    if (window.length >= limit.requests) {
      this.windows.set(account, window);
      this.limited += 1;
      const oldest = window[0] ?? now;
      const waitMs = Math.max(oldest + limit.perMs - now, 1);
      return { kind: "limited", retryAfterSeconds: Math.ceil(waitMs / 1000) };
    }
    window.push(now);
    this.windows.set(account, window);
    return { kind: "pass" };
  }

  /** How many requests were answered 429 by the rate limit so far. */
  limitedCount(): number {
    return this.limited;
  }
}

/** mulberry32: a small, fast generator with a 32-bit state; enough for test delays. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
