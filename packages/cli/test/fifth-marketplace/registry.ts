/**
 * The fifth marketplace's one line in a registry: its descriptor and its fake. Nothing outside
 * this folder knows it exists.
 */
import { defaultRegistry, type Registry, type RegistryEntry } from "../../src/registry.ts";
import { fifthMarketplace } from "./adapter.ts";
import { FIFTH_TOKEN, fifthFake } from "./fake.ts";

export const fifthEntry: RegistryEntry = {
  descriptor: fifthMarketplace,
  sandbox: { fake: fifthFake, section: (urls) => ({ baseUrl: urls.fifth, token: FIFTH_TOKEN }) },
};

/** The four marketplaces adsync ships, and the fifth. */
export const withFifth: Registry = [...defaultRegistry, fifthEntry];
