import type { FakeRequest } from "../http/fake-request.ts";
import type { ApiVersion } from "./ad-record.ts";
import type { AdStore } from "./ad-store.ts";
import type { Grant } from "./auth.ts";
import type { ResolvedBlocketOptions } from "./options.ts";
import type { ProcessingQueue } from "./processing-queue.ts";

/** The state and settings every Blocket handler works with. */
export interface BlocketContext {
  readonly store: AdStore;
  readonly queue: ProcessingQueue;
  readonly options: ResolvedBlocketOptions;
  /** by token */
  readonly grants: ReadonlyMap<string, Grant>;
  readonly now: () => number;
}

/** One authenticated API call, routed to a handler. */
export interface BlocketCall {
  readonly context: BlocketContext;
  readonly request: FakeRequest;
  /** the API version of the path, /v3/ or /v4/ */
  readonly version: ApiVersion;
  readonly grant: Grant;
}
