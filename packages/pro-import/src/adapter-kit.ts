import {
  AdsyncError,
  type Capabilities,
  type Issue,
  type Listing,
  type ListingRef,
  type MarketplaceAdapter,
  type Prepared,
  type Submitted,
  type VehicleAd,
} from "@adsync/core";
import { Effect, type Either } from "effect";
import type { BumpOptions, ProImportClient } from "./client.ts";
import { planUpdate } from "./diff.ts";
import { progressFromAd, refFromAd } from "./status.ts";
import type { ApiVersion, LogEntry, WireAd, WirePayload } from "./wire.ts";

/**
 * What differs between Pro Import dialects (Blocket, Tradera). Everything else — the
 * operation flow, duplicate reconciliation, log-based status — is shared in
 * `makeProImportAdapter`.
 */
export interface ProImportDialect {
  readonly marketplace: string;
  readonly capabilities: Capabilities;
  readonly client: ProImportClient;
  /** Validates and maps; the payload is the ad's content (never `visible`, see `createBody`). */
  readonly prepare: (ad: VehicleAd) => Either.Either<Prepared, ReadonlyArray<Issue>>;
  /** The API version used for new listings. */
  readonly createVersion: ApiVersion;
  /** The API version to address an existing listing with. */
  readonly versionOf: (ref: ListingRef) => ApiVersion;
  /** The body of a create: the content plus create-only fields such as `visible`. */
  readonly createBody: (ad: VehicleAd, content: WirePayload) => WirePayload;
  /** The body of a full update (PUT) for this content. */
  readonly replaceBody: (listing: Listing, content: WirePayload) => WirePayload;
  /** The body of a partial update (PATCH) carrying only `changes`. */
  readonly patchBody: (listing: Listing, changes: WirePayload) => WirePayload;
  /** Whether a failed create means "this source_id already exists" (the first try landed). */
  readonly isDuplicate: (error: AdsyncError) => boolean;
  /**
   * An update that must take another route, e.g. Blocket's V3 ad in a V4-only category that
   * must be migrated. Called before the update (with no error) and after a rejected one.
   */
  readonly specialUpdate?: (
    listing: Listing,
    content: WirePayload,
    rejection: AdsyncError | undefined,
  ) => Effect.Effect<WireAd, AdsyncError> | undefined;
  /**
   * Bookkeeping kept on the listing's ref (e.g. which API version and category wrote it, bump
   * preferences), so later operations that get no ad (renew, remove) still know it.
   */
  readonly meta: (ad: VehicleAd, version: ApiVersion) => Readonly<Record<string, string>>;
  /** The API version of the bump endpoint and the options for a listing. */
  readonly bump: (listing: Listing) => {
    readonly version: ApiVersion;
    readonly options: BumpOptions;
  };
}

/** The request id of the newest `processing` entry: the one our write just started. */
export const newestRequestId = (log: ReadonlyArray<LogEntry>): string | undefined => {
  let newest: LogEntry | undefined;
  for (const entry of log) {
    if (entry.request_id === null || entry.request_id === undefined) continue;
    if (newest === undefined || (entry.created ?? "") >= (newest.created ?? "")) newest = entry;
  }
  return newest?.request_id ?? undefined;
};

const entriesOf = (log: ReadonlyArray<LogEntry>, requestId: string | undefined) =>
  requestId === undefined ? [] : log.filter((entry) => entry.request_id === requestId);

/** `GET /ad/{id}` includes only the last 100 log messages; older ones are paged from /log. */
const logPageSize = 100;

