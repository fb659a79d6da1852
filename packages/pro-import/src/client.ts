import {
  type AdsyncError,
  type CallOptions,
  type HttpRequest,
  type MarketplaceHttp,
  makeMarketplaceApi,
  type QueryValue,
} from "@adsync/core";
import { type Effect, Schema } from "effect";
import { issuesFromBody } from "./errors.ts";
import { type ApiVersion, LogEntry, Page, WireAd, type WirePayload } from "./wire.ts";

/** Filters and settings of `GET /ad` (both dialects; each documents its own subset). */
export type ListQuery = Readonly<Record<string, QueryValue>>;

/** Filters of `GET /ad/{source_id}/log`: action, state, request_id (Tradera), limit, offset, ordering. */
export type LogQuery = Readonly<Record<string, QueryValue>>;

export interface BumpOptions {
  /** "For registered vehicles, you can choose to exclude either Blocket or Bytbil." */
  readonly excludeBlocket?: boolean | undefined;
  readonly excludeBytbil?: boolean | undefined;
  /** Tradera: "Make ad Premium on Blocket". */
  readonly premium?: boolean | undefined;
}

/**
 * Every Pro Import endpoint, for one dialect. Write operations answer the ad with a new
 * `processing` log entry whose `request_id` identifies the request's progress.
 */
export interface ProImportClient {
  /** The write requests this client sends, built without sending (for `plan`). */
  readonly requests: ProImportRequests;
  readonly create: (
    version: ApiVersion,
    payload: WirePayload,
  ) => Effect.Effect<WireAd, AdsyncError>;
  readonly get: (version: ApiVersion, sourceId: string) => Effect.Effect<WireAd, AdsyncError>;
  readonly replace: (
    version: ApiVersion,
    sourceId: string,
    payload: WirePayload,
  ) => Effect.Effect<WireAd, AdsyncError>;
  readonly patch: (
    version: ApiVersion,
    sourceId: string,
    payload: WirePayload,
  ) => Effect.Effect<WireAd, AdsyncError>;
  readonly remove: (version: ApiVersion, sourceId: string) => Effect.Effect<WireAd, AdsyncError>;
  readonly bump: (
    version: ApiVersion,
    sourceId: string,
    options?: BumpOptions,
  ) => Effect.Effect<WireAd, AdsyncError>;
  readonly polePosition: (
    version: ApiVersion,
    sourceId: string,
  ) => Effect.Effect<WireAd, AdsyncError>;
  /** Validates without saving (`POST /ad/validate`): the decoded ad, or a `Rejected` error with issues. */
  readonly validate: (
    version: ApiVersion,
    payload: WirePayload,
  ) => Effect.Effect<unknown, AdsyncError>;
  readonly migrate: (sourceId: string, payload: WirePayload) => Effect.Effect<WireAd, AdsyncError>;
  readonly list: (
    version: ApiVersion,
    query?: ListQuery,
  ) => Effect.Effect<Page<WireAd>, AdsyncError>;
  readonly logs: (
    version: ApiVersion,
    sourceId: string,
    query?: LogQuery,
  ) => Effect.Effect<Page<LogEntry>, AdsyncError>;
  /** Vehicle reference data: `GET {path}` answering a JSON array of strings. */
  readonly referenceData: (
    path: string,
    query?: ListQuery,
  ) => Effect.Effect<ReadonlyArray<string>, AdsyncError>;
}

// Unknown keys are kept: a reconciled create compares the content the marketplace holds.
const ad = { success: WireAd, parseOptions: { onExcessProperty: "preserve" } } as const;
// The list answers each ad in full: `inspect` compares its content with what adsync sent.
const pageOfAds = {
  success: Page(WireAd),
  parseOptions: { onExcessProperty: "preserve" },
} as const;
const pageOfLogs = { success: Page(LogEntry) };
const strings = { success: Schema.Array(Schema.String) };

export interface ProImportClientOptions {
  /**
   * Path between the base URL and `/{version}/ad`. Blocket's base URL already ends in
   * `/pro-import-api`; Tradera's is the host, whose reference data lives at `/vehicle/…` and
   * its ads under `/pro-import-api/v3/ad`.
   */
  readonly adPrefix?: string | undefined;
}

