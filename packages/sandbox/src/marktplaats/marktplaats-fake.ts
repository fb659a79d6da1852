import { dealerRegistry, type MultiDealerFake } from "../http/dealers.ts";
import { startFakeServer } from "../http/fake-server.ts";
import { Timers } from "../http/timers.ts";
import type { OutsideChangeable, ProcessingFake } from "../http/types.ts";
import { toJson } from "./advertisement-handlers.ts";
import { OAuthServer } from "./oauth.ts";
import { MARKTPLAATS_SANDBOX_CLIENT, type MarktplaatsFakeOptions } from "./options.ts";
import { marktplaatsOutside } from "./outside.ts";
import { faultBody } from "./responses.ts";
import { handleMarktplaatsRequest, type MarktplaatsContext } from "./router.ts";
import { AdvertisementStore } from "./store.ts";

export interface MarktplaatsFake extends ProcessingFake, OutsideChangeable, MultiDealerFake {
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
    ...(options.traffic === undefined ? {} : { traffic: options.traffic }),
    accountOf: (request) => {
      const seller = oauth.sellerOf(request.headers);
      return seller === undefined ? undefined : `seller-${seller}`;
    },
  });
  const tokenUrl = `${server.origin}/accounts/oauth/token`;
  let nextSeller = 2;
  return {
    name: server.name,
    url: server.url,
    tokenUrl,
    // Each dealer is a seller account of its own that authorized the application's one client
    // (authentication.rst: the refresh token stands for the user who granted it).
    dealers: dealerRegistry<{ readonly sellerId: number; readonly refreshToken: string }>({
      provision: (dealer) => {
        const account = { sellerId: nextSeller++, refreshToken: `marktplaats-refresh-${dealer}` };
        oauth.addSeller(account.refreshToken, account.sellerId);
        return account;
      },
      sectionOf: ({ refreshToken }) => ({
        baseUrl: server.url,
        tokenUrl,
        clientId: MARKTPLAATS_SANDBOX_CLIENT.clientId,
        clientSecret: MARKTPLAATS_SANDBOX_CLIENT.clientSecret,
        refreshToken,
      }),
      listings: (dealer, { sellerId }) => {
        const all = store.allOfSeller(sellerId);
        // No field for the dealer's ad id (D8): the vehicle is its licence plate, as `find` matches.
        const keyOf = (entry: (typeof all)[number]) =>
          typeof entry.document.licensePlate === "string"
            ? `plate:${entry.document.licensePlate}`
            : `item:${entry.itemId}`;
        return all.map((entry) => ({
          dealer,
          remoteId: entry.itemId,
          adId: undefined,
          key: keyOf(entry),
          live: !entry.deleted,
          creations: all.filter((other) => keyOf(other) === keyOf(entry)).length,
        }));
      },
      revoke: ({ sellerId }) => oauth.revokeSeller(sellerId),
      rateLimited: () => server.rateLimited(),
    }),
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
