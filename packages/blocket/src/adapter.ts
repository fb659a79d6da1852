import {
  AdsyncError,
  cachedSuccessWithTTL,
  headerAuth,
  type Issue,
  type Listing,
  type MarketplaceAdapter,
  makeMarketplaceHttp,
  type Prepared,
  plannedRequest,
  serviceRunner,
  type VehicleAd,
} from "@adsync/core";
import {
  type ApiVersion,
  asPayload,
  type ListQuery,
  type LogQuery,
  makeProImportAdapter,
  makeProImportClient,
  type ProImportClient,
  type ProImportReads,
  proImportReads,
  validateAsPublished,
  type WirePayload,
} from "@adsync/pro-import";
import type { HttpClient } from "@effect/platform";
import { Context, Effect, Either, Layer, type Scope } from "effect";
import { blocketCategoryId, registeredVehicleCategories, v4OnlyCategories } from "./categories.ts";
import { BLOCKET, type BlocketConfig, blocketProductionUrl, imageLimits } from "./config.ts";
import {
  type BlocketReferenceData,
  blocketAdOptions,
  toBlocketPayload,
} from "./mapping/to-blocket.ts";

/**
 * The Blocket adapter plus what only Blocket offers: pole position, remote validation, the
 * ad list and logs, and the vehicle reference data.
 */
export interface BlocketService extends ProImportReads {
  readonly adapter: MarketplaceAdapter;
  readonly client: ProImportClient;
  /** "Make the ad appear first in the search result … lasts for 3 days. Charges apply." */
  readonly polePosition: (sourceId: string) => Effect.Effect<unknown, AdsyncError>;
  /**
   * `POST /v3/ad/validate` ("validate the input data, without saving anything") of the body
   * `create` would send, prepared as the publisher prepares it (the ad's
   * `marketplaces.blocket.overrides` applied): Blocket's findings as issues, none when it
   * accepts the ad; an ad refused locally answers its issues and sends nothing.
   */
  readonly validateRemotely: (ad: VehicleAd) => Effect.Effect<ReadonlyArray<Issue>, AdsyncError>;
  readonly brands: Effect.Effect<ReadonlyArray<string>, AdsyncError>;
  readonly models: (brand: string) => Effect.Effect<ReadonlyArray<string>, AdsyncError>;
  readonly bodyTypes: Effect.Effect<ReadonlyArray<string>, AdsyncError>;
  readonly fuels: Effect.Effect<ReadonlyArray<string>, AdsyncError>;
}

export class Blocket extends Context.Tag("@adsync/blocket/Blocket")<Blocket, BlocketService>() {}

/** The promotions `promote` takes: "pole_position" ("appear first in the search result", 3 days). */
export const blocketPromotions: ReadonlyArray<string> = ["pole_position"];

/** What Blocket offers beyond create/update/remove (pole position is `promote`). */
export const blocketCapabilities = {
  patchUpdates: true,
  hide: true,
  renew: true,
  promote: true,
  schedule: false,
  remoteValidation: true,
  costPreview: false,
  batchPublication: false,
} as const;

