import type { FakeRequest } from "../http/fake-request.ts";
import type { ProImportContext } from "../pro-import/context.ts";
import type { ApiVersion, BlocketAdRecord } from "./ad-record.ts";
import type { Grant } from "./auth.ts";

/** The state and settings every Blocket handler works with. */
export interface BlocketContext extends ProImportContext<BlocketAdRecord> {
  /** by token */
  readonly grants: ReadonlyMap<string, Grant>;
}

/** One authenticated API call, routed to a handler. */
export interface BlocketCall {
  readonly context: BlocketContext;
  readonly request: FakeRequest;
  /** the API version of the path, /v3/ or /v4/ */
  readonly version: ApiVersion;
  readonly grant: Grant;
}
