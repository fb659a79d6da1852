import {
  type AdsyncError,
  type InspectedListing,
  type Inspection,
  type InspectRequest,
  issue,
  type Listing,
  type ListingRef,
  type Presence,
  type Sighting,
} from "@adsync/core";
import { Effect } from "effect";
import type { ListQuery, ProImportClient } from "./client.ts";
import { holdsOtherContent } from "./diff.ts";
import { everyPage, readRequestLog } from "./paging.ts";
import { byCreated, logIssue, progressFromAd, refFromAd } from "./status.ts";
import type { ApiVersion, LogEntry, WireAd, WirePayload } from "./wire.ts";

/**
 * Bulk observation for the Pro Import family (§ "Keeping listings true"): one `GET /ad` per
 * page of listings, filtered by `source_id__in` ("Comma separated list of IDs to include" in
 * Blocket's doc; "Filter by multiple source IDs (comma-separated)" in Tradera's), each ad read
 * with its log, reduced to one sighting per listing.
 */
export interface ProImportInspectDialect {
  readonly marketplace: string;
  readonly client: ProImportClient;
  readonly versionOf: (ref: ListingRef) => ApiVersion;
  /** The largest `limit` of `GET /ad/{source_id}/log`, for a request cut from the list's log. */
  readonly logPageSize: number;
  readonly listPage: ListPage;
}

/** How a dialect's list endpoint is read in bulk. */
export interface ListPage {
  /**
   * The `limit` of one list read, which is also how many listings one `inspect` call takes.
   * Tradera: "limit - Number of results per page (max 50, default 50)". Blocket documents
   * `limit` without a maximum.
   */
  readonly size: number;
  /**
   * Settings added to every list read, e.g. Blocket's `include: "log"` ("Fields excluded by
   * default in this endpoint are: log").
   */
  readonly settings?: ListQuery | undefined;
}

/** A listing as `inspect` is handed it, its payload decoded. */
type ProImportInspected = InspectedListing<WirePayload>;

const idOf = (value: string | number | null | undefined) =>
  value === null || value === undefined ? undefined : String(value);

/** The ad's own JSON, unknown keys included, as a payload to compare content with. */
const answerOf = (ad: WireAd): WirePayload => Object.fromEntries(Object.entries(ad));

/**
 * What a settled listing's ad shows, from its state, `visible` and its whole log in order:
 * - `publish` done → live (`visible: false` → hidden); Blocket: "Ad is created (possibly
 *   visible=false on marketplace, or other marketplace error could cause the ad not to be
 *   published, see log messages)";
 * - a later `publish` error → rejected after acceptance: not shown, with the log's message as
 *   the issue;
 * - `unpublish` done (the marketplace took it down, e.g. on expiry) or `delete` done (Tradera:
 *   "The ad state remains "created" - check logs for actual deletion status"), or
 *   `state: "deleted"` → removed;
 * - the newest `handle_media` in error → a warning on the images;
 * - content other than `listing.payload` (edited outside adsync) → `drift`.
 * A log cut before any of these (Blocket includes "only the 100 latest log messages") falls
 * back to the ad's Blocket id: an ad that has one was published.
 */
