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
