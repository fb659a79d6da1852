import {
  Clock,
  Context,
  Data,
  type Duration,
  Effect,
  Either,
  Layer,
  Option,
  PubSub,
  Schedule,
  Stream,
} from "effect";
import {
  Adapters,
  type Listing,
  type MarketplaceAdapter,
  type OperationContext,
  type Prepared,
  type Submitted,
} from "../adapter/adapter.ts";
import { AdsyncError, type ErrorReason } from "../errors.ts";
import { reduce } from "../lifecycle/reducer.ts";
import {
  initialState,
  type Observation,
  type OperationKind,
  type OperationStatus,
} from "../lifecycle/state.ts";
import { decodeOrIssues, type Issue, type IssueCode, issue } from "../model/issue.ts";
import { jsonEqual } from "../model/json.ts";
import { adForMarketplace } from "../model/overrides.ts";
import { VehicleAd } from "../model/vehicle-ad.ts";
import { type LifecycleEvent, type ListingRecord, Store } from "../store/store.ts";
import {
  isSettled,
  type ListingOutcome,
  type ListingStatus,
  type OutcomeResult,
  type PublishResult,
} from "./outcome.ts";

export interface TargetOptions {
  /** Marketplace ids; default: every configured adapter (for publish) or every listing of the ad. */
  readonly to?: ReadonlyArray<string> | undefined;
}

export interface AwaitOptions extends TargetOptions {
  /** How often to poll; default every 500 ms. */
  readonly interval?: Duration.DurationInput | undefined;
  /** Give up waiting after this long (the listings stay pending); default 2 minutes. */
  readonly timeout?: Duration.DurationInput | undefined;
}

export interface ValidationResult {
  readonly adId: string | undefined;
  readonly valid: boolean;
  /** Issues per marketplace; schema issues of the canonical ad are reported under every target. */
  readonly issues: Readonly<Record<string, ReadonlyArray<Issue>>>;
}

export interface SyncOptions extends TargetOptions {
  /** Ads published at once (default 8). */
  readonly concurrency?: number | undefined;
  /** Remove the listings of ads that are no longer in the inventory (default false). */
  readonly removeMissing?: boolean | undefined;
}

/** What a sync did: outcome counts per marketplace and result, and the ads it removed. */
export interface SyncSummary {
  readonly ads: number;
  readonly outcomes: Readonly<Record<string, Readonly<Partial<Record<OutcomeResult, number>>>>>;
  readonly removed: ReadonlyArray<string>;
}

export interface PublisherService {
  /**
   * Local validation for every target: the ad is sent nowhere. An adapter's `warmUp` may load
   * reference data once (cached), as Tradera's vehicle lists.
   */
  readonly validate: (ad: unknown, options?: TargetOptions) => Effect.Effect<ValidationResult>;
  /**
   * Creates or updates the ad on every target, concurrently and independently: one outcome per
   * marketplace, and one marketplace failing never fails the others. An unchanged ad costs zero
   * requests. Fails only when the store fails.
   */
  readonly publish: (
    ad: unknown,
    options?: TargetOptions,
  ) => Effect.Effect<PublishResult, AdsyncError>;
  readonly remove: (
    adId: string,
    options?: TargetOptions,
  ) => Effect.Effect<PublishResult, AdsyncError>;
  readonly renew: (
    adId: string,
    options?: TargetOptions,
  ) => Effect.Effect<PublishResult, AdsyncError>;
  readonly hide: (
    adId: string,
    options?: TargetOptions,
  ) => Effect.Effect<PublishResult, AdsyncError>;
  readonly show: (
    adId: string,
    options?: TargetOptions,
  ) => Effect.Effect<PublishResult, AdsyncError>;
  /** The lifecycle as the store knows it: no request. */
  readonly status: (adId: string) => Effect.Effect<ReadonlyArray<ListingStatus>, AdsyncError>;
  /** One status read per pending listing of the ad, reduced into the store. */
  readonly refresh: (
    adId: string,
    options?: TargetOptions,
  ) => Effect.Effect<ReadonlyArray<ListingStatus>, AdsyncError>;
  /** Polls on a schedule until no operation of the ad is pending, or the timeout passes. */
  readonly awaitSettled: (
    adId: string,
    options?: AwaitOptions,
  ) => Effect.Effect<ReadonlyArray<ListingStatus>, AdsyncError>;
  /**
   * Publishes a whole stock with bounded concurrency: unchanged ads cost zero requests. With
   * `removeMissing`, listings of ads absent from the inventory are removed.
   */
  readonly sync: (
    inventory: Stream.Stream<unknown, AdsyncError>,
    options?: SyncOptions,
  ) => Effect.Effect<SyncSummary, AdsyncError>;
  /** Every lifecycle event from now on (of one ad, or of all). */
  readonly watch: (adId?: string) => Stream.Stream<LifecycleEvent>;
}

