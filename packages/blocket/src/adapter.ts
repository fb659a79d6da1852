import {
  type AdsyncError,
  cachedSuccessWithTTL,
  type Issue,
  type MarketplaceAdapter,
  type Prepared,
  plannedRequest,
  referenceMappingVersion,
  type VehicleAd,
} from "@adsync/core";
import {
  type ApiVersion,
  bumpOptionsOf,
  dialectService,
  makeProImportAdapter,
  type ProImportClient,
  type ProImportListing,
  type ProImportReads,
  proImportReads,
  proImportReadsFacade,
  validateAsPublished,
  validationFindings,
} from "@adsync/pro-import";
import type { HttpClient } from "@effect/platform";
import { Context, Effect, type Scope } from "effect";
import { makeBlocketClient } from "./client.ts";
import { BLOCKET, type BlocketConfig, imageLimits } from "./config.ts";
import {
  isDuplicate,
  isValidationFinding,
  mayBeV3Block,
  migrationRefused,
  validationUnsupported,
} from "./errors.ts";
import {
  type BlocketReferenceData,
  blocketMappingRevision,
  toBlocketPayload,
} from "./mapping/to-blocket.ts";
import {
  blocketCategoryId,
  registeredVehicleCategories,
  v4OnlyCategories,
} from "./reference/categories.ts";
import {
  blocketBumpOptions,
  inV4OnlyCategory,
  isDeleted,
  knownV3,
  listingMeta,
  migratedMeta,
} from "./status.ts";
import {
  type BlocketPayload,
  blocketPayloadSchema,
  createBody,
  migrationBody,
  validationBody,
} from "./wire.ts";

/**
 * The Blocket adapter plus what only Blocket offers: pole position, remote validation, the
 * ad list and logs, and the vehicle reference data.
 */
export interface BlocketService extends ProImportReads {
  readonly adapter: MarketplaceAdapter<BlocketPayload, BlocketPayload>;
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
    const blocket = yield* makeBlocketClient(config);
    const { proImport: client, version } = blocket;
    const settingsFor = (apiVersion: ApiVersion) => ({
      version: apiVersion,
      priceUnit: config.priceUnit?.[apiVersion] ?? (apiVersion === "v4" ? "minor" : "major"),
      images: { ...imageLimits[apiVersion], tooMany: config.tooManyImages ?? "truncate" },
      tokenScope: config.tokenScope,
      dealerCode: config.dealerCode,
      textLimits: config.textLimits,
    });
    const referenceTtl = config.referenceDataTtl ?? "24 hours";
    // The mapping's identity (`mappingVersion`): its code's revision, every setting `prepare`
    // reads, and the body type and fuel lists it spells with (docs/marketplaces/blocket.md).
    const mapping = referenceMappingVersion(
      blocketMappingRevision,
      settingsFor(version),
      referenceTtl,
    );
    // Filled by warmUp before the publisher prepares an ad; prepare reads the latest copy.
    let reference: BlocketReferenceData | undefined;
    const referenceData = yield* cachedSuccessWithTTL(
      Effect.all({ bodyTypes: blocket.bodyTypes, fuels: blocket.fuels }, { concurrency: 2 }).pipe(
        Effect.tap((loaded) =>
          Effect.sync(() => {
            reference = loaded;
            mapping.loaded(loaded);
          }),
        ),
      ),
      referenceTtl,
    );
    const settings = () => ({ ...settingsFor(version), reference });

    const migrated = (sourceId: string, content: BlocketPayload) =>
      Effect.map(blocket.migrate(sourceId, content), (ad) => ({ ad, meta: migratedMeta }));
    /**
     * V4 refused the update of an ad in a V4-only category: the ad may be a V3 ad adsync did
     * not know (published before adsync, or a lost store). Migrate it; if that is refused too,
     * the update fails with both answers.
     */
    const migrateAfter = (
      listing: ProImportListing,
      content: BlocketPayload,
      rejection: AdsyncError,
    ) =>
      migrated(listing.ref.remoteId, content).pipe(
        Effect.mapError((refused) => migrationRefused(rejection, refused)),
      );