export const makeBlocket = (
  config: BlocketConfig,
): Effect.Effect<BlocketService, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function* () {
    const http = yield* makeMarketplaceHttp({
      marketplace: BLOCKET,
      baseUrl: config.baseUrl ?? blocketProductionUrl,
      authenticate: headerAuth("X-Auth-Token", config.token),
      userAgent: "adsync (+https://github.com/adsync)",
      ...config.http,
    });
    const client = makeProImportClient(http);
    const version: ApiVersion = config.apiVersion ?? "v4";
    const settingsFor = (apiVersion: ApiVersion) => ({
      version: apiVersion,
      priceUnit: config.priceUnit?.[apiVersion] ?? (apiVersion === "v4" ? "minor" : "major"),
      images: { ...imageLimits[apiVersion], tooMany: config.tooManyImages ?? "truncate" },
      tokenScope: config.tokenScope,
      dealerCode: config.dealerCode,
      textLimits: config.textLimits,
    });
    // Filled by warmUp before the publisher prepares an ad; prepare reads the latest copy.
    let reference: BlocketReferenceData | undefined;
    const referenceData = yield* cachedSuccessWithTTL(
      Effect.all(
        {
          bodyTypes: client.referenceData("/v3/vehicle/body_types"),
          fuels: client.referenceData("/v3/vehicle/fuels"),
        },
        { concurrency: 2 },
      ).pipe(Effect.tap((loaded) => Effect.sync(() => (reference = loaded)))),
      config.referenceDataTtl ?? "24 hours",
    );
    const settings = () => ({ ...settingsFor(version), reference });

    // "Requires: A complete V4 payload with all required category_fields for the category."
    const migrationBody = (sourceId: string, content: WirePayload) => ({
      source_id: sourceId,
      ...content,
    });
    const migrate = (sourceId: string, content: WirePayload) =>
      client.migrate(sourceId, migrationBody(sourceId, content));
    const inV4OnlyCategory = (listing: Listing) =>
      v4OnlyCategories.has(Number(listing.ref.meta.categoryId));
    /** A V3 ad in a V4-only category, known as such: its update is a migration. */
    const knownV3 = (listing: Listing) =>
      version === "v4" && listing.ref.meta.apiVersion === "v3" && inV4OnlyCategory(listing);
    /**
     * V4 refused the update of an ad in a V4-only category. The compatibility table says only
     * "PUT / PATCH … ❌ Blocked — use /migrate endpoint", with no status code or body, so any
     * refusal of the ad's content or state (not credentials, not a missing ad, not a
     * transient failure) is taken as possibly that block: the ad may be a V3 ad adsync did not
     * know (published before adsync, or a lost store).
     */
    const maybeBlockedV3 = (listing: Listing, rejection: AdsyncError) =>
      version === "v4" &&
      inV4OnlyCategory(listing) &&
      (rejection.reason === "Rejected" || rejection.reason === "Conflict");
    /**
     * The migration after a refused update. If it is refused too, the update fails with both
     * answers' issues: a real V4 ad with bad content says why in the first, a V3 ad in the
     * second — a refused write is never a success.
     */
    const migrateAfter = (listing: Listing, content: WirePayload, rejection: AdsyncError) =>
      migrate(listing.ref.remoteId, content).pipe(
        Effect.mapError(
          (refused) =>
            new AdsyncError({
              reason: refused.reason === "NotFound" ? rejection.reason : refused.reason,
              marketplace: BLOCKET,
              operation: "update",
              status: refused.status ?? rejection.status,
              message: `Blocket refused the update (${rejection.message}) and the migration to V4 (${refused.message}).`,
              issues: [...rejection.issues, ...refused.issues],
            }),
        ),
      );

    const adapter = makeProImportAdapter({
      marketplace: BLOCKET,
      capabilities: blocketCapabilities,
      client,
      prepare: (ad) => toBlocketPayload(ad, settings()),
      createVersion: version,
      // V4 endpoints serve V3 ads too (GET, DELETE; PUT/PATCH auto-convert in compatible
      // categories), so every request goes to the configured version.
      versionOf: () => version,
      // The content carries `visible` when the ad sets it (see the mapping).
      createBody: (ad, content) => ({ source_id: ad.id, ...content }),
      // "Same signature as ad creation except for source_id which is provided in the path".
      replaceBody: (_listing, content) => content,
      patchBody: (_listing, changes) => changes,
      // V4: "409 Conflict - Duplicate source_id: {"source_id": ["Ad with this source_id already exists."]}".
      isDuplicate: (error) =>
        error.reason === "Conflict" ||
        (error.status === 400 &&
          error.issues.some((entry) => entry.path === "id" && entry.code === "conflict")),
      meta: (ad, apiVersion) => {
        const options = blocketAdOptions(ad);
        const meta: Record<string, string> = {
          apiVersion,
          categoryId: String(blocketCategoryId[ad.category]),
        };
        // Written true or false every time: a dropped option must not keep costing a bump.
        const chosen = Either.getOrUndefined(options);
        meta.excludeBlocket = String(chosen?.excludeBlocket === true);
        meta.excludeBytbil = String(chosen?.excludeBytbil === true);
        return meta;
      },
      specialUpdate: (listing, content, rejection) => {
        if (rejection === undefined)
          return knownV3(listing) ? migrate(listing.ref.remoteId, content) : undefined;
        // A V3 ad we did not know was V3 is told by the V4 endpoint: "Blocked — use /migrate endpoint".
        return maybeBlockedV3(listing, rejection)
          ? migrateAfter(listing, content, rejection)
          : undefined;
      },
      describeSpecialUpdate: (listing, content) =>
        knownV3(listing)
          ? [
              plannedRequest(
                client.requests.migrate(
                  listing.ref.remoteId,
                  migrationBody(listing.ref.remoteId, content),
                ),
              ),
            ]
          : undefined,
      // "You can use the PUT method to revive a deleted ad in unregistered vehicle categories
      // (not e.g. cars & vans)."
      revive: (ad, _listing, content) =>
        registeredVehicleCategories.has(blocketCategoryId[ad.category])
          ? undefined
          : client.replace(version, ad.id, content),
      // "Calling this endpoint will make the ad appear first in the search result … Pole
      // position lasts for 3 days … Charges apply." Documented under the V3 paths only.
      promotions: blocketPromotions,
      promote: (listing, promotion) =>
        promotion.product === "pole_position"
          ? client.polePosition("v3", listing.ref.remoteId)
          : undefined,
      // "Only includes the last 100 log messages"; /log pages are taken 100 at a time too.
      logPageSize: 100,
      // The list documents `limit` with no maximum and `include=log` ("only the 100 latest").
      listPage: { size: 100, settings: { include: "log" } },
      // The bump endpoint is documented for V3 only: "GET /v3/ad/{source_id}/bump".
      bump: (listing) => ({
        version: "v3",
        options: {
          excludeBlocket: listing.ref.meta.excludeBlocket === "true",
          excludeBytbil: listing.ref.meta.excludeBytbil === "true",
        },
      }),
    });

    /**
     * `POST /v3/ad/validate` ("There is also a /v3/ad/validate endpoint that can be used to
     * validate the input data, without saving anything") with the body `create` would send —
     * the V4 body under V4: the V4 endpoint table lists no validate. V3 reads the V4 body of
     * the categories the compatibility table calls compatible, with `category_id` as the
     * `int` V3's field table types (amounts are integers in both units). The V4-only categories are
     * "only available as simple ads" through V3, so their V4 body cannot be checked there:
     * `Unsupported`, nothing sent.
     */
    const validateRemotely = (ad: VehicleAd, prepared: Prepared) => {
      const categoryId = blocketCategoryId[ad.category];
      if (version === "v4" && v4OnlyCategories.has(categoryId)) {
        return Effect.fail(
          new AdsyncError({
            reason: "Unsupported",
            marketplace: BLOCKET,
            operation: "validate",
            message: `Blocket documents validation only for V3 (POST /v3/ad/validate), which takes category ${categoryId} only as a simple ad; the V4 ad was validated locally only.`,
          }),
        );
      }
      const content = asPayload(prepared.payload);
      // The one difference V3 does not read: its field table types category_id `int`.
      const body = { source_id: ad.id, ...content, category_id: categoryId };
      return client.validate("v3", body).pipe(
        Effect.as<ReadonlyArray<Issue>>([]),
        Effect.catchIf(
          (error) => error.reason === "Rejected" && error.issues.length > 0,
          (error) => Effect.succeed(error.issues),
        ),
      );
    };

    return {
      // The lists are read before the first ad is prepared; a failed read is not kept.
      adapter: { ...adapter, warmUp: Effect.asVoid(referenceData), validateRemotely },
      client,
      polePosition: (sourceId) => client.polePosition("v3", sourceId),
      // As the publisher prepares it: with the ad's Blocket overrides applied.
      validateRemotely: validateAsPublished({
        marketplace: BLOCKET,
        warmUp: referenceData,
        prepare: adapter.prepare,
        validateRemotely,
      }),
      // `list` and `logs`: one page; `listAll` and `logsAll`: every page, 100 at a time.
      ...proImportReads(client, version, 100),
      brands: client.referenceData("/v3/vehicle/brands"),
      models: (brand) => client.referenceData("/v3/vehicle/models", { brand }),
      bodyTypes: client.referenceData("/v3/vehicle/body_types"),
      fuels: client.referenceData("/v3/vehicle/fuels"),
    } satisfies BlocketService;
  });

