import type { FakeRequest } from "../http/fake-request.ts";
import type { ProImportContext } from "../pro-import/context.ts";
import type { TraderaAdRecord } from "./ad-record.ts";

/** The state and settings every Tradera handler works with. */
export interface TraderaContext extends ProImportContext<TraderaAdRecord> {
  /** the dealer codes each token may use, by token */
  readonly grants: ReadonlyMap<string, ReadonlySet<string>>;
}

/** One authenticated API call, routed to a handler. */
export interface TraderaCall {
  readonly context: TraderaContext;
  readonly request: FakeRequest;
  /** the dealer codes of the request's token */
  readonly dealerCodes: ReadonlySet<string>;
}
