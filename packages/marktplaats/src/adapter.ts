import {
  AdsyncError,
  anyPayloadAdapter,
  cachedSuccessWithTTL,
  type FindHint,
  type Issue,
  issue,
  jsonEqual,
  type Listing,
  type MarketplaceAdapter,
  makeMarketplaceHttp,
  type OperationContext,
  type Prepared,
  type Progress,
  type Promotion,
  referenceMappingVersion,
  resendWhileAbsent,
  type Submitted,
  serviceRunner,
  type VehicleAd,
} from "@adsync/core";
import type { HttpClient } from "@effect/platform";
import { Clock, Context, Effect, Layer, Option, type Scope } from "effect";
import { makeTokenSource, type TokenSource } from "./auth.ts";
import { categoryMoveRefusal } from "./categories/move.ts";
import { type CategorySnapshot, defaultMakeAliases, loadCategories } from "./categories/tree.ts";
import { type MarktplaatsClient, makeMarktplaatsClient } from "./client.ts";
import {
  defaultCategoryRoots,
  type MarktplaatsConfig,
  marktplaatsProduction,
  type Site,
} from "./config.ts";
import { pathResolver, pointAtOverrides } from "./mapping/issue-paths.ts";
import {
  type MappingSettings,
  type MarktplaatsPayload,
  marktplaatsMappingRevision,
  toMarktplaatsPayload,
} from "./mapping/to-marktplaats.ts";
import { describeMarktplaats } from "./operations/describe.ts";
import { featureFields, featureWarnings, marktplaatsPromotions } from "./operations/features.ts";
import {
  type Found,
  makeInspect,
  marktplaatsInspectBatchSize,
  sightingOf,
} from "./operations/inspect.ts";
import {
  cannotFind,
  doubtfulCreate,
  lookUp,
  lookUpOne,
  matchKeyOf,
} from "./operations/lost-create.ts";
import { planPatch, projectOnto } from "./patch/advertisement-patch.ts";
import { planUpdate } from "./patch/update-plan.ts";
import { progressOf, refOf, removedProgress } from "./status.ts";
import {
  enrichmentFields,
  marktplaatsPayloadSchema,
  type StoredMarktplaatsPayload,
  type WireAdvertisement,
} from "./wire.ts";

export interface MarktplaatsService {
  /** The adapter, its payload type erased as `adaptersLayer` and registries hold it. */
  readonly adapter: MarketplaceAdapter;
  readonly client: MarktplaatsClient;
  readonly tokens: TokenSource;
  /** The category tree and attributes, cached for `categoryTtl`. */
  readonly categories: Effect.Effect<CategorySnapshot, AdsyncError>;
}

export class Marktplaats extends Context.Tag("@adsync/marktplaats/Marktplaats")<
  Marktplaats,
  MarktplaatsService
>() {}

/**
 * Hide, show and renew are off: `status` is "writable: false" and the sources name no endpoint
 * to change it or to renew (only the read-only `renewPossible` flag). Remote validation and
 * cost previews are not documented either. Promotion buys a paid feature (`buy-feature`).
 */
export const marktplaatsCapabilities = {
  patchUpdates: true,
  hide: false,
  renew: false,
  promote: true,
  schedule: false,
  remoteValidation: false,
  costPreview: false,
  batchPublication: false,
} as const;

const unsupported = (site: string, operation: string) =>
  Effect.fail(
    new AdsyncError({
      reason: "Unsupported",
      marketplace: site,
      operation,
      message: `${site} documents no way to ${operation} an advertisement.`,
    }),
  );

/** Whether a failed create may have landed: no answer, or a 5xx after the body was sent. */
// An answer we could not read (a 2xx with an unexpected body) may well mean the ad exists.
const outcomeUnknown = (error: AdsyncError) =>
  error.reason === "Transport" ||
  error.reason === "Timeout" ||
  error.reason === "Unavailable" ||
  error.reason === "InvalidResponse";

