import { HttpClient, type HttpClientRequest } from "@effect/platform";
import { Effect } from "effect";

/**
 * Query parameters that carry credentials. OAuth token endpoints (Marktplaats, Allegro) take
 * `refresh_token` and `client_secret` in the query; Effect's HTTP client span records the full
 * URL (`url.full`, `url.query`) and redacts headers only, so such a request gets our own span
 * instead, with the query's values redacted.
 */
export const defaultSecretQueryParams: ReadonlyArray<string> = [
  "access_token",
  "refresh_token",
  "client_secret",
  "code",
  "code_verifier",
  "password",
  "token",
  "assertion",
];

/** The secret query names (lower-case): the defaults and `extra`. */
export const secretQueryNameSet = (extra: ReadonlyArray<string> = []): ReadonlySet<string> =>
  new Set([...defaultSecretQueryParams, ...extra].map((name) => name.toLowerCase()));

const carriesSecretQuery =
  (names: ReadonlySet<string>) =>
  (request: HttpClientRequest.HttpClientRequest): boolean =>
    request.urlParams.some(([name]) => names.has(name.toLowerCase()));

/**
 * The client a marketplace is called through, as far as traces go: no trace propagation header
 * (`traceparent`, `b3`) is ever sent to a marketplace — our trace ids are ours — and a request
 * with a credential in its query gets no span from Effect's client (see `secretQuerySpan`).
 */
export const marketplaceTracing = (
  client: HttpClient.HttpClient,
  secretQueryParams: ReadonlyArray<string> = [],
): HttpClient.HttpClient => {
  const names = secretQueryNameSet(secretQueryParams);
  return client.pipe(
    HttpClient.withTracerPropagation(false),
    HttpClient.withTracerDisabledWhen(carriesSecretQuery(names)),
  );
};

/**
 * Our own `http.client <METHOD>` span around a request whose query carries a credential:
 * the same attribute names as Effect's client span, with every query value redacted.
 */
export const secretQuerySpan = (
  request: HttpClientRequest.HttpClientRequest,
  secretQueryParams: ReadonlyArray<string> = [],
) => {
  const names = secretQueryNameSet(secretQueryParams);
  return <A extends { readonly status: number }, E, R>(
    effect: Effect.Effect<A, E, R>,
  ): Effect.Effect<A, E, R> => {
    if (!carriesSecretQuery(names)(request)) return effect;
    const url = new URL(request.url);
    const query = request.urlParams
      .map(([name]) => `${encodeURIComponent(name)}=<redacted>`)
      .join("&");
    return effect.pipe(
      Effect.tap((response) =>
        Effect.annotateCurrentSpan("http.response.status_code", response.status),
      ),
      Effect.withSpan(`http.client ${request.method}`, {
        kind: "client",
        attributes: {
          "http.request.method": request.method,
          "server.address": url.origin,
          "url.path": url.pathname,
          "url.scheme": url.protocol.slice(0, -1),
          "url.query": query,
        },
      }),
    );
  };
};
