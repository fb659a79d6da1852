import { type PlannedRequest, plannedRequest, type RequestDescriber } from "@adsync/core";
import type { ProImportDialect, ProImportListing } from "./adapter-kit.ts";
import { planUpdate } from "./diff.ts";
import type { ApiVersion, WirePayload } from "./wire.ts";

/** The plain update of a listing (no special route): which request, which version, which body. */
export interface UpdateCall {
  readonly kind: "patch" | "replace";
  readonly version: ApiVersion;
  readonly body: WirePayload;
}

/**
 * The cheapest update `planUpdate` allows: a PATCH of the changed top-level fields, else a
 * full PUT. A PUT "replaces all fields": a hidden ad says so again, or it would come back
 * visible. `update` sends this call and `describe` shows it.
 */
export const updateCall = (
  dialect: Pick<ProImportDialect, "versionOf" | "patchBody" | "replaceBody">,
  listing: ProImportListing,
  content: WirePayload,
): UpdateCall => {
  const version = dialect.versionOf(listing.ref);
  const plan = planUpdate(listing.payload, content);
  if (plan._tag === "Patch")
    return { kind: "patch", version, body: dialect.patchBody(listing, plan.changes) };
  // Hidden (by `hide`) stays hidden, unless the content itself now says otherwise: a
  // `visible` that changed since the last write is the dealer's new wish.
  const previous = listing.payload ?? {};
  const keepHidden =
    listing.ref.meta.visible === "false" &&
    (content.visible === undefined || content.visible === previous.visible);
  const hidden = keepHidden ? { visible: false } : {};
  return {
    kind: "replace",
    version,
    body: { ...dialect.replaceBody(listing, content), ...hidden },
  };
};

/** The requests of a Pro Import dialect's create, update and remove, as `plan` shows them. */
export const describeProImport = (dialect: ProImportDialect): RequestDescriber<WirePayload> => {
  const { requests } = dialect.client;
  return {
    create: (ad, prepared) => [
      plannedRequest(
        requests.create(dialect.createVersion, dialect.createBody(ad, prepared.payload)),
        "If the source_id already exists (an earlier create landed), the ad is read and adopted instead.",
      ),
    ],
    update: (listing, _ad, prepared): ReadonlyArray<PlannedRequest> => {
      const content = prepared.payload;
      const special = dialect.describeSpecialUpdate?.(listing, content);
      if (special !== undefined) return special;
      const call = updateCall(dialect, listing, content);
      const sourceId = listing.ref.remoteId;
      return [
        plannedRequest(
          call.kind === "patch"
            ? requests.patch(call.version, sourceId, call.body)
            : requests.replace(call.version, sourceId, call.body),
        ),
      ];
    },
    remove: (listing) => [
      plannedRequest(requests.remove(dialect.versionOf(listing.ref), listing.ref.remoteId)),
    ],
  };
};
