import type {
  AdsyncError,
  InspectedListing,
  Inspection,
  InspectRequest,
  InspectRound,
  Listing,
  Sighting,
} from "@adsync/core";
import { Effect } from "effect";
import type { AllegroClient } from "../client.ts";
import type { ParameterPaths } from "../errors.ts";
import type { Publication, PublicationAction } from "../flow/publication.ts";
import { driftFrom, type ShownOffer } from "../mapping/from-allegro.ts";
import type { AllegroPayload } from "../mapping/to-allegro.ts";
import { type OfferState, progressOf, progressOfTask } from "../status.ts";
import type { ListedOffer, Task } from "../wire.ts";

/** OpenAPI `getOfferEvents` `limit`: "maximum: 1000". */
const eventsPerPage = 1000;

/**
 * Bulk observation (`inspect`) of many Allegro listings with the fewest requests:
 *
 * - a pending listing's command tasks are read once per command for all its offers
 *   (`GET /sale/offer-publication-commands/{id}/tasks`, up to 1000 tasks per command);
 * - settled listings are read from the offer list filtered by `external.id` (100 ids per
 *   request): an offer the list no longer has was deleted or archived ("archived offers are
 *   no longer returned", GET by id answers 404) and is sighted `removed`;
 * - in `"changes"` mode only offers named by the seller's offer events since the cursor are
 *   read (`GET /sale/offer-events?from=…`: OFFER_CHANGED, OFFER_ENDED, OFFER_ARCHIVED, …).
 *   Without a cursor the pass is a full one, and the cursor returned is the newest event's id.
 *
 * A command's tasks are read once per round, not once per page: the publisher pages the store
 * by ad id, so the 1000 offers of one command spread over several `inspect` calls (10 commands
 * of 1000 offers cost 28 tasks reads in 10 pages before). The tasks read in a round
 * (`request.round`, the same object for every page of one pass) are kept in a `WeakMap` keyed
 * by it, dropped with the round. Sharing in the adapter rather than grouping pending listings by
 * command in core keeps core's paging (bounded by a page, the same for every marketplace) and
 * knows nothing of commands; a round is one snapshot, as one read of a command's tasks is.
 */
export const makeInspect = (deps: {
  readonly client: AllegroClient;
  readonly publication: Publication;
  readonly parameterPaths: (categoryId: string) => ParameterPaths;
}) => {
  const tasksByRound = new WeakMap<InspectRound, Map<string, ReadonlyArray<Task>>>();
  /** A command's tasks, read once per round (every call when there is no round). */
  const tasksIn = (round: InspectRound | undefined, commandId: string) =>
    Effect.gen(function* () {
      const read = round === undefined ? undefined : tasksByRound.get(round);
      const known = read?.get(commandId);
      if (known !== undefined) return known;
      const tasks = yield* deps.publication.tasks(commandId);
      if (round !== undefined) tasksByRound.set(round, (read ?? new Map()).set(commandId, tasks));
      return tasks;
    });
  return (request: InspectRequest<AllegroPayload>): Effect.Effect<Inspection, AdsyncError> =>
    Effect.gen(function* () {
      const { client } = deps;
      const sightings = new Map<string, Sighting>();
      const pending = request.listings.filter(
        (listing) => listing.pending !== undefined && listing.requestId !== undefined,
      );
      const pendingSet = new Set(pending);
      const settled = request.listings.filter((listing) => !pendingSet.has(listing));

      // Which settled listings to read: all, or those the events since the cursor name.
      let cursor = request.cursor;
      let toRead: ReadonlyArray<InspectedListing<AllegroPayload>> = settled;
      const archived = new Set<string>();
      if (request.mode === "changes") {
        const events = yield* readEvents(client, request.cursor);
        cursor = events.at(-1)?.id ?? request.cursor;
        if (request.cursor !== undefined) {
          const named = new Set(
            events.flatMap((event) => [event.offer?.id ?? "", event.offer?.external?.id ?? ""]),
          );
          for (const event of events)
            if (event.type === "OFFER_ARCHIVED" && event.offer != null)
              archived.add(event.offer.id);
          toRead = settled.filter(
            (listing) => named.has(listing.ref.remoteId) || named.has(listing.adId),
          );
        }
      }

      // Tasks once per command; the offers whose task succeeded are read from the list below.
      const byCommand = new Map<string, Array<InspectedListing<AllegroPayload>>>();
      // Linear in the batch (issue #14): appended in place, each command's tasks indexed once.
      for (const listing of pending) {
        const commandId = listing.requestId ?? "";
        const group = byCommand.get(commandId);
        if (group === undefined) byCommand.set(commandId, [listing]);
        else group.push(listing);
      }
      const tasksOf = new Map<string, Task | undefined>();
      for (const [commandId, listings] of byCommand) {
        const tasks = yield* tasksIn(request.round, commandId);
        const byOffer = new Map<string, Task>();
        for (const task of tasks) {
          const offerId = task.offer?.id;
          if (offerId !== undefined && !byOffer.has(offerId)) byOffer.set(offerId, task);
        }
        for (const listing of listings)
          tasksOf.set(listing.adId, byOffer.get(listing.ref.remoteId));
      }
      const needOffer = [
        ...toRead.filter((listing) => !archived.has(listing.ref.remoteId)),
        ...pending.filter((listing) => tasksOf.get(listing.adId)?.status === "SUCCESS"),
      ];
      const offers = new Map<string, ListedOffer>();
      if (needOffer.length > 0)
        for (const offer of yield* client.findByExternalIds(
          needOffer.map((listing) => listing.adId),
        ))
          if (offer.external?.id != null) offers.set(`${offer.external.id} ${offer.id}`, offer);
      const offerOf = (listing: InspectedListing<AllegroPayload>) =>
        offers.get(`${listing.adId} ${listing.ref.remoteId}`);

      for (const listing of pending)
        sightings.set(
          listing.adId,
          yield* pendingSighting(deps, listing, tasksOf.get(listing.adId), offerOf(listing)),
        );
      for (const listing of toRead)
        sightings.set(
          listing.adId,
          settledSighting(
            listing,
            archived.has(listing.ref.remoteId) ? undefined : offerOf(listing),
          ),
        );
      return { sightings, cursor };
    });
};

