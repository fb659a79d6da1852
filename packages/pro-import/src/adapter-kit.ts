import {
  AdsyncError,
  type Capabilities,
  type Issue,
  issue,
  type Listing,
  type ListingRef,
  type MarketplaceAdapter,
  type PlannedRequest,
  type Prepared,
  type Promotion,
  type Submitted,
  type VehicleAd,
} from "@adsync/core";
import { Effect, type Either, Option } from "effect";
import type { BumpOptions, ProImportClient } from "./client.ts";
import { describeProImport, updateCall } from "./describe.ts";
import { heldContent, holdsStaleFields, planUpdate } from "./diff.ts";
import {
  type ListPage,
  makeProImportInspect,
  progressOfRequest,
  sightingOfMissing,
  sightingOfSettled,
} from "./inspect.ts";
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
   * The requests of `specialUpdate`'s route when it is taken before any answer (for `plan`);
   * undefined when the plain PATCH/PUT applies.
   */
  readonly describeSpecialUpdate?: (
    listing: Listing,
    content: WirePayload,
  ) => ReadonlyArray<PlannedRequest> | undefined;
  /**
   * Bookkeeping kept on the listing's ref (e.g. which API version and category wrote it, bump
   * preferences), so later operations that get no ad (renew, remove) still know it.
   */
  readonly meta: (ad: VehicleAd, version: ApiVersion) => Readonly<Record<string, string>>;
  /**
   * A create met a deleted ad with the same source_id. Blocket revives it with PUT "in
   * unregistered vehicle categories"; Tradera refuses ("Cannot update ad that has been
   * deleted."). Answer the revival, or undefined when the dialect cannot revive it.
   */
  readonly revive: (
    ad: VehicleAd,
    listing: Listing,
    content: WirePayload,
  ) => Effect.Effect<WireAd, AdsyncError> | undefined;
  /** The largest `limit` the log endpoint takes (Blocket: 100 per GET; Tradera: "max 50"). */
  readonly logPageSize: number;
  /** How `inspect` reads the list endpoint: the page size (its batch size) and extra settings. */
  readonly listPage: ListPage;
  /** The promotion products `promote` takes (Blocket: "pole_position"). */
  readonly promotions?: ReadonlyArray<string> | undefined;
  /** Sends the promotion of a live listing, or undefined for a product the dialect lacks. */
  readonly promote?: (
    listing: Listing,
    promotion: Promotion,
  ) => Effect.Effect<WireAd, AdsyncError> | undefined;
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

/** Tradera's answer to an update that arrives while the create is still processing. */
const notPublishedYet = (error: AdsyncError) =>
  error.status === 400 &&
  error.issues.some((entry) => /not been published yet/i.test(entry.message));

