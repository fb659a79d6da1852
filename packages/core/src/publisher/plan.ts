import { Effect, Either, Option, Predicate, Stream } from "effect";
import type {
  CostQuote,
  MarketplaceAdapter,
  PlannedRequest,
  Prepared,
} from "../adapter/adapter.ts";
import { AdsyncError } from "../errors.ts";
import type { ListingState } from "../lifecycle/state.ts";
import { decodeOrIssues, type Issue, issue } from "../model/issue.ts";
import { jsonEqual } from "../model/json.ts";
import { prepareForMarketplace } from "../model/overrides.ts";
import { VehicleAd } from "../model/vehicle-ad.ts";
import type { ListingRecord, StoreService } from "../store/store.ts";
import {
  adIdOf,
  createInProgress,
  hasRemoteListing,
  issuesOf,
  missingListings,
  publishAction,
  toListing,
  withMarketplace,
} from "./listing-rules.ts";
import type { TargetOptions } from "./service.ts";
import { storedPayload } from "./stored-payloads.ts";

/**
 * `plan`: what publishing an inventory would do, per ad and marketplace, with the exact
 * requests it would send — and nothing sent, nothing written. The action comes from
 * `publishAction` (the decision `publish` and `sync` take), the requests from each adapter's
 * `describe` (the functions that build its real requests), the cost from its `quote`.
 */

/**
 * - `create` / `update`: publishing sends `requests`;
 * - `unchanged`: the marketplace already holds this content, zero requests;
 * - `invalid`: the ad fails local validation, zero requests;
 * - `remove`: the ad is not in the inventory (`removeMissing`);
 * - `failed`: the plan could not be made (no such adapter, reference data unavailable).
 */
export type PlanAction = "create" | "update" | "unchanged" | "invalid" | "remove" | "failed";

/** One field that differs between the last confirmed payload and the new one. */
export interface FieldChange {
  /** Dotted path in the marketplace's payload, e.g. "price" or "advertisement.priceModel.askingPrice". */
  readonly path: string;
  /** Absent when the field is new. */
  readonly before?: unknown;
  /** Absent when the field goes away. */
  readonly after?: unknown;
}

export interface ListingPlan {
  readonly adId: string;
  readonly marketplace: string;
  readonly action: PlanAction;
  /** The requests publishing would send, in order; empty when it sends nothing. */
  readonly requests: ReadonlyArray<PlannedRequest>;
  /** For an update: the fields that differ from the last confirmed payload. */
  readonly changes: ReadonlyArray<FieldChange>;
  readonly issues: ReadonlyArray<Issue>;
  readonly warnings: ReadonlyArray<Issue>;
  /** What else the dealer should know (a create still processing, a cost that could not be read). */
  readonly notes: ReadonlyArray<string>;
  /** What publishing would cost, where the marketplace quotes it (Allegro). */
  readonly cost?: CostQuote | undefined;
  /** The listing's lifecycle as the store knows it now. */
  readonly state?: ListingState | undefined;
}

export interface PlanOptions extends TargetOptions {
  /** Plan the removal of listings whose ad is not in the inventory (as `sync` would). */
  readonly removeMissing?: boolean | undefined;
  /** Ads planned at once (default 8). */
  readonly concurrency?: number | undefined;
}

export interface PlanResult {
  /** Ads read from the inventory. */
  readonly ads: number;
  /** One entry per ad and target, then one per listing to remove. */
  readonly listings: ReadonlyArray<ListingPlan>;
}

/** One ad, an array or iterable of ads, an async iterable or a Stream of them. */
export type PlanInventory =
  | Stream.Stream<unknown, AdsyncError>
  | Iterable<unknown>
  | AsyncIterable<unknown>
  | Readonly<Record<string, unknown>>;

/** The inventory as a Stream; a lone object is one ad. */
export const inventoryOf = (inventory: PlanInventory): Stream.Stream<unknown, AdsyncError> => {
  if (isStream(inventory)) return inventory;
  if (Symbol.iterator in inventory) return Stream.fromIterable(inventory);
  if (Symbol.asyncIterator in inventory)
    return Stream.fromAsyncIterable(
      inventory,
      (cause) =>
        new AdsyncError({
          reason: "Configuration",
          message: `The inventory could not be read: ${String(cause)}`,
        }),
    );
  return Stream.make(inventory);
};

const isStream = (value: PlanInventory): value is Stream.Stream<unknown, AdsyncError> =>
  Predicate.hasProperty(value, Stream.StreamTypeId);

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The fields that differ, as dotted paths: objects are walked, and arrays of the same length
 * index by index ("price.0.amount"); an array whose length changed is one change, whole.
 */
export const payloadChanges = (
  before: unknown,
  after: unknown,
  path = "",
): ReadonlyArray<FieldChange> => {
  if (jsonEqual(before, after)) return [];
  const at = (key: string) => (path === "" ? key : `${path}.${key}`);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => payloadChanges(before[key], after[key], at(key)));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length)
    return before.flatMap((item: unknown, index) =>
      payloadChanges(item, after[index], at(String(index))),
    );
  return [
    {
      path,
      ...(before === undefined ? {} : { before }),
      ...(after === undefined ? {} : { after }),
    },
  ];
};

const entry = (
  adId: string,
  marketplace: string,
  action: PlanAction,
  rest: Partial<Omit<ListingPlan, "adId" | "marketplace" | "action">> = {},
): ListingPlan => ({
  adId,
  marketplace,
  action,
  requests: [],
  changes: [],
  issues: [],
  warnings: [],
  notes: [],
  ...rest,
});