export class Publisher extends Context.Tag("@adsync/core/Publisher")<
  Publisher,
  PublisherService
>() {}

interface DeferredCreate {
  readonly adapter: MarketplaceAdapter;
  readonly begun: {
    readonly started: ListingRecord;
    readonly kind: OperationKind;
    readonly context: OperationContext;
  };
  readonly ad: VehicleAd;
  readonly prepared: Prepared;
}

/** The creates a sync keeps for batch-publishing marketplaces. */
interface CreateBatch {
  readonly deferred: Array<DeferredCreate>;
  readonly keys: Set<string>;
}

class UnknownTarget extends Data.TaggedError("UnknownTarget")<{ readonly marketplace: string }> {}

const codeOfReason = (reason: ErrorReason): IssueCode => {
  switch (reason) {
    case "NotFound":
      return "not_found";
    case "Unauthorized":
      return "unauthorized";
    case "Forbidden":
      return "forbidden";
    case "Conflict":
      return "conflict";
    case "Unsupported":
      return "unsupported";
    case "Invalid":
    case "Rejected":
      return "invalid_value";
    case "Transport":
    case "Timeout":
    case "RateLimited":
    case "Unavailable":
    case "InvalidResponse":
    case "Store":
    case "Configuration":
      return "remote_error";
  }
};

/** The issues an error carries, or one that describes it. */
const issuesOf = (error: AdsyncError): ReadonlyArray<Issue> =>
  error.issues.length > 0
    ? error.issues
    : [issue("", codeOfReason(error.reason), error.message, marketplaceOf(error))];

const marketplaceOf = (error: AdsyncError) =>
  error.marketplace === undefined ? undefined : { marketplace: error.marketplace };

const withMarketplace = (issues: ReadonlyArray<Issue>, marketplace: string): ReadonlyArray<Issue> =>
  issues.map((entry) => (entry.marketplace === undefined ? { ...entry, marketplace } : entry));

/**
 * The marketplace holds (or may still hold) this listing: adsync knows how to find it and has
 * not seen it removed. A listing whose presence is `absent` but which has a ref (its create
 * failed after the marketplace accepted it, or a pending create was superseded) is treated as
 * existing: updates and removals go to it rather than pretending it is gone.
 */
const hasRemoteListing = (
  record: ListingRecord | undefined,
): record is ListingRecord & { ref: NonNullable<ListingRecord["ref"]> } =>
  record?.ref !== undefined && record.state.presence !== "removed";

/** A create whose outcome adsync never learned (its answer was lost, or the process stopped). */
const createOutcomeUnknown = (record: ListingRecord | undefined): record is ListingRecord =>
  record !== undefined &&
  record.ref === undefined &&
  record.state.operation?.kind === "create" &&
  (record.state.operation.status === "pending" || record.state.operation.status === "failed");

const toStatus = (record: ListingRecord): ListingStatus => ({
  adId: record.adId,
  marketplace: record.marketplace,
  state: record.state,
  ref: record.ref,
  updatedAt: record.updatedAt,
});

/**
 * The listing as an adapter works on it. Its payload is the confirmed one: an update diffs
 * against what the marketplace is known to hold (a pending update may still fail), and a
 * follow-up operation never confirms a pending update's content.
 */
const toListing = (
  record: ListingRecord & { ref: NonNullable<ListingRecord["ref"]> },
): Listing => ({
  ref: record.ref,
  payload: record.payload,
  requestId: record.state.operation?.requestId,
});

