import type { MultiDealerFake } from "../http/dealers.ts";
import type { OutsideChangeable, ProcessingFake } from "../http/types.ts";
import { proImportDealers } from "../pro-import/dealers.ts";
import { newProImportContext, startProImportFake } from "../pro-import/fake-marketplace.ts";
import { adToWire } from "./ad-json.ts";
import type { BlocketAdRecord } from "./ad-record.ts";
import { grantsByToken } from "./auth.ts";
import type { BlocketContext } from "./context.ts";
import { newBlocketRecord } from "./create-handlers.ts";
import { BLOCKET_SANDBOX_DEALER_CODES, type BlocketFakeOptions, blocketTokens } from "./options.ts";
import { blocketPublishing } from "./publishing.ts";
import { faultBody } from "./responses.ts";
import { BLOCKET_BASE_PATH, handleBlocketRequest } from "./router.ts";
import { validateAdContent } from "./validation/ad-content.ts";
import { recordProcessedCreate } from "./workflows.ts";

export interface BlocketFake extends ProcessingFake, OutsideChangeable, MultiDealerFake {
  /** the stored ad (wire JSON as GET would return it) or undefined; `dealerCode` picks among dealers sharing a source_id */
  ad(sourceId: string, dealerCode?: string): unknown;
  /** number of ads ever created (created or deleted state), to prove no duplicates */
  adCount(): number;
  /**
   * Seeds an existing V3 ad (e.g. a legacy moped ad) directly into the state, already processed
   * and live. The dealer is `dealerCode`, else the payload's dealer_code, else the first token's
   * first dealer. Throws on a payload that V3 would refuse (see below).
   */
  seedV3Ad(payload: Record<string, unknown>, dealerCode?: string): void;
  /**
   * Revokes a token, as Blocket support would: from now on it answers 401 "Invalid token.".
   * False when the fake did not accept it. (A dealer's revoked credentials, #13.)
   */
  revokeToken(token: string): boolean;
}

/** A fake Blocket Pro Import API (V3 and V4) on 127.0.0.1, under "/pro-import-api". */
export async function startBlocketFake(
  options: BlocketFakeOptions = {},
): Promise<BlocketFake & { close(): Promise<void> }> {
  const tokens = blocketTokens(options);
  const { context: processing, timers } = newProImportContext(options, blocketPublishing);
  const grants = new Map(grantsByToken(tokens));
  const context: BlocketContext = { ...processing, grants };
  const defaultDealerCode =
    tokens[0]?.dealerCodes[0] ?? BLOCKET_SANDBOX_DEALER_CODES[0] ?? "DEALER1";
  return startProImportFake({
    server: {
      name: "blocket",
      basePath: BLOCKET_BASE_PATH,
      handle: (request) => handleBlocketRequest(context, request),
      faultBody,
      ...(options.traffic === undefined ? {} : { traffic: options.traffic }),
    },
    context,
    timers,
    adToWire: (record: BlocketAdRecord) => adToWire(record, { includeLog: true }),
    outside: {
      adminChangesShow: (options.adminChanges ?? "shown") === "shown",
      // V4: "Amount is in minor currency units (öre for SEK)"; V3 amounts are whole kronor.
      priceAmount: (record, price) => (record.version === "v4" ? price * 100 : price),
      takenDown: (record) => {
        record.published = false;
        record.poleUntil = undefined;
      },
    },
    dealers: (url, rateLimited) =>
      proImportDealers({
        prefix: "blocket",
        store: context.store,
        // "dealer_code - Provides access to a single customer": one token per dealer.
        grant: ({ token, dealerCode }) =>
          grants.set(token, { scope: "dealer_code", dealerCodes: new Set([dealerCode]) }),
        revoke: (token) => grants.delete(token),
        sectionOf: ({ token, dealerCode }) => ({
          baseUrl: url,
          token,
          tokenScope: "dealer_code",
          dealerCode,
          apiVersion: "v4",
        }),
        rateLimited,
      }),
    extra: {
      revokeToken: (token: string) => grants.delete(token),
      seedV3Ad: (payload: Record<string, unknown>, dealerCode?: string) => {
        const payloadDealer =
          typeof payload.dealer_code === "string" ? payload.dealer_code : undefined;
        seedV3Ad(context, payload, dealerCode ?? payloadDealer ?? defaultDealerCode);
      },
    },
  });
}

function seedV3Ad(
  context: BlocketContext,
  payload: Record<string, unknown>,
  dealerCode: string,
): void {
  const sourceId = payload.source_id;
  const validation = validateAdContent(payload, "v3");
  // A test helper, called with fixtures: a seed the API would refuse, or a duplicate, is a bug
  // in the test, and seeding it anyway would make the test assert on a state Blocket never has.
  if (typeof sourceId !== "string" || sourceId === "") {
    throw new Error("seedV3Ad: the payload needs a source_id");
  }
  if (!validation.ok) {
    throw new Error(`seedV3Ad: V3 would refuse this ad: ${JSON.stringify(validation.errors)}`);
  }
  if (context.store.get(dealerCode, sourceId)?.state === "created") {
    throw new Error(`seedV3Ad: ${dealerCode} already has an ad with source_id ${sourceId}`);
  }
  const record = context.store.insert(
    { sourceId, dealerCode, content: validation.content, now: context.now() },
    (base) => newBlocketRecord(base, "v3"),
  );
  recordProcessedCreate(context, record);
}