type InspectDeps = Parameters<typeof makeInspect>[0];

const actionOf = (listing: Listing<AllegroPayload>): PublicationAction =>
  listing.ref.meta.action === "END" ? "END" : "ACTIVATE";

/**
 * The progress of our pending command on one offer, from its task and (after `SUCCESS`) the
 * offer; a settled command is forgotten by the journal.
 */
const pendingSighting = (
  deps: InspectDeps,
  listing: Listing<AllegroPayload>,
  task: Task | undefined,
  offer: OfferState | undefined,
) =>
  Effect.gen(function* () {
    const action = actionOf(listing);
    const progress: Sighting =
      task?.status === "SUCCESS" && offer === undefined && action === "END"
        ? // Ended and archived since: nothing left to read, the removal landed.
          { status: "succeeded", presence: "removed" }
        : progressOfTask(
            action,
            task,
            offer,
            deps.parameterPaths(listing.ref.meta.categoryId ?? ""),
          );
    if (progress.status !== "pending")
      yield* deps.publication.settle(action, [listing.ref.remoteId]);
    return progress;
  });

/** A settled offer as seen now; one Allegro no longer has (deleted, archived) is removed. */
const settledSighting = (
  listing: Listing<AllegroPayload>,
  offer: SeenOffer | undefined,
): Sighting => (offer === undefined ? removed : sightingOf(listing, offer));

/**
 * `observe` of one listing: the same reduction as `inspect`, for one offer. With our payload
 * (its `external.id`) it is a one-listing `inspect`: the command's tasks, then the offer from the
 * `external.id` list. Without it (a listing adopted by `find`), the offer is read by id, and a
 * 404 (archived 60 days after it ended, or deleted) is `removed`.
 */
export const makeObserve = (deps: InspectDeps) => {
  const inspect = makeInspect(deps);
  return (listing: Listing<AllegroPayload>): Effect.Effect<Sighting, AdsyncError> =>
    Effect.gen(function* () {
      const pending = listing.requestId !== undefined;
      if (listing.payload !== undefined) {
        const adId = listing.payload.external.id;
        const inspection = yield* inspect({
          listings: [
            {
              ...listing,
              adId,
              ...(pending ? { pending: actionOf(listing) === "END" ? "remove" : "create" } : {}),
            },
          ],
          mode: "full",
        });
        return inspection.sightings.get(adId) ?? { status: "pending" };
      }
      const offerId = listing.ref.remoteId;
      const task =
        listing.requestId === undefined
          ? undefined
          : (yield* deps.publication.tasks(listing.requestId)).find(
              (entry) => entry.offer?.id === offerId,
            );
      const read = !pending || task?.status === "SUCCESS";
      const offer = read
        ? yield* deps.client.getOffer(offerId).pipe(
            Effect.map((document): SeenOffer | undefined => document.offer),
            Effect.catchIf(
              (error) => error.reason === "NotFound",
              () => Effect.succeed(undefined),
            ),
          )
        : undefined;
      return pending
        ? yield* pendingSighting(deps, listing, task, offer)
        : settledSighting(listing, offer);
    });
};

const removed: Sighting = {
  status: "succeeded",
  presence: "removed",
  notes: ["Allegro no longer has the offer (deleted or archived)."],
};

/** What `sightingOf` reads of an offer, from the list or a GET by id. */
type SeenOffer = OfferState & ShownOffer;

/** What the list shows of a settled offer; `drift` when its title or price is not ours. */
const sightingOf = (listing: Listing<AllegroPayload>, offer: SeenOffer): Sighting => {
  const progress = progressOf(offer);
  const endedBy = offer.publication?.endedBy;
  const drift = driftFrom(listing.payload, offer);
  return {
    ...progress,
    ...(offer.publication?.status === "ENDED" && endedBy != null
      ? { notes: [`Allegro ended the offer (endedBy ${endedBy}).`] }
      : {}),
    ...(drift ? { drift: true } : {}),
  };
};

/** Every event after `from`, page by page (≤ 1000 each). */
const readEvents = (client: AllegroClient, from: string | undefined) =>
  Effect.gen(function* () {
    const all = [];
    let after = from;
    for (;;) {
      const page = yield* client.offerEvents(after, eventsPerPage);
      all.push(...page);
      if (page.length < eventsPerPage) return all;
      after = page.at(-1)?.id;
    }
  });
