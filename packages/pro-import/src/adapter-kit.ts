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
import { Effect, type Either, Option, type Schema } from "effect";
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
  /** The payload as the store keeps it (the dialect's `wire.ts`). */
  readonly payloadSchema: Schema.Schema<WirePayload, WirePayload>;
  /**
   * Validates and maps; the payload is the ad's content (never `visible`, see `createBody`).
   * `create` and `update` send it as it is.
   */
  readonly prepare: (ad: VehicleAd) => Either.Either<Prepared<WirePayload>, ReadonlyArray<Issue>>;
  /** The API version used for new listings. */
  readonly createVersion: ApiVersion;
  /** The API version to address an existing listing with. */
  readonly versionOf: (ref: ListingRef) => ApiVersion;
  /** The body of a create: the content plus create-only fields such as `visible`. */
  readonly createBody: (ad: VehicleAd, content: WirePayload) => WirePayload;
  /** The body of a full update (PUT) for this content. */
  readonly replaceBody: (listing: ProImportListing, content: WirePayload) => WirePayload;
  /** The body of a partial update (PATCH) carrying only `changes`. */
  readonly patchBody: (listing: ProImportListing, changes: WirePayload) => WirePayload;
  /** Whether a failed create means "this source_id already exists" (the first try landed). */
  readonly isDuplicate: (error: AdsyncError) => boolean;
  /**
   * Whether an update was refused because the create is still being processed (Tradera:
   * "Cannot update ad that has not been published yet."): the update then follows the create
   * instead of failing, and the next publish sends the change. Absent: no such refusal.
   */
  readonly createStillProcessing?: ((error: AdsyncError) => boolean) | undefined;
  /**
   * Whether an ad as read is deleted, by the dialect's documented states (Blocket: `state:
   * "deleted"`; Tradera: "The ad state remains "created" - check logs for actual deletion
   * status"). A create that meets a deleted ad revives it or refuses; `find` skips it.
   */
  readonly isDeleted: (ad: WireAd) => boolean;
  /**
   * An update that must take another route, e.g. Blocket's V3 ad in a V4-only category that
   * must be migrated. Called before the update (with no error) and after a rejected one.
   */
  readonly specialUpdate?: (
    listing: ProImportListing,
    content: WirePayload,
    rejection: AdsyncError | undefined,
  ) => Effect.Effect<SpecialUpdate, AdsyncError> | undefined;
  /**
   * The requests of `specialUpdate`'s route when it is taken before any answer (for `plan`);
   * undefined when the plain PATCH/PUT applies.
   */
  readonly describeSpecialUpdate?: (
    listing: ProImportListing,
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
    listing: ProImportListing,
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
    listing: ProImportListing,
    promotion: Promotion,
  ) => Effect.Effect<WireAd, AdsyncError> | undefined;
  /** The API version of the bump endpoint and the options for a listing. */
  readonly bump: (listing: ProImportListing) => {
    readonly version: ApiVersion;
    readonly options: BumpOptions;
  };
}

/** A listing of a Pro Import dialect, its payload decoded by the publisher. */
export type ProImportListing = Listing<WirePayload>;

