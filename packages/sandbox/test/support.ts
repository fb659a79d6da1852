import { expect } from "vitest";
import {
  BLOCKET_SANDBOX_TOKEN,
  type BlocketFake,
  type BlocketFakeOptions,
  type ProcessingFake,
  startBlocketFake,
} from "../src/index.ts";

export type RunningBlocketFake = BlocketFake & { close(): Promise<void> };

/**
 * A Blocket fake on the manual clock, closed by the caller: its processing runs only when the
 * test says so (`processing.advance/flush`, or `waitForAd`), never racing the machine.
 */
export function startFastBlocketFake(
  options: BlocketFakeOptions = {},
): Promise<RunningBlocketFake> {
  return startBlocketFake({ processingDelayMs: 20, clock: "manual", ...options });
}

export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

export interface CallOptions {
  /** null sends no token; default BLOCKET_SANDBOX_TOKEN */
  readonly token?: string | null;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** One request to the fake; `path` is appended to its base URL ("/v4/ad", ...). */
export function call(
  fake: BlocketFake,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ApiAnswer> {
  return sendRequest(`${fake.url}${path}`, BLOCKET_SANDBOX_TOKEN, method, options);
}

/** One request with fetch; `defaultToken` goes in X-Auth-Token unless `options.token` says otherwise. */
export async function sendRequest(
  url: string,
  defaultToken: string,
  method: string,
  options: CallOptions,
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? defaultToken : options.token;
  if (token !== null) headers["X-Auth-Token"] = token;
  const init: RequestInit = { method, headers };
  if (options.body !== undefined) {
    headers["Content-Type"] ??= "application/json";
    init.body = JSON.stringify(options.body);
  }
  const response = await fetch(url, init);
  const text = await response.text();
  const body: unknown = text === "" ? undefined : JSON.parse(text);
  return { status: response.status, headers: response.headers, body };
}

export interface WireLogEntry {
  readonly action: string;
  readonly state: string;
  readonly created: string;
  readonly request_id: string;
  readonly external_message: string | null;
}

export interface WireAd {
  readonly source_id: string;
  readonly state: string;
  readonly visible: boolean;
  readonly blocket_ad_id: string | null;
  readonly blocket_store_id: string | null;
  readonly bytbil_ad_id: string | null;
  readonly log: ReadonlyArray<WireLogEntry>;
  readonly [field: string]: unknown;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isLogEntry(value: unknown): value is WireLogEntry {
  return (
    isRecord(value) &&
    typeof value.action === "string" &&
    typeof value.state === "string" &&
    typeof value.request_id === "string"
  );
}

function isWireAd(value: unknown): value is WireAd {
  return (
    isRecord(value) &&
    typeof value.source_id === "string" &&
    Array.isArray(value.log) &&
    value.log.every(isLogEntry)
  );
}

/** The body as an ad with its log, failing the test when it is not one. */
export function asAd(body: unknown): WireAd {
  if (!isWireAd(body)) throw new Error(`not an ad with a log: ${JSON.stringify(body)}`);
  return body;
}

export interface WirePage {
  readonly count: number;
  readonly next: string | null;
  readonly previous: string | null;
  readonly results: ReadonlyArray<Record<string, unknown>>;
}

export function asPage(body: unknown): WirePage {
  if (
    !isRecord(body) ||
    typeof body.count !== "number" ||
    !Array.isArray(body.results) ||
    !body.results.every(isRecord)
  ) {
    throw new Error(`not a page: ${JSON.stringify(body)}`);
  }
  const next = typeof body.next === "string" ? body.next : null;
  const previous = typeof body.previous === "string" ? body.previous : null;
  return { count: body.count, next, previous, results: body.results };
}

/** Lets the fake process everything it holds, then GETs the ad: `settled` must hold for it. */
export function waitForAd(
  fake: BlocketFake,
  sourceId: string,
  settled: (ad: WireAd) => boolean,
  version: "v3" | "v4" = "v4",
): Promise<WireAd> {
  const path = `/${version}/ad/${encodeURIComponent(sourceId)}`;
  return readProcessed(fake, () => call(fake, "GET", path), asAd, settled);
}

/**
 * Runs the fake's pending processing to the end (with either clock), then reads the ad once:
 * `settled` must hold for it. Nothing here waits on real time.
 */
export async function readProcessed<Ad>(
  fake: ProcessingFake,
  read: () => Promise<ApiAnswer>,
  parse: (body: unknown) => Ad,
  settled: (ad: Ad) => boolean,
): Promise<Ad> {
  fake.processing.flush();
  const answer = await read();
  expect(answer.status).toBe(200);
  const ad = parse(answer.body);
  if (!settled(ad)) throw new Error(`not settled after processing: ${JSON.stringify(ad)}`);
  return ad;
}

/**
 * Resolves once `condition` holds, checking after each turn of the event loop: for what a
 * request does inside the fake (arrive, be applied). No deadline of its own, so a loaded machine
 * only makes it slower; the test's timeout ends it if the condition never holds.
 */
export async function eventually(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

/** What the log helpers need of an ad, whichever fake answered it. */
export interface LoggedAd {
  readonly log: ReadonlyArray<WireLogEntry>;
}

/** Every log entry of the request is done or error. */
export function requestSettled(requestId: string): (ad: LoggedAd) => boolean {
  return (ad) =>
    ad.log
      .filter((entry) => entry.request_id === requestId)
      .every((entry) => entry.state !== "processing");
}

/** The one request id of the entries an answer added to the log after `before` entries. */
export function newRequestId(ad: LoggedAd, before = 0): string {
  const ids = new Set(ad.log.slice(before).map((entry) => entry.request_id));
  expect(ids.size).toBe(1);
  const [requestId] = ids;
  if (requestId === undefined) throw new Error("no new log entries");
  return requestId;
}

export function carAd(
  sourceId: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    source_id: sourceId,
    dealer_code: "DEALER1",
    category_id: "1020",
    body: "Well kept Volvo XC60, one owner",
    price: [{ type: "list", amount: 34900000, currency: "SEK" }],
    image_urls: ["https://cdn.example.com/xc60/1.jpg", "https://cdn.example.com/xc60/2.jpg"],
    category_fields: {
      brand: "volvo",
      model: "xc60",
      model_year: 2021,
      body_type: "suv",
      registration_number: "ABC123",
      condition: { mileage: { unit: "mil", value: 4500 } },
      powertrain: { transmission: "automatic", fuels: ["diesel"] },
    },
    ...overrides,
  };
}

export function mopedV4Ad(
  sourceId: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    source_id: sourceId,
    dealer_code: "DEALER1",
    category_id: "1121",
    body: "Excellent condition Yamaha Aerox moped, well maintained",
    price: [{ type: "list", amount: 35000, currency: "SEK" }],
    visible: true,
    location: { longitude: 18.0686, latitude: 59.3293 },
    category_fields: {
      body_type: "moped",
      brand: "yamaha",
      model: "aerox",
      model_year: 2020,
      registration_number: "ABC123",
      condition: { mileage: { unit: "km", value: 5000 }, is_new_vehicle: false },
      powertrain: { transmission: "automatic", fuels: ["gasoline"] },
    },
    ...overrides,
  };
}

/** A non-vehicle ad: title and contact required, no category_fields. */
export function simpleAd(
  sourceId: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    source_id: sourceId,
    dealer_code: "DEALER1",
    category_id: 1042,
    title: "Winter tyres 17 inch",
    body: "Four Nokian winter tyres on alloy rims",
    price: [{ type: "list", amount: 4000 }],
    contact: { name: "Sir Henry", phone: "0700000000", email: "henry@example.com" },
    ...overrides,
  };
}

/** A legacy V3 moped ad: a simple ad, the only kind V3 offers in category 1121. */
export function mopedV3Ad(sourceId: string): Record<string, unknown> {
  return {
    source_id: sourceId,
    category_id: 1121,
    title: "Yamaha Aerox 2020",
    body: "Legacy moped ad",
    price: [{ type: "list", amount: 30000 }],
    image_urls: ["http://old-cdn.example.com/aerox.jpg"],
    contact: { name: "Sir Henry", phone: "0700000000", email: "henry@example.com" },
  };
}

/** A copy of a fixture's category_fields, to derive variants from. */
export function categoryFieldsOf(ad: Record<string, unknown>): Record<string, unknown> {
  const fields = ad.category_fields;
  if (!isRecord(fields)) throw new Error("fixture without category_fields");
  return { ...fields };
}
