import { Clock, Effect, Option } from "effect";
import type { InspectRound, MarketplaceAdapter, Sighting } from "../adapter/adapter.ts";
import type { AdsyncError } from "../errors.ts";
import {
  isRecordConflict,
  type ListingRecord,
  type StoreService,
  unchangedSince,
} from "../store/store.ts";
import { pendingWithHandle, toInspected } from "./listing-rules.ts";
import type { Operations } from "./operations.ts";
import { type makeRefresh, sightingNews } from "./refresh.ts";

/**
 * Bulk observation (§ "Keeping listings true"): one pass walks a marketplace's listings in the
 * store a page at a time, hands each page to the adapter's `inspect` (at most
 * `inspectBatchSize` listings per call) and records what it saw: `Progress` for our pending
 * operations, `Seen` for settled listings, only when something changed. Adapters without
 * `inspect` are read one listing at a time through `observe`.
 */

/** The default listings per `inspect` call, as the adapter contract states it. */
export const defaultInspectBatchSize = 100;

/** What one pass did on one marketplace. */
export interface MarketplacePass {
  /** Listings handed to the marketplace (read). */
  readonly read: number;
  /** Listings whose record changed (one event each). */
  readonly changed: number;
  /** Adapter calls: `inspect` calls, or `observe` calls without inspect. */
  readonly calls: number;
  /** Calls that failed (their listings were left as they were; logged). */
  readonly failed: number;
  /** Listings read whose operation is still pending after the pass. */
  readonly pending: number;
}

/** What one observation pass did, per marketplace. */
export interface ReconcileReport {
  readonly marketplaces: Readonly<Record<string, MarketplacePass>>;
}

/** Which listings a pass reads, and how. */
export interface PassOptions {
  readonly to?: ReadonlyArray<string> | undefined;
  readonly mode?: "full" | "changes" | undefined;
  /** Only these listings (e.g. pending operations, or the ads a sync touched). */
  readonly select?: ((record: ListingRecord) => boolean) | undefined;
}

/** A listing the marketplace can be asked about: it has a ref and is not known gone. */
export const observable = (record: ListingRecord): boolean =>
  record.ref !== undefined &&
  (record.state.presence !== "removed" || record.state.operation?.status === "pending");

export { pendingWithHandle };

const hasRef = (
  record: ListingRecord,
): record is ListingRecord & { ref: NonNullable<ListingRecord["ref"]> } => record.ref !== undefined;

