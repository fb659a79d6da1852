import { Clock, Effect, Option, Schedule } from "effect";
import type { MarketplaceAdapter, Sighting } from "../adapter/adapter.ts";
import type { AdsyncError } from "../errors.ts";
import { reduce } from "../lifecycle/reducer.ts";
import type { Observation } from "../lifecycle/state.ts";
import { jsonEqual } from "../model/json.ts";
import type { Expected, ListingRecord, StoreService } from "../store/store.ts";
import { expectedOf, isRecordConflict } from "../store/store.ts";
import {
  createOutcomeUnknown,
  payloadAfter,
  removalUnsettled,
  sentPayload,
  toInspected,
  toStatus,
  withMarketplace,
} from "./listing-rules.ts";
import type { Operations } from "./operations.ts";
import { isSettled } from "./outcome.ts";
import type { AwaitOptions, RefreshOptions, TargetOptions } from "./service.ts";

/** Reading the marketplaces' state back into the store: polls, settling, finding listings. */
/**
 * What a sighting of one listing, read at `at`, would record on it: with an operation of ours
 * pending (and its handle known) that operation's `Progress`; otherwise a `Seen` of the listing
 * itself, with the marketplace's issues and warnings, and `drift` marking the record
 * (`driftSince`) so the next publish sends the whole content. Undefined when the read learned
 * nothing new: the log keeps only changes, and a pass skips such a listing without taking its
 * lock.
 */
export const sightingNews = (
  current: ListingRecord,
  sighting: Sighting,
  at: number,
):
  | {
      readonly observation: Observation;
      readonly changes: Partial<
        Pick<ListingRecord, "ref" | "payload" | "pendingPayload" | "driftSince">
      >;
    }
  | undefined => {
  const operation = current.state.operation;
  const ref = sighting.ref ?? current.ref;
  if (operation?.status === "pending" && operation.requestId !== undefined) {
    const observation: Observation = {
      _tag: "Progress",
      operationId: operation.id,
      status: sighting.status,
      presence: sighting.presence,
      issues: withMarketplace(sighting.issues ?? [], current.marketplace),
      warnings: withMarketplace(sighting.warnings ?? [], current.marketplace),
      notes: sighting.notes,
      raw: sighting.raw,
      at,
    };
    if (
      jsonEqual(reduce(current.state, observation), current.state) &&
      jsonEqual(ref, current.ref)
    ) {
      return undefined;
    }
    return {
      observation,
      changes: { ref, ...payloadAfter(current, sighting.status, current.pendingPayload) },
    };
  }
  const observation: Observation = {
    _tag: "Seen",
    presence: sighting.presence ?? current.state.presence,
    ...(sighting.issues === undefined
      ? {}
      : { issues: withMarketplace(sighting.issues, current.marketplace) }),
    ...(sighting.warnings === undefined
      ? {}
      : { warnings: withMarketplace(sighting.warnings, current.marketplace) }),
    ...(sighting.drift === true ? { drift: true } : {}),
    notes: sighting.notes,
    raw: sighting.raw,
    at,
  };
  const driftSince = current.driftSince ?? (sighting.drift === true ? at : undefined);
  // Only a change of presence, issues, notes or content is news: the marketplace's raw
  // status words differ between a request's log and a plain read, and would log an event
  // on every read.
  if (
    jsonEqual(reduce(current.state, { ...observation, raw: undefined }), current.state) &&
    driftSince === current.driftSince &&
    jsonEqual(ref, current.ref)
  ) {
    return undefined;
  }
  return { observation, changes: { ref, driftSince } };
};