export const makeProImportAdapter = (dialect: ProImportDialect): MarketplaceAdapter => {
  const { client, marketplace } = dialect;

  const submitted = (
    ad: WireAd,
    meta: Readonly<Record<string, string>>,
    payload: WirePayload,
  ): Submitted => {
    const requestId = newestRequestId(ad.log);
    return {
      ref: refFromAd(ad, meta),
      requestId,
      payload,
      progress: progressFromAd(marketplace, ad, entriesOf(ad.log, requestId), meta),
    };
  };

  /**
   * The create already landed (a retry after a lost answer, or a crash): adopt the ad and
   * follow the request that created it. A deleted ad with this source_id is revived by PUT
   * where the marketplace allows it.
   */
  const reconcile = (ad: VehicleAd, content: WirePayload, version: ApiVersion) =>
    Effect.gen(function* () {
      const meta = dialect.meta(ad, version);
      const existing = yield* client.get(version, ad.id);
      if (existing.state === "deleted") {
        const listing: Listing = { ref: refFromAd(existing, meta), payload: undefined };
        const revived = yield* client.replace(
          version,
          ad.id,
          dialect.replaceBody(listing, content),
        );
        return submitted(revived, meta, content);
      }
      yield* Effect.logInfo(
        `${marketplace}: ${ad.id} already exists; adopting it instead of creating twice`,
      );
      return submitted(existing, meta, content);
    });

  const create = (ad: VehicleAd, prepared: Prepared) => {
    const content = asPayload(prepared.payload);
    const version = dialect.createVersion;
    return client.create(version, dialect.createBody(ad, content)).pipe(
      Effect.map((answer) => submitted(answer, dialect.meta(ad, version), content)),
      Effect.catchIf(dialect.isDuplicate, () => reconcile(ad, content, version)),
    );
  };

  const update = (listing: Listing, ad: VehicleAd, prepared: Prepared) => {
    const content = asPayload(prepared.payload);
    const version = dialect.versionOf(listing.ref);
    const meta = { ...listing.ref.meta, ...dialect.meta(ad, version) };
    const migrated = (answer: WireAd) => submitted(answer, { ...meta, apiVersion: "v4" }, content);
    const special = dialect.specialUpdate?.(listing, content, undefined);
    if (special !== undefined) return special.pipe(Effect.map(migrated));
    const plan = planUpdate(listing.payload, content);
    const sourceId = listing.ref.remoteId;
    const request =
      plan._tag === "Patch"
        ? client.patch(version, sourceId, dialect.patchBody(listing, plan.changes))
        : client.replace(version, sourceId, dialect.replaceBody(listing, content));
    return request.pipe(
      Effect.map((answer) => submitted(answer, meta, content)),
      Effect.catchTag("AdsyncError", (error) => {
        const recovery = dialect.specialUpdate?.(listing, content, error);
        return recovery === undefined ? Effect.fail(error) : recovery.pipe(Effect.map(migrated));
      }),
    );
  };

  const setVisible = (listing: Listing, visible: boolean) => {
    const version = dialect.versionOf(listing.ref);
    return client
      .patch(version, listing.ref.remoteId, dialect.patchBody(listing, { visible }))
      .pipe(
        Effect.map((answer) => submitted(answer, listing.ref.meta, asPayload(listing.payload))),
      );
  };

  const requestLog = (listing: Listing, version: ApiVersion, ad: WireAd) =>
    Effect.gen(function* () {
      const found = entriesOf(ad.log, listing.requestId);
      if (found.length > 0 || ad.log.length < logPageSize) return found;
      // Our request's entries are older than the last 100: page through the full log.
      const entries: Array<LogEntry> = [];
      for (let offset = 0; ; offset += logPageSize) {
        const page = yield* client.logs(version, listing.ref.remoteId, {
          limit: logPageSize,
          offset,
          ordering: "-created",
          request_id: listing.requestId,
        });
        entries.push(...entriesOf(page.results, listing.requestId));
        if (!page.next || page.results.length === 0) return entries;
      }
    });

  return {
    id: marketplace,
    capabilities: dialect.capabilities,
    prepare: dialect.prepare,
    create,
    update,
    hide: (listing) => setVisible(listing, false),
    show: (listing) => setVisible(listing, true),
    remove: (listing) => {
      const version = dialect.versionOf(listing.ref);
      return client
        .remove(version, listing.ref.remoteId)
        .pipe(
          Effect.map((answer) => submitted(answer, listing.ref.meta, asPayload(listing.payload))),
        );
    },
    renew: (listing) => {
      const { version, options } = dialect.bump(listing);
      return client
        .bump(version, listing.ref.remoteId, options)
        .pipe(
          Effect.map((answer) => submitted(answer, listing.ref.meta, asPayload(listing.payload))),
        );
    },
    observe: (listing) =>
      Effect.gen(function* () {
        const version = dialect.versionOf(listing.ref);
        const ad = yield* client.get(version, listing.ref.remoteId);
        const entries = yield* requestLog(listing, version, ad);
        return progressFromAd(marketplace, ad, entries, listing.ref.meta);
      }),
  };
};

/** A prepared payload as the JSON object it is built as. */
export const asPayload = (value: unknown): WirePayload =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value))
    : {};

export const configurationError = (marketplace: string, message: string) =>
  new AdsyncError({ reason: "Configuration", marketplace, message });
