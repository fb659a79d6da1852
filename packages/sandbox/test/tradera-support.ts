import {
  startTraderaFake,
  TRADERA_SANDBOX_TOKEN,
  type TraderaFake,
  type TraderaFakeOptions,
} from "../src/index.ts";
import {
  type ApiAnswer,
  type CallOptions,
  isLogEntry,
  isRecord,
  newRequestId,
  readProcessed,
  requestSettled,
  sendRequest,
  type WireLogEntry,
} from "./support.ts";

/** Where the guide's ad resource lives under the fake's origin. */
export const AD_PATH = "/pro-import-api/v3/ad";

/** "2026-02-17T10:30:00", the guide's timestamps. */
export const TRADERA_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A Tradera fake on the manual clock (see startFastBlocketFake), closed by the caller. */
export function startFastTraderaFake(options: TraderaFakeOptions = {}): Promise<TraderaFake> {
  return startTraderaFake({ processingDelayMs: 20, clock: "manual", ...options });
}

/** One request to the fake; `path` is appended to its origin ("/pro-import-api/v3/ad", "/vehicle/brands"). */
export function traderaCall(
  fake: TraderaFake,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ApiAnswer> {
  return sendRequest(`${fake.url}${path}`, TRADERA_SANDBOX_TOKEN, method, options);
}

export interface TraderaWireAd {
  readonly id: string;
  readonly source_id: string;
  readonly state: string;
  readonly created: string;
  readonly updated: string;
  readonly blocket_ad_id: string | null;
  readonly image_refs: ReadonlyArray<unknown>;
  readonly log: ReadonlyArray<WireLogEntry>;
  readonly [field: string]: unknown;
}

/** The body as a Tradera ad, failing the test when it is not one. */
export function asTraderaAd(body: unknown): TraderaWireAd {
  if (
    !isRecord(body) ||
    typeof body.id !== "string" ||
    typeof body.source_id !== "string" ||
    typeof body.state !== "string" ||
    typeof body.created !== "string" ||
    typeof body.updated !== "string" ||
    !(typeof body.blocket_ad_id === "string" || body.blocket_ad_id === null) ||
    !Array.isArray(body.image_refs) ||
    !Array.isArray(body.log) ||
    !body.log.every(isLogEntry)
  ) {
    throw new Error(`not a Tradera ad: ${JSON.stringify(body)}`);
  }
  return {
    ...body,
    id: body.id,
    source_id: body.source_id,
    state: body.state,
    created: body.created,
    updated: body.updated,
    blocket_ad_id: body.blocket_ad_id,
    image_refs: body.image_refs,
    log: body.log,
  };
}

/** Lets the fake process everything it holds, then GETs the ad: `settled` must hold for it. */
export function waitForTraderaAd(
  fake: TraderaFake,
  sourceId: string,
  settled: (ad: TraderaWireAd) => boolean,
): Promise<TraderaWireAd> {
  const path = `${AD_PATH}/${encodeURIComponent(sourceId)}`;
  return readProcessed(fake, () => traderaCall(fake, "GET", path), asTraderaAd, settled);
}

/** Creates the ad and waits until its creation has been processed. */
export async function createProcessed(
  fake: TraderaFake,
  body: Record<string, unknown>,
): Promise<TraderaWireAd> {
  const answer = await traderaCall(fake, "POST", AD_PATH, { body });
  if (answer.status !== 201) throw new Error(`create failed: ${JSON.stringify(answer.body)}`);
  const created = asTraderaAd(answer.body);
  return waitForTraderaAd(fake, created.source_id, requestSettled(newRequestId(created)));
}

/** The guide's "Request Body Example (Car)", for DEALER1, with overrides. */
export function traderaCarAd(
  sourceId: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    source_id: sourceId,
    dealer_code: "DEALER1",
    category_id: 1020,
    visible: true,
    title: "Volvo XC90 D5 AWD",
    body: "Well maintained Volvo XC90 with full service history.",
    price: [{ currency: "SEK", type: "list", amount: 350000 }],
    image_urls: [
      "https://example.com/images/car1-front.jpg",
      "https://example.com/images/car1-side.jpg",
    ],
    category_fields: {
      brand: "volvo",
      model: "xc90",
      model_type: "D5 AWD",
      model_year: 2019,
      body_type: "suv",
      registration_number: "ABC123",
      color: "black",
      condition: { mileage: { unit: "km", value: 45000 } },
      powertrain: { transmission: "automatic", fuels: ["diesel"] },
      equipments: ["navigation", "leather_seats"],
      warranty: "12 months warranty included",
    },
    url: "https://yourwebsite.com/cars/my-car-12345",
    dont_publish_on_failed_images: false,
    ...overrides,
  };
}

/** The guide's fixture with some category_fields changed. */
export function withCategoryFields(
  sourceId: string,
  changes: Record<string, unknown>,
): Record<string, unknown> {
  const ad = traderaCarAd(sourceId);
  const fields = isRecord(ad.category_fields) ? ad.category_fields : {};
  return { ...ad, category_fields: { ...fields, ...changes } };
}
