import {
  type AdsyncError,
  type InspectedListing,
  type Inspection,
  type InspectRequest,
  type Issue,
  issue,
  type ListingRef,
  type Presence,
  type Sighting,
} from "@adsync/core";
import { Clock, Effect, Either, Schema } from "effect";
import type { MarktplaatsClient } from "../client.ts";
import { differs, driftFrom } from "../mapping/from-marktplaats.ts";
import type { MarktplaatsPayload } from "../mapping/to-marktplaats.ts";
import { progressOf, refOf } from "../status.ts";
import type { WireAdvertisement } from "../wire.ts";
import { imageReport, imagesOf } from "./images.ts";
import { type MatchKey, matchKeyOf, plateOf } from "./lost-create.ts";

/**
 * Bulk observation (§ "Keeping listings true") from the seller's ads list, the one read the
 * advertisement doc offers over many ads ("get a list of your ads"): every page of
 * `GET /v1/advertisements` once per pass, whatever the number of listings asked about. The
 * list cannot be filtered by our ids, so one pass takes every listing of the site at once
 * (`inspectBatchSize`); its cost is ⌈ads on the account / page size⌉ requests, plus one `GET`
 * per listing the list no longer holds.
 */
export const marktplaatsInspectBatchSize = 100_000;

/** The fields observation reads from each advertisement of the list ("writable: false" ones). */
const ObservedAdvertisement = Schema.Struct({
  status: Schema.optional(Schema.String),
  closeDate: Schema.optional(Schema.String),
  renewPossible: Schema.optional(Schema.Boolean),
});
type ObservedAdvertisement = typeof ObservedAdvertisement.Type;

/**
 * `status` is "``online`` or ``deactivated``; deactivated advertisements are not visible on the
 * site". The doc names no other value; words another reading of the API might use are taken
 * for what they say (a paused ad is hidden, a closed, expired or deleted one removed), and an
 * unknown word leaves the ad live with a note.
 */
export const presenceOfStatus = (status: string | undefined): Presence | undefined => {
  const word = (status ?? "online").toLowerCase();
  if (word === "online" || word === "active") return "live";
  if (/deactivat|paus|inactive|hidden|offline/.test(word)) return "hidden";
  if (/clos|expir|ended|delet|remov/.test(word)) return "removed";
  return undefined;
};

/**
 * `closeDate` is "the date the advertisement will be closed": once it is reached the ad is
 * closed (removed), whatever `status` still says; before, it is a note with `renewPossible`
 * ("can be renewed with the renew operation").
 */
const closedAt = (observed: ObservedAdvertisement, now: number): number | undefined => {
  if (observed.closeDate === undefined) return undefined;
  const at = Date.parse(observed.closeDate);
  return Number.isNaN(at) || at > now ? undefined : at;
};

/**
 * What a read shows of one advertisement (the list's entry or a single `GET`), before our
 * operation is taken into account: presence from `status` and `closeDate`, enrichment and
 * close notes, the images' download status (`imageReport`: a failed one is a warning) and,
 * against the payload we sent, drift.
 */
const seen = (
  site: string,
  advertisement: WireAdvertisement,
  sent: MarktplaatsPayload | undefined,
  now: number,
): Sighting => {
  const decoded = Schema.decodeUnknownEither(ObservedAdvertisement)(advertisement);
  const observed: ObservedAdvertisement = Either.isRight(decoded) ? decoded.right : {};
  const base = progressOf(advertisement);
  const closed = closedAt(observed, now);
  const statusPresence = presenceOfStatus(observed.status);
  const images = imageReport(site, advertisement, sent?.imageUrls ?? []);
  const notes = [...(base.notes ?? []), ...images.notes];
  if (statusPresence === undefined) notes.push(`unknown status "${observed.status}", read as live`);
  if (observed.closeDate !== undefined) {
    notes.push(
      closed === undefined
        ? `closes on ${observed.closeDate}`
        : `closed on ${observed.closeDate} (close date reached)`,
    );
  }
  if (observed.renewPossible === true) notes.push("renewal possible");
  return {
    status: "succeeded",
    presence: closed !== undefined ? "removed" : (statusPresence ?? "live"),
    notes,
    ...(images.warnings.length === 0 ? {} : { warnings: images.warnings }),
    raw: {
      ...(typeof base.raw === "object" && base.raw !== null ? base.raw : {}),
      closeDate: observed.closeDate,
      renewPossible: observed.renewPossible,
      images: imagesOf(advertisement).map((image) => ({
        imageId: image.imageId,
        status: image.status,
      })),
      notes,
    },
    ...(sent === undefined ? {} : { drift: driftFrom(sent, advertisement) }),
  };
};

/** The listing's itemId, or undefined when adsync never learned it (a create's lost answer). */
const itemIdOf = (listing: InspectedListing<MarktplaatsPayload>): string | undefined =>
  listing.ref.remoteId === "" ? undefined : listing.ref.remoteId;

/** What the list held for one listing: its advertisement, none, or no way to tell. */
export type Found =
  | { readonly _tag: "Found"; readonly advertisement: WireAdvertisement }
  | { readonly _tag: "Missing" }
  | { readonly _tag: "Unknown"; readonly note: string };

