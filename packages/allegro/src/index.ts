// The public API: the adapter and its service (fee preview, batched publication, promo
// options) with their Promise facade, the configuration, the registry descriptor and the token
// store port. Everything else (client, wire schemas, mapping steps, the offer flow) is internal.
export {
  Allegro,
  type AllegroService,
  allegroCapabilities,
  allegroLayer,
  type BatchOutcome,
  createAllegroClient,
  makeAllegro,
  makeAllegroAdapter,
} from "./adapter.ts";
export {
  type AllegroConfig,
  allegroUserAgent,
  type ContactsFullPolicy,
  type OfferApi,
} from "./config.ts";
export { allegroMarketplace } from "./descriptor.ts";
export type { CommandJournal } from "./flow/command-journal.ts";
export type { AllegroPayload } from "./mapping/to-allegro.ts";
export { memoryTokenStore, type TokenPair, type TokenStore } from "./token-store.ts";