/** Deleted: Blocket's `state: "deleted"`, or (Tradera, whose state stays "created") a done delete. */
export const isDeleted = (ad: WireAd) =>
  ad.state === "deleted" ||
  ad.log.some((entry) => entry.action === "delete" && entry.state === "done");

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
      if (isDeleted(existing)) {
        const listing: Listing = { ref: refFromAd(existing, meta), payload: undefined };
        const revival = dialect.revive(ad, listing, content);
        if (revival === undefined) {
          return yield* Effect.fail(
            new AdsyncError({
              reason: "Conflict",
              marketplace,
              operation: "create",
              message: `${marketplace} create: the ad ${ad.id} was deleted and ${marketplace} does not let its source_id be used again.`,
              issues: [
                issue(
                  "id",
                  "conflict",
                  `An ad with this id was deleted on ${marketplace} and cannot be re-created; publish it under a new id.`,
                  { marketplace, marketplacePath: "source_id" },
                ),
              ],
            }),
          );
        }
        return submitted(yield* revival, meta, content);
      }
      yield* Effect.logInfo(
        `${marketplace}: ${ad.id} already exists; adopting it instead of creating twice`,
      );
      // The ad may hold older content (the dealer changed the ad after the lost answer, or it
      // was published before adsync managed it): send what differs, so it converges.
      const answer = asPayload(existing);
      const held = heldContent(answer, content);
      // Content fields the ad holds that ours no longer has (a video the dealer removed) are
      // invisible to a diff of our fields: such an ad is replaced whole.
      const stale = holdsStaleFields(answer, content);
      if (!stale && planUpdate(held, content)._tag === "Unchanged")
        return submitted(existing, meta, content);
      const listing: Listing = {
        ref: refFromAd(existing, meta),
        // Without a known payload the update is a full replacement (PUT).
        payload: stale ? undefined : held,
      };
      // A refused update is never a success: the ad keeps its old content, so the create
      // fails with the refusal (the next publish adopts the ad again and retries). "Cannot
      // update ad that has not been published yet" is followed inside `update`.
      return yield* update(listing, ad, { payload: content, warnings: [] });
    });

  const create = (ad: VehicleAd, prepared: Prepared) => {
    const content = asPayload(prepared.payload);
    const version = dialect.createVersion;
    const body = dialect.createBody(ad, content);
    const meta = { ...dialect.meta(ad, version), visible: String(body.visible !== false) };
    return client.create(version, body).pipe(
      Effect.map((answer) => submitted(answer, meta, content)),
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
    const call = updateCall(dialect, listing, content);
    const sourceId = listing.ref.remoteId;
    const request =
      call.kind === "patch"
        ? client.patch(call.version, sourceId, call.body)
        : client.replace(call.version, sourceId, call.body);
    // A write that says `visible` sets what the listing is now (PUT and PATCH alike).
    const sentVisible = call.body.visible;
    const written =
      typeof sentVisible === "boolean" ? { ...meta, visible: String(sentVisible) } : meta;
    return request.pipe(
      Effect.map((answer) => submitted(answer, written, content)),
      Effect.catchTag("AdsyncError", (error) => {
        if (notPublishedYet(error)) return followPendingCreate(listing, version, meta);
        const recovery = dialect.specialUpdate?.(listing, content, error);
        return recovery === undefined ? Effect.fail(error) : recovery.pipe(Effect.map(migrated));
      }),
    );
  };

  /**
   * "Cannot update ad that has not been published yet": the create is still being processed.
   * Follow it, recording what the ad holds, so the next publish sends the rest.
   */
  const followPendingCreate = (
    listing: Listing,
    version: ApiVersion,
    meta: Readonly<Record<string, string>>,
  ) =>
    Effect.map(client.get(version, listing.ref.remoteId), (ad) => {
      return submitted(ad, meta, asPayload(listing.payload));
    }).pipe(
      Effect.tap(() =>
        Effect.logWarning(
          `${marketplace}: ${listing.ref.remoteId} is not published yet; the update waits for the next publish`,
        ),
      ),
    );

  const setVisible = (listing: Listing, visible: boolean) => {
    const version = dialect.versionOf(listing.ref);
    const meta = { ...listing.ref.meta, visible: String(visible) };
    return client
      .patch(version, listing.ref.remoteId, dialect.patchBody(listing, { visible }))
      .pipe(Effect.map((answer) => submitted(answer, meta, asPayload(listing.payload))));
  };

  /** The source_id is the dealer's ad id: a GET answers whether the listing exists. */
  const find = (adId: string) =>
    client.get(dialect.createVersion, adId).pipe(
      Effect.map((ad) =>
        isDeleted(ad)
          ? Option.none()
          : Option.some(refFromAd(ad, { apiVersion: dialect.createVersion })),
      ),
      Effect.catchIf(
        (error) => error.reason === "NotFound",
        () => Effect.succeed(Option.none()),
      ),
    );

  return {
    id: marketplace,
    capabilities: dialect.capabilities,
    describe: describeProImport(dialect),
    ...makeProImportInspect(dialect),
    find,
    prepare: dialect.prepare,
    create,
    update,
    hide: (listing) => setVisible(listing, false),
    show: (listing) => setVisible(listing, true),
    remove: (listing) => {
      const version = dialect.versionOf(listing.ref);
      const payload = asPayload(listing.payload);
      return client.remove(version, listing.ref.remoteId).pipe(
        Effect.map((answer) => submitted(answer, listing.ref.meta, payload)),
        // A retried delete whose first try landed is refused ("Cannot delete ad that has
        // already been deleted."): follow the delete that is already there instead.
        Effect.catchIf(
          (error) => error.reason === "Rejected" || error.reason === "Conflict",
          (error) =>
            Effect.flatMap(client.get(version, listing.ref.remoteId), (ad) => {
              const deletes = ad.log.filter((entry) => entry.action === "delete");
              const requestId = newestRequestId(deletes);
              if (requestId === undefined) return Effect.fail(error);
              return Effect.succeed({
                ...submitted(ad, listing.ref.meta, payload),
                requestId,
                progress: progressFromAd(
                  marketplace,
                  ad,
                  entriesOf(ad.log, requestId),
                  listing.ref.meta,
                ),
              });
            }),
        ),
      );
    },
    ...(dialect.promote === undefined
      ? {}
      : {
          promotions: dialect.promotions,
          promote: (listing: Listing, promotion: Promotion) => {
            const sent = dialect.promote?.(listing, promotion);
            if (sent === undefined) {
              return Effect.fail(
                new AdsyncError({
                  reason: "Unsupported",
                  marketplace,
                  operation: "promote",
                  message: `${marketplace} offers no promotion "${promotion.product}" (only ${(dialect.promotions ?? []).join(", ")}).`,
                }),
              );
            }
            return sent.pipe(
              Effect.map((answer) =>
                submitted(answer, listing.ref.meta, asPayload(listing.payload)),
              ),
            );
          },
        }),
    renew: (listing) => {
      const { version, options } = dialect.bump(listing);
      return client
        .bump(version, listing.ref.remoteId, options)
        .pipe(
          Effect.map((answer) => submitted(answer, listing.ref.meta, asPayload(listing.payload))),
        );
    },
    /**
     * One listing read the way `inspect` reads many: a settled listing is what the ad shows now
     * (`sightingOfSettled`: an unpublish or delete done, a later rejection, drift); a pending
     * one is its request's progress. A settled listing the marketplace no longer has is removed.
     */
    observe: (listing) =>
      Effect.gen(function* () {
        const version = dialect.versionOf(listing.ref);
        const requestId = listing.requestId;
        if (requestId !== undefined) {
          const ad = yield* client.get(version, listing.ref.remoteId);
          return yield* progressOfRequest(dialect, version, ad, requestId, listing.ref.meta);
        }
        const ad = yield* client.get(version, listing.ref.remoteId).pipe(
          Effect.catchIf(
            (error) => error.reason === "NotFound",
            () => Effect.succeed(undefined),
          ),
        );
        return ad === undefined
          ? sightingOfMissing(marketplace, listing)
          : sightingOfSettled(marketplace, listing, ad);
      }),
  };
};

/** A prepared payload as the JSON object it is built as. */
export const asPayload = (value: unknown): WirePayload =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value))
    : {};