export const makeMarktplaats = (
  config: MarktplaatsConfig,
): Effect.Effect<MarktplaatsService, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function* () {
    const site: Site = config.site ?? "marktplaats";
    const tokenHttp = yield* makeMarketplaceHttp({
      marketplace: site,
      baseUrl: config.tokenUrl ?? marktplaatsProduction.tokenUrl,
      authenticate: Effect.succeed,
      ...config.http,
    });
    const tokens = yield* makeTokenSource(config.auth, tokenHttp);
    const http = yield* makeMarketplaceHttp({
      marketplace: site,
      baseUrl: config.baseUrl ?? marktplaatsProduction.baseUrl,
      authenticate: tokens.authenticate,
      userAgent: "adsync (+https://github.com/adsync)",
      ...config.http,
    });
    const client = makeMarktplaatsClient(http);
    const settings: MappingSettings = {
      site,
      locale: config.site === "2dehands" ? config.locale : undefined,
      priceUnit: config.priceUnit ?? "cents",
      apiPartner: config.apiPartner ?? false,
      seller: config.seller,
      makeAliases: { ...defaultMakeAliases, ...config.makeAliases },
      priceModels: config.priceModels,
      callForPriceModel: config.callForPriceModel,
    };
    const moveSettings = {
      privilege: config.categoryChange?.privilege ?? false,
      windowDays: config.categoryChange?.windowDays ?? 7,
    };
    const optionsPath = `marketplaces.${site}`;
    const categoryTtl = config.categoryTtl ?? "24 hours";
    // The mapping's identity (`mappingVersion`): its code's revision, every setting `prepare`
    // reads, and the category snapshot it places ads with (docs/marketplaces/marktplaats.md).
    const mapping = referenceMappingVersion(marktplaatsMappingRevision, settings, categoryTtl);
    // Filled by warmUp before the publisher prepares an ad; prepare reads the latest copy.
    let loaded: CategorySnapshot | undefined;
    const categories = yield* cachedSuccessWithTTL(
      loadCategories(client, config.categoryRoots ?? defaultCategoryRoots).pipe(
        Effect.tap((snapshot) =>
          Effect.sync(() => {
            loaded = snapshot;
            mapping.loaded(snapshot);
          }),
        ),
      ),
      categoryTtl,
    );
    const attempts = Math.max(1, config.createAttempts ?? 4);

    const meta = (advertisement: Readonly<Record<string, unknown>>) => ({
      platform: site,
      ...(typeof advertisement.locale === "string" ? { locale: advertisement.locale } : {}),
    });

    /** Images go on their own endpoint after the advertisement; a failure there is a warning. */
    const sendImages = (itemId: string, urls: ReadonlyArray<string>) =>
      client.images(itemId, urls).pipe(
        Effect.as<ReadonlyArray<Issue>>([]),
        Effect.catchTag("AdsyncError", (error) =>
          Effect.succeed([
            issue("images", "remote_error", `The images were not accepted: ${error.message}`, {
              marketplace: site,
              marketplacePath: "images",
            }),
          ]),
        ),
      );

    const submitted = (
      advertisement: WireAdvertisement,
      payload: MarktplaatsPayload,
      warnings: ReadonlyArray<Issue>,
      extraMeta: Readonly<Record<string, string>> = {},
    ): Submitted<MarktplaatsPayload> => {
      const progress = progressOf(advertisement);
      return {
        ref: refOf(advertisement, { ...meta(payload.advertisement), ...extraMeta }),
        payload,
        progress:
          warnings.length === 0
            ? progress
            : { ...progress, status: "succeeded_with_warnings", warnings },
      };
    };

    /**
     * PATCH with the one recovery the doc's 409 calls for: "this error is returned when the
     * patch is not possible. For example, when trying to replace a field which does not
     * exists" — our picture of the ad is wrong, so read it, diff again and send once more.
     */
    const patch = (
      itemId: string,
      base: Readonly<Record<string, unknown>>,
      next: Readonly<Record<string, unknown>>,
      assumeDerivedCity: boolean,
    ) => {
      const operations = planPatch(base, next, { assumeDerivedCity });
      if (operations.length === 0) return Effect.succeed(undefined);
      return client.patch(itemId, operations).pipe(
        Effect.catchIf(
          (error) => error.status === 409,
          () =>
            Effect.gen(function* () {
              const server = yield* client.get(itemId);
              if (server === undefined) return yield* Effect.fail(notFound(itemId));
              const again = planPatch(projectOnto(server, base, next), next, {
                assumeDerivedCity: false,
              });
              return again.length === 0 ? server : yield* client.patch(itemId, again);
            }),
        ),
      );
    };

    const notFound = (itemId: string) =>
      new AdsyncError({
        reason: "NotFound",
        marketplace: site,
        operation: "update",
        message: `${site}: advertisement ${itemId} does not exist (advertisement-not-found)`,
      });

    /** The attributes of a category, from the cached snapshot. */
    const attributesOf = (categoryId: unknown) =>
      typeof categoryId === "number" ? loaded?.attributes.get(categoryId) : undefined;

    const refused = (path: string, message: string, operation: string) =>
      new AdsyncError({
        reason: "Rejected",
        marketplace: site,
        operation,
        message: `${site}: ${message}`,
        issues: [
          issue(path, "not_allowed", message, { marketplace: site, marketplacePath: "categoryId" }),
        ],
      });

    /**
     * One update: the parts Marktplaats refuses to change are kept as it holds them (with a
     * warning), a category move is checked against the doc's rules before anything is sent,
     * and what remains goes as a PATCH when only PATCH fields changed, else as a PUT of the
     * full advertisement (the server's enrichment fields included, so the PUT keeps them).
     */
    const apply = (
      listing: Listing<MarktplaatsPayload>,
      ad: VehicleAd,
      base: Readonly<Record<string, unknown>>,
      next: MarktplaatsPayload,
      options: {
        readonly server: WireAdvertisement | undefined;
        readonly assumeDerivedCity: boolean;
        readonly imagesChanged: boolean;
      },
    ) =>
      Effect.gen(function* () {
        const itemId = listing.ref.remoteId;
        const pathOf = pathResolver(ad, site);
        const plan = planUpdate(base, next.advertisement, {
          site,
          attributes: attributesOf(base.categoryId),
          patchLocation: config.patchLocation ?? false,
          pathOf,
        });
        let server = options.server;
        const readServer = Effect.gen(function* () {
          if (server !== undefined) return server;
          const read = yield* client.get(itemId);
          if (read === undefined) return yield* Effect.fail(notFound(itemId));
          server = read;
          return read;
        });
        const moved = listing.ref.meta.categoryMoved === "true";
        if (plan.categoryMove) {
          const move = (startDate: string | undefined, now: number) =>
            categoryMoveRefusal(
              {
                from: typeof base.categoryId === "number" ? base.categoryId : undefined,
                to:
                  typeof plan.advertisement.categoryId === "number"
                    ? plan.advertisement.categoryId
                    : undefined,
                movedBefore: moved,
                startDate,
                now,
              },
              loaded,
              moveSettings,
            );
          const now = yield* Clock.currentTimeMillis;
          // The rules that need no read first (privilege, L1, once); then the start date.
          const refusal = move(undefined, now) ?? move((yield* readServer).startDate, now);
          if (refusal !== undefined)
            return yield* Effect.fail(refused(pathOf("categoryId"), refusal, "update"));
        }
        const payload: MarktplaatsPayload = {
          advertisement: plan.advertisement,
          imageUrls: next.imageUrls,
        };
        const answer =
          plan.method === "PATCH"
            ? yield* patch(itemId, base, plan.advertisement, options.assumeDerivedCity)
            : plan.method === "PUT"
              ? yield* Effect.flatMap(readServer, (current) =>
                  client.replace(itemId, withEnrichment(plan.advertisement, current)),
                )
              : undefined;
        const imageWarnings = options.imagesChanged
          ? yield* sendImages(itemId, next.imageUrls)
          : [];
        // A URL, sticker or video added by this update shows only if its feature is active.
        const added = Object.fromEntries(
          featureFields.flatMap((field) =>
            base[field.key] === undefined && plan.advertisement[field.key] !== undefined
              ? [[field.key, plan.advertisement[field.key]]]
              : [],
          ),
        );
        const features = plan.method === "none" ? [] : yield* inactiveFeatures(itemId, added);
        const warnings = [...plan.warnings, ...features, ...imageWarnings];
        const extraMeta: Record<string, string> =
          moved || plan.categoryMove ? { categoryMoved: "true" } : {};
        const known = answer ?? server;
        if (known !== undefined) return submitted(known, payload, warnings, extraMeta);
        // Nothing was sent for the advertisement itself: nothing new is known about it.
        return {
          ref: { ...listing.ref, meta: { ...listing.ref.meta, ...extraMeta } },
          payload,
          progress:
            warnings.length === 0
              ? { status: "succeeded" }
              : { status: "succeeded_with_warnings", warnings },
        } satisfies Submitted;
      });

    /** Brings an ad we did not just write (adopted, or our last payload unknown) up to date. */
    const converge = (
      listing: Listing<MarktplaatsPayload>,
      ad: VehicleAd,
      server: WireAdvertisement,
      payload: MarktplaatsPayload,
    ) =>
      apply(listing, ad, projectOnto(server, {}, payload.advertisement), payload, {
        server,
        assumeDerivedCity: false,
        imagesChanged: true,
      });

    const update = (
      listing: Listing<MarktplaatsPayload>,
      ad: VehicleAd,
      prepared: Prepared<MarktplaatsPayload>,
    ) =>
      Effect.gen(function* () {
        const next = prepared.payload;
        const previous = listing.payload;
        const itemId = listing.ref.remoteId;
        if (previous === undefined) {
          const server = yield* client.get(itemId);
          if (server === undefined) return yield* Effect.fail(notFound(itemId));
          return yield* converge(listing, ad, server, next);
        }
        return yield* apply(listing, ad, previous.advertisement, next, {
          server: undefined,
          assumeDerivedCity: true,
          imagesChanged: !jsonEqual(previous.imageUrls, next.imageUrls),
        });
      }).pipe(Effect.mapError(pointAtOverrides(ad, site)));

    const adopt = (ad: VehicleAd, found: WireAdvertisement, payload: MarktplaatsPayload) =>
      Effect.zipRight(
        Effect.logInfo(
          `${site}: advertisement ${found.itemId} is this ad; adopting it instead of creating twice`,
        ),
        converge(
          { ref: refOf(found, meta(payload.advertisement)), payload: undefined },
          ad,
          found,
          payload,
        ),
      );

    /**
     * POST is sent with `retry: "unapplied"`: core sends a 429 again after its Retry-After. A
     * lost answer or a 5xx may have been applied, so core's `resendWhileAbsent` has the seller's
     * ads searched and a match adopted; only a search that finds none sends it again (up to
     * `createAttempts` sends). With no key to search by, or several matches, nothing is sent again.
     */
    const create = (
      ad: VehicleAd,
      prepared: Prepared<MarktplaatsPayload>,
      context?: OperationContext,
    ) =>
      Effect.gen(function* () {
        const payload = prepared.payload;
        const key = matchKeyOf(payload);
        // A create that resumes an interrupted one (a crash before its answer) may have
        // landed: look first. A fresh one costs no lookup unless the dealer asks for it.
        const lookFirst = config.lookupBeforeCreate ?? (context === undefined || context.resumed);
        if (lookFirst && key !== undefined) {
          const existing = yield* lookUp(client, key);
          if (existing._tag === "Found") return yield* adopt(ad, existing.advertisement, payload);
        }
        const outcome = yield* resendWhileAbsent({
          send: client.create(payload.advertisement),
          outcomeUnknown,
          attempts,
          lookUp: () =>
            key === undefined
              ? Effect.fail(
                  doubtfulCreate(
                    site,
                    "its answer was lost and it has no licence plate to look it up by",
                  ),
                )
              : lookUpOne(site, client, key, "create"),
        });
        if (outcome._tag === "Found") return yield* adopt(ad, outcome.value, payload);
        const warnings = yield* sendImages(outcome.value.itemId, payload.imageUrls);
        // A new advertisement has no paid feature yet: url, sticker and video do not show.
        const features = featureWarnings(site, payload.advertisement, new Set(), optionsPath);
        return submitted(outcome.value, payload, [...features, ...warnings]);
      }).pipe(Effect.mapError(pointAtOverrides(ad, site)));

    /**
     * Warnings for the fields of `advertisement` that show only with a paid feature this ad
     * lacks; reads `…/features` only when it carries such a field.
     */
    const inactiveFeatures = (itemId: string, advertisement: Readonly<Record<string, unknown>>) =>
      Effect.gen(function* () {
        if (featureWarnings(site, advertisement, new Set(), optionsPath).length === 0) return [];
        const active = (yield* client.features(itemId)).filter((feature) => feature.active);
        return featureWarnings(
          site,
          advertisement,
          new Set(active.map((feature) => feature.name)),
          optionsPath,
        );
      });

    /**
     * One read of the advertisement, reduced as bulk observation reduces the list's entry
     * (`sightingOf` in inspect.ts: status, a reached `closeDate` → removed, enrichment, the
     * images' download status, drift); 404 → removed. When it carries a URL, sticker or video,
     * whether their paid feature is active (one more GET; inactive is a warning).
     */
    const observe = (listing: Listing<MarktplaatsPayload>) =>
      Effect.gen(function* () {
        const advertisement = yield* client.get(listing.ref.remoteId);
        const now = yield* Clock.currentTimeMillis;
        const found: Found =
          advertisement === undefined ? { _tag: "Missing" } : { _tag: "Found", advertisement };
        const sent = listing.payload?.advertisement;
        const sighting = sightingOf(
          site,
          meta(sent ?? {}),
          { ...listing, adId: listing.ref.remoteId },
          found,
          now,
        );
        if (advertisement === undefined) return sighting;
        const features = yield* inactiveFeatures(listing.ref.remoteId, advertisement);
        const warnings = [...(sighting.warnings ?? []), ...features];
        return {
          ...sighting,
          ...(warnings.length === 0 ? {} : { status: "succeeded_with_warnings", warnings }),
        } satisfies Progress;
      });

    /**
     * The dealer's ad among the seller's advertisements, for a create whose outcome is
     * unknown: recognised like a lost create (decision D8) by the licence plate and category
     * of what adsync last sent (`sent`), so there is no look-up by the ad id alone. Several
     * matches fail as a doubtful create; without a payload, or one with no licence plate, it
     * fails (`None` would tell the publisher the listing is gone).
     */
    const find = (adId: string, sent?: FindHint<MarktplaatsPayload>) => {
      const payload = sent?.payload;
      if (payload === undefined) {
        return Effect.fail(cannotFind(site, adId, "nothing adsync sent for it is known"));
      }
      const key = matchKeyOf(payload);
      if (key === undefined) {
        return Effect.fail(
          cannotFind(site, adId, "what adsync sent for it has no licence plate or category"),
        );
      }
      return Effect.map(
        lookUpOne(site, client, key, "find"),
        Option.map((found) => refOf(found, meta(payload.advertisement))),
      );
    };

    /** Buys one paid feature (`bump`, `top-ad`, `url`, `sticker`, `video`) for a live ad. */
    const promote = (listing: Listing<MarktplaatsPayload>, promotion: Promotion) =>
      Effect.gen(function* () {
        const known: ReadonlyArray<string> = marktplaatsPromotions;
        if (!known.includes(promotion.product)) {
          return yield* Effect.fail(
            new AdsyncError({
              reason: "Unsupported",
              marketplace: site,
              operation: "promote",
              message: `${site} sells the features ${known.join(", ")}, not "${promotion.product}".`,
            }),
          );
        }
        const bought = yield* client.buyFeature(listing.ref.remoteId, promotion.product);
        return {
          ref: listing.ref,
          payload: listing.payload,
          progress: {
            status: "succeeded",
            notes: [`feature ${bought.name} bought${bought.active ? ", active" : ""}`],
          },
        } satisfies Submitted;
      });

    const adapter: MarketplaceAdapter<MarktplaatsPayload, StoredMarktplaatsPayload> = {
      payloadSchema: marktplaatsPayloadSchema,
      id: site,
      capabilities: marktplaatsCapabilities,
      get mappingVersion() {
        return mapping.current();
      },
      warmUp: Effect.asVoid(categories),
      describe: describeMarktplaats({
        lookupBeforeCreate: config.lookupBeforeCreate ?? false,
        site,
        patchLocation: config.patchLocation ?? false,
        attributesOf,
      }),
      prepare: (ad) => toMarktplaatsPayload(ad, settings, loaded),
      create,
      update,
      hide: () => unsupported(site, "hide"),
      show: () => unsupported(site, "show"),
      renew: () => unsupported(site, "renew"),
      // "The advertisement with the provided itemId does not exist" after a DELETE: removed.
      remove: (listing) =>
        Effect.as(client.remove(listing.ref.remoteId), {
          ref: listing.ref,
          payload: listing.payload,
          progress: removedProgress,
        }),
      observe,
      find,
      inspect: makeInspect(client, meta),
      inspectBatchSize: marktplaatsInspectBatchSize,
      promotions: marktplaatsPromotions,
      promote,
    };

    return {
      adapter: anyPayloadAdapter(adapter),
      client,
      tokens,
      categories,
    } satisfies MarktplaatsService;
  });

