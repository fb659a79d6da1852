/**
 * @adsync/blocket: the Blocket adapter (Pro Import V3/V4). What applications use: the
 * descriptor for a registry, the adapter and its service, the configuration, and the mapping
 * for tools that show what an ad becomes.
 */
export {
  Blocket,
  type BlocketService,
  blocketCapabilities,
  blocketLayer,
  blocketPromotions,
  createBlocketClient,
  makeBlocket,
  makeBlocketAdapter,
} from "./adapter.ts";
export { BLOCKET, BlocketAdOptions, type BlocketConfig } from "./config.ts";
export { BlocketSection, blocketMarketplace } from "./descriptor.ts";
export { type CanonicalView, fromBlocketAd, WireBlocketAd } from "./mapping/from-blocket.ts";
export {
  type BlocketMappingSettings,
  type BlocketReferenceData,
  toBlocketPayload,
} from "./mapping/to-blocket.ts";
export { blocketCategoryId } from "./reference/categories.ts";
export { type BlocketPayload, blocketPayloadSchema } from "./wire.ts";