const noDescription = (marketplace: string) =>
  `${marketplace}'s adapter does not describe its requests.`;

/** Builds `plan` over the publisher's adapters and store: reads only. */
export const makePlanner = (
  adapters: ReadonlyMap<string, MarketplaceAdapter>,
  store: StoreService,
) => {
  const load = (adId: string, marketplace: string) =>
    store.get(adId, marketplace).pipe(Effect.map(Option.getOrUndefined));

  const planPrepared = (
    adapter: MarketplaceAdapter,
    ad: VehicleAd,
    prepared: Prepared,
    existing: ListingRecord | undefined,
  ) =>
    Effect.gen(function* () {
      const marketplace = adapter.id;
      const sent = storedPayload(adapter, prepared.payload);
      const action = publishAction(existing, sent);
      const warnings = withMarketplace(prepared.warnings, marketplace);
      const state = existing?.state;
      if (action === "unchanged") return entry(ad.id, marketplace, "unchanged", { state });
      const notes: Array<string> = [];
      if (adapter.describe === undefined) notes.push(noDescription(marketplace));
      if (action === "update" && existing?.ref !== undefined) {
        const listing = toListing({ ...existing, ref: existing.ref });
        if (createInProgress(existing))
          notes.push(
            `The create is still processing: publish reads its progress first and sends the update only once it has settled.`,
          );
        return entry(ad.id, marketplace, "update", {
          requests: adapter.describe?.update(listing, ad, prepared) ?? [],
          changes: payloadChanges(listing.payload, sent),
          warnings,
          notes,
          state,
        });
      }
      let cost: CostQuote | undefined;
      if (adapter.quote !== undefined && adapter.capabilities.costPreview) {
        const quoted = yield* Effect.either(adapter.quote(ad, prepared));
        if (Either.isRight(quoted)) cost = quoted.right;
        else notes.push(`The cost could not be read: ${quoted.left.message}`);
      }
      return entry(ad.id, marketplace, "create", {
        requests: adapter.describe?.create(ad, prepared) ?? [],
        warnings,
        notes,
        cost,
        state,
      });
    });

  const planTarget = (ad: VehicleAd, marketplace: string) =>
    Effect.gen(function* () {
      const adapter = adapters.get(marketplace);
      if (adapter === undefined)
        return entry(ad.id, marketplace, "failed", {
          issues: [
            issue("", "unsupported", `No adapter is configured for marketplace "${marketplace}".`, {
              marketplace,
            }),
          ],
        });
      const existing = yield* load(ad.id, marketplace);
      // Reference data the mapping needs is read (once, cached): a read, never a write.
      const warmedUp = yield* Effect.either(adapter.warmUp ?? Effect.void);
      if (Either.isLeft(warmedUp))
        return entry(ad.id, marketplace, "failed", {
          issues: withMarketplace(issuesOf(warmedUp.left), marketplace),
          state: existing?.state,
        });
      const prepared = prepareForMarketplace(ad, marketplace, adapter.prepare);
      if (Either.isLeft(prepared))
        return entry(ad.id, marketplace, "invalid", {
          issues: withMarketplace(prepared.left, marketplace),
          state: existing?.state,
        });
      return yield* planPrepared(adapter, prepared.right.ad, prepared.right.prepared, existing);
    });

  const planAd = (input: unknown, targets: ReadonlyArray<string>) => {
    const decoded = decodeOrIssues(VehicleAd)(input);
    if (Either.isLeft(decoded)) {
      const adId = adIdOf(input) ?? "";
      return Effect.succeed({
        adId,
        listings: targets.map((marketplace) =>
          entry(adId, marketplace, "invalid", {
            issues: withMarketplace(decoded.left, marketplace),
          }),
        ),
      });
    }
    const ad = decoded.right;
    return Effect.map(
      Effect.forEach(targets, (marketplace) => planTarget(ad, marketplace), {
        concurrency: "unbounded",
      }),
      (listings) => ({ adId: ad.id, listings }),
    );
  };

  const planRemovals = (seen: ReadonlySet<string>, to: ReadonlyArray<string> | undefined) =>
    Effect.map(store.list(), (records) =>
      missingListings(records, seen, to).map((record) => {
        const adapter = adapters.get(record.marketplace);
        const notes = adapter?.describe === undefined ? [noDescription(record.marketplace)] : [];
        // A create of unknown outcome has no listing to name yet: the removal looks it up by
        // the dealer's ad id first and removes what it finds.
        if (!hasRemoteListing(record))
          notes.push("A create of unknown outcome: looked up by the ad id, then removed.");
        return entry(record.adId, record.marketplace, "remove", {
          requests: hasRemoteListing(record)
            ? (adapter?.describe?.remove(toListing(record)) ?? [])
            : [],
          notes,
          state: record.state,
        });
      }),
    );

  return (inventory: PlanInventory, options?: PlanOptions) =>
    Effect.gen(function* () {
      const targets = options?.to ?? [...adapters.keys()];
      const seen = new Set<string>();
      const planned = yield* inventoryOf(inventory).pipe(
        Stream.mapEffect((input) => planAd(input, targets), {
          concurrency: options?.concurrency ?? 8,
        }),
        Stream.runCollect,
      );
      const listings: Array<ListingPlan> = [];
      for (const result of planned) {
        seen.add(result.adId);
        listings.push(...result.listings);
      }
      if (options?.removeMissing === true)
        listings.push(...(yield* planRemovals(seen, options.to)));
      return { ads: planned.length, listings } satisfies PlanResult;
    });
};