/** The Marktplaats (or 2dehands) adapter, for `adaptersLayer(...)`. */
export const makeMarktplaatsAdapter = (config: MarktplaatsConfig) =>
  Effect.map(makeMarktplaats(config), (service) => service.adapter);

export const marktplaatsLayer = (
  config: MarktplaatsConfig,
): Layer.Layer<Marktplaats, never, HttpClient.HttpClient> =>
  Layer.scoped(Marktplaats, makeMarktplaats(config));

/**
 * Marktplaats' own reads as Promises, for DMS code that does not use Effect: the category
 * tree with its attributes. Publishing goes through `createAdsync`. Call `close()` when done.
 */
export const createMarktplaatsClient = (config: MarktplaatsConfig) => {
  const runner = serviceRunner(Marktplaats, marktplaatsLayer(config));
  return {
    categories: () => runner.use((marktplaats) => marktplaats.categories),
    close: runner.close,
  };
};

/**
 * The full advertisement for a PUT: ours, plus the enrichment fields the server holds that we
 * do not set ("If you provide the values for these fields yourself … this data is used
 * instead", so sending back what it added keeps it rather than dropping it).
 */
const withEnrichment = (
  advertisement: Readonly<Record<string, unknown>>,
  server: WireAdvertisement,
): Record<string, unknown> => {
  const full: Record<string, unknown> = { ...advertisement };
  for (const field of enrichmentFields) {
    if (full[field] === undefined && server[field] !== undefined) full[field] = server[field];
  }
  return full;
};
