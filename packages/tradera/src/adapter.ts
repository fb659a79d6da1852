import {
  type AdsyncError,
  cachedSuccessWithTTL,
  type Issue,
  type MarketplaceAdapter,
  type Prepared,
  referenceMappingVersion,
  type VehicleAd,
} from "@adsync/core";
import {
  bumpOptionsOf,
  dialectService,
  type ListQuery,
  makeProImportAdapter,
  type ProImportClient,
  type ProImportReads,
  proImportReads,
  proImportReadsFacade,
  validateAsPublished,
  validationFindings,
  type WirePayload,
} from "@adsync/pro-import";
import type { HttpClient } from "@effect/platform";
import { Context, Effect, type Scope } from "effect";
import { makeTraderaClient } from "./client.ts";
import { maxPageSize, TRADERA, type TraderaConfig } from "./config.ts";
import { createStillProcessing, isDuplicate } from "./errors.ts";
import { toTraderaPayload, traderaMappingRevision } from "./mapping/to-tradera.ts";
import type { ReferenceData } from "./reference/reference-data.ts";
import { deletedSourceId, withRelisting } from "./relisting/relisting.ts";
import { isDeleted, listingMeta, traderaBumpOptions } from "./status.ts";
import { createBody, type TraderaPayload, traderaPayloadSchema, withIdentity } from "./wire.ts";

/** `list`/`logs` cap `limit` at the documented 50; `listAll`/`logsAll` read pages of 50. */
export interface TraderaService extends ProImportReads {
  readonly adapter: MarketplaceAdapter<TraderaPayload, TraderaPayload>;
  readonly client: ProImportClient;
  /** The vehicle reference data, cached for `referenceDataTtl`. */
  readonly referenceData: Effect.Effect<ReferenceData, AdsyncError>;
  /**
   * `POST /pro-import-api/v3/ad/validate` of a raw payload: validation without saving. The
   * adapter's `validateRemotely(ad, prepared)` sends what a create would send.
   */
  readonly validateRemotely: (payload: WirePayload) => Effect.Effect<unknown, AdsyncError>;
  /**
   * A canonical ad (its Tradera overrides applied) checked locally, reference data loaded
   * first, then by Tradera with the body a create would send: the issues of either, none when
   * both accept it.
   */
  readonly validateAd: (ad: VehicleAd) => Effect.Effect<ReadonlyArray<Issue>, AdsyncError>;
}

export class Tradera extends Context.Tag("@adsync/tradera/Tradera")<Tradera, TraderaService>() {}

export const traderaCapabilities = {
  patchUpdates: true,
  hide: true,
  renew: true,
  promote: false,
  schedule: false,
  remoteValidation: true,
  costPreview: false,
  batchPublication: false,
} as const;

const capLimit = (query: ListQuery | undefined): ListQuery => {
  const limit = Number(query?.limit ?? maxPageSize);
  return { ...query, limit: Math.min(Number.isFinite(limit) ? limit : maxPageSize, maxPageSize) };
};

export const makeTradera = (
  config: TraderaConfig,
): Effect.Effect<TraderaService, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function* () {
    const tradera = yield* makeTraderaClient(config);
    const client = tradera.proImport;
    const settings = {
      priceUnit: config.priceUnit ?? "major",
      dealerCode: config.dealerCode,
    } as const;
    const referenceTtl = config.referenceDataTtl ?? "24 hours";
    // The mapping's identity (`mappingVersion`): its code's revision, the settings `prepare`
    // reads, and the vehicle reference data it normalizes to (docs/marketplaces/tradera.md).
    const mapping = referenceMappingVersion(traderaMappingRevision, settings, referenceTtl);
    // Filled by warmUp before the publisher prepares an ad; prepare reads the latest copy.
    let loaded: ReferenceData | undefined;
    const referenceData = yield* cachedSuccessWithTTL(
      tradera.referenceData.pipe(
        Effect.tap((data) =>
          Effect.sync(() => {
            loaded = data;
            mapping.loaded(data);
          }),
        ),
      ),
      referenceTtl,
    );

    const adapter = makeProImportAdapter({
      marketplace: TRADERA,
      capabilities: traderaCapabilities,
      client,
      payloadSchema: traderaPayloadSchema,
      prepare: (ad) => toTraderaPayload(ad, settings, loaded),
      createVersion: "v3",
      versionOf: () => "v3",
      createBody,
      replaceBody: withIdentity,
      patchBody: withIdentity,
      isDuplicate,
      createStillProcessing,
      isDeleted,
      meta: listingMeta(config.dealerCode),
      // "Cannot update ad that has been deleted": a deleted source_id cannot be used again;
      // withRelisting lists the ad under the next `<adId>~<n>` (D6).
      revive: (_ad, listing) => Effect.fail(deletedSourceId(listing.ref.remoteId)),
      logPageSize: maxPageSize,
      listPage: { size: maxPageSize },
      bump: (listing) => ({
        version: "v3",
        options: bumpOptionsOf(listing.ref, traderaBumpOptions),
      }),
    });

    /**
     * `POST /v3/ad/validate` with the body a create would send: "Validates ad data without
     * creating an ad". Field errors (400) are the findings; other failures stay failures.
     */
    const validateRemotely = (ad: VehicleAd, prepared: Prepared<TraderaPayload>) =>
      validationFindings(
        tradera.validate(createBody(ad, prepared.payload)),
        (error) => error.reason === "Rejected",
      );

    return {
      adapter: {
        ...withRelisting(adapter, client),
        get mappingVersion() {
          return mapping.current();
        },
        warmUp: Effect.asVoid(referenceData),
        validateRemotely,
      },
      client,
      referenceData,
      validateRemotely: tradera.validate,
      ...proImportReads(client, "v3", maxPageSize, capLimit),
      // As the publisher prepares it: with the ad's Tradera overrides applied.
      validateAd: validateAsPublished({
        marketplace: TRADERA,
        warmUp: referenceData,
        prepare: adapter.prepare,
        validateRemotely,
      }),
    } satisfies TraderaService;
  });

const traderaService = dialectService(Tradera, makeTradera);

/** The Tradera adapter, for `adaptersLayer(...)` (its payload type kept inside the package). */
export const makeTraderaAdapter = traderaService.makeAdapter;

export const traderaLayer = traderaService.layer;

/**
 * Tradera's own operations as Promises, for DMS code that does not use Effect (publishing
 * itself goes through `createAdsync`). Call `close()` when done.
 */
export const createTraderaClient = (config: TraderaConfig) => {
  const runner = traderaService.runner(config);
  return {
    referenceData: () => runner.use((tradera) => tradera.referenceData),
    validateRemotely: (payload: WirePayload) =>
      runner.use((tradera) => tradera.validateRemotely(payload)),
    validateAd: (ad: VehicleAd) => runner.use((tradera) => tradera.validateAd(ad)),
    ...proImportReadsFacade(runner),
    close: runner.close,
  };
};
