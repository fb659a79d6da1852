/**
 * @adsync/tradera: the Tradera adapter (Pro Import V3). What applications use: the descriptor
 * for a registry, the adapter and its service, the configuration, and the mapping for tools
 * that show what an ad becomes.
 */
export {
  createTraderaClient,
  makeTradera,
  makeTraderaAdapter,
  Tradera,
  type TraderaService,
  traderaCapabilities,
  traderaLayer,
} from "./adapter.ts";
export { TRADERA, TraderaAdOptions, type TraderaConfig } from "./config.ts";
export { TraderaSection, traderaMarketplace } from "./descriptor.ts";
export { fromTraderaAd, type TraderaView, WireTraderaAd } from "./mapping/from-tradera.ts";
export { type TraderaMappingSettings, toTraderaPayload } from "./mapping/to-tradera.ts";
export { type ReferenceData, referenceDataPaths } from "./reference/reference-data.ts";
export { createBody, type TraderaPayload, traderaPayloadSchema } from "./wire.ts";
