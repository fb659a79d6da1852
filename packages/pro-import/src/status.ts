import { type Issue, issue, type ListingRef, type Presence, type Progress } from "@adsync/core";
import type { LogEntry, WireAd } from "./wire.ts";

/**
 * Actions whose error means the request failed. `handle_media` is not among them: an image
 * that cannot be downloaded leaves the ad published without it, so the request succeeded with
 * a warning (DESIGN: "handle_media error on a published ad = succeeded with warnings").
 */
const failingActions: ReadonlySet<string> = new Set([
  "create",
  "update",
  "publish",
  "delete",
  "unpublish",
  "bump",
]);

/** The latest entry per action among the log entries of one request. */
const latestPerAction = (entries: ReadonlyArray<LogEntry>): ReadonlyArray<LogEntry> => {
  const latest = new Map<string, LogEntry>();
  for (const entry of [...entries].sort(byCreated)) latest.set(entry.action, entry);
  return [...latest.values()];
};

export const byCreated = (left: LogEntry, right: LogEntry) =>
  (left.created ?? "").localeCompare(right.created ?? "");

export const logIssue = (marketplace: string, entry: LogEntry, path: string): Issue =>
  issue(path, "remote_error", entry.external_message ?? `${entry.action} failed`, {
    marketplace,
    marketplacePath: `log.${entry.action}`,
  });

const idOf = (value: string | number | null | undefined) =>
  value === null || value === undefined ? undefined : String(value);

/** The ids an ad is known by: its source_id, and the Blocket, Bytbil and Tradera ids once assigned. */
export const refFromAd = (ad: WireAd, meta: Readonly<Record<string, string>>): ListingRef => {
  const ids: Record<string, string> = {};
  for (const [key, value] of [
    ["blocket_ad_id", ad.blocket_ad_id],
    ["blocket_store_id", ad.blocket_store_id],
    ["bytbil_ad_id", ad.bytbil_ad_id],
    ["offer_id", ad.offer_id],
  ] as const) {
    const id = idOf(value);
    if (id !== undefined) ids[key] = id;
  }
  return { remoteId: ad.source_id, ids, meta };
};

/**
 * Reduces an ad and the log entries of *our* request to the lifecycle:
 * - any action of the request still `processing` → pending (a new ad's presence is pending);
 * - an error in create/update/publish/delete/unpublish/bump → failed, with the log's message;
 * - a `handle_media` error only → succeeded with warnings;
 * - every action `done` → succeeded.
 * Presence comes from the ad: `state: deleted` or a `delete` done for our request → removed
 * (Tradera keeps `state: "created"` after a delete: "check logs for actual deletion status"),
 * `visible: false` → hidden, published (an ad id or a publish done) → live.
 */
export const progressOf = (
  marketplace: string,
  ad: WireAd,
  requestLog: ReadonlyArray<LogEntry>,
  meta: Readonly<Record<string, string>>,
): Progress => {
  const actions = latestPerAction(requestLog);
  const failed = actions.filter(
    (entry) => entry.state === "error" && failingActions.has(entry.action),
  );
  const mediaErrors = actions.filter(
    (entry) => entry.state === "error" && entry.action === "handle_media",
  );
  const processing = actions.length === 0 || actions.some((entry) => entry.state === "processing");
  const deleted =
    ad.state === "deleted" ||
    actions.some((entry) => entry.action === "delete" && entry.state === "done");
  const published =
    idOf(ad.blocket_ad_id) !== undefined ||
    ad.log.some((entry) => entry.action === "publish" && entry.state === "done");

  // A new ad is pending only while its request can still succeed: once an action failed, it
  // is absent even if other actions are still being processed.
  const presence: Presence = deleted
    ? "removed"
    : !published
      ? processing && failed.length === 0
        ? "pending"
        : "absent"
      : ad.visible === false
        ? "hidden"
        : "live";

  const raw = {
    state: ad.state,
    visible: ad.visible,
    actions: actions.map((entry) => ({ action: entry.action, state: entry.state })),
  };
  const ref = refFromAd(ad, meta);
  const warnings = mediaErrors.map((entry) => logIssue(marketplace, entry, "images"));
  if (failed.length > 0) {
    return {
      status: "failed",
      presence,
      issues: failed.map((entry) => logIssue(marketplace, entry, "")),
      warnings,
      raw,
      ref,
    };
  }
  if (processing) return { status: "pending", presence, warnings, raw, ref };
  return {
    status: warnings.length > 0 ? "succeeded_with_warnings" : "succeeded",
    presence,
    warnings,
    raw,
    ref,
  };
};
