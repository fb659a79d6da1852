import { Clock, Duration, Effect, type Either, Option, PubSub, Schedule } from "effect";
import type { OperationContext, Prepared, Submitted } from "../adapter/adapter.ts";
import { AdsyncError } from "../errors.ts";
import { reduce } from "../lifecycle/reducer.ts";
import type { Observation, OperationKind } from "../lifecycle/state.ts";
import {
  type Expected,
  expectedOf,
  isRecordConflict,
  type LifecycleEvent,
  type ListingRecord,
  type StoreService,
} from "../store/store.ts";
import {
  conflictOutcome,
  createOutcomeUnknown,
  issuesOf,
  payloadAfter,
  withMarketplace,
} from "./listing-rules.ts";
import type { ListingOutcome } from "./outcome.ts";

/** How the publisher claims listings on a store other processes may share. */
export interface ClaimOptions {
  /**
   * How long a claim on a listing (from its `Started` record to its answer) keeps other
   * processes off it. It must outlast the longest operation, retries included; a claim left by
   * a process that stopped blocks the listing this long. Default: 10 minutes.
   */
  readonly leaseDuration?: Duration.DurationInput | undefined;
  /**
   * A stable name for this process (a worker's name), written in its leases. A lease of this
   * owner that no fiber holds was left by an earlier run of the same process (a crash): it is
   * taken over at once instead of after `leaseDuration`. Two processes running at the same time
   * must never share a name. Default: a new id per publisher.
   */
  readonly owner?: string | undefined;
}

/** Another writer holds this listing (another process, or a newer claim): try again later. */
export const busyOutcome = (
  record: ListingRecord,
  kind: OperationKind | undefined,
  error?: AdsyncError,
): ListingOutcome =>
  conflictOutcome(
    record,
    kind,
    error?.message ??
      `Another process is running an operation on this listing on ${record.marketplace}; publish again once it has finished.`,
  );

const claimedError = (record: ListingRecord) =>
  new AdsyncError({
    reason: "Conflict",
    operation: "record",
    marketplace: record.marketplace,
    message: `Another process is running an operation on ${record.adId} on ${record.marketplace}; publish again once it has finished.`,
  });

/**
 * Whether a failed request may still have been applied: its answer was lost or unreadable, or
 * it timed out (a slow answer can land after the client gave up).
 */
export const outcomeUnknown = (error: AdsyncError): boolean =>
  error.reason === "Transport" || error.reason === "Timeout" || error.reason === "InvalidResponse";

/** A write conflict is met again only if another writer slips in again: a few tries suffice. */
const onConflict = Schedule.recurs(8);

/** An operation whose `Started` record is written: what `finish` records the answer on. */
/**
 * A prepared payload with the fingerprint of the input it was prepared from (`fingerprint.ts`),
 * stored beside the payload when the operation's answer is recorded.
 */
export interface Fingerprinted extends Prepared {
  readonly fingerprint?: string | undefined;
  /**
   * `payload` as the store keeps it (encoded by the adapter's `payloadSchema`), for a create's
   * `Started` record: written there as `pendingPayload` so a create whose answer never comes
   * (a crash, a lost answer) leaves `find` its hint, what was sent.
   */
  readonly stored?: unknown;
}

export interface Begun {
  readonly started: ListingRecord;
  readonly kind: OperationKind;
  /** The lease this operation holds on the listing until its answer is recorded. */
  readonly holder: string;
  readonly context: OperationContext;
}

/**
 * How the publisher writes to the store: one operation at a time per listing, every
 * observation reduced into the record and announced, the `Started` record before each
 * request and the answer after it.
 */