/** The Blocket adapter, for `adaptersLayer(...)`. */
export const makeBlocketAdapter = (config: BlocketConfig) =>
  Effect.map(makeBlocket(config), (service) => service.adapter);

export const blocketLayer = (
  config: BlocketConfig,
): Layer.Layer<Blocket, never, HttpClient.HttpClient> => Layer.scoped(Blocket, makeBlocket(config));

/**
 * Blocket's own operations as Promises, for DMS code that does not use Effect (publishing
 * itself goes through `createAdsync`). Call `close()` when done.
 */
export const createBlocketClient = (config: BlocketConfig) => {
  const runner = serviceRunner(Blocket, blocketLayer(config));
  return {
    polePosition: (sourceId: string) => runner.use((blocket) => blocket.polePosition(sourceId)),
    validateRemotely: (ad: VehicleAd) => runner.use((blocket) => blocket.validateRemotely(ad)),
    list: (query?: ListQuery) => runner.use((blocket) => blocket.list(query)),
    logs: (sourceId: string, query?: LogQuery) =>
      runner.use((blocket) => blocket.logs(sourceId, query)),
    listAll: (query?: ListQuery) => runner.use((blocket) => blocket.listAll(query)),
    logsAll: (sourceId: string, query?: LogQuery) =>
      runner.use((blocket) => blocket.logsAll(sourceId, query)),
    brands: () => runner.use((blocket) => blocket.brands),
    models: (brand: string) => runner.use((blocket) => blocket.models(brand)),
    bodyTypes: () => runner.use((blocket) => blocket.bodyTypes),
    fuels: () => runner.use((blocket) => blocket.fuels),
    close: runner.close,
  };
};
