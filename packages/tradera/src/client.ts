import { makeDialectClient, type ProImportClient, type WirePayload } from "@adsync/pro-import";
import type { HttpClient } from "@effect/platform";
import { Effect, type Scope } from "effect";
import { TRADERA, type TraderaConfig, traderaEnvironments } from "./config.ts";
import { fetchReferenceData } from "./reference/reference-data.ts";

/**
 * Tradera's dialect of the Pro Import client: its host (the environment's, or any base URL
 * such as the sandbox's), the JWT as `X-Auth-Token`, its ads under `/pro-import-api/v3/ad`
 * (V3 only) and its vehicle reference data at the host's root (`GET /vehicle/brands`).
 */
export interface TraderaClient {
  readonly proImport: ProImportClient;
  /** "POST /pro-import-api/v3/ad/validate": "Validates ad data without creating an ad". */
  readonly validate: (body: WirePayload) => ReturnType<ProImportClient["validate"]>;
  /** Every reference list, read together. */
  readonly referenceData: ReturnType<typeof fetchReferenceData>;
}

export const makeTraderaClient = (
  config: TraderaConfig,
): Effect.Effect<TraderaClient, never, HttpClient.HttpClient | Scope.Scope> => {
  const baseUrl = config.baseUrl ?? traderaEnvironments[config.environment ?? "production"];
  // Its ads live under `/pro-import-api/v3/ad`, its reference data at the host's root.
  return Effect.map(
    makeDialectClient({ ...config, marketplace: TRADERA, baseUrl, adPrefix: "/pro-import-api" }),
    (proImport) => ({
      proImport,
      validate: (body) => proImport.validate("v3", body),
      referenceData: fetchReferenceData(proImport),
    }),
  );
};
