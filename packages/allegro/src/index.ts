// The public API: the adapter, its configuration and descriptor, the token store port, and the
// mapping steps a DMS may run to preview what Allegro will show (title, description, amount,
// parameters). Everything else is internal to the package.
export * from "./adapter.ts";
export * from "./config.ts";
export * from "./descriptor.ts";
export { toAllegroDescription } from "./mapping/description.ts";
export { mapParameters } from "./mapping/parameters.ts";
export {
  allegroTitleLength,
  cutTitle,
  isAllowedTitleCharacter,
  toAllegroTitle,
} from "./mapping/title.ts";
export { toAllegroAmount, toAllegroContent } from "./mapping/to-allegro.ts";
export * from "./token-store.ts";
export { CategoryParameter } from "./wire.ts";