/**
 * The requests of one dialect, pure: the client sends them and the adapter's `describe`
 * shows them (`plan`), so what is planned is what is sent.
 */
export const proImportRequests = (options: ProImportClientOptions = {}) => {
  const prefix = options.adPrefix ?? "";
  const adPath = (version: ApiVersion, sourceId?: string, action?: string) =>
    `${prefix}/${version}/ad${sourceId === undefined ? "" : `/${encodeURIComponent(sourceId)}`}${action === undefined ? "" : `/${action}`}`;
  return {
    adPath,
    create: (version: ApiVersion, payload: WirePayload): HttpRequest => ({
      method: "POST",
      path: adPath(version),
      body: payload,
    }),
    replace: (version: ApiVersion, sourceId: string, payload: WirePayload): HttpRequest => ({
      method: "PUT",
      path: adPath(version, sourceId),
      body: payload,
    }),
    patch: (version: ApiVersion, sourceId: string, payload: WirePayload): HttpRequest => ({
      method: "PATCH",
      path: adPath(version, sourceId),
      body: payload,
    }),
    remove: (version: ApiVersion, sourceId: string): HttpRequest => ({
      method: "DELETE",
      path: adPath(version, sourceId),
    }),
    migrate: (sourceId: string, payload: WirePayload): HttpRequest => ({
      method: "POST",
      path: adPath("v4", sourceId, "migrate"),
      body: payload,
    }),
  };
};

export type ProImportRequests = ReturnType<typeof proImportRequests>;

/** Builds the client of one dialect over core's http toolkit. */
export const makeProImportClient = (
  http: MarketplaceHttp,
  options: ProImportClientOptions = {},
): ProImportClient => {
  const requests = proImportRequests(options);
  const { adPath } = requests;
  const api = makeMarketplaceApi(http, {
    errorBody: (response) => ({ issues: issuesFromBody(http.marketplace, response.body) }),
  });
  /** One endpoint: the operation named in errors, the request, how its success reads. */
  const send = <A, I>(
    operation: string,
    request: HttpRequest,
    read: Pick<CallOptions<A, I, never, undefined>, "success" | "parseOptions">,
  ): Effect.Effect<A, AdsyncError> => api.call(request, { ...read, operation });

  return {
    requests,
    create: (version, payload) => send("create", requests.create(version, payload), ad),
    get: (version, sourceId) => send("get", { method: "GET", path: adPath(version, sourceId) }, ad),
    replace: (version, sourceId, payload) =>
      send("update", requests.replace(version, sourceId, payload), ad),
    patch: (version, sourceId, payload) =>
      send("update", requests.patch(version, sourceId, payload), ad),
    remove: (version, sourceId) => send("remove", requests.remove(version, sourceId), ad),
    bump: (version, sourceId, options) =>
      send(
        "renew",
        {
          method: "GET",
          path: adPath(version, sourceId, "bump"),
          query: {
            exclude_blocket: options?.excludeBlocket ? "true" : undefined,
            exclude_bytbil: options?.excludeBytbil ? "true" : undefined,
            premium: options?.premium ? "true" : undefined,
          },
          // "Charges apply": a bump whose answer was lost may have been applied, and a blind
          // retry would charge twice. Only what certainly did not land (429) is sent again.
          retry: "unapplied",
        },
        ad,
      ),
    polePosition: (version, sourceId) =>
      send(
        "promote",
        // "Charges apply": never retried blindly; only what certainly did not land (429).
        { method: "GET", path: adPath(version, sourceId, "pole_position"), retry: "unapplied" },
        ad,
      ),
    validate: (version, payload) =>
      send(
        "validate",
        { method: "POST", path: `${adPath(version)}/validate`, body: payload },
        { success: Schema.Unknown },
      ),
    migrate: (sourceId, payload) => send("migrate", requests.migrate(sourceId, payload), ad),
    list: (version, query) =>
      send("list", { method: "GET", path: adPath(version), query }, pageOfAds),
    logs: (version, sourceId, query) =>
      send("logs", { method: "GET", path: adPath(version, sourceId, "log"), query }, pageOfLogs),
    referenceData: (path, query) => send("reference data", { method: "GET", path, query }, strings),
  };
};