export const makeRefresh = (
  adapters: ReadonlyMap<string, MarketplaceAdapter>,
  store: StoreService,
  { exclusive, load, observe }: Pick<Operations, "exclusive" | "load" | "observe">,
) => {
  /**
   * A write that met another process's (a conditional write's conflict) is not retried: what
   * that process wrote is newer than what this read learned, and it is what is answered.
   */
  const orStored =
    (record: ListingRecord) =>
    <R>(write: Effect.Effect<ListingRecord, AdsyncError, R>) =>
      Effect.catchIf(write, isRecordConflict, () =>
        Effect.map(load(record.adId, record.marketplace), (stored) => stored ?? record),
      );

  /**
   * Before an update supersedes a create or a removal whose outcome is not known, learn it: a
   * pending one with the marketplace's handle is read once; a removal interrupted before its
   * answer, or failed (its answer may be lost), is looked up with `find`, and no listing means
   * the removal landed: the listing is `removed`, so the publish creates instead of updating
   * an ad that is gone.
   */
  const settleBeforeUpdate = (adapter: MarketplaceAdapter, record: ListingRecord) =>
    Effect.gen(function* () {
      const operation = record.state.operation;
      if (
        operation?.status === "pending" &&
        operation.requestId !== undefined &&
        (operation.kind === "create" || operation.kind === "remove")
      ) {
        return yield* refreshRecord(record);
      }
      if (operation === undefined || !removalUnsettled(record) || adapter.find === undefined) {
        return record;
      }
      const found = yield* Effect.either(
        adapter.find(record.adId, { payload: sentPayload(record) }),
      );
      // Not known either way: the update's own answer decides (a "not found" marks it removed).
      if (found._tag === "Left" || Option.isSome(found.right)) return record;
      const at = yield* Clock.currentTimeMillis;
      const observation: Observation =
        operation.status === "pending"
          ? {
              _tag: "Progress",
              operationId: operation.id,
              status: "succeeded",
              presence: "removed",
              at,
            }
          : { _tag: "Seen", presence: "removed", at };
      return yield* observe(record, observation).pipe(orStored(record));
    });

  /**
   * A create whose outcome is unknown may have landed: before a removal (hide, renew, …) the
   * listing is looked up by the dealer's ad id, so none is left behind. Found, the create is
   * known to have landed: an interrupted one settles (`Progress` succeeded; a `Seen` would
   * leave a pending operation's presence pending), a failed one is seen live, and the found ref
   * replaces any ref of a listing removed before. What the found listing holds is not known:
   * its content stays unconfirmed, so the next publish sends it whole.
   */
  const withFoundListing = (adapter: MarketplaceAdapter, record: ListingRecord | undefined) =>
    Effect.gen(function* () {
      if (!createOutcomeUnknown(record) || adapter.find === undefined) return record;
      const found = yield* Effect.either(
        adapter.find(record.adId, { payload: sentPayload(record) }),
      );
      if (found._tag === "Left" || Option.isNone(found.right)) return record;
      const at = yield* Clock.currentTimeMillis;
      const operation = record.state.operation;
      const interrupted = operation?.status === "pending";
      const observation: Observation =
        operation !== undefined && interrupted
          ? {
              _tag: "Progress",
              operationId: operation.id,
              status: "succeeded",
              presence: "live",
              at,
            }
          : { _tag: "Seen", presence: "live", at };
      return yield* observe(record, observation, {
        ref: found.right.value,
        unconfirmedSince: record.unconfirmedSince ?? operation?.startedAt ?? at,
        ...(interrupted ? { pendingPayload: undefined } : {}),
      }).pipe(orStored(record));
    });

  const refreshOne = (record: ListingRecord, includeSettled = false) =>
    exclusive(
      record.adId,
      record.marketplace,
      Effect.flatMap(load(record.adId, record.marketplace), (stored) => {
        const current = stored ?? record;
        return includeSettled && current.state.operation?.status !== "pending"
          ? rereadRecord(current)
          : refreshRecord(current);
      }),
    );

  /**
   * One read of a listing with no pending operation: what the marketplace shows now, as a
   * `Seen` observation, logged only when it changes the state (caller holds the lock).
   */
  const rereadRecord = (current: ListingRecord) =>
    Effect.gen(function* () {
      const adapter = adapters.get(current.marketplace);
      if (adapter === undefined || current.ref === undefined) return current;
      const sighting = yield* observeOnce(adapter, current, current.ref);
      return sighting === undefined ? current : yield* applySighting(current, sighting);
    });

  /** One status read of a pending operation, reduced into the store (caller holds the lock). */
  const refreshRecord = (current: ListingRecord) =>
    Effect.gen(function* () {
      const operation = current.state.operation;
      const adapter = adapters.get(current.marketplace);
      if (
        adapter === undefined ||
        current.ref === undefined ||
        operation === undefined ||
        operation.status !== "pending" ||
        operation.requestId === undefined
      ) {
        return current;
      }
      const sighting = yield* observeOnce(adapter, current, current.ref);
      return sighting === undefined ? current : yield* applySighting(current, sighting);
    });

  /** The marketplace's handle of our pending operation: a settled listing is read as itself. */
  const pendingRequest = (record: ListingRecord) =>
    record.state.operation?.status === "pending" ? record.state.operation.requestId : undefined;

  /**
   * One read of one listing. A pending operation is read by its handle through `observe` (its
   * request's own progress, one request). A settled listing is read through the adapter's
   * `inspect` when it has one (a one-listing request: the read a reconcile pass makes, which
   * knows every way the marketplace shows a listing gone — a deleted Tradera ad keeps its
   * state "created" and only its log says so, which `observe` misreads as live), else
   * `observe`. A listing the inspection did not report, or a failed read, says nothing
   * (logged): it answers `undefined`.
   */
  const observeOnce = (
    adapter: MarketplaceAdapter,
    current: ListingRecord,
    ref: NonNullable<ListingRecord["ref"]>,
  ) =>
    (adapter.inspect === undefined || pendingRequest(current) !== undefined
      ? adapter
          .observe({ ref, payload: sentPayload(current), requestId: pendingRequest(current) })
          .pipe(Effect.map((progress): Sighting | undefined => progress))
      : adapter
          .inspect({ listings: [toInspected({ ...current, ref })], mode: "full" })
          .pipe(Effect.map((inspection) => inspection.sightings.get(current.adId)))
    ).pipe(
      Effect.catchAll((error) =>
        Effect.as(
          Effect.logWarning(
            `${current.marketplace}: state of ${current.adId} unknown: ${error.message}`,
          ),
          undefined,
        ),
      ),
    );

  /**
   * Records what a read of the marketplace showed of one listing (caller holds the lock). With
   * an operation of ours pending (and its handle known) it is that operation's `Progress`;
   * otherwise a `Seen` of the listing itself, with the marketplace's issues and warnings, and
   * `drift` marking the record (`driftSince`) so the next publish sends the whole content. A
   * read that learned nothing new is not an event: the log keeps only changes.
   */
  const recordSighting = (
    current: ListingRecord,
    sighting: Sighting,
    expected: Expected = expectedOf(current),
  ) =>
    Effect.flatMap(Clock.currentTimeMillis, (at) => {
      const news = sightingNews(current, sighting, at);
      return news === undefined
        ? Effect.succeed(current)
        : observe(current, news.observation, news.changes, expected);
    });

  /** `recordSighting` on the listing as read; another writer's change wins (`orStored`). */
  const applySighting = (current: ListingRecord, sighting: Sighting) =>
    recordSighting(current, sighting).pipe(orStored(current));

  const refresh = (adId: string, options?: RefreshOptions) =>
    Effect.gen(function* () {
      const records = (yield* store.list(adId)).filter(
        (record) => options?.to === undefined || options.to.includes(record.marketplace),
      );
      const refreshed = yield* Effect.forEach(
        records,
        (record) => refreshOne(record, options?.includeSettled === true),
        { concurrency: "unbounded" },
      );
      return refreshed.map(toStatus);
    });

  const awaitSettled = (adId: string, options?: AwaitOptions) =>
    refresh(adId, options).pipe(
      Effect.repeat({
        schedule: Schedule.spaced(options?.interval ?? "500 millis").pipe(
          Schedule.upTo(options?.timeout ?? "2 minutes"),
        ),
        until: (statuses) => statuses.every(isSettled),
      }),
      // The schedule's output is a count; the answer is the state the last poll left.
      Effect.zipRight(storedStatus(adId, options)),
    );

  const storedStatus = (adId: string, options?: TargetOptions) =>
    store
      .list(adId)
      .pipe(
        Effect.map((records) =>
          records
            .filter(
              (record) => options?.to === undefined || options.to.includes(record.marketplace),
            )
            .map(toStatus),
        ),
      );

  return {
    withFoundListing,
    settleBeforeUpdate,
    refreshOne,
    refreshRecord,
    rereadRecord,
    applySighting,
    recordSighting,
    orStored,
    refresh,
    awaitSettled,
    storedStatus,
  };
};
