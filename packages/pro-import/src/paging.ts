import type { AdsyncError, ServiceRunner } from "@adsync/core";
import { Effect } from "effect";
import type { ListQuery, LogQuery, ProImportClient } from "./client.ts";
import type { ApiVersion, LogEntry, Page, WireAd } from "./wire.ts";

/**
 * Reads every page of a limit/offset endpoint ("limit - Number of results per page", "offset -
 * Starting position for pagination"): one request per `pageSize` results, following `next`
 * until the API says there is no more.
 */
export const everyPage = <A>(
  pageSize: number,
  read: (page: {
    readonly limit: number;
    readonly offset: number;
  }) => Effect.Effect<Page<A>, AdsyncError>,
): Effect.Effect<ReadonlyArray<A>, AdsyncError> =>
  Effect.gen(function* () {
    const items: Array<A> = [];
    // The next offset is what was received, not what was asked: an API that caps `limit` below
    // `pageSize` (Blocket documents no maximum) must not make pages be skipped.
    for (let offset = 0; ; ) {
      const page = yield* read({ limit: pageSize, offset });
      items.push(...page.results);
      if (!page.next || page.results.length === 0) return items;
      offset += page.results.length;
    }
  });

/** Every ad `GET /ad` answers for the query, paged `pageSize` at a time. */
const listEvery = (
  client: ProImportClient,
  version: ApiVersion,
  pageSize: number,
  query: ListQuery = {},
): Effect.Effect<ReadonlyArray<WireAd>, AdsyncError> =>
  everyPage(pageSize, (page) => client.list(version, { ...query, ...page }));

/** Every log entry `GET /ad/{source_id}/log` answers for the query, paged `pageSize` at a time. */
const logsEvery = (
  client: ProImportClient,
  version: ApiVersion,
  sourceId: string,
  pageSize: number,
  query: LogQuery = {},
): Effect.Effect<ReadonlyArray<LogEntry>, AdsyncError> =>
  everyPage(pageSize, (page) => client.logs(version, sourceId, { ...query, ...page }));

/**
 * The log entries of one request (`request_id`), newest first. Tradera documents the
 * `request_id` filter; Blocket does not, so the entries are also filtered here.
 */
export const readRequestLog = (
  source: { readonly client: ProImportClient; readonly logPageSize: number },
  version: ApiVersion,
  sourceId: string,
  requestId: string | undefined,
): Effect.Effect<ReadonlyArray<LogEntry>, AdsyncError> =>
  requestId === undefined
    ? Effect.succeed([])
    : Effect.map(
        logsEvery(source.client, version, sourceId, source.logPageSize, {
          ordering: "-created",
          request_id: requestId,
        }),
        (entries) => entries.filter((entry) => entry.request_id === requestId),
      );

/** The list and log reads a dialect's service offers beside its adapter, typed and paged. */
export interface ProImportReads {
  /** One page of `GET /ad` with the dialect's documented filters and settings. */
  readonly list: (query?: ListQuery) => Effect.Effect<Page<WireAd>, AdsyncError>;
  /** Every ad `GET /ad` answers for the query, a page at a time. */
  readonly listAll: (query?: ListQuery) => Effect.Effect<ReadonlyArray<WireAd>, AdsyncError>;
  /** One page of `GET /ad/{source_id}/log`. */
  readonly logs: (sourceId: string, query?: LogQuery) => Effect.Effect<Page<LogEntry>, AdsyncError>;
  /** Every log entry of the ad for the query, a page at a time. */
  readonly logsAll: (
    sourceId: string,
    query?: LogQuery,
  ) => Effect.Effect<ReadonlyArray<LogEntry>, AdsyncError>;
}

/**
 * The reads of one dialect: pages of `pageSize` for the `All` variants, and `shape` applied to
 * a single page's query (Tradera caps `limit` at its documented 50).
 */
export const proImportReads = (
  client: ProImportClient,
  version: ApiVersion,
  pageSize: number,
  shape: (query: ListQuery | undefined) => ListQuery | undefined = (query) => query,
): ProImportReads => ({
  list: (query) => client.list(version, shape(query)),
  listAll: (query) => listEvery(client, version, pageSize, query),
  logs: (sourceId, query) => client.logs(version, sourceId, shape(query)),
  logsAll: (sourceId, query) => logsEvery(client, version, sourceId, pageSize, query),
});

/** The reads of `ProImportReads` as Promises, for a dialect's facade (`createBlocketClient`, …). */
export const proImportReadsFacade = (runner: ServiceRunner<ProImportReads>) => ({
  list: (query?: ListQuery) => runner.use((service) => service.list(query)),
  logs: (sourceId: string, query?: LogQuery) =>
    runner.use((service) => service.logs(sourceId, query)),
  listAll: (query?: ListQuery) => runner.use((service) => service.listAll(query)),
  logsAll: (sourceId: string, query?: LogQuery) =>
    runner.use((service) => service.logsAll(sourceId, query)),
});
