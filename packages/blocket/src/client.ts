import {
  type ApiVersion,
  makeDialectClient,
  type ProImportClient,
  type WirePayload,
} from "@adsync/pro-import";
import type { HttpClient } from "@effect/platform";
import { Effect, type Scope } from "effect";
import { BLOCKET, type BlocketConfig, blocketProductionUrl } from "./config.ts";
import { migrationBody } from "./wire.ts";

/**
 * Blocket's dialect of the Pro Import client: its host ("API base URL V4 …:
 * https://api.blocket.se/pro-import-api/v4/"), the JWT as `X-Auth-Token`, the configured API
 * version, and the endpoints Blocket documents for one version only.
 */
export interface BlocketClient {
  readonly proImport: ProImportClient;
  /** The configured API version: new ads and every write go there (default V4). */
  readonly version: ApiVersion;
  /** "GET /v3/ad/{source_id}/bump": documented for V3 only. */
  readonly bumpVersion: ApiVersion;
  /** "Make the ad appear first in the search result … lasts for 3 days. Charges apply." (V3 paths). */
  readonly polePosition: (sourceId: string) => ReturnType<ProImportClient["polePosition"]>;
  /** "POST /v4/ad/{source_id}/migrate", with "a complete V4 payload". */
  readonly migrate: (
    sourceId: string,
    content: WirePayload,
  ) => ReturnType<ProImportClient["migrate"]>;
  /** "POST /v3/ad/validate": the V4 endpoint table lists no validate. */
  readonly validate: (body: WirePayload) => ReturnType<ProImportClient["validate"]>;
  /** `GET /v3/vehicle/…`: the reference lists. */
  readonly brands: ReturnType<ProImportClient["referenceData"]>;
  readonly models: (brand: string) => ReturnType<ProImportClient["referenceData"]>;
  readonly bodyTypes: ReturnType<ProImportClient["referenceData"]>;
  readonly fuels: ReturnType<ProImportClient["referenceData"]>;
}

export const makeBlocketClient = (
  config: BlocketConfig,
): Effect.Effect<BlocketClient, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.map(
    makeDialectClient({
      ...config,
      marketplace: BLOCKET,
      baseUrl: config.baseUrl ?? blocketProductionUrl,
    }),
    (proImport) => ({
      proImport,
      version: config.apiVersion ?? "v4",
      bumpVersion: "v3",
      polePosition: (sourceId) => proImport.polePosition("v3", sourceId),
      migrate: (sourceId, content) => proImport.migrate(sourceId, migrationBody(sourceId, content)),
      validate: (body) => proImport.validate("v3", body),
      brands: proImport.referenceData("/v3/vehicle/brands"),
      models: (brand) => proImport.referenceData("/v3/vehicle/models", { brand }),
      bodyTypes: proImport.referenceData("/v3/vehicle/body_types"),
      fuels: proImport.referenceData("/v3/vehicle/fuels"),
    }),
  );
