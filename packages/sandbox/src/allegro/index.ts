export type { AllegroFake } from "./allegro-fake.ts";
export { startAllegroFake } from "./allegro-fake.ts";
export type { FakeCategory as AllegroFakeCategory } from "./catalog.ts";
export {
  categories as allegroFakeCategories,
  packages as allegroFakePackages,
  parameters as allegroFakeParameters,
} from "./catalog.ts";
export type { AllegroFakeOptions, AllegroSeedContact } from "./options.ts";
export {
  ALLEGRO_SANDBOX_CLIENT_ID,
  ALLEGRO_SANDBOX_CLIENT_SECRET,
  ALLEGRO_SANDBOX_REFRESH_TOKEN,
} from "./options.ts";
export type { FakeOfferEvent as AllegroFakeOfferEvent } from "./state.ts";
