export type { Assets } from "./assets.ts";
export {
  ConsoleError,
  type ConsoleOptions,
  defaultHost,
  defaultPort,
  isLoopback,
  type StockEntry,
} from "./console-options.ts";
export {
  buildGrid,
  cellOf,
  type ListingUrlPatterns,
  listingUrl,
  titleOf,
  titleOfAd,
} from "./grid.ts";
export { planCounts, planRow } from "./plan.ts";
export { crossSiteReason } from "./security.ts";
export { type ConsoleHandle, type RunningConsole, serveConsole, startConsole } from "./serve.ts";
export { buildDetail, retryOf, valueAt } from "./timeline.ts";
export * from "./wire.ts";
