import type { ProcessingControl } from "./timers.ts";

/**
 * What every fake marketplace offers a test, whatever API it imitates: its base URL, the
 * requests it received, and faults to inject into the next matching requests.
 */

/** One request as the fake received it, recorded before any fault applies. */
export interface RecordedRequest {
  readonly method: string;
  /** pathname without query, e.g. "/pro-import-api/v4/ad/abc" */
  readonly path: string;
  readonly query: Record<string, string>;
  /** header names in lower case; repeated headers joined with ", " */
  readonly headers: Record<string, string>;
  /** the parsed JSON body, or undefined when there is none or it is not JSON */
  readonly body: unknown;
  /** Date.now() when the request's body had been read */
  readonly at: number;
  /** The account (dealer) the fake counts the request against, when it tells one */
  readonly account?: string | undefined;
  /**
   * Date.now() when the answer was sent (after the added latency), absent until then or when
   * the connection was dropped instead: with `at` of the account's next request, the time the
   * client took between an answer and its next request (benchmarks)
   */
  readonly answeredAt?: number | undefined;
  /** The answer's status, once sent */
  readonly status?: number | undefined;
}

export type Fault =
  /** answer with this status instead of handling (e.g. 429 with Retry-After "1", 503) */
  | {
      readonly type: "status";
      readonly status: number;
      readonly retryAfter?: string;
      readonly body?: unknown;
    }
  /** handle normally (state changes at once) but answer late */
  | { readonly type: "slow"; readonly delayMs: number }
  /** destroy the socket without answering; the request is NOT applied */
  | { readonly type: "drop" }
  /** apply the request (state changes) then destroy the socket without answering */
  | { readonly type: "applyThenDrop" };

export interface FaultRule {
  /** match the method (any if absent) */
  readonly method?: string;
  /** match the pathname (any if absent); a string matches exactly */
  readonly path?: string | RegExp;
  /** how many matching requests it affects, default 1 */
  readonly times?: number;
  readonly fault: Fault;
}

export interface FakeMarketplace {
  readonly name: string;
  /** base URL, e.g. "http://127.0.0.1:41234/pro-import-api" */
  readonly url: string;
  /** every request received, in order, including faulted ones */
  readonly requests: ReadonlyArray<RecordedRequest>;
  clearRequests(): void;
  injectFault(rule: FaultRule): void;
  clearFaults(): void;
}

/** A fake whose answers change after a while, as the marketplace's own workers change them. */
export interface ProcessingFake extends FakeMarketplace {
  /** Runs its asynchronous processing on demand (with the "manual" clock: only on demand). */
  readonly processing: ProcessingControl;
}

/**
 * Changes made on the marketplace's side, outside adsync, on demand (each fake implements them
 * as its marketplace documents the states). Listings are named by the dealer's ad id (Pro
 * Import's `source_id`, Allegro's `external.id`, Marktplaats' seller reference). Each answers
 * false when the fake holds no such listing, or the change does not exist on that marketplace.
 */
export interface OutsideChanges {
  /** The marketplace ends the listing by itself: expiry, a reached close date, ENDED by Allegro. */
  expire(adId: string): boolean;
  /** Deleted in the marketplace's own admin (Allegro: archived, answering 404). */
  delete(adId: string): boolean;
  /** Deactivated or hidden outside adsync (Marktplaats paused, Pro Import hidden). */
  deactivate(adId: string): boolean;
  /** Rejected by a later asynchronous step, after it was accepted and live. */
  reject(adId: string, reason?: string): boolean;
  /** Content edited outside adsync: the title and/or the price (in whole currency units). */
  edit(adId: string, change: { readonly title?: string; readonly price?: number }): boolean;
}

/** A fake that can change its listings as the marketplace or the dealer's admin would. */
export interface OutsideChangeable {
  readonly outside: OutsideChanges;
}
