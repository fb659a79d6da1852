import {
  Chunk,
  Clock,
  Data,
  Duration,
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
  type Prepared,
  type Submitted,
} from "../adapter/adapter.ts";
import type { AdsyncError } from "../errors.ts";
import { initialState, type OperationKind } from "../lifecycle/state.ts";
import { decodeOrIssues, type Issue, issue } from "../model/issue.ts";
import { prepareForMarketplace } from "../model/overrides.ts";
import { VehicleAd } from "../model/vehicle-ad.ts";
import { listingSpan, tracePublisher } from "../observability/tracing.ts";
import {
  defaultFeedLimit,
  type LifecycleEvent,
  type ListingRecord,
  type LoggedEvent,
  Store,
} from "../store/store.ts";
import {
  type CreateBatch,
  type DeferredRemoval,
  defaultBatchSize,
  emptyBatch,
  isDeferred,
  makeBatching,
} from "./batch.ts";
import { fingerprintFor, inputHash, unchangedByFingerprint } from "./fingerprint.ts";
import {
  adIdOf,
  emptyRecord,
  hasRemoteListing,
  issuesOf,
  mayHoldListing,
  publishAction,
  stillProcessing,
  toListing,
  toUpdateBase,
  unknownTarget,
  withMarketplace,
} from "./listing-rules.ts";
import {
  busyOutcome,
  type ClaimOptions,
  type Fingerprinted,
  makeOperations,
} from "./operations.ts";
import type { ListingOutcome, OutcomeResult, PublishResult } from "./outcome.ts";
import { makePlanner } from "./plan.ts";
import {
  makeReconcile,
  nothingPending,
  pendingWithHandle,
  type ReconcileReport,
} from "./reconcile.ts";
import { makeRefresh } from "./refresh.ts";
import {
  type AwaitOptions,
  type EventPage,
  type PromoteOptions,
  Publisher,
  type PublisherService,
  type ReconcileEveryOptions,
  type RefreshOptions,
  type RemoteValidation,
  type SettleOptions,
  type SyncOptions,
  type SyncSummary,
  type TargetOptions,
  type ValidationResult,
  type WatchOptions,
} from "./service.ts";
import { storedPayload, withStoredPayloadsAll } from "./stored-payloads.ts";

/**
 * The publisher: one call, many marketplaces. This module composes the parts — the store
 * writes (operations.ts), the batch of a sync (batch.ts), reading marketplaces back
 * (refresh.ts) and the pure listing rules (listing-rules.ts) — into `PublisherService`.
 */

class UnknownTarget extends Data.TaggedError("UnknownTarget")<{ readonly marketplace: string }> {}

/** How a publisher is set up beyond its adapters and store. */
export type PublisherOptions = ClaimOptions;