export const sightingOfSettled = (
  marketplace: string,
  listing: Listing<WirePayload>,
  ad: WireAd,
): Sighting => {
  let shown: "live" | "removed" | "absent" =
    idOf(ad.blocket_ad_id) === undefined ? "absent" : "live";
  let rejection: LogEntry | undefined;
  let ended: LogEntry | undefined;
  let media: LogEntry | undefined;
  for (const entry of [...ad.log].sort(byCreated)) {
    if (entry.action === "handle_media" && entry.state !== "processing") media = entry;
    if (entry.state === "done" && entry.action === "publish") {
      shown = "live";
      rejection = undefined;
      ended = undefined;
    } else if (entry.state === "error" && entry.action === "publish") {
      rejection = entry;
      if (shown === "live") shown = "removed";
    } else if (
      entry.state === "done" &&
      (entry.action === "unpublish" || entry.action === "delete")
    ) {
      ended = entry;
      if (shown === "live" || entry.action === "delete") shown = "removed";
    }
  }
  const presence: Presence =
    ad.state === "deleted"
      ? "removed"
      : shown === "live" && ad.visible === false
        ? "hidden"
        : shown;
  const issues = rejection === undefined ? [] : [logIssue(marketplace, rejection, "")];
  const warnings =
    media?.state === "error" && presence !== "removed"
      ? [logIssue(marketplace, media, "images")]
      : [];
  const notes =
    ended === undefined
      ? []
      : [
          `${ended.action} on ${marketplace}${ended.external_message ? `: ${ended.external_message}` : ""}`,
        ];
  const drift =
    (presence === "live" || presence === "hidden") &&
    listing.payload !== undefined &&
    holdsOtherContent(answerOf(ad), listing.payload);
  return {
    status: "succeeded",
    presence,
    issues,
    warnings,
    notes,
    drift,
    raw: {
      state: ad.state,
      visible: ad.visible,
      ...(rejection === undefined ? {} : { rejected: rejection.external_message ?? null }),
      ...(ended === undefined ? {} : { ended: ended.action }),
    },
    ref: refFromAd(ad, listing.ref.meta),
  };
};

/**
 * A listing the list does not answer: the marketplace no longer has it. A pending remove has
 * succeeded; any other pending operation cannot succeed on an ad that is gone.
 */
export const sightingOfMissing = (
  marketplace: string,
  listing: Pick<InspectedListing, "ref" | "pending">,
): Sighting => {
  if (listing.pending === undefined || listing.pending === "remove") {
    return { status: "succeeded", presence: "removed", notes: [`not listed by ${marketplace}`] };
  }
  return {
    status: "failed",
    presence: listing.pending === "create" ? "absent" : "removed",
    issues: [
      issue("", "not_found", `${marketplace} no longer lists the ad ${listing.ref.remoteId}.`, {
        marketplace,
        marketplacePath: "source_id",
      }),
    ],
  };
};

/**
 * The progress of our request `requestId` on an ad that was read: its entries among those the
 * ad carries, or (when the ad's log is cut: Blocket includes only the last 100) read from
 * `GET /ad/{source_id}/log`. Shared by `inspect` and `observe`.
 */
export const progressOfRequest = (
  source: {
    readonly marketplace: string;
    readonly client: ProImportClient;
    readonly logPageSize: number;
  },
  version: ApiVersion,
  ad: WireAd,
  requestId: string,
  meta: Readonly<Record<string, string>>,
): Effect.Effect<Sighting, AdsyncError> => {
  const carried = ad.log.filter((entry) => entry.request_id === requestId);
  const entries =
    carried.length > 0
      ? Effect.succeed(carried)
      : readRequestLog(source, version, ad.source_id, requestId);
  return Effect.map(entries, (log) => progressFromAd(source.marketplace, ad, log, meta));
};

/** Among the ads listed for one source_id (several dealers of a group may share it), ours. */
const pick = (listing: ProImportInspected, ads: ReadonlyArray<WireAd>): WireAd | undefined => {
  if (ads.length <= 1) return ads[0];
  const dealerCode = listing.ref.meta.dealerCode ?? listing.payload?.dealer_code;
  return (
    ads.find((ad) => dealerCode !== undefined && ad.dealer_code === dealerCode) ??
    ads.find((ad) => ad.state !== "deleted") ??
    ads[0]
  );
};

/**
 * Splits into runs of at most `size` items whose `weight`s (plus one separator each) stay within
 * `budget`: `source_id__in` goes in the URL, and 100 ids of up to 100 characters would make it
 * longer than many servers take. An item heavier than the budget gets a run of its own.
 */