/** What `specialUpdate` answers: the ad as read back and the bookkeeping its ref now carries. */
export interface SpecialUpdate {
  readonly ad: WireAd;
  /** Merged into the listing's meta (Blocket's `/migrate` turns a V3 ad into `apiVersion: "v4"`). */
  readonly meta: Readonly<Record<string, string>>;
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

/** A done `delete` in the ad's log: how an ad whose `state` stays "created" shows its deletion. */
export const deleteDone = (ad: WireAd) =>
  ad.log.some((entry) => entry.action === "delete" && entry.state === "done");

export const makeProImportAdapter = (
  dialect: ProImportDialect,
): MarketplaceAdapter<WirePayload, WirePayload> => {
  const { client, marketplace, isDeleted } = dialect;

  const submitted = (
    ad: WireAd,
    meta: Readonly<Record<string, string>>,
    payload: WirePayload | undefined,
  ): Submitted<WirePayload> => {
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
        const listing: ProImportListing = { ref: refFromAd(existing, meta), payload: undefined };
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
      const answer: WirePayload = Object.fromEntries(Object.entries(existing));
      const held = heldContent(answer, content);
      // Content fields the ad holds that ours no longer has (a video the dealer removed) are
      // invisible to a diff of our fields: such an ad is replaced whole.
      const stale = holdsStaleFields(answer, content);
      if (!stale && planUpdate(held, content)._tag === "Unchanged")
        return submitted(existing, meta, content);
      const listing: ProImportListing = {
        ref: refFromAd(existing, meta),
        // Without a known payload the update is a full replacement (PUT).
        payload: stale ? undefined : held,
      };
      // A refused update is never a success: the ad keeps its old content, so the create
      // fails with the refusal (the next publish adopts the ad again and retries). "Cannot
      // update ad that has not been published yet" is followed inside `update`.
      return yield* update(listing, ad, { payload: content, warnings: [] });
    });

  const create = (ad: VehicleAd, prepared: Prepared<WirePayload>) => {
    const content = prepared.payload;
    const version = dialect.createVersion;
    const body = dialect.createBody(ad, content);
    const meta = { ...dialect.meta(ad, version), visible: String(body.visible !== false) };
    return client.create(version, body).pipe(
      Effect.map((answer) => submitted(answer, meta, content)),
      Effect.catchIf(dialect.isDuplicate, () => reconcile(ad, content, version)),
    );
  };

  const update = (
    listing: ProImportListing,
    ad: VehicleAd,
    prepared: Prepared<WirePayload>,
  ): Effect.Effect<Submitted<WirePayload>, AdsyncError> => {
    const content = prepared.payload;
    const version = dialect.versionOf(listing.ref);
    const meta = { ...listing.ref.meta, ...dialect.meta(ad, version) };
    const special = (answer: SpecialUpdate) =>
      submitted(answer.ad, { ...meta, ...answer.meta }, content);
    const route = dialect.specialUpdate?.(listing, content, undefined);
    if (route !== undefined) return route.pipe(Effect.map(special));
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
        if (dialect.createStillProcessing?.(error) === true)
          return followPendingCreate(listing, version, meta);
        const recovery = dialect.specialUpdate?.(listing, content, error);
        return recovery === undefined ? Effect.fail(error) : recovery.pipe(Effect.map(special));
      }),
    );
  };

  /**
   * The update was refused because the create is still being processed
   * (`createStillProcessing`). Follow it, recording what the ad holds, so the next publish
   * sends the rest.
   */
  const followPendingCreate = (
    listing: ProImportListing,
    version: ApiVersion,
    meta: Readonly<Record<string, string>>,
  ) =>
    Effect.map(client.get(version, listing.ref.remoteId), (ad) => {
      return submitted(ad, meta, listing.payload);
    }).pipe(
      Effect.tap(() =>
        Effect.logWarning(
          `${marketplace}: ${listing.ref.remoteId} is not published yet; the update waits for the next publish`,
        ),
      ),
    );

  const setVisible = (listing: ProImportListing, visible: boolean) => {
    const version = dialect.versionOf(listing.ref);
    const meta = { ...listing.ref.meta, visible: String(visible) };
    return client
      .patch(version, listing.ref.remoteId, dialect.patchBody(listing, { visible }))
      .pipe(Effect.map((answer) => submitted(answer, meta, listing.payload)));
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
    payloadSchema: dialect.payloadSchema,
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
      const payload = listing.payload;
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
          promote: (listing: ProImportListing, promotion: Promotion) => {
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
              Effect.map((answer) => submitted(answer, listing.ref.meta, listing.payload)),
            );
          },
        }),
    renew: (listing) => {
      const { version, options } = dialect.bump(listing);
      return client
        .bump(version, listing.ref.remoteId, options)
        .pipe(Effect.map((answer) => submitted(answer, listing.ref.meta, listing.payload)));
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
