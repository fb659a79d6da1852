import { Headers, HttpClient, type HttpClientError, HttpClientRequest } from "@effect/platform";
import { Cause, Clock, Duration, Effect, Exit, Option, RateLimiter, type Scope } from "effect";
import { AdsyncError, type ErrorReason } from "../errors.ts";
import { marketplaceTracing, secretQuerySpan } from "../observability/http-spans.ts";
import { recordHttpExchange, recordRateLimiterWait } from "../observability/metrics.ts";
import { SpanAttributes } from "../observability/tracing.ts";
import { HttpAnswerCache } from "./answer-cache.ts";
import { CircuitBreakers } from "./circuit-breaker.ts";
import {
  defaultRetryPolicy,
  parseRetryAfter,
  type RetryPolicy,
  retrySchedule,
} from "./retry-policy.ts";

/** Adds credentials to a request. An Effect so OAuth adapters can refresh tokens first. */
export type Authenticate = (
  request: HttpClientRequest.HttpClientRequest,
) => Effect.Effect<HttpClientRequest.HttpClientRequest, AdsyncError>;

export interface MarketplaceHttpOptions {
  /** Marketplace id, used in errors and logs. */
  readonly marketplace: string;
  /** Base URL of the environment (production, a development host, the sandbox). */
  readonly baseUrl: string;
  readonly authenticate: Authenticate;
  /** Covers the whole exchange: connecting, headers and reading the body. Default 30 s. */
  readonly timeout?: Duration.DurationInput | undefined;
  readonly retry?: Partial<RetryPolicy> | undefined;
  /** At most `limit` requests per `interval` to this marketplace (token bucket). */
  readonly rateLimit?:
    | { readonly limit: number; readonly interval: Duration.DurationInput }
    | undefined;
  readonly userAgent?: string | undefined;
  /** The media type to accept (default `application/json`; Allegro's is vendor-specific). */
  readonly accept?: string | undefined;
  /**
   * Header names that carry secrets, redacted wherever Effect prints headers (traces, errors).
   * `x-auth-token` is always among them: it is not in Effect's default list.
   */
  readonly secretHeaders?: ReadonlyArray<string> | undefined;
  /**
   * Query parameter names that carry secrets, beyond `defaultSecretQueryParams` (OAuth's
   * `refresh_token`, `client_secret`, …): a request with one gets a span with the query redacted.
   */
  readonly secretQueryParams?: ReadonlyArray<string> | undefined;
  /** The dealer these credentials belong to: keys the (dealer, marketplace) circuit breaker. */
  readonly dealer?: string | undefined;
}

export type QueryValue = string | number | boolean | undefined;

export interface HttpRequest {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path relative to the base URL, starting with "/". */
  readonly path: string;
  readonly query?: Readonly<Record<string, QueryValue>> | undefined;
  /** JSON body. */
  readonly body?: unknown;
  readonly contentType?: string | undefined;
  /** Overrides the client's `accept` for this request. */
  readonly accept?: string | undefined;
  /**
   * Whether transient failures are retried. Default true: the callers of non-idempotent
   * requests either reconcile duplicates themselves (Pro Import's source_id conflict) or opt out.
   */
  readonly retry?: boolean | undefined;
}

/** An answer that was not a transient failure (every 1xx–4xx status), body parsed as JSON if it is. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export interface MarketplaceHttp {
  readonly marketplace: string;
  readonly request: (request: HttpRequest) => Effect.Effect<HttpResponse, AdsyncError>;
}

/**
 * Builds the one HTTP path of an adapter: base URL, credentials, a timeout around the whole
 * exchange, retries with backoff honouring Retry-After, a rate limit, and logs that never
 * contain headers (so never secrets). 429 and 5xx answers become retryable errors here; any
 * other status is returned for the adapter's error mapper to read.
 */
