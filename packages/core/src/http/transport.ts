import { Context, Layer } from "effect";
import type { CachedAnswer } from "./answer-cache.ts";

/** One request as `makeMarketplaceHttp` hands it to an `HttpTransport`: already authenticated. */
export interface TransportRequest {
  readonly method: string;
  /** The absolute URL, query included. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array | undefined;
  /** Aborted on timeout (covering connect, headers and body) or when the request is interrupted. */
  readonly signal: AbortSignal;
}

/** A whole answer: status, headers (lower-case names) and the body read to its end. */
export type TransportAnswer = CachedAnswer;

/**
 * A transport under `MarketplaceHttp` cheaper than Effect's `HttpClient`: one Promise per
 * attempt, the exchange (connect, headers, body) under one `AbortSignal`. When provided, every
 * `MarketplaceHttp` built in its context sends through it instead of the `HttpClient`; the
 * timeout, retries, rate limit, circuit breakers, metrics, spans (adsync's own `http.client`
 * span, secrets redacted) and logs are the same. A rejection is a transport failure (retried).
 */
export class HttpTransport extends Context.Tag("@adsync/core/HttpTransport")<
  HttpTransport,
  { readonly send: (request: TransportRequest) => Promise<TransportAnswer> }
>() {}

/**
 * The part of an undici `Dispatcher` (`new Agent()`, `getGlobalDispatcher()`, the `Dispatcher`
 * of `@effect/platform-node`'s `NodeHttpClient`) a transport needs: described here, so core
 * imports no Node-only package.
 */
export interface UndiciDispatcherLike {
  request(options: {
    readonly origin: string;
    readonly path: string;
    readonly method: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: Uint8Array | null;
    readonly signal: AbortSignal;
    readonly headersTimeout: number;
    readonly bodyTimeout: number;
  }): Promise<{
    readonly statusCode: number;
    readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>;
    readonly body: { text(): Promise<string> };
  }>;
}

const flatHeaders = (
  headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>,
): Record<string, string> => {
  const flat: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) flat[name] = typeof value === "string" ? value : value.join(", ");
  }
  return flat;
};

/** Where the path starts in an absolute URL (after `scheme://host[:port]`). */
const pathStart = (url: string): number => {
  const slash = url.indexOf("/", url.indexOf("//") + 2);
  return slash === -1 ? url.length : slash;
};

/** An `HttpTransport` over an undici dispatcher (its own timeouts off: ours covers the body). */
export const undiciTransport = (dispatcher: UndiciDispatcherLike): HttpTransport["Type"] => ({
  send: async (request) => {
    const split = pathStart(request.url);
    const response = await dispatcher.request({
      origin: request.url.slice(0, split),
      path: split === request.url.length ? "/" : request.url.slice(split),
      method: request.method,
      headers: request.headers,
      body: request.body ?? null,
      signal: request.signal,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: flatHeaders(response.headers), text };
  },
});

/** An `HttpTransport` over the platform's `fetch` (any runtime; on Node, undici's `fetch`). */
export const fetchTransport: HttpTransport["Type"] = {
  send: async (request) => {
    // fetch computes the length of the body itself and refuses one given as a header.
    const { "content-length": _length, ...sent } = request.headers;
    const response = await fetch(request.url, {
      method: request.method,
      headers: sent,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: request.signal,
    });
    const text = await response.text();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: response.status, headers, text };
  },
};

/** Sends every `MarketplaceHttp` built with this layer in context through `transport`. */
export const httpTransportLayer = (transport: HttpTransport["Type"]): Layer.Layer<HttpTransport> =>
  Layer.succeed(HttpTransport, transport);
