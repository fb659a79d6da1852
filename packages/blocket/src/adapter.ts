import {
  AdsyncError,
  cachedSuccessWithTTL,
  headerAuth,
  type Listing,
  type MarketplaceAdapter,
  makeMarketplaceHttp,
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
  /** `POST /v3/ad/validate`: "validate the input data, without saving anything". */
  readonly validateRemotely: (ad: VehicleAd) => Effect.Effect<unknown, AdsyncError>;
  readonly brands: Effect.Effect<ReadonlyArray<string>, AdsyncError>;
  readonly models: (brand: string) => Effect.Effect<ReadonlyArray<string>, AdsyncError>;
  readonly bodyTypes: Effect.Effect<ReadonlyArray<string>, AdsyncError>;
  readonly fuels: Effect.Effect<ReadonlyArray<string>, AdsyncError>;
}

export class Blocket extends Context.Tag("@adsync/blocket/Blocket")<Blocket, BlocketService>() {}

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
    /** A V3 ad in a V4-only category, known as such: its update is a migration. */
    const knownV3 = (listing: Listing) =>
      version === "v4" &&
      listing.ref.meta.apiVersion === "v3" &&
      v4OnlyCategories.has(Number(listing.ref.meta.categoryId));

    const adapter = makeProImportAdapter({
      marketplace: BLOCKET,
      capabilities: blocketCapabilities,
      client,
      prepare: (ad) => toBlocketPayload(ad, settings()),
      createVersion: version,
      // V4 endpoints serve V3 ads too (GET, DELETE; PUT/PATCH auto-convert in compatible
      // categories), so every request goes to the configured version.
      versionOf: () => version,
      createBody: (ad, content) => {
        const options = blocketAdOptions(ad);
        const visible = Either.isRight(options) ? options.right.visible : undefined;
        return { source_id: ad.id, ...content, ...(visible === undefined ? {} : { visible }) };
      },
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
        if (version !== "v4") return undefined;
        // A V3 ad we did not know was V3 is told by the V4 endpoint: "Blocked — use /migrate endpoint".
        const blocked =
          rejection !== undefined && rejection.status === 400 && /migrat/i.test(rejection.message);
        if (rejection === undefined ? knownV3(listing) : blocked)
          return migrate(listing.ref.remoteId, content);
        return undefined;
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

    return {
      // The lists are read before the first ad is prepared; a failed read is not kept.
      adapter: { ...adapter, warmUp: Effect.asVoid(referenceData) },
      client,
      polePosition: (sourceId) => client.polePosition("v3", sourceId),
      validateRemotely: (ad) => {
        const v3 = toBlocketPayload(ad, settingsFor("v3"));
        return Either.isLeft(v3)
          ? Effect.fail(
              new AdsyncError({
                reason: "Invalid",
                marketplace: BLOCKET,
                operation: "validate",
                message: "The ad fails local validation; nothing was sent.",
                issues: v3.left,
              }),
            )
          : client.validate("v3", { source_id: ad.id, ...asPayload(v3.right.payload) });
      },
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