    const adapter = makeProImportAdapter({
      marketplace: BLOCKET,
      capabilities: blocketCapabilities,
      client,
      payloadSchema: blocketPayloadSchema,
      prepare: (ad) => toBlocketPayload(ad, settings()),
      createVersion: version,
      // V4 endpoints serve V3 ads too (GET, DELETE; PUT/PATCH auto-convert in compatible
      // categories), so every request goes to the configured version.
      versionOf: () => version,
      createBody,
      // "Same signature as ad creation except for source_id which is provided in the path".
      replaceBody: (_listing, content) => content,
      patchBody: (_listing, changes) => changes,
      isDuplicate,
      isDeleted,
      meta: listingMeta,
      specialUpdate: (listing, content, rejection) => {
        if (rejection === undefined)
          return knownV3(listing, version) ? migrated(listing.ref.remoteId, content) : undefined;
        // A V3 ad we did not know was V3 is told by the V4 endpoint: "Blocked — use /migrate endpoint".
        return version === "v4" && inV4OnlyCategory(listing) && mayBeV3Block(rejection)
          ? migrateAfter(listing, content, rejection)
          : undefined;
      },
      describeSpecialUpdate: (listing, content) =>
        knownV3(listing, version)
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
          ? blocket.polePosition(listing.ref.remoteId)
          : undefined,
      // "Only includes the last 100 log messages"; /log pages are taken 100 at a time too.
      logPageSize: 100,
      // The list documents `limit` with no maximum and `include=log` ("only the 100 latest").
      listPage: { size: 100, settings: { include: "log" } },
      // The bump endpoint is documented for V3 only: "GET /v3/ad/{source_id}/bump".
      bump: (listing) => ({
        version: blocket.bumpVersion,
        options: bumpOptionsOf(listing.ref, blocketBumpOptions),
      }),
    });

    /**
     * `POST /v3/ad/validate` ("There is also a /v3/ad/validate endpoint that can be used to
     * validate the input data, without saving anything") with the body `create` would send —
     * the V4 body under V4: the V4 endpoint table lists no validate (`validationBody`). The
     * V4-only categories cannot be checked there: `Unsupported`, nothing sent.
     */
    const validateRemotely = (ad: VehicleAd, prepared: Prepared<BlocketPayload>) => {
      const categoryId = blocketCategoryId[ad.category];
      if (version === "v4" && v4OnlyCategories.has(categoryId)) {
        return Effect.fail(validationUnsupported(categoryId));
      }
      return validationFindings(
        blocket.validate(validationBody(ad, prepared.payload)),
        isValidationFinding,
      );
    };

    return {
      // The lists are read before the first ad is prepared; a failed read is not kept.
      adapter: {
        ...adapter,
        get mappingVersion() {
          return mapping.current();
        },
        warmUp: Effect.asVoid(referenceData),
        validateRemotely,
      },
      client,
      polePosition: blocket.polePosition,
      // As the publisher prepares it: with the ad's Blocket overrides applied.
      validateRemotely: validateAsPublished({
        marketplace: BLOCKET,
        warmUp: referenceData,
        prepare: adapter.prepare,
        validateRemotely,
      }),
      // `list` and `logs`: one page; `listAll` and `logsAll`: every page, 100 at a time.
      ...proImportReads(client, version, 100),
      brands: blocket.brands,
      models: blocket.models,
      bodyTypes: blocket.bodyTypes,
      fuels: blocket.fuels,
    } satisfies BlocketService;
  });

const blocketService = dialectService(Blocket, makeBlocket);

/** The Blocket adapter, for `adaptersLayer(...)` (its payload type kept inside the package). */
export const makeBlocketAdapter = blocketService.makeAdapter;

export const blocketLayer = blocketService.layer;

/**
 * Blocket's own operations as Promises, for DMS code that does not use Effect (publishing
 * itself goes through `createAdsync`). Call `close()` when done.
 */
export const createBlocketClient = (config: BlocketConfig) => {
  const runner = blocketService.runner(config);
  return {
    polePosition: (sourceId: string) => runner.use((blocket) => blocket.polePosition(sourceId)),
    validateRemotely: (ad: VehicleAd) => runner.use((blocket) => blocket.validateRemotely(ad)),
    ...proImportReadsFacade(runner),
    brands: () => runner.use((blocket) => blocket.brands),
    models: (brand: string) => runner.use((blocket) => blocket.models(brand)),
    bodyTypes: () => runner.use((blocket) => blocket.bodyTypes),
    fuels: () => runner.use((blocket) => blocket.fuels),
    close: runner.close,
  };
};
