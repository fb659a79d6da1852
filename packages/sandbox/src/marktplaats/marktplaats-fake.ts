import { startFakeServer } from "../http/fake-server.ts";
import { Timers } from "../http/timers.ts";
import type { OutsideChangeable, ProcessingFake } from "../http/types.ts";
import { toJson } from "./advertisement-handlers.ts";
import { OAuthServer } from "./oauth.ts";
import type { MarktplaatsFakeOptions } from "./options.ts";
import { marktplaatsOutside } from "./outside.ts";
import { faultBody } from "./responses.ts";
import { handleMarktplaatsRequest, type MarktplaatsContext } from "./router.ts";
import { AdvertisementStore } from "./store.ts";

export interface MarktplaatsFake extends ProcessingFake, OutsideChangeable {
  /** The token endpoint ("https://auth.marktplaats.nl/accounts/oauth/token" in production). */
  readonly tokenUrl: string;
  /** The stored advertisement as GET returns it, or undefined (deleted ones included). */
  advertisement(itemId: string): unknown;
  /** Advertisements ever created, deleted ones included: never two for one ad. */
  adCount(): number;
  /** The itemIds of the advertisements not deleted, oldest first (a test's view, no HTTP). */
  itemIds(): ReadonlyArray<string>;
  /** Sets `status` ("online" / "deactivated") as the site would, e.g. when the seller hides it. */
  setStatus(itemId: string, status: "online" | "deactivated"): void;
  /** Makes every access token issued so far expire now. */
  expireAccessTokens(): void;
  /** How many times the token endpoint issued tokens. */
  tokenRefreshCount(): number;
  close(): Promise<void>;
}

/** A fake Marktplaats (or 2dehands) API on 127.0.0.1: `/v1/...` and `/accounts/oauth/token`. */
export async function startMarktplaatsFake(
  options: MarktplaatsFakeOptions = {},
): Promise<MarktplaatsFake> {
  const timers = new Timers(options.clock);
  const oauth = new OAuthServer(options.accessTokenLifetimeSeconds ?? 43_199);
  const store = new AdvertisementStore(
    timers,
    options.enrichmentDelayMs ?? 200,
    options.imageDelayMs ?? 100,
    options.imageDownloadFails,
  );
  const context: MarktplaatsContext = {
    oauth,
    store,
    settings: {
      site: options.site ?? "marktplaats",
      apiPartner: options.apiPartner ?? true,
      categoryChange: options.categoryChangePrivilege ?? false,
    },
    pageSize: options.pageSize ?? 25,
  };
  const server = await startFakeServer({
    name: options.site ?? "marktplaats",
    basePath: "",
    handle: (request) => handleMarktplaatsRequest(context, request),
    faultBody,
    timers,
  });
  return {
    name: server.name,
    url: server.url,
    tokenUrl: `${server.origin}/accounts/oauth/token`,
    get requests() {
      return server.requests;
    },
    clearRequests: () => server.clearRequests(),
    injectFault: (rule) => server.injectFault(rule),
    clearFaults: () => server.clearFaults(),
    processing: timers,
    outside: marktplaatsOutside(store, timers),
    advertisement: (itemId) => {
      const stored = store.get(itemId);
      return stored === undefined ? undefined : toJson(stored);
    },
    adCount: () => store.count(),
    itemIds: () => store.liveItemIds(),
    setStatus: (itemId, status) => {
      const stored = store.get(itemId);
      if (stored !== undefined) stored.document = { ...stored.document, status };
    },
    expireAccessTokens: () => oauth.expireAll(),
    tokenRefreshCount: () => oauth.refreshCount,
    close: async () => {
      timers.cancelAll();
      await server.close();
    },
  };
}