export const makePublisherWith = (
  options: PublisherOptions = {},
): Effect.Effect<PublisherService, never, Adapters | Store> =>
  Effect.gen(function* () {
    // Each adapter hands back and takes its own payload type; the store keeps it encoded.
    const adapters = withStoredPayloadsAll(yield* Adapters);
    const store = yield* Store;
    const announced = yield* PubSub.unbounded<LifecycleEvent>();
    const operations = makeOperations(store, announced, options);
    const { exclusive, load, run, claimedElsewhere } = operations;
    const { deferCreate, flushCreates, deferRemoval, flushRemovals } = makeBatching(operations);
    const refreshing = makeRefresh(adapters, store, operations);
    const { withFoundListing, settleBeforeUpdate, refresh, awaitSettled, storedStatus } =
      refreshing;
    const { pass } = makeReconcile(adapters, store, operations, refreshing);

    const refreshAll = (options?: RefreshOptions) =>
      pass({
        to: options?.to,
        ...(options?.includeSettled === true ? {} : { select: pendingWithHandle }),
      });

    const settle = (options?: SettleOptions) => {
      const adIds = options?.adIds === undefined ? undefined : new Set(options.adIds);
      const round = pass({
        to: options?.to,
        select: (record) =>
          pendingWithHandle(record) && (adIds === undefined || adIds.has(record.adId)),
      });
      // Answers the last round's report: the schedule passes each report through.
      const rounds = Schedule.identity<ReconcileReport>().pipe(
        Schedule.zipLeft(Schedule.spaced(options?.interval ?? "500 millis")),
        Schedule.upTo(options?.timeout ?? "2 minutes"),
        Schedule.whileInput((report: ReconcileReport) => !nothingPending(report)),
      );
      return Effect.repeat(round, rounds);
    };

    const reconcileEvery = (options: ReconcileEveryOptions) =>
      Stream.repeatEffectWithSchedule(
        pass({ to: options.to, mode: options.mode }),
        options.schedule ?? Schedule.spaced(options.every ?? "5 minutes"),
      );

    const events = (query?: Parameters<PublisherService["events"]>[0]) =>
      Effect.map(
        store.feed(query),
        (page): EventPage => ({
          events: page,
          cursor: page[page.length - 1]?.seq ?? Math.max(0, query?.after ?? 0),
        }),
      );

    /**
     * The log from a cursor, for as long as it is read: each page read on from the last `seq`.
     * This process's own writes wake it at once (the subscription is taken before the first
     * read, so none is missed); writes of other processes are found every `interval`.
     */
    const watch = (options?: string | WatchOptions): Stream.Stream<LoggedEvent, AdsyncError> => {
      const { adId, after, interval } =
        typeof options === "string"
          ? { adId: options, after: undefined, interval: undefined }
          : {
              adId: options?.adId,
              after: options?.after,
              interval: options?.interval,
            };
      const pause = Duration.decode(interval ?? "1 second");
      return Stream.unwrapScoped(
        Effect.gen(function* () {
          const wake = yield* PubSub.subscribe(announced);
          const start = after ?? (yield* store.lastSeq);
          const nextPage = (cursor: number) =>
            Effect.gen(function* () {
              for (;;) {
                yield* wake.takeAll;
                const page = yield* store.feed({ after: cursor, limit: defaultFeedLimit });
                const last = page[page.length - 1];
                if (last !== undefined) {
                  const mine = page.filter((event) => adId === undefined || event.adId === adId);
                  return [Chunk.fromIterable(mine), Option.some(last.seq)] as const;
                }
                yield* Effect.raceFirst(wake.take, Effect.sleep(pause));
              }
            });
          return Stream.paginateChunkEffect(start, nextPage);
        }),
      );
    };

    const adapterFor = (marketplace: string) =>
      Option.match(Option.fromNullable(adapters.get(marketplace)), {
        onNone: () => Effect.fail(new UnknownTarget({ marketplace })),
        onSome: Effect.succeed,
      });

    const publishTo = (
      ad: VehicleAd,
      marketplace: string,
      batch?: CreateBatch,
      // The input's hash (`inputHash`), for the fingerprint recorded with what is sent.
      hashed?: string,
    ) =>
      exclusive(
        ad.id,
        marketplace,
        Effect.gen(function* () {
          const adapter = yield* adapterFor(marketplace);
          const existing = yield* load(ad.id, marketplace);
          // Another process is between its Started record and its answer on this listing:
          // neither "unchanged" nor a request is true until it has finished.
          if (
            existing !== undefined &&
            claimedElsewhere(existing, yield* Clock.currentTimeMillis)
          ) {
            return busyOutcome(existing, undefined);
          }
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
          const prepared = prepareForMarketplace(ad, marketplace, adapter.prepare);
          if (prepared._tag === "Left") {
            return {
              adId: ad.id,
              marketplace,
              result: "invalid",
              state: existing?.state ?? initialState,
              ref: existing?.ref,
              issues: withMarketplace(prepared.left, marketplace),
              warnings: [],
              reason: "Invalid",
              retryable: false,
            } satisfies ListingOutcome;
          }
          const { ad: effective, prepared: mapped } = prepared.right;
          // Taken after warmUp: an adapter whose mapping reads reference data loaded at run
          // time declares its version only once that data is loaded (`referenceMappingVersion`).
          const fingerprint = fingerprintFor(adapter, hashed);
          const sent: Fingerprinted =
            fingerprint === undefined ? mapped : { ...mapped, fingerprint };
          return yield* publishPrepared(adapter, effective, mapped, existing, batch, sent);
        }),
      ).pipe(
        Effect.catchTag("UnknownTarget", () => Effect.succeed(unknownTarget(ad.id, marketplace))),
        listingSpan("publish", ad.id, marketplace),
      );

    const publishPrepared = (
      adapter: MarketplaceAdapter,
      ad: VehicleAd,
      prepared: Prepared,
      existing: ListingRecord | undefined,
      batch?: CreateBatch,
      // What is recorded beside the answer: `prepared` with its input's fingerprint.
      sent: Fingerprinted = prepared,
    ) => {
      // A create's Started record carries what it sends, encoded as the store keeps it.
      const createSent = (): Fingerprinted => ({
        ...sent,
        stored: storedPayload(adapter, prepared.payload),
      });
      if (hasRemoteListing(existing)) {
        if (publishAction(existing, storedPayload(adapter, prepared.payload)) === "unchanged") {
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
          // A create or a removal the marketplace is still processing is not superseded by an
          // update: read its progress once; if it is still going, say so and send nothing (the
          // next publish sends the change). Superseding it would lose track of it — and an
          // update of an ad being deleted fails while the store keeps calling it live.
          const current = yield* settleBeforeUpdate(adapter, existing);
          const processing = stillProcessing(current);
          if (processing !== undefined) return processing;
          if (!hasRemoteListing(current)) {
            return yield* run(
              current,
              "create",
              (context) => adapter.create(ad, prepared, context),
              createSent(),
            );
          }
          return yield* run(
            current,
            "update",
            (context) => adapter.update(toUpdateBase(current), ad, prepared, context),
            sent,
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
        return deferCreate(batch, adapter, record, ad, createSent());
      }
      return run(
        record,
        "create",
        (context) => adapter.create(ad, prepared, context),
        createSent(),
      );
    };

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

    /** The ad as one target would send it (its overrides applied, prepared), or the issues. */
    const preparedFor = (
      decoded: Either.Either<VehicleAd, ReadonlyArray<Issue>>,
      marketplace: string,
    ): Effect.Effect<
      Either.Either<
        {
          readonly adapter: MarketplaceAdapter;
          readonly ad: VehicleAd;
          readonly prepared: Prepared;
        },
        ReadonlyArray<Issue>
      >
    > => {
      if (decoded._tag === "Left")
        return Effect.succeed(Either.left(withMarketplace(decoded.left, marketplace)));
      const adapter = adapters.get(marketplace);
      if (adapter === undefined)
        return Effect.succeed(Either.left(unknownTarget(decoded.right.id, marketplace).issues));
      // Reference data the mapping needs is loaded (once, cached); the ad itself is not sent.
      return Effect.either(adapter.warmUp ?? Effect.void).pipe(
        Effect.map((warmedUp) => {
          if (warmedUp._tag === "Left")
            return Either.left(withMarketplace(issuesOf(warmedUp.left), marketplace));
          const ready = prepareForMarketplace(decoded.right, marketplace, adapter.prepare);
          if (ready._tag === "Left") return Either.left(withMarketplace(ready.left, marketplace));
          return Either.right({ adapter, ad: ready.right.ad, prepared: ready.right.prepared });
        }),
      );
    };

    const validateFor = (
      decoded: Either.Either<VehicleAd, ReadonlyArray<Issue>>,
      marketplace: string,
    ): Effect.Effect<ReadonlyArray<Issue>> =>
      Effect.map(preparedFor(decoded, marketplace), (prepared) =>
        prepared._tag === "Left" ? prepared.left : [],
      );

    /**
     * Local validation, then the marketplace's own (`validateRemotely`, saving nothing) of the
     * ad exactly as `create` would send it, for targets that offer it. A target without it, or
     * whose adapter answers `Unsupported` for this ad, is reported `unavailable`.
     */
    const validateRemotely = (input: unknown, options?: TargetOptions) =>
      Effect.gen(function* () {
        const decoded = decodeOrIssues(VehicleAd)(input);
        const issues: Record<string, ReadonlyArray<Issue>> = {};
        const remote: Record<string, RemoteValidation> = {};
        for (const marketplace of targetsOf(options)) {
          const local = yield* preparedFor(decoded, marketplace);
          if (local._tag === "Left") {
            issues[marketplace] = local.left;
            remote[marketplace] = "not_sent";
            continue;
          }
          const { adapter, ad, prepared } = local.right;
          if (adapter.validateRemotely === undefined || !adapter.capabilities.remoteValidation) {
            issues[marketplace] = [];
            remote[marketplace] = "unavailable";
            continue;
          }
          const answer = yield* Effect.either(adapter.validateRemotely(ad, prepared));
          if (answer._tag === "Right") {
            issues[marketplace] = withMarketplace(answer.right, marketplace);
            remote[marketplace] = "validated";
          } else if (answer.left.reason === "Unsupported") {
            issues[marketplace] = [];
            remote[marketplace] = "unavailable";
          } else {
            issues[marketplace] = withMarketplace(issuesOf(answer.left), marketplace);
            remote[marketplace] = "failed";
          }
        }
        return {
          adId: adIdOf(input),
          valid: Object.values(issues).every((list) => list.length === 0),
          issues,
          remote,
        } satisfies ValidationResult;
      });

    /**
     * The outcome of each target whose listing was published from exactly this input and is
     * settled and confirmed (`fingerprint.ts`): `unchanged`, read from the store alone, with no
     * decode, `prepare`, lock or request. Undefined for a target that takes the full path.
     */
    const unchangedTargets = (
      adId: string | undefined,
      fingerprints: ReadonlyArray<string | undefined>,
      targets: ReadonlyArray<string>,
    ): Effect.Effect<ReadonlyArray<ListingOutcome | undefined>, AdsyncError> =>
      adId === undefined || fingerprints.every((fingerprint) => fingerprint === undefined)
        ? Effect.succeed([])
        : Effect.forEach(targets, (marketplace, index) =>
            fingerprints[index] === undefined
              ? Effect.succeed(undefined)
              : Effect.map(load(adId, marketplace), (record) =>
                  record !== undefined && unchangedByFingerprint(record, fingerprints[index])
                    ? ({
                        adId,
                        marketplace,
                        result: "unchanged",
                        state: record.state,
                        ref: record.ref,
                        issues: [],
                        warnings: [],
                      } satisfies ListingOutcome)
                    : undefined,
                ),
          );

    const publish = (input: unknown, options?: TargetOptions, batch?: CreateBatch) =>
      Effect.gen(function* () {
        const targets = targetsOf(options);
        const givenId = adIdOf(input);
        const hashed = givenId === undefined ? undefined : inputHash(input);
        const fingerprints = targets.map((marketplace) => {
          const adapter = adapters.get(marketplace);
          return adapter === undefined ? undefined : fingerprintFor(adapter, hashed);
        });
        const known = yield* unchangedTargets(givenId, fingerprints, targets);
        if (givenId !== undefined && known.length > 0 && known.every((o) => o !== undefined)) {
          return { adId: givenId, outcomes: known } satisfies PublishResult;
        }
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
          (marketplace, index) =>
            known[index] === undefined
              ? publishTo(ad, marketplace, batch, hashed)
              : Effect.succeed(known[index]),
          {
            concurrency: "unbounded",
          },
        );
        return { adId: ad.id, outcomes } satisfies PublishResult;
      });

    /**
     * The checks before a follow-up operation touches a listing, shared by `onListings` and
     * sync's grouped removals: another process's lease answers busy; a create of unknown
     * outcome is looked up by the dealer's ad id (`find`); a create or removal the marketplace
     * is still processing is read once before anything overtakes it (a removal overtaking a
     * pending create loses track of it: the create may land after the removal), and still
     * going, the answer is a retryable Conflict and nothing is sent. Right: the listing as it
     * now stands (undefined when there is none).
     */
    const readyForFollowUp = (
      adapter: MarketplaceAdapter,
      stored: ListingRecord | undefined,
      kind: OperationKind,
    ) =>
      Effect.gen(function* () {
        if (stored !== undefined && claimedElsewhere(stored, yield* Clock.currentTimeMillis)) {
          return Either.left(busyOutcome(stored, kind));
        }
        const found = yield* withFoundListing(adapter, stored);
        const record = found === undefined ? found : yield* settleBeforeUpdate(adapter, found);
        const processing = record === undefined ? undefined : stillProcessing(record, kind);
        return processing === undefined ? Either.right(record) : Either.left(processing);
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
                  const ready = yield* readyForFollowUp(
                    adapter,
                    yield* load(adId, marketplace),
                    kind,
                  );
                  if (ready._tag === "Left") return ready.left;
                  const record = ready.right;
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
                listingSpan(kind, adId, marketplace),
              ),
            { concurrency: "unbounded" },
          );
          return { adId, outcomes } satisfies PublishResult;
        });

    const sync = (inventory: Stream.Stream<unknown, AdsyncError>, options?: SyncOptions) =>
      Effect.gen(function* () {
        const seen = new Set<string>();
        const outcomes: Record<string, Partial<Record<OutcomeResult, number>>> = {};
        const count = (outcome: ListingOutcome) => {
          const perResult = outcomes[outcome.marketplace] ?? {};
          perResult[outcome.result] = (perResult[outcome.result] ?? 0) + 1;
          outcomes[outcome.marketplace] = perResult;
        };
        const batchSize = Math.max(1, options?.batchSize ?? defaultBatchSize);
        // Creates on marketplaces that publish in batches are kept and sent together (Allegro:
        // one publication command for many offers) as soon as a marketplace holds `batchSize`
        // of them, and the rest at the end of the stock: a long stock does not wait for its end.
        const batch = emptyBatch();
        const ads = yield* inventory.pipe(
          Stream.mapEffect((ad) => publish(ad, options, batch), {
            concurrency: options?.concurrency ?? 8,
          }),
          Stream.runFoldEffect(0, (total, result) =>
            Effect.gen(function* () {
              seen.add(result.adId);
              for (const outcome of result.outcomes) {
                if (!isDeferred(batch, outcome)) count(outcome);
              }
              (yield* flushCreates(batch, batchSize, batchSize)).forEach(count);
              return total + 1;
            }),
          ),
        );
        (yield* flushCreates(batch, batchSize)).forEach(count);
        const removed =
          options?.removeMissing === true
            ? yield* removeMissing(
                seen,
                options.to ?? [...adapters.keys()],
                batchSize,
                options.concurrency ?? 8,
                count,
              )
            : [];
        if (options?.settle === undefined || options.settle === false) {
          return { ads, outcomes, removed } satisfies SyncSummary;
        }
        const timing: AwaitOptions = options.settle === true ? {} : options.settle;
        const settled = yield* settle({ ...timing, to: options.to, adIds: [...seen] });
        return { ads, outcomes, removed, settled } satisfies SyncSummary;
      });

    /**
     * Removes the listings of ads the stock no longer holds. It walks each marketplace's keys
     * a page at a time and reads only the listings missing from the stock, so memory stays
     * bounded by a page whatever the store holds. A marketplace with `removeMany` gets its
     * removals together (Allegro: one END command per 1,000 offers), each listing claimed with
     * its own `Started` record and lease first, as a single `remove` does.
     */
    const removeMissing = (
      seen: ReadonlySet<string>,
      marketplaces: ReadonlyArray<string>,
      batchSize: number,
      concurrency: number,
      count: (outcome: ListingOutcome) => void,
    ) =>
      Effect.gen(function* () {
        const removed = new Set<string>();
        for (const marketplace of marketplaces) {
          const adapter = adapters.get(marketplace);
          if (adapter === undefined) continue;
          const claimed: Array<DeferredRemoval> = [];
          const flush = Effect.suspend(() =>
            flushRemovals(adapter, claimed.splice(0, claimed.length)),
          ).pipe(Effect.map((results) => results.forEach(count)));
          let after: string | undefined;
          for (;;) {
            const page = yield* store.keys({ marketplace, after, limit: batchSize });
            const missing = page.filter((adId) => !seen.has(adId));
            // As many at once as the sync publishes, so their writes share transactions.
            if (adapter.removeMany === undefined) {
              // One `remove` per listing.
              yield* Effect.forEach(
                missing,
                (adId) =>
                  Effect.gen(function* () {
                    if (!mayHoldListing(yield* load(adId, marketplace))) return;
                    removed.add(adId);
                    (yield* remove(adId, { to: [marketplace] })).outcomes.forEach(count);
                  }),
                { concurrency },
              );
            } else {
              // Each listing claimed (its Started record), then removed together.
              const claims = yield* Effect.forEach(
                missing,
                (adId) =>
                  exclusive(
                    adId,
                    marketplace,
                    Effect.gen(function* () {
                      const stored = yield* load(adId, marketplace);
                      if (!mayHoldListing(stored)) return undefined;
                      const ready = yield* readyForFollowUp(adapter, stored, "remove");
                      if (ready._tag === "Left") return ready;
                      const record = ready.right;
                      if (!hasRemoteListing(record)) return undefined;
                      return yield* deferRemoval(record);
                    }),
                  ),
                { concurrency },
              );
              for (const [index, claim] of claims.entries()) {
                if (claim === undefined) continue;
                removed.add(missing[index] ?? "");
                if (claim._tag === "Left") count(claim.left);
                else claimed.push(claim.right);
              }
              if (claimed.length >= batchSize) yield* flush;
            }
            const last = page[page.length - 1];
            if (last === undefined || page.length < batchSize) break;
            after = last;
          }
          yield* flush;
        }
        return [...removed];
      });

    const remove = onListings(
      "remove",
      () => true,
      (adapter, listing) => adapter.remove(listing),
    );

    return tracePublisher({
      validate,
      validateRemotely,
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
      // A paid promotion (§7.10): only where the adapter offers this product.
      promote: (adId: string, options: PromoteOptions) =>
        onListings(
          "promote",
          (adapter) =>
            adapter.capabilities.promote &&
            adapter.promote !== undefined &&
            (adapter.promotions ?? []).includes(options.product),
          (adapter, listing) =>
            adapter.promote === undefined
              ? Effect.die("promote without the capability")
              : adapter.promote(listing, {
                  product: options.product,
                  ...(options.options === undefined ? {} : { options: options.options }),
                }),
        )(adId, options),
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
      plan: makePlanner(adapters, store),
      reconcile: (options) => pass({ to: options?.to, mode: options?.mode }),
      reconcileEvery,
      refreshAll,
      settle,
      events,
      watch,
    } satisfies PublisherService);
  });

export const makePublisher: Effect.Effect<PublisherService, never, Adapters | Store> =
  makePublisherWith();

export const publisherLayer: Layer.Layer<Publisher, never, Adapters | Store> = Layer.effect(
  Publisher,
  makePublisher,
);

/** The publisher with options (the lease on listings shared by several processes). */
export const publisherLayerWith = (
  options: PublisherOptions,
): Layer.Layer<Publisher, never, Adapters | Store> =>
  Layer.effect(Publisher, makePublisherWith(options));
