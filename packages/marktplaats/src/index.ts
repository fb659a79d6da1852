// The public API: the adapter and its service with their Promise facade, the configuration and
// the two sites' registry descriptors. Everything else (client, wire schemas, JSON Patch,
// mapping steps, categories) is internal to the package.
export {
  createMarktplaatsClient,
  Marktplaats,
  type MarktplaatsService,
  makeMarktplaats,
  makeMarktplaatsAdapter,
  marktplaatsCapabilities,
  marktplaatsLayer,
} from "./adapter.ts";
export type { Locale, MarktplaatsAuthConfig, MarktplaatsConfig, Site } from "./config.ts";
export { marktplaatsMarketplace, twoDehandsMarketplace } from "./descriptor.ts";