const findIn = (
  byItemId: ReadonlyMap<string, WireAdvertisement>,
  byKey: ReadonlyMap<string, ReadonlyArray<WireAdvertisement>>,
  listing: InspectedListing<MarktplaatsPayload>,
  sent: Readonly<Record<string, unknown>> | undefined,
): Found => {
  const itemId = itemIdOf(listing);
  if (itemId !== undefined) {
    const advertisement = byItemId.get(itemId);
    return advertisement === undefined ? { _tag: "Missing" } : { _tag: "Found", advertisement };
  }
  // No itemId: a create whose answer was lost, found like `lookUp` finds it (decision D8).
  const key = sent === undefined ? undefined : matchKeyOf({ advertisement: sent, imageUrls: [] });
  if (key === undefined)
    return { _tag: "Unknown", note: "no itemId and no licence plate to look it up by" };
  const matches = byKey.get(keyString(key)) ?? [];
  const [only] = matches;
  if (only === undefined) return { _tag: "Missing" };
  if (matches.length === 1) return { _tag: "Found", advertisement: only };
  return {
    _tag: "Unknown",
    note: `several advertisements match: ${matches.map((entry) => entry.itemId).join(", ")}`,
  };
};

const keyString = (key: MatchKey) => `${key.categoryId}/${key.licensePlate}`;

/**
 * One listing's sighting. Settled: what the list shows (absent → removed). Pending (Marktplaats
 * answers synchronously, so a pending operation is one whose answer adsync never read): the
 * list decides whether it landed.
 * - create: found → succeeded, with the advertisement's ref; absent → failed (it did not land),
 *   or removed when adsync already knew its itemId.
 * - remove: absent → succeeded, removed; still listed → failed (the DELETE did not land).
 * - update (and any other kind): the list holds other values than the confirmed payload for
 *   what we send → succeeded, with `drift` (its content is read back on the next publish);
 *   the confirmed values → failed (the update did not land; it is sent again).
 */
export const sightingOf = (
  site: string,
  meta: Readonly<Record<string, string>>,
  listing: InspectedListing<MarktplaatsPayload>,
  found: Found,
  now: number,
): Sighting => {
  const payload = listing.payload;
  const sent = payload?.advertisement;
  const notLanded = (kind: string, detail: string): Issue =>
    issue("", "conflict", `The ${kind} did not land on ${site}: ${detail}`, { marketplace: site });
  if (found._tag === "Unknown") {
    return listing.pending === undefined
      ? { status: "succeeded", notes: [found.note] }
      : { status: "pending", notes: [found.note] };
  }
  if (found._tag === "Missing") {
    const removed: Sighting = {
      status: "succeeded",
      presence: "removed",
      notes: ["not among the seller's advertisements"],
    };
    if (listing.pending !== "create" || itemIdOf(listing) !== undefined) {
      return listing.pending === undefined || listing.pending === "remove"
        ? removed
        : {
            ...removed,
            status: "failed",
            issues: [notLanded(listing.pending, "the advertisement is gone")],
          };
    }
    return {
      status: "failed",
      presence: "absent",
      issues: [notLanded("create", "no advertisement with its licence plate is listed")],
    };
  }
  const sighting = seen(site, found.advertisement, payload, now);
  switch (listing.pending) {
    case undefined:
      return sighting;
    case "create": {
      const ref: ListingRef = refOf(found.advertisement, meta);
      return {
        ...sighting,
        status: sighting.warnings === undefined ? "succeeded" : "succeeded_with_warnings",
        ref,
      };
    }
    case "remove":
      return {
        ...sighting,
        status: "failed",
        issues: [notLanded("removal", `${found.advertisement.itemId} is still listed`)],
      };
    default: {
      const landed = sent === undefined || differs(found.advertisement, sent, Object.keys(sent));
      return landed
        ? { ...sighting, drift: true }
        : {
            ...sighting,
            status: "failed",
            issues: [notLanded(listing.pending, "the advertisement holds the previous content")],
          };
    }
  }
};

/**
 * `inspect` over the seller's ads list: one pass reads every page once, plus one `GET` per
 * listing with an itemId the list no longer holds.
 */
export const makeInspect =
  (
    client: MarktplaatsClient,
    meta: (advertisement: Readonly<Record<string, unknown>>) => Readonly<Record<string, string>>,
  ) =>
  (request: InspectRequest<MarktplaatsPayload>): Effect.Effect<Inspection, AdsyncError> =>
    Effect.gen(function* () {
      const site = client.site;
      // "changes" has no feed on Marktplaats: a full pass.
      const advertisements = yield* client.list;
      const now = yield* Clock.currentTimeMillis;
      const byItemId = new Map(advertisements.map((entry) => [entry.itemId, entry]));
      const byKey = new Map<string, Array<WireAdvertisement>>();
      for (const advertisement of advertisements) {
        const plate = plateOf(advertisement.licensePlate);
        if (plate === undefined || advertisement.categoryId === undefined) continue;
        const key = keyString({ licensePlate: plate, categoryId: advertisement.categoryId });
        byKey.set(key, [...(byKey.get(key) ?? []), advertisement]);
      }
      const sightings = new Map<string, Sighting>();
      for (const listing of request.listings) {
        const sent = listing.payload?.advertisement;
        const listed = findIn(byItemId, byKey, listing, sent);
        const itemId = itemIdOf(listing);
        // The doc does not say which ads the list holds: one absent from it is read once by
        // itemId before it is called removed, so a list that leaves some states out (paused,
        // closed) never makes adsync create the ad a second time. Costs one GET per ad gone.
        const read =
          listed._tag === "Missing" && itemId !== undefined ? yield* client.get(itemId) : undefined;
        const found: Found = read === undefined ? listed : { _tag: "Found", advertisement: read };
        const sighting = sightingOf(site, meta(sent ?? {}), listing, found, now);
        sightings.set(
          listing.adId,
          read === undefined
            ? sighting
            : { ...sighting, notes: [...(sighting.notes ?? []), "not in the seller's list"] },
        );
      }
      return { sightings };
    });
