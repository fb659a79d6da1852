import type { FakeDealers, MultiDealerFake } from "../http/dealers.ts";
import { type FakeServerOptions, startFakeServer } from "../http/fake-server.ts";
import { Timers } from "../http/timers.ts";
import type { OutsideChangeable, ProcessingFake } from "../http/types.ts";
import type { AdRecord } from "./ad-record.ts";
import { AdStore } from "./ad-store.ts";
import type { MarketplaceHooks, ProImportContext } from "./context.ts";
import { type ProcessingOptions, resolveProcessingOptions } from "./options.ts";
import { type OutsideDialect, proImportOutside } from "./outside.ts";
import { ProcessingQueue } from "./processing-queue.ts";

/** What a test can do with any Pro Import fake besides sending it requests. */
export interface ProImportFake extends ProcessingFake, OutsideChangeable, MultiDealerFake {
  /** the stored ad (wire JSON as GET would return it) or undefined; `dealerCode` picks among dealers sharing a source_id */
  ad(sourceId: string, dealerCode?: string): unknown;
  /** number of ads ever created, to prove no duplicates */
  adCount(): number;
  /** stops the fake: pending processing is cancelled and open connections closed */
  close(): Promise<void>;
}

/** The processing state of a new fake: an empty store and a queue on the fake's own timers. */
export function newProImportContext<Ad extends AdRecord>(
  options: ProcessingOptions,
  hooks: (store: AdStore<Ad>) => MarketplaceHooks<Ad>,
): { readonly context: ProImportContext<Ad>; readonly timers: Timers } {
  const settings = resolveProcessingOptions(options);
  const timers = new Timers(settings.clock);
  const store = new AdStore<Ad>();
  const context: ProImportContext<Ad> = {
    store,
    queue: new ProcessingQueue(timers, settings.processingDelayMs),
    now: () => timers.now(),
    imageFails: settings.imageFails,
    hooks: hooks(store),
  };
  return { context, timers };
}

/** Starts the fake's server and gives it the ProImportFake surface, plus the fake's `extra`. */
export async function startProImportFake<Ad extends AdRecord, Extra extends object>(setup: {
  readonly server: FakeServerOptions;
  readonly context: ProImportContext<Ad>;
  readonly timers: Timers;
  readonly adToWire: (record: Ad) => unknown;
  /** How changes outside the API show on this marketplace. */
  readonly outside: OutsideDialect<Ad>;
  readonly extra: Extra;
  /** The fake's dealers, given its base URL and its count of rate-limited requests. */
  readonly dealers: (url: string, rateLimited: () => number) => FakeDealers;
}): Promise<ProImportFake & Extra> {
  const server = await startFakeServer({
    ...setup.server,
    timers: setup.timers,
    // "a JWT token sent as a 'X-Auth-Token' request header": one per dealer, so the limit's account.
    accountOf: (request) => request.headers["x-auth-token"],
  });
  const store = setup.context.store;
  return {
    ...setup.extra,
    name: server.name,
    url: server.url,
    get requests() {
      return server.requests;
    },
    clearRequests: () => server.clearRequests(),
    injectFault: (rule) => server.injectFault(rule),
    clearFaults: () => server.clearFaults(),
    processing: setup.timers,
    outside: proImportOutside(setup.context, setup.outside),
    ad: (sourceId, dealerCode) => {
      const record = store.find(sourceId, "any", dealerCode);
      return record === undefined ? undefined : setup.adToWire(record);
    },
    adCount: () => store.createdCount(),
    dealers: setup.dealers(server.url, () => server.rateLimited()),
    close: async () => {
      setup.timers.cancelAll();
      await server.close();
    },
  };
}
