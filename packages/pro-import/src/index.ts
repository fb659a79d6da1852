/**
 * @adsync/pro-import: the shared kit of the Pro Import dialects (Blocket, Tradera). A dialect
 * package builds its client (`makeDialectClient`), maps ads with the shared mapping parts and
 * hands its rules to `makeProImportAdapter` as hooks (`ProImportDialect`); the kit holds no
 * marketplace's rule of its own.
 */
export {
  type BumpOptionName,
  bumpMeta,
  bumpOptionsOf,
  proImportAdOptionFields,
} from "./ad-options.ts";
export {
  deleteDone,
  makeProImportAdapter,
  newestRequestId,
  type ProImportDialect,
  type ProImportListing,
  type SpecialUpdate,
} from "./adapter-kit.ts";
export {
  type BumpOptions,
  type ListQuery,
  type LogQuery,
  type ProImportClient,
  proImportRequests,
} from "./client.ts";
export { type DialectConnection, makeDialectClient } from "./dialect-client.ts";
export { dialectService } from "./dialect-service.ts";
export { jsonEqual, planUpdate } from "./diff.ts";
export { errorFromResponse, issuesFromBody } from "./errors.ts";
export {
  chunks,
  type ListPage,
  makeProImportInspect,
  sightingOfMissing,
  sightingOfSettled,
} from "./inspect.ts";
export {
  type CanonicalPrices,
  checkMaxLength,
  digitsOnly,
  Findings,
  fromWireAmount,
  fromWirePrices,
  type ImageRules,
  mapCategoryFields,
  mapImages,
  mapLocation,
  mapPrices,
  mapVideo,
  type PriceUnit,
  proImportMappingRevision,
  slug,
  toWireAmount,
  WirePriceEntry,
} from "./mapping.ts";
export {
  everyPage,
  type ProImportReads,
  proImportReads,
  proImportReadsFacade,
} from "./paging.ts";
export {
  bodyTypeSpellings,
  colourSpellings,
  firstListed,
  fuelSpellings,
  transmissionSpellings,
} from "./spellings.ts";
export { progressOf, refFromAd } from "./status.ts";
export { validateAsPublished, validationFindings } from "./validate.ts";
export { type ApiVersion, LogEntry, Page, WireAd, WirePayload } from "./wire.ts";