export const makeMarketplaceHttp = (
  options: MarketplaceHttpOptions,
): Effect.Effect<MarketplaceHttp, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function* () {
    const client = marketplaceTracing(yield* HttpClient.HttpClient, options.secretQueryParams);
    const cache = yield* Effect.serviceOption(HttpAnswerCache);
    const breakers = yield* Effect.serviceOption(CircuitBreakers);
    const scope = { marketplace: options.marketplace, dealer: options.dealer };
    const limit = options.rateLimit
      ? yield* RateLimiter.make({
          limit: options.rateLimit.limit,
          interval: options.rateLimit.interval,
        })
      : <A, E, R>(effect: Effect.Effect<A, E, R>) => effect;
    const timeout = Duration.decode(options.timeout ?? "30 seconds");
    const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
    const schedule = retrySchedule(policy);
    const baseUrl = options.baseUrl.replace(/\/+$/, "");
    const serverAddress = hostOf(baseUrl);

    const attempt = (request: HttpRequest) =>
      Effect.gen(function* () {
        const operation = `${request.method} ${request.path}`;
        const started = yield* Clock.currentTimeMillis;
        let fromCache = false;
        const exchange = Effect.gen(function* () {
          const built = buildRequest(baseUrl, request, options);
          // Before authenticating: a cached answer must not cost a token refresh.
          const cached = Option.isSome(cache)
            ? yield* cache.value.get(options.marketplace, built)
            : Option.none();
          if (Option.isSome(cached)) {
            fromCache = true;
            return cached.value;
          }
          const outgoing = yield* options.authenticate(built);
          const response = yield* client
            .execute(outgoing)
            .pipe(secretQuerySpan(outgoing, options.secretQueryParams));
          const text = yield* response.text;
          const answer = { status: response.status, headers: response.headers, text };
          if (Option.isSome(cache) && answer.status === 200)
            yield* cache.value.set(options.marketplace, built, answer);
          return answer;
        }).pipe(
          Effect.catchTag(
            "RequestError",
            "ResponseError",
            (error: HttpClientError.HttpClientError) =>
              Effect.fail(
                new AdsyncError({
                  reason: "Transport",
                  marketplace: options.marketplace,
                  operation,
                  message: `${operation}: ${error.reason} error (${describeCause(error)})`,
                }),
              ),
          ),
          Effect.timeoutFail({
            duration: timeout,
            onTimeout: () =>
              new AdsyncError({
                reason: "Timeout",
                marketplace: options.marketplace,
                operation,
                message: `${operation}: no complete answer within ${Duration.format(timeout)}`,
              }),
          }),
        );
        // Metrics of the exchange (the time waited for the rate limiter apart), not of a
        // cached answer; an attempt cut short by the retry's interruption records nothing.
        const measured = Effect.gen(function* () {
          const sentAt = yield* Clock.currentTimeMillis;
          if (options.rateLimit !== undefined)
            yield* recordRateLimiterWait(options.marketplace, sentAt - started);
          const exit = yield* Effect.exit(exchange);
          if (!fromCache) {
            const failure = Exit.isFailure(exit)
              ? Cause.failureOption(exit.cause).pipe(
                  Option.map((error) => error.reason.toLowerCase()),
                  Option.getOrUndefined,
                )
              : undefined;
            yield* recordHttpExchange({
              marketplace: options.marketplace,
              method: request.method,
              serverAddress,
              durationMillis: (yield* Clock.currentTimeMillis) - sentAt,
              status: Exit.isSuccess(exit) ? exit.value.status : undefined,
              failure,
            });
          }
          return yield* exit;
        });
        const answer = yield* limit(measured).pipe(
          Effect.tapError((error) =>
            Effect.logWarning(`${options.marketplace} ${operation} failed: ${error.message}`),
          ),
        );
        const now = yield* Clock.currentTimeMillis;
        yield* Effect.logDebug(`${options.marketplace} ${operation} → ${answer.status}`).pipe(
          Effect.annotateLogs({ marketplace: options.marketplace, durationMs: now - started }),
        );
        const body = parseBody(answer.text);
        if (answer.status === 429 || answer.status >= 500) {
          const retryAfterSeconds = parseRetryAfter(answer.headers["retry-after"], now);
          yield* Effect.logWarning(
            `${options.marketplace} ${operation} answered ${answer.status}${retryAfterSeconds === undefined ? "" : ` (Retry-After ${retryAfterSeconds} s)`}`,
          );
          return yield* Effect.fail(
            new AdsyncError({
              reason: answer.status === 429 ? "RateLimited" : "Unavailable",
              marketplace: options.marketplace,
              operation,
              status: answer.status,
              message: `${operation}: ${answer.status} ${summarize(body)}`,
              ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
            }),
          );
        }
        return { status: answer.status, headers: answer.headers, body } satisfies HttpResponse;
      });

    const secretHeaders = ["x-auth-token", ...(options.secretHeaders ?? [])];
    const redacting = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      Effect.locallyWith(effect, Headers.currentRedactedNames, (names) => [
        ...names,
        ...secretHeaders,
      ]);

    return {
      marketplace: options.marketplace,
      request: (request) =>
        Effect.suspend(() => {
          let attempts = 0;
          const numbered = Effect.suspend(() => {
            attempts += 1;
            const guarded = Option.isSome(breakers)
              ? breakers.value.guard(
                  scope,
                  `${request.method} ${request.path}`,
                  attempt(request),
                  authAnswer,
                )
              : attempt(request);
            return guarded.pipe(
              Effect.annotateSpans({
                [SpanAttributes.marketplace]: options.marketplace,
                [SpanAttributes.attempt]: attempts,
              }),
            );
          });
          return redacting(
            request.retry === false
              ? numbered
              : // An open breaker fails fast: retrying it here would only wait out the backoff.
                numbered.pipe(
                  Effect.retry({ schedule, while: (error) => error.reason !== "CircuitOpen" }),
                ),
          );
        }),
    } satisfies MarketplaceHttp;
  });

const buildRequest = (
  baseUrl: string,
  request: HttpRequest,
  options: Pick<MarketplaceHttpOptions, "userAgent" | "accept">,
): HttpClientRequest.HttpClientRequest => {
  const userAgent = options.userAgent;
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) query[key] = String(value);
  }
  let outgoing = HttpClientRequest.make(request.method)(`${baseUrl}${request.path}`).pipe(
    HttpClientRequest.setUrlParams(query),
    HttpClientRequest.accept(request.accept ?? options.accept ?? "application/json"),
  );
  if (userAgent !== undefined)
    outgoing = HttpClientRequest.setHeader(outgoing, "user-agent", userAgent);
  if (request.body !== undefined) {
    outgoing = HttpClientRequest.bodyText(
      outgoing,
      JSON.stringify(request.body),
      request.contentType ?? "application/json",
    );
  }
  return outgoing;
};

/** 401/403 are returned to the adapter, yet they tell a dealer's breaker its key is refused. */
const authAnswer = (response: HttpResponse): ErrorReason | undefined =>
  response.status === 401 ? "Unauthorized" : response.status === 403 ? "Forbidden" : undefined;

const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

const parseBody = (text: string): unknown => {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

const summarize = (body: unknown): string => {
  const text = typeof body === "string" ? body : JSON.stringify(body ?? "");
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
};

const describeCause = (error: HttpClientError.HttpClientError): string => {
  const cause = error.cause;
  if (cause instanceof Error) {
    const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : "";
    return `${cause.message}${inner}`;
  }
  return error.description ?? "no detail";
};
