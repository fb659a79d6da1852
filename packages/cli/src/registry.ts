import { allegroMarketplace } from "@adsync/allegro";
import { blocketMarketplace } from "@adsync/blocket";
import type { MarketplaceDescriptor } from "@adsync/core";
import { marktplaatsMarketplace, twoDehandsMarketplace } from "@adsync/marktplaats";
import {
  ALLEGRO_SANDBOX_CLIENT_ID,
  ALLEGRO_SANDBOX_CLIENT_SECRET,
  ALLEGRO_SANDBOX_REFRESH_TOKEN,
  BLOCKET_SANDBOX_DEALER_CODES,
  BLOCKET_SANDBOX_TOKEN,
  type FakeDefinition,
  MARKTPLAATS_SANDBOX_CLIENT,
  sandboxFakes,
  TRADERA_SANDBOX_DEALER_CODES,
  TRADERA_SANDBOX_TOKEN,
} from "@adsync/sandbox";
import { traderaMarketplace } from "@adsync/tradera";

/** A marketplace's fake in the sandbox, and the config section that points at it. */
export interface SandboxEntry {
  readonly fake: FakeDefinition;
  /** The section (as the config file has it) for a sandbox whose fakes answer at `urls`. */
  readonly section: (urls: Readonly<Record<string, string>>) => unknown;
}

/** One marketplace the CLI knows: its descriptor and, when the sandbox has one, its fake. */
export interface RegistryEntry {
  readonly descriptor: MarketplaceDescriptor;
  readonly sandbox?: SandboxEntry | undefined;
}

/** The marketplaces a run of the CLI knows, in the order they are listed. */
export type Registry = ReadonlyArray<RegistryEntry>;

const url = (urls: Readonly<Record<string, string>>, name: string): string => {
  const found = urls[name];
  if (found === undefined) throw new Error(`The sandbox has no URL named ${name}.`);
  return found;
};

/**
 * Every marketplace the CLI ships with: one line each. The config file's sections, `--to`, the
 * adapters built, the sandbox command's fakes and the demo all follow this list.
 */
export const defaultRegistry: Registry = [
  {
    descriptor: blocketMarketplace,
    sandbox: {
      fake: sandboxFakes.blocket,
      section: (urls) => ({
        baseUrl: url(urls, "blocket"),
        token: BLOCKET_SANDBOX_TOKEN,
        tokenScope: "dealer_group",
        dealerCode: BLOCKET_SANDBOX_DEALER_CODES[0] ?? "DEALER1",
        apiVersion: "v4",
      }),
    },
  },
  {
    descriptor: traderaMarketplace,
    sandbox: {
      fake: sandboxFakes.tradera,
      section: (urls) => ({
        baseUrl: url(urls, "tradera"),
        token: TRADERA_SANDBOX_TOKEN,
        dealerCode: TRADERA_SANDBOX_DEALER_CODES[0] ?? "DEALER1",
      }),
    },
  },
  {
    descriptor: marktplaatsMarketplace,
    sandbox: {
      fake: sandboxFakes.marktplaats,
      section: (urls) => ({
        baseUrl: url(urls, "marktplaats"),
        tokenUrl: url(urls, "marktplaatsToken"),
        clientId: MARKTPLAATS_SANDBOX_CLIENT.clientId,
        clientSecret: MARKTPLAATS_SANDBOX_CLIENT.clientSecret,
        refreshToken: MARKTPLAATS_SANDBOX_CLIENT.refreshToken,
      }),
    },
  },
  { descriptor: twoDehandsMarketplace },
  {
    descriptor: allegroMarketplace,
    sandbox: {
      fake: sandboxFakes.allegro,
      section: (urls) => ({
        baseUrl: url(urls, "allegro"),
        clientId: ALLEGRO_SANDBOX_CLIENT_ID,
        clientSecret: ALLEGRO_SANDBOX_CLIENT_SECRET,
        refreshToken: ALLEGRO_SANDBOX_REFRESH_TOKEN,
      }),
    },
  },
];

/** The ids of a registry, in its order. */
export const marketplaceIds = (registry: Registry): ReadonlyArray<string> =>
  registry.map((entry) => entry.descriptor.id);