export const makePublisher: Effect.Effect<PublisherService, never, Adapters | Store> = Effect.gen(
  function* () {
    const adapters = yield* Adapters;
    const store = yield* Store;
    const events = yield* PubSub.unbounded<LifecycleEvent>();
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

    const adapterFor = (marketplace: string) =>
      Option.match(Option.fromNullable(adapters.get(marketplace)), {
        onNone: () => Effect.fail(new UnknownTarget({ marketplace })),
        onSome: Effect.succeed,
      });

    const load = (adId: string, marketplace: string) =>
      store.get(adId, marketplace).pipe(Effect.map(Option.getOrUndefined));

    /** Reduces an observation into the record and writes both atomically, then announces it. */
    const observe = (
      record: ListingRecord,
      observation: Observation,
      changes: Partial<Pick<ListingRecord, "ref" | "payload" | "pendingPayload">> = {},
    ) =>
      Effect.gen(function* () {
        const next: ListingRecord = {
          ...record,
          ...changes,
          state: reduce(record.state, observation),
          updatedAt: observation.at,
        };
        const event: LifecycleEvent = {
          adId: record.adId,
          marketplace: record.marketplace,
          observation,
          state: next.state,
        };
        yield* store.record(next, event);
        yield* PubSub.publish(events, event);
        return next;
      });

    /**
     * Runs one operation: the `Started` record is written before the request, so a crash
     * between request and answer leaves a visible, reconcilable operation.
     */
    /**
     * Writes an operation's `Started` record before its request (so a crash between request
     * and answer leaves a visible, reconcilable operation). An operation of the same kind
     * interrupted before its answer is resumed under its own id: the adapter can reuse what
     * it derived from it (a publication command UUID) and knows to look before it creates.
     */
    const begin = (record: ListingRecord, kind: OperationKind) =>
      Effect.gen(function* () {
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
        const at = yield* Clock.currentTimeMillis;
        const started = yield* observe(record, { _tag: "Started", operationId, kind, at });
        return { started, kind, context: { operationId, resumed } satisfies OperationContext };
      });

    /** Records the marketplace's answer to a begun operation. */
    const finish = (
      begun: DeferredCreate["begun"],
      answer: Either.Either<Submitted, AdsyncError>,
      prepared: Prepared | undefined,
    ) =>
      Effect.gen(function* () {
        const { kind } = begun;
        const operationId = begun.context.operationId;
        // The record as it is now: a batched create is answered after other work on the
        // listing may have happened; a newer operation keeps its state (the reducer ignores
        // a stale observation) and only a ref it lacks is learned.
        const current =
          (yield* load(begun.started.adId, begun.started.marketplace)) ?? begun.started;
        const stale = current.state.operation?.id !== operationId;
        const started = current;
        const at = yield* Clock.currentTimeMillis;
        if (answer._tag === "Left") {
          const error = answer.left;
          const issues = withMarketplace(issuesOf(error), started.marketplace);
          const failed = yield* observe(
            started,
            { _tag: "Rejected", operationId, issues, at },
            stale ? {} : { pendingPayload: undefined },
          );
          return {
            adId: started.adId,
            marketplace: started.marketplace,
            operation: kind,
            result: "failed",
            state: failed.state,
            ref: failed.ref,
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
            ? { ref: started.ref ?? submitted.ref }
            : {
                ref: submitted.ref,
                ...payloadAfter(started, progress.status, submitted.payload ?? prepared?.payload),
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

    /** One operation: the Started record, the request, the answer recorded. */
    const run = (
      record: ListingRecord,
      kind: OperationKind,
      request: (context: OperationContext) => Effect.Effect<Submitted, AdsyncError>,
      prepared?: Prepared,
    ) =>
      Effect.gen(function* () {
        const begun = yield* begin(record, kind);
        const answer = yield* Effect.either(request(begun.context));
        return yield* finish(begun, answer, prepared);
      });

    const emptyRecord = (adId: string, marketplace: string): ListingRecord => ({
      adId,
      marketplace,
      state: initialState,
      updatedAt: 0,
    });

    const unknownTarget = (adId: string, marketplace: string): ListingOutcome => {
      const issues = [
        issue("", "unsupported", `No adapter is configured for marketplace "${marketplace}".`, {
          marketplace,
        }),
      ];
      return {
        adId,
        marketplace,
        result: "failed",
        state: initialState,
        issues,
        warnings: [],
        reason: "Configuration",
        retryable: false,
      };
    };

    const publishTo = (ad: VehicleAd, marketplace: string, batch?: CreateBatch) =>
      exclusive(
        ad.id,
        marketplace,
        Effect.gen(function* () {
          const adapter = yield* adapterFor(marketplace);
          const existing = yield* load(ad.id, marketplace);
          const warmedUp = yield* Effect.either(adapter.warmUp ?? Effect.void);
          if (warmedUp._tag === "Left") {
            const issues = withMarketplace(issuesOf(warmedUp.left), marketplace);
            return {
              adId: ad.id,
              marketplace,
              result: "failed",
              state: existing?.state ?? initialState,
              ref: existing?.ref,
              issues,
              warnings: [],
              reason: warmedUp.left.reason,
              retryable: warmedUp.left.isRetryable,
            } satisfies ListingOutcome;
          }
          const effective = adForMarketplace(ad, marketplace);
          const prepared = Either.flatMap(effective, adapter.prepare);
          if (effective._tag === "Left" || prepared._tag === "Left") {
            return {
              adId: ad.id,
              marketplace,
              result: "invalid",
              state: existing?.state ?? initialState,
              ref: existing?.ref,
              issues: withMarketplace(
                effective._tag === "Left"
                  ? effective.left
                  : Either.getLeft(prepared).pipe(Option.getOrElse(() => [])),
                marketplace,
              ),
              warnings: [],
              reason: "Invalid",
              retryable: false,
            } satisfies ListingOutcome;
          }
          return yield* publishPrepared(adapter, effective.right, prepared.right, existing, batch);
        }),
      ).pipe(
        Effect.catchTag("UnknownTarget", () => Effect.succeed(unknownTarget(ad.id, marketplace))),
      );

    const publishPrepared = (
      adapter: MarketplaceAdapter,
      ad: VehicleAd,
      prepared: Prepared,
      existing: ListingRecord | undefined,
      batch?: CreateBatch,
    ) => {
      const operation = existing?.state.operation;
      if (hasRemoteListing(existing)) {
        const interrupted = operation?.status === "pending" && operation.requestId === undefined;
        const unchanged =
          !interrupted &&
          operation?.status !== "failed" &&
          // A pending removal is not undone by doing nothing: publishing again must act.
          operation?.kind !== "remove" &&
          jsonEqual(sentPayload(existing), prepared.payload);
        if (unchanged) {
          return Effect.succeed({
            adId: ad.id,
            marketplace: adapter.id,
            result: "unchanged",
            state: existing.state,
            ref: existing.ref,
            issues: [],
            warnings: [],
          } satisfies ListingOutcome);
        }
        return Effect.gen(function* () {
          // A create the marketplace is still processing is not superseded by an update:
          // read its progress once; if it is still going, say so and send nothing (the next
          // publish sends the change). Superseding it would lose track of the create.
          const creating =
            operation?.kind === "create" &&
            operation.status === "pending" &&
            operation.requestId !== undefined;
          const current = creating ? yield* refreshRecord(existing) : existing;
          const stillCreating =
            current.state.operation?.kind === "create" &&
            current.state.operation.status === "pending";
          if (stillCreating) {
            return {
              adId: ad.id,
              marketplace: adapter.id,
              operation: "update",
              result: "failed",
              state: current.state,
              ref: current.ref,
              issues: [
                issue(
                  "",
                  "conflict",
                  `${adapter.id} is still processing this listing's creation; publish the change again once it has settled.`,
                  { marketplace: adapter.id },
                ),
              ],
              warnings: [],
              reason: "Conflict",
              retryable: true,
            } satisfies ListingOutcome;
          }
          if (!hasRemoteListing(current)) {
            return yield* run(
              current,
              "create",
              (context) => adapter.create(ad, prepared, context),
              prepared,
            );
          }
          return yield* run(
            current,
            "update",
            (context) => adapter.update(toListing(current), ad, prepared, context),
            prepared,
          );
        });
      }
      // No listing yet, a removed one, or a create whose outcome is unknown: create again; the
      // adapter reconciles through the dealer's ad id, so this never makes a second listing.
      const record = existing ?? emptyRecord(ad.id, adapter.id);
      if (
        batch !== undefined &&
        adapter.createMany !== undefined &&
        adapter.capabilities.batchPublication
      ) {
        return deferCreate(batch, adapter, record, ad, prepared);
      }
      return run(record, "create", (context) => adapter.create(ad, prepared, context), prepared);
    };

    /**
     * A create kept for the batch: its Started record is written now (before any request),
     * and the outcome returned is the pending one; `flushCreates` sends the batch.
     */
    const deferCreate = (
      batch: CreateBatch,
      adapter: MarketplaceAdapter,
      record: ListingRecord,
      ad: VehicleAd,
      prepared: Prepared,
    ) =>
      Effect.map(
        // The same ad twice in one stock is one create.
        batch.keys.has(`${adapter.id}\u0000${ad.id}`)
          ? Effect.succeed(undefined)
          : begin(record, "create"),
        (begun) => {
          if (begun !== undefined) batch.deferred.push({ adapter, begun, ad, prepared });
          batch.keys.add(`${adapter.id}\u0000${ad.id}`);
          return {
            adId: ad.id,
            marketplace: adapter.id,
            operation: "create",
            result: "accepted",
            state: begun?.started.state ?? record.state,
            issues: [],
            warnings: [],
          } satisfies ListingOutcome;
        },
      );

    /** Sends every deferred create of a batch, one `createMany` per marketplace. */
    const flushCreates = (batch: CreateBatch) =>
      Effect.gen(function* () {
        const byMarketplace = new Map<string, Array<DeferredCreate>>();
        for (const entry of batch.deferred) {
          byMarketplace.set(entry.adapter.id, [
            ...(byMarketplace.get(entry.adapter.id) ?? []),
            entry,
          ]);
        }
        const outcomes: Array<ListingOutcome> = [];
        for (const entries of byMarketplace.values()) {
          const createMany = entries[0]?.adapter.createMany;
          if (createMany === undefined) continue;
          const answers = yield* Effect.either(
            createMany(
              entries.map((entry) => ({
                ad: entry.ad,
                prepared: entry.prepared,
                context: entry.begun.context,
              })),
            ),
          );
          for (const [index, entry] of entries.entries()) {
            const answer: Either.Either<Submitted, AdsyncError> =
              answers._tag === "Left"
                ? Either.left(answers.left)
                : (answers.right[index] ??
                  Either.left(
                    new AdsyncError({
                      reason: "InvalidResponse",
                      marketplace: entry.adapter.id,
                      operation: "create",
                      message: `${entry.adapter.id} answered no result for ${entry.ad.id} in its batch.`,
                    }),
                  ));
            outcomes.push(yield* finish(entry.begun, answer, entry.prepared));
          }
        }
        return outcomes;
      });

    const targetsOf = (options: TargetOptions | undefined) => options?.to ?? [...adapters.keys()];

    const validate = (input: unknown, options?: TargetOptions) =>
      Effect.gen(function* () {
        const targets = targetsOf(options);
        const decoded = decodeOrIssues(VehicleAd)(input);
        const issues: Record<string, ReadonlyArray<Issue>> = {};
        for (const marketplace of targets) {
          issues[marketplace] = yield* validateFor(decoded, marketplace);
        }
        return {
          adId: adIdOf(input),
          valid: Object.values(issues).every((list) => list.length === 0),
          issues,
        } satisfies ValidationResult;
      });

    const validateFor = (
      decoded: Either.Either<VehicleAd, ReadonlyArray<Issue>>,
      marketplace: string,
    ): Effect.Effect<ReadonlyArray<Issue>> => {
      if (decoded._tag === "Left")
        return Effect.succeed(withMarketplace(decoded.left, marketplace));
      const adapter = adapters.get(marketplace);
      if (adapter === undefined)
        return Effect.succeed(unknownTarget(decoded.right.id, marketplace).issues);
      // Reference data the mapping needs is loaded (once, cached); the ad itself is not sent.
      return Effect.either(adapter.warmUp ?? Effect.void).pipe(
        Effect.map((warmedUp) => {
          if (warmedUp._tag === "Left")
            return withMarketplace(issuesOf(warmedUp.left), marketplace);
          const prepared = Either.flatMap(
            adForMarketplace(decoded.right, marketplace),
            adapter.prepare,
          );
          return prepared._tag === "Left" ? withMarketplace(prepared.left, marketplace) : [];
        }),
      );
    };

    const publish = (input: unknown, options?: TargetOptions, batch?: CreateBatch) =>
      Effect.gen(function* () {
        const targets = targetsOf(options);
        const decoded = decodeOrIssues(VehicleAd)(input);
        if (decoded._tag === "Left") {
          const adId = adIdOf(input) ?? "";
          return {
            adId,
            outcomes: targets.map(
              (marketplace): ListingOutcome => ({
                adId,
                marketplace,
                result: "invalid",
                state: initialState,
                issues: withMarketplace(decoded.left, marketplace),
                warnings: [],
                reason: "Invalid",
                retryable: false,
              }),
            ),
          } satisfies PublishResult;
        }
        const ad = decoded.right;
        const outcomes = yield* Effect.forEach(
          targets,
          (marketplace) => publishTo(ad, marketplace, batch),
          {
            concurrency: "unbounded",
          },
        );
        return { adId: ad.id, outcomes } satisfies PublishResult;
      });

    /** Runs a follow-up operation (remove, renew, hide, show) on every listing of an ad. */
    const onListings =
      (
        kind: OperationKind,
        capability: (adapter: MarketplaceAdapter) => boolean,
        call: (
          adapter: MarketplaceAdapter,
          listing: Listing,
        ) => Effect.Effect<Submitted, AdsyncError>,
      ) =>
      (adId: string, options?: TargetOptions) =>
        Effect.gen(function* () {
          const records = yield* store.list(adId);
          const targets = options?.to ?? records.map((record) => record.marketplace);
          const outcomes = yield* Effect.forEach(
            targets,
            (marketplace) =>
              exclusive(
                adId,
                marketplace,
                Effect.gen(function* () {
                  const adapter = yield* adapterFor(marketplace);
                  const record = yield* withFoundListing(adapter, yield* load(adId, marketplace));
                  if (!hasRemoteListing(record)) {
                    return {
                      adId,
                      marketplace,
                      operation: kind,
                      result: "unchanged",
                      state: record?.state ?? initialState,
                      ref: record?.ref,
                      issues: [],
                      warnings: [],
                    } satisfies ListingOutcome;
                  }
                  if (!capability(adapter)) {
                    const issues = [
                      issue("", "unsupported", `${marketplace} does not support ${kind}.`, {
                        marketplace,
                      }),
                    ];
                    return {
                      adId,
                      marketplace,
                      operation: kind,
                      result: "failed",
                      state: record.state,
                      ref: record.ref,
                      issues,
                      warnings: [],
                      reason: "Unsupported",
                      retryable: false,
                    } satisfies ListingOutcome;
                  }
                  return yield* run(record, kind, () => call(adapter, toListing(record)));
                }),
              ).pipe(
                Effect.catchTag("UnknownTarget", () =>
                  Effect.succeed(unknownTarget(adId, marketplace)),
                ),
              ),
            { concurrency: "unbounded" },
          );
          return { adId, outcomes } satisfies PublishResult;
        });

    /**
     * A create whose outcome is unknown may have landed: before a removal (or a sync that
     * removes), ask the marketplace, so no listing is left behind.
     */
    const withFoundListing = (adapter: MarketplaceAdapter, record: ListingRecord | undefined) =>
      Effect.gen(function* () {
        if (!createOutcomeUnknown(record) || adapter.find === undefined) return record;
        const found = yield* Effect.either(adapter.find(record.adId));
        if (found._tag === "Left" || Option.isNone(found.right)) return record;
        const at = yield* Clock.currentTimeMillis;
        return yield* observe(
          record,
          { _tag: "Seen", presence: "live", at },
          { ref: found.right.value },
        );
      });

    const refreshOne = (record: ListingRecord) =>
      exclusive(
        record.adId,
        record.marketplace,
        Effect.flatMap(load(record.adId, record.marketplace), (current) =>
          refreshRecord(current ?? record),
        ),
      );

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
        const progress = yield* Effect.either(
          adapter.observe({
            ref: current.ref,
            payload: sentPayload(current),
            requestId: operation.requestId,
          }),
        );
        if (progress._tag === "Left") {
          // A failed status read says nothing about the operation: it stays pending.
          yield* Effect.logWarning(
            `${current.marketplace}: status of ${current.adId} unknown: ${progress.left.message}`,
          );
          return current;
        }
        const at = yield* Clock.currentTimeMillis;
        const observation: Observation = {
          _tag: "Progress",
          operationId: operation.id,
          status: progress.right.status,
          presence: progress.right.presence,
          issues: withMarketplace(progress.right.issues ?? [], current.marketplace),
          warnings: withMarketplace(progress.right.warnings ?? [], current.marketplace),
          notes: progress.right.notes,
          raw: progress.right.raw,
          at,
        };
        const ref = progress.right.ref ?? current.ref;
        // A poll that learned nothing new is not an event: the log keeps only changes.
        if (
          jsonEqual(reduce(current.state, observation), current.state) &&
          jsonEqual(ref, current.ref)
        ) {
          return current;
        }
        return yield* observe(current, observation, {
          ref,
          ...payloadAfter(current, progress.right.status, current.pendingPayload),
        });
      });

    const refresh = (adId: string, options?: TargetOptions) =>
      Effect.gen(function* () {
        const records = (yield* store.list(adId)).filter(
          (record) => options?.to === undefined || options.to.includes(record.marketplace),
        );
        const refreshed = yield* Effect.forEach(records, refreshOne, { concurrency: "unbounded" });
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

    const sync = (inventory: Stream.Stream<unknown, AdsyncError>, options?: SyncOptions) =>
      Effect.gen(function* () {
        const seen = new Set<string>();
        const outcomes: Record<string, Partial<Record<OutcomeResult, number>>> = {};
        const count = (outcome: ListingOutcome) => {
          const perResult = outcomes[outcome.marketplace] ?? {};
          perResult[outcome.result] = (perResult[outcome.result] ?? 0) + 1;
          outcomes[outcome.marketplace] = perResult;
        };
        // Creates on marketplaces that publish in batches wait for the end of the stock and
        // go together (Allegro: one publication command for many offers).
        const batch: CreateBatch = { deferred: [], keys: new Set() };
        const ads = yield* inventory.pipe(
          Stream.mapEffect((ad) => publish(ad, options, batch), {
            concurrency: options?.concurrency ?? 8,
          }),
          Stream.runFold(0, (total, result) => {
            seen.add(result.adId);
            for (const outcome of result.outcomes) {
              if (!batch.keys.has(`${outcome.marketplace}\u0000${outcome.adId}`)) count(outcome);
            }
            return total + 1;
          }),
        );
        (yield* flushCreates(batch)).forEach(count);
        const removed: Array<string> = [];
        if (options?.removeMissing === true) {
          const listed = new Set(
            (yield* store.list())
              .filter((record) => hasRemoteListing(record) && !seen.has(record.adId))
              .filter(
                (record) => options.to === undefined || options.to.includes(record.marketplace),
              )
              .map((record) => record.adId),
          );
          for (const adId of listed) {
            const result = yield* remove(adId, options);
            result.outcomes.forEach(count);
            removed.push(adId);
          }
        }
        return { ads, outcomes, removed } satisfies SyncSummary;
      });

    const remove = onListings(
      "remove",
      () => true,
      (adapter, listing) => adapter.remove(listing),
    );

    return {
      validate,
      publish,
      sync,
      remove: onListings(
        "remove",
        () => true,
        (adapter, listing) => adapter.remove(listing),
      ),
      renew: onListings(
        "renew",
        (adapter) => adapter.capabilities.renew,
        (adapter, listing) => adapter.renew(listing),
      ),
      hide: onListings(
        "hide",
        (adapter) => adapter.capabilities.hide,
        (adapter, listing) => adapter.hide(listing),
      ),
      show: onListings(
        "show",
        (adapter) => adapter.capabilities.hide,
        (adapter, listing) => adapter.show(listing),
      ),
      status: (adId) => storedStatus(adId),
      refresh,
      awaitSettled,
      watch: (adId) =>
        Stream.fromPubSub(events).pipe(
          Stream.filter((event) => adId === undefined || event.adId === adId),
        ),
    } satisfies PublisherService;
  },
);

export const publisherLayer: Layer.Layer<Publisher, never, Adapters | Store> = Layer.effect(
  Publisher,
  makePublisher,
);

const adIdOf = (input: unknown): string | undefined =>
  typeof input === "object" && input !== null && "id" in input && typeof input.id === "string"
    ? input.id
    : undefined;

/** What adsync last sent: the pending operation's payload, else the confirmed one. */
const sentPayload = (record: ListingRecord): unknown => record.pendingPayload ?? record.payload;

/**
 * Where a payload goes once an operation's status is known: confirmed when it succeeded,
 * kept aside while it is pending, dropped when it failed.
 */
const payloadAfter = (
  record: ListingRecord,
  status: OperationStatus,
  sent: unknown,
): Pick<ListingRecord, "payload" | "pendingPayload"> => {
  switch (status) {
    case "pending":
      return { payload: record.payload, pendingPayload: sent };
    case "succeeded":
    case "succeeded_with_warnings":
      return { payload: sent ?? record.payload, pendingPayload: undefined };
    case "failed":
      return { payload: record.payload, pendingPayload: undefined };
  }
};
