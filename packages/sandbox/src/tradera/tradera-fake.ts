import { proImportDealers } from "../pro-import/dealers.ts";
import {
  newProImportContext,
  type ProImportFake,
  startProImportFake,
} from "../pro-import/fake-marketplace.ts";
import { adToWire } from "./ad-json.ts";
import type { TraderaContext } from "./context.ts";
import { type TraderaFakeOptions, traderaGrants } from "./options.ts";
import { traderaPublishing } from "./publishing.ts";
import { faultBody } from "./responses.ts";
import { handleTraderaRequest } from "./router.ts";

/**
 * A running fake Tradera ProImport API: `url` is its origin (the client appends
 * "/pro-import-api/v3/ad"), `ad(sourceId)` the stored ad as GET answers it, `adCount()` the ads
 * ever created.
 */
export interface TraderaFake extends ProImportFake {}

/** A fake Tradera ProImport API on 127.0.0.1, answering as the sellers' how-to guide describes. */
export async function startTraderaFake(options: TraderaFakeOptions = {}): Promise<TraderaFake> {
  const { context: processing, timers } = newProImportContext(options, traderaPublishing);
  const grants = new Map(traderaGrants(options));
  const context: TraderaContext = { ...processing, grants };
  return startProImportFake({
    server: {
      name: "tradera",
      basePath: "",
      handle: (request) => handleTraderaRequest(context, request),
      faultBody,
      ...(options.traffic === undefined ? {} : { traffic: options.traffic }),
    },
    context,
    timers,
    adToWire,
    outside: {
      adminChangesShow: true,
      priceAmount: (_record, price) => price,
      // Tradera keeps the item id of an ad taken down, so it stays open to updates.
      takenDown: () => undefined,
    },
    dealers: (url, rateLimited) =>
      proImportDealers({
        prefix: "tradera",
        store: context.store,
        grant: ({ token, dealerCode }) => grants.set(token, new Set([dealerCode])),
        revoke: (token) => grants.delete(token),
        sectionOf: ({ token, dealerCode }) => ({ baseUrl: url, token, dealerCode }),
        rateLimited,
      }),
    extra: {},
  });
}