export const makeReconcile = (
  adapters: ReadonlyMap<string, MarketplaceAdapter>,
  store: StoreService,
  { exclusive, load }: Pick<Operations, "exclusive" | "load">,
  { applySighting, recordSighting, refreshRecord, rereadRecord }: ReturnType<typeof makeRefresh>,
) => {
  /**
   * Records a sighting on the listing as it is now (under its lock): a listing whose operation
   * changed since the page was read (a publish started meanwhile) is left to that operation.
   */
  const applyCurrent = (read: ListingRecord, sighting: Sighting) =>
    Effect.gen(function* () {
      const current = yield* load(read.adId, read.marketplace);
      if (current === undefined || current.state.operation?.id !== read.state.operation?.id) {
        return { changed: false, record: current ?? read };
      }
      const next = yield* applySighting(current, sighting);
      return { changed: next !== current, record: next };
    });

  /**
   * Records a sighting on the page's record under its lock, without reading it again: the
   * write expects the listing unchanged since the page read it (`unchangedSince`: the same
   * operation, lease and `updatedAt`), so one read per listing suffices. Only when something
   * was written meanwhile (the write conflicts, nothing written) is it read again and handled
   * as it is now (`applyCurrent`).
   */
  const applyLocked = (read: ListingRecord, sighting: Sighting) =>
    exclusive(
      read.adId,
      read.marketplace,
      recordSighting(read, sighting, unchangedSince(read)).pipe(
        Effect.map((next) => ({ changed: next !== read, record: next })),
        Effect.catchIf(isRecordConflict, () => applyCurrent(read, sighting)),
      ),
    );

  /** One `observe` per listing, for adapters without `inspect`. */
  const observeLocked = (read: ListingRecord) =>
    exclusive(
      read.adId,
      read.marketplace,
      Effect.gen(function* () {
        const current = (yield* load(read.adId, read.marketplace)) ?? read;
        const next = pendingWithHandle(current)
          ? yield* refreshRecord(current)
          : yield* rereadRecord(current);
        return { changed: next !== current, record: next };
      }),
    );

  const passOn = (adapter: MarketplaceAdapter, options: PassOptions) =>
    Effect.gen(function* () {
      const size = Math.max(1, adapter.inspectBatchSize ?? defaultInspectBatchSize);
      const mode = options.mode ?? "full";
      const cursor =
        adapter.inspect === undefined
          ? undefined
          : Option.getOrUndefined(yield* store.cursor(adapter.id));
      let next = cursor;
      // One round object for every page of this pass: the adapter may share a read among the
      // pages (Allegro reads a command's tasks once, though its offers span several pages).
      const round: InspectRound = { startedAt: yield* Clock.currentTimeMillis };
      let after: string | undefined;
      let read = 0;
      let changed = 0;
      let calls = 0;
      let failed = 0;
      let pending = 0;
      const tally = (results: ReadonlyArray<{ changed: boolean; record: ListingRecord }>) => {
        for (const result of results) {
          if (result.changed) changed += 1;
          if (result.record.state.operation?.status === "pending") pending += 1;
        }
      };
      for (;;) {
        // One page at a time: memory stays bounded by the page. A store with `page` reads it
        // in one statement; otherwise keys first, then the page's records read together (a
        // store that answers asynchronously overlaps them).
        const query = { marketplace: adapter.id, after, limit: size };
        const { last, listed } =
          store.page === undefined
            ? yield* Effect.flatMap(store.keys(query), (keys) =>
                Effect.map(
                  Effect.forEach(keys, (adId) => load(adId, adapter.id), {
                    concurrency: "unbounded",
                  }),
                  (records) => ({ last: keys[keys.length - 1], listed: records }),
                ),
              )
            : yield* Effect.map(store.page(query), (records) => ({
                last: records[records.length - 1]?.adId,
                listed: records,
              }));
        if (last === undefined) break;
        after = last;
        const records = listed
          .filter((record): record is ListingRecord => record !== undefined)
          .filter(observable)
          .filter((record) => options.select === undefined || options.select(record))
          .filter(hasRef);
        if (records.length === 0) continue;
        read += records.length;
        if (adapter.inspect === undefined) {
          calls += records.length;
          tally(yield* Effect.forEach(records, observeLocked));
          continue;
        }
        calls += 1;
        const inspection = yield* Effect.either(
          adapter.inspect({ listings: records.map(toInspected), mode, cursor, round }),
        );
        if (inspection._tag === "Left") {
          failed += 1;
          yield* Effect.logWarning(
            `${adapter.id}: ${records.length} listings not observed: ${inspection.left.message}`,
          );
          continue;
        }
        next = inspection.right.cursor ?? next;
        const sightings = inspection.right.sightings;
        // The page's records go together (each under its own listing's lock, each its own
        // compare-and-set): a store that commits the writes queued together in one transaction
        // (the SQLite store's group commit) makes a page one transaction instead of one per
        // sighting. A page holds each listing once, so each listing's events stay in order;
        // only the order between listings in the event log may differ from the page's.
        // A sighting that is no news on the page's record (the common case of a pass over
        // settled listings) costs no lock and no effect: the listing is left as read.
        const at = yield* Clock.currentTimeMillis;
        tally(
          yield* Effect.forEach(
            records,
            (record) => {
              const sighting = sightings.get(record.adId);
              return sighting === undefined || sightingNews(record, sighting, at) === undefined
                ? Effect.succeed({ changed: false, record })
                : applyLocked(record, sighting);
            },
            { concurrency: "unbounded" },
          ),
        );
      }
      // A cursor moves on only after a pass that read everything it was given: otherwise the
      // changes behind a failed call would be skipped by the next "changes" pass.
      if (next !== undefined && next !== cursor && failed === 0) {
        yield* store.saveCursor(adapter.id, next);
      }
      return { read, changed, calls, failed, pending } satisfies MarketplacePass;
    });

  /** One observation pass over the selected listings of every target marketplace. */
  const pass = (options: PassOptions = {}): Effect.Effect<ReconcileReport, AdsyncError> =>
    Effect.gen(function* () {
      const targets = (options.to ?? [...adapters.keys()]).flatMap((id) => {
        const adapter = adapters.get(id);
        return adapter === undefined ? [] : [adapter];
      });
      const passes = yield* Effect.forEach(
        targets,
        (adapter) => Effect.map(passOn(adapter, options), (done) => [adapter.id, done] as const),
        { concurrency: "unbounded" },
      );
      return { marketplaces: Object.fromEntries(passes) } satisfies ReconcileReport;
    });

  return { pass };
};

/** Whether a pass left no pending operation behind on any marketplace. */
export const nothingPending = (report: ReconcileReport): boolean =>
  Object.values(report.marketplaces).every((done) => done.pending === 0);