export const makeOperations = (
  store: StoreService,
  events: PubSub.PubSub<LifecycleEvent>,
  options: ClaimOptions = {},
) => {
  const leaseMillis = Duration.toMillis(options.leaseDuration ?? "10 minutes");
  /** This publisher: a lease of its own that no fiber of it holds was abandoned (interrupted). */
  const owner = options.owner ?? crypto.randomUUID();
  const activeHolders = new Set<string>();
  const locks = new Map<string, { readonly lock: Effect.Semaphore; users: number }>();

  /**
   * One operation at a time per listing: concurrent calls for one ad queue up. A lock lives
   * only while someone holds or awaits it, so a sync of thousands of ads leaves none behind.
   */
  const exclusive = <A, E, R>(
    adId: string,
    marketplace: string,
    effect: Effect.Effect<A, E, R>,
  ) => {
    const key = `${marketplace}\u0000${adId}`;
    return Effect.acquireUseRelease(
      Effect.sync(() => {
        const entry = locks.get(key) ?? { lock: Effect.unsafeMakeSemaphore(1), users: 0 };
        entry.users += 1;
        locks.set(key, entry);
        return entry;
      }),
      (entry) => entry.lock.withPermits(1)(effect),
      (entry) =>
        Effect.sync(() => {
          entry.users -= 1;
          if (entry.users === 0) locks.delete(key);
        }),
    );
  };

  const load = (adId: string, marketplace: string) =>
    store.get(adId, marketplace).pipe(Effect.map(Option.getOrUndefined));

  /**
   * Whether another writer holds a claim on the listing now: an unexpired lease of another
   * process, or of a fiber of this one still running. The in-process lock already serializes
   * this process's fibers, so a lease of ours that no fiber holds was left by an interruption.
   */
  const claimedElsewhere = (record: ListingRecord | undefined, now: number) => {
    const lease = record?.lease;
    if (lease === undefined || lease.expiresAt <= now) return false;
    return lease.owner !== owner || activeHolders.has(lease.holder);
  };

  /**
   * Reduces an observation into the record and writes both atomically, then announces it. The
   * write is conditional on the record being as it was read (`expected`): a store shared with
   * another process fails it with a record conflict instead of overwriting that process's work.
   */
  const observe = (
    record: ListingRecord,
    observation: Observation,
    changes: Partial<
      Pick<
        ListingRecord,
        | "ref"
        | "payload"
        | "pendingPayload"
        | "fingerprint"
        | "pendingFingerprint"
        | "lease"
        | "unconfirmedSince"
        | "driftSince"
      >
    > = {},
    expected: Expected = expectedOf(record),
  ) =>
    Effect.gen(function* () {
      const next: ListingRecord = {
        ...record,
        ...changes,
        state: reduce(record.state, observation),
        // Increasing per listing even within one millisecond: `updatedAt` is the record's
        // version, which a write expecting `unchangedSince(read)` compares.
        updatedAt: Math.max(observation.at, record.updatedAt + 1),
      };
      const event: LifecycleEvent = {
        adId: record.adId,
        marketplace: record.marketplace,
        observation,
        state: next.state,
      };
      yield* store.record(next, event, expected);
      yield* PubSub.publish(events, event);
      return next;
    });

  /**
   * Writes an operation's `Started` record before its request (so a crash between request
   * and answer leaves a visible, reconcilable operation). An operation of the same kind
   * interrupted before its answer is resumed under its own id: the adapter can reuse what
   * it derived from it (a publication command UUID) and knows to look before it creates.
   */
  const begin = (record: ListingRecord, kind: OperationKind, sent?: Fingerprinted) =>
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis;
      if (claimedElsewhere(record, now)) return yield* Effect.fail(claimedError(record));
      const previous = record.state.operation;
      const interrupted =
        previous !== undefined &&
        previous.kind === kind &&
        previous.status === "pending" &&
        previous.requestId === undefined;
      // A create that failed before the marketplace gave it a ref may still have landed
      // (its answer lost after every retry): the next create must look before it creates.
      const resumed = interrupted || (kind === "create" && createOutcomeUnknown(record));
      const operationId = interrupted ? previous.id : crypto.randomUUID();
      // The claim: written with the Started record on the condition that nobody wrote since
      // `record` was read. Two processes that both read the listing absent both try; one wins.
      const lease = { holder: crypto.randomUUID(), owner, expiresAt: now + leaseMillis };
      // A create's payload is on its Started record, before its request: if the answer never
      // comes, the next run looks the listing up with what was sent (`find`'s hint, #14).
      const pending =
        kind === "create" && sent?.stored !== undefined
          ? { pendingPayload: sent.stored, pendingFingerprint: sent.fingerprint }
          : {};
      const started = yield* observe(
        record,
        { _tag: "Started", operationId, kind, at: now },
        { lease, ...pending },
      );
      activeHolders.add(lease.holder);
      return {
        started,
        kind,
        holder: lease.holder,
        context: { operationId, resumed } satisfies OperationContext,
      };
    });

  /**
   * Records the marketplace's answer to a begun operation and releases its lease. The write is
   * conditional on the record read just before it; when another process wrote in between, the
   * record is read again and the answer merged into it again.
   */
  const finish = (
    begun: Begun,
    answer: Either.Either<Submitted, AdsyncError>,
    prepared: Fingerprinted | undefined,
    // `run` holds the listing's lock from its Started record to here: nothing else in this
    // process wrote it, so the first try writes on the Started record without reading it back;
    // another process's write fails that compare-and-set, and the retry reads again.
    lockedSinceStart = false,
  ) => {
    let reread = !lockedSinceStart;
    return Effect.suspend(() => finishOnce(begun, answer, prepared, reread)).pipe(
      Effect.tapError(() =>
        Effect.sync(() => {
          reread = true;
        }),
      ),
      Effect.retry({ schedule: onConflict, while: isRecordConflict }),
      Effect.ensuring(Effect.sync(() => activeHolders.delete(begun.holder))),
    );
  };

  const finishOnce = (
    begun: Begun,
    answer: Either.Either<Submitted, AdsyncError>,
    prepared: Fingerprinted | undefined,
    reread: boolean,
  ) =>
    Effect.gen(function* () {
      const { kind } = begun;
      const operationId = begun.context.operationId;
      // The record as it is now: a batched create is answered after other work on the
      // listing may have happened; a newer operation keeps its state (the reducer ignores
      // a stale observation) and only a ref it lacks is learned.
      const current = reread
        ? ((yield* load(begun.started.adId, begun.started.marketplace)) ?? begun.started)
        : begun.started;
      const stale = current.state.operation?.id !== operationId;
      const started = current;
      // Our lease ends with the answer; a lease another writer took since (ours expired) stays.
      const lease = current.lease?.holder === begun.holder ? undefined : current.lease;
      const at = yield* Clock.currentTimeMillis;
      const startedAt = begun.started.state.operation?.startedAt ?? at;
      if (answer._tag === "Left") {
        const error = answer.left;
        const issues = withMarketplace(issuesOf(error), started.marketplace);
        // Content sent by an attempt whose outcome is unknown may still land (even after a
        // newer update succeeded): until confirmed, the next publish sends a full update.
        const sentContent = kind === "create" || kind === "update";
        const unconfirmedSince =
          sentContent && outcomeUnknown(error)
            ? Math.max(started.unconfirmedSince ?? startedAt, startedAt)
            : started.unconfirmedSince;
        const failed = yield* observe(
          started,
          { _tag: "Rejected", operationId, issues, at },
          stale
            ? { lease, unconfirmedSince }
            : { pendingPayload: undefined, pendingFingerprint: undefined, lease, unconfirmedSince },
        );
        // The marketplace says the listing is gone (deleted, e.g. by a removal whose answer
        // was lost): it is `removed`, so the next publish creates instead of updating forever.
        const gone =
          !stale && error.reason === "NotFound" && kind !== "create"
            ? yield* observe(failed, { _tag: "Seen", presence: "removed", at })
            : failed;
        return {
          adId: started.adId,
          marketplace: started.marketplace,
          operation: kind,
          result: "failed",
          state: gone.state,
          ref: gone.ref,
          issues,
          warnings: [],
          reason: error.reason,
          retryable: error.isRetryable,
        } satisfies ListingOutcome;
      }
      const submitted = answer.right;
      const progress = submitted.progress;
      const warnings = withMarketplace(
        [...(prepared?.warnings ?? []), ...(progress.warnings ?? [])],
        started.marketplace,
      );
      const accepted = yield* observe(
        started,
        {
          _tag: "Accepted",
          operationId,
          requestId: submitted.requestId,
          status: progress.status,
          presence: progress.presence,
          issues: withMarketplace(progress.issues ?? [], started.marketplace),
          warnings,
          notes: progress.notes,
          raw: progress.raw,
          at,
        },
        stale
          ? { ref: started.ref ?? submitted.ref, lease }
          : {
              ref: submitted.ref,
              lease,
              unconfirmedSince: confirmedBy(started.unconfirmedSince, kind, startedAt),
              // Content sent in full after drift was seen is what the marketplace now holds.
              driftSince:
                progress.status !== "failed" &&
                (kind === "create" || kind === "update") &&
                startedAt >= (started.driftSince ?? Number.POSITIVE_INFINITY)
                  ? undefined
                  : started.driftSince,
              ...payloadAfter(
                started,
                progress.status,
                submitted.payload ?? prepared?.payload,
                prepared?.fingerprint,
              ),
            },
      );
      return {
        adId: started.adId,
        marketplace: started.marketplace,
        operation: kind,
        result: "accepted",
        state: accepted.state,
        ref: accepted.ref,
        issues: accepted.state.operation?.issues ?? [],
        warnings: accepted.state.operation?.warnings ?? [],
      } satisfies ListingOutcome;
    });

  /**
   * Whether a content operation started at `startedAt` settles the doubt about content sent
   * by an unanswered attempt at `since`: only when it started a lease's length later, by when
   * that attempt has either landed or never will (its client gave up within the lease).
   */
  const confirmedBy = (since: number | undefined, kind: OperationKind, startedAt: number) =>
    since !== undefined &&
    (kind === "create" || kind === "update") &&
    startedAt >= since + leaseMillis
      ? undefined
      : since;

  /** One operation: the Started record, the request, the answer recorded. */
  const run = (
    record: ListingRecord,
    kind: OperationKind,
    request: (context: OperationContext) => Effect.Effect<Submitted, AdsyncError>,
    prepared?: Fingerprinted,
  ) =>
    Effect.gen(function* () {
      const begun = yield* Effect.either(begin(record, kind, prepared));
      if (begun._tag === "Left") {
        if (isRecordConflict(begun.left)) return busyOutcome(record, kind, begun.left);
        return yield* Effect.fail(begun.left);
      }
      const answer = yield* Effect.either(
        request(begun.right.context).pipe(Effect.onInterrupt(() => release(begun.right))),
      );
      return yield* finish(begun.right, answer, prepared, true);
    });

  /** An interrupted operation's lease is abandoned: this process may resume it at once. */
  const release = (begun: Begun) => Effect.sync(() => activeHolders.delete(begun.holder));

  return { exclusive, load, observe, begin, finish, run, claimedElsewhere };
};

export type Operations = ReturnType<typeof makeOperations>;