export const chunks = <A>(
  items: ReadonlyArray<A>,
  size: number,
  weight: (item: A) => number = () => 0,
  budget = Number.POSITIVE_INFINITY,
): ReadonlyArray<ReadonlyArray<A>> => {
  const runs: Array<Array<A>> = [];
  let run: Array<A> = [];
  let used = 0;
  for (const item of items) {
    const cost = weight(item) + 1;
    if (run.length > 0 && (run.length >= size || used + cost > budget)) {
      runs.push(run);
      run = [];
      used = 0;
    }
    run.push(item);
    used += cost;
  }
  if (run.length > 0) runs.push(run);
  return runs;
};

/** The characters of `source_id__in` one list read may carry (URL-encoded ids and commas). */
const sourceIdBudget = 6_000;

/**
 * `inspect` for a Pro Import dialect, and its batch size. Requests: ⌈listings / page size⌉
 * list reads, plus one paged `/log` read for a pending listing whose request is not among the
 * log entries the list carried (Blocket's list includes only the last 100).
 */
export const makeProImportInspect = (dialect: ProImportInspectDialect) => {
  const { client, marketplace, listPage } = dialect;

  const listed = (version: ApiVersion, listings: ReadonlyArray<ProImportInspected>) =>
    everyPage(listPage.size, (page) =>
      client.list(version, {
        source_id__in: listings.map((listing) => listing.ref.remoteId).join(","),
        ...listPage.settings,
        ...page,
      }),
    );

  const sightingOf = (
    version: ApiVersion,
    listing: ProImportInspected,
    ad: WireAd | undefined,
  ): Effect.Effect<Sighting | undefined, AdsyncError> => {
    if (ad === undefined) return Effect.succeed(sightingOfMissing(marketplace, listing));
    if (listing.pending === undefined) {
      return Effect.succeed(sightingOfSettled(marketplace, listing, ad));
    }
    // A pending operation the marketplace never acknowledged has no progress to read.
    if (listing.requestId === undefined) return Effect.succeed(undefined);
    return progressOfRequest(dialect, version, ad, listing.requestId, listing.ref.meta);
  };

  const inspectRun = (version: ApiVersion, listings: ReadonlyArray<ProImportInspected>) =>
    Effect.gen(function* () {
      const ads = yield* listed(version, listings);
      const bySourceId = new Map<string, Array<WireAd>>();
      for (const ad of ads) {
        const known = bySourceId.get(ad.source_id);
        if (known === undefined) bySourceId.set(ad.source_id, [ad]);
        else known.push(ad);
      }
      const sightings: Array<readonly [string, Sighting]> = [];
      for (const listing of listings) {
        const ad = pick(listing, bySourceId.get(listing.ref.remoteId) ?? []);
        const sighting = yield* sightingOf(version, listing, ad);
        if (sighting !== undefined) sightings.push([listing.adId, sighting]);
      }
      return sightings;
    });

  const inspect = (request: InspectRequest<WirePayload>): Effect.Effect<Inspection, AdsyncError> =>
    Effect.gen(function* () {
      // No feed of changes in this family: "changes" reads everything, like "full".
      const byVersion = new Map<ApiVersion, Array<ProImportInspected>>();
      for (const listing of request.listings) {
        const version = dialect.versionOf(listing.ref);
        const group = byVersion.get(version);
        if (group === undefined) byVersion.set(version, [listing]);
        else group.push(listing);
      }
      const sightings = new Map<string, Sighting>();
      for (const [version, listings] of byVersion) {
        const weight = (listing: ProImportInspected) =>
          encodeURIComponent(listing.ref.remoteId).length;
        for (const run of chunks(listings, listPage.size, weight, sourceIdBudget)) {
          for (const [adId, sighting] of yield* inspectRun(version, run)) {
            sightings.set(adId, sighting);
          }
        }
      }
      return { sightings };
    });

  return { inspect, inspectBatchSize: listPage.size };
};
