import {
  Headers,
  HttpClient,
  type HttpClientError,
  HttpClientRequest,
  UrlParams,
} from "@effect/platform";
import {
  Cause,
  Clock,
  Context,
  Duration,
  Effect,
  Exit,
  Fiber,
  FiberRef,
  LogLevel,
  Option,
  RateLimiter,
  Schedule,
  type Scope,
} from "effect";
import { AdsyncError, certainlyUnapplied, type ErrorReason, isRetryable } from "../errors.ts";
import {
  marketplaceTracing,
  secretQueryNameSet,
  secretQuerySpan,
} from "../observability/http-spans.ts";
import {
  metricsEnabled,
  recordHttpExchangeNow,
  recordRateLimiterWaitNow,
} from "../observability/metrics.ts";
import { SpanAttributes, tracingOn } from "../observability/tracing.ts";
import { type CachedAnswer, HttpAnswerCache } from "./answer-cache.ts";
import { CircuitBreakers } from "./circuit-breaker.ts";
import {
  defaultRetryPolicy,
  parseRetryAfter,
  type RetryPolicy,
  retrySchedule,
} from "./retry-policy.ts";
import { HttpTransport } from "./transport.ts";

export * from "./transport.ts";

/** Adds credentials to a request. An Effect so OAuth adapters can refresh tokens first. */
export interface Authenticate {
  (
    request: HttpClientRequest.HttpClientRequest,
  ): Effect.Effect<HttpClientRequest.HttpClientRequest, AdsyncError>;
  /**
   * Told when the marketplace answered 401 to a request these credentials authenticated (the
   * request as sent, so a bearer knows which token was refused). `MarketplaceHttp` then
   * authenticates and sends the request once more; a second 401 is the answer. Absent, a 401
   * is returned as it is (a fixed API key cannot get better by asking again).
   */
  readonly refused?:
    | ((sent: HttpClientRequest.HttpClientRequest) => Effect.Effect<void, AdsyncError>)
    | undefined;
}

export interface MarketplaceHttpOptions {
  /** Marketplace id, used in errors and logs. */
  readonly marketplace: string;
  /** Base URL of the environment (production, a development host, the sandbox). */
  readonly baseUrl: string;
  readonly authenticate: Authenticate;
  /**
   * Covers the whole exchange of one attempt: connecting, headers and reading the body (not the
   * rate limiter's wait, nor authentication: an OAuth refresh has its own client). A real timer,
   * not Effect's `Clock`. Default 30 s.
   */
  readonly timeout?: Duration.DurationInput | undefined;
  readonly retry?: Partial<RetryPolicy> | undefined;
  /**
   * At most `limit` requests per `interval` to this marketplace (an in-memory token bucket, or
   * the `HttpTenant`'s `ownLimiter`).
   */
  readonly rateLimit?: HttpRateLimit | undefined;
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
  /**
   * A limiter shared with other clients, taken after this client's own `rateLimit`: a limit of
   * the application (one client id) across every dealer, e.g. Allegro's 9,000 requests a minute
   * (allegro-api #8258). Absent: the `HttpTenant`'s, if any.
   */
  readonly sharedLimit?: RateLimiter.RateLimiter | undefined;
}

/**
 * Whom the clients built in its context make requests for, when an application builds adapters
 * per dealer (core's `DealerAdapters`): the dealer (keying the circuit breakers) and the
 * application's limiter for the marketplace. Read once when a client is built, so it reaches
 * every client an adapter makes without the adapter passing it on; an option given to
 * `makeMarketplaceHttp` wins.
 */
export class HttpTenant extends Context.Tag("@adsync/core/HttpTenant")<
  HttpTenant,
  {
    readonly dealer?: string | undefined;
    readonly sharedLimit?: RateLimiter.RateLimiter | undefined;
    /**
     * Makes the client's own limiter (its `rateLimit`) instead of an in-memory token bucket:
     * e.g. the dealer's limit kept in a database every worker shares (`DealerAdapters`'
     * `limiters`). Absent: `RateLimiter.make`, one bucket per client.
     */
    readonly ownLimiter?:
      | ((limit: HttpRateLimit) => Effect.Effect<RateLimiter.RateLimiter, never, Scope.Scope>)
      | undefined;
  }
>() {}

/** At most `limit` requests per `interval`. */
export interface HttpRateLimit {
  readonly limit: number;
  readonly interval: Duration.DurationInput;
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
   * Which transient failures are sent again (with backoff, honouring `Retry-After`):
   * - `true` (default): every retryable one (429, 5xx, transport errors, timeouts). For
   *   idempotent requests, and for creates whose duplicates the marketplace refuses
   *   (Pro Import's `source_id` conflict).
   * - `"unapplied"`: only failures where the marketplace certainly did not apply the request
   *   (`certainlyUnapplied`): a 429, or a connection refused before anything was sent. For
   *   POSTs with no idempotency key: a timeout, a dropped connection or a 5xx may have created
   *   something, so those are returned for the caller to reconcile (`resendWhileAbsent`).
   * - `false`: never (a purchase, a refresh of a rotating token).
   */
  readonly retry?: boolean | "unapplied" | undefined;
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

/** What a request reads once from its fiber: which observability is switched on. */
interface Observed {
  readonly metrics: boolean;
  readonly tracing: boolean;
  readonly debug: boolean;
}

/** An answer as read off the wire (or the cache): status, headers, body text. */
type Answer = CachedAnswer;

/**
 * Builds the one HTTP path of an adapter: base URL, credentials, a timeout around the whole
 * exchange, retries with backoff honouring Retry-After, a rate limit, and logs that never
 * contain headers (so never secrets). 429 and 5xx answers become retryable errors here; any
 * other status is returned for the adapter's error mapper to read.
 *
 * Cheap per request (#14): everything that can be is decided once per client (base URL, the
 * redacted names, the retry schedule); a request reads once from its fiber whether metrics,
 * spans and debug logs are on and builds nothing for what is off; the retry schedule is started
 * only after a first failure. With an `HttpTransport` in context, the exchange is one Promise
 * under one timer-driven `AbortSignal` (connect, headers and body) instead of Effect's client
 * and a timeout race.
 */
export const makeMarketplaceHttp = (
  options: MarketplaceHttpOptions,
): Effect.Effect<MarketplaceHttp, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function* () {
    const platform = yield* HttpClient.HttpClient;
    const tracedClient = marketplaceTracing(platform, options.secretQueryParams);
    // No span (and so no propagation header): the tracer goes nowhere.
    const untracedClient = platform.pipe(HttpClient.withTracerDisabledWhen(() => true));
    const transport = yield* Effect.serviceOption(HttpTransport);
    const cache = yield* Effect.serviceOption(HttpAnswerCache);
    const breakers = yield* Effect.serviceOption(CircuitBreakers);
    const tenant = Option.getOrUndefined(yield* Effect.serviceOption(HttpTenant));
    const scope = { marketplace: options.marketplace, dealer: options.dealer ?? tenant?.dealer };
    const own = options.rateLimit
      ? yield* (tenant?.ownLimiter ?? RateLimiter.make)({
          limit: options.rateLimit.limit,
          interval: options.rateLimit.interval,
        })
      : undefined;
    const shared = options.sharedLimit ?? tenant?.sharedLimit;
    // This client's own permit first, then the application's: a dealer over its own limit
    // waits without holding one of the permits every dealer shares.
    const limit: RateLimiter.RateLimiter | undefined =
      own !== undefined && shared !== undefined ? (effect) => own(shared(effect)) : (own ?? shared);
    const timeout = Duration.decode(options.timeout ?? "30 seconds");
    const timeoutMillis = Duration.toMillis(timeout);
    const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
    const schedule = retrySchedule(policy);
    const baseUrl = options.baseUrl.replace(/\/+$/, "");
    const serverAddress = hostOf(baseUrl);
    const secretHeaders = ["x-auth-token", ...(options.secretHeaders ?? [])];
    const secretHeaderNames = new Set(secretHeaders.map((name) => name.toLowerCase()));
    const secretQueryNames = secretQueryNameSet(options.secretQueryParams);
    const refused = options.authenticate.refused;

    const transportError = (operation: string, message: string, cause: unknown) =>
      new AdsyncError({
        reason: "Transport",
        marketplace: options.marketplace,
        operation,
        message: `${operation}: ${message}`,
        ...(connectionRefused(cause) ? { unapplied: true } : {}),
      });
    const timeoutError = (operation: string) =>
      new AdsyncError({
        reason: "Timeout",
        marketplace: options.marketplace,
        operation,
        message: `${operation}: no complete answer within ${Duration.format(timeout)}`,
      });

    /** Through Effect's `HttpClient`: its span (when tracing) below ours, a timeout race. */
    const viaClient = (
      outgoing: HttpClientRequest.HttpClientRequest,
      operation: string,
      observed: Observed,
    ): Effect.Effect<Answer, AdsyncError> => {
      const client = observed.tracing ? tracedClient : untracedClient;
      return client.execute(outgoing).pipe(
        observed.tracing ? secretQuerySpan(outgoing, options.secretQueryParams) : identity,
        Effect.flatMap((response) =>
          Effect.map(response.text, (text) => ({
            status: response.status,
            headers: response.headers,
            text,
          })),
        ),
        Effect.catchTag("RequestError", "ResponseError", (error: HttpClientError.HttpClientError) =>
          Effect.fail(
            transportError(
              operation,
              `${error.reason} error (${describeCause(error)})`,
              error._tag === "RequestError" ? error.cause : undefined,
            ),
          ),
        ),
        withTimeout(timeoutMillis, () => timeoutError(operation)),
      );
    };

    /** Through an `HttpTransport`: one Promise, one timer, one `AbortSignal`. */
    const viaTransport = (
      send: HttpTransport["Type"]["send"],
      outgoing: HttpClientRequest.HttpClientRequest,
      operation: string,
    ): Effect.Effect<Answer, AdsyncError> =>
      Effect.async<Answer, AdsyncError>((resume) => {
        const controller = new AbortController();
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, timeoutMillis);
        const body = outgoing.body;
        send({
          method: outgoing.method,
          url: urlOf(outgoing),
          headers: outgoing.headers,
          body: body._tag === "Uint8Array" ? body.body : undefined,
          signal: controller.signal,
        }).then(
          (answer) => {
            clearTimeout(timer);
            resume(Effect.succeed(answer));
          },
          (cause: unknown) => {
            clearTimeout(timer);
            resume(
              Effect.fail(
                timedOut
                  ? timeoutError(operation)
                  : transportError(operation, `Transport error (${describeError(cause)})`, cause),
              ),
            );
          },
        );
        return Effect.sync(() => {
          clearTimeout(timer);
          controller.abort();
        });
      });

    /** adsync's own `http.client` span around a transport exchange, secrets redacted. */
    const transportSpan = (
      outgoing: HttpClientRequest.HttpClientRequest,
      attempt: number,
      exchange: Effect.Effect<Answer, AdsyncError>,
    ): Effect.Effect<Answer, AdsyncError> => {
      const url = new URL(urlOf(outgoing));
      const attributes: Record<string, unknown> = {
        "http.request.method": outgoing.method,
        "server.address": url.origin,
        "url.path": url.pathname,
        "url.scheme": url.protocol.slice(0, -1),
        [SpanAttributes.marketplace]: options.marketplace,
        [SpanAttributes.attempt]: attempt,
      };
      if (url.port !== "") attributes["server.port"] = Number(url.port);
      if (outgoing.urlParams.length > 0) {
        const redactQuery = outgoing.urlParams.some(([name]) =>
          secretQueryNames.has(name.toLowerCase()),
        );
        attributes["url.query"] = redactQuery
          ? outgoing.urlParams.map(([name]) => `${encodeURIComponent(name)}=<redacted>`).join("&")
          : url.search.slice(1);
        if (!redactQuery) attributes["url.full"] = url.toString();
      } else attributes["url.full"] = url.toString();
      for (const [name, value] of Object.entries(outgoing.headers))
        attributes[`http.request.header.${name}`] = redactedHeader(name, value);
      return exchange.pipe(
        Effect.tap((answer) =>
          Effect.annotateCurrentSpan("http.response.status_code", answer.status),
        ),
        Effect.withSpan(`http.client ${outgoing.method}`, { kind: "client", attributes }),
      );
    };
    const redactedHeader = (name: string, value: string) =>
      secretHeaderNames.has(name) || redactedByDefault.has(name) ? "<redacted>" : value;

    /** One exchange on the wire (or from the cache), within the timeout, measured if asked. */
    const exchange = (
      request: HttpRequest,
      operation: string,
      attempt: number,
      observed: Observed,
      replayed = false,
      built: HttpClientRequest.HttpClientRequest = buildRequest(baseUrl, request, options),
    ): Effect.Effect<Answer, AdsyncError> =>
      Effect.gen(function* () {
        const outgoing = yield* options.authenticate(built);
        const sentAt = observed.metrics ? yield* Clock.currentTimeMillis : 0;
        const sent = Option.isSome(transport)
          ? observed.tracing
            ? transportSpan(
                outgoing,
                attempt,
                viaTransport(transport.value.send, outgoing, operation),
              )
            : viaTransport(transport.value.send, outgoing, operation)
          : viaClient(outgoing, operation, observed);
        const answer = observed.metrics
          ? yield* Effect.onExit(sent, (exit) =>
              Effect.flatMap(Clock.currentTimeMillis, (now) =>
                recordHttpExchangeNow({
                  marketplace: options.marketplace,
                  method: request.method,
                  serverAddress,
                  durationMillis: now - sentAt,
                  status: Exit.isSuccess(exit) ? exit.value.status : undefined,
                  failure: Exit.isFailure(exit)
                    ? Option.getOrUndefined(
                        Option.map(Cause.failureOption(exit.cause), (error) =>
                          error.reason.toLowerCase(),
                        ),
                      )
                    : undefined,
                }).pipe(
                  // An attempt cut short by interruption records nothing.
                  Effect.when(() => !(Exit.isFailure(exit) && Cause.isInterruptedOnly(exit.cause))),
                ),
              ),
            )
          : yield* sent;
        // The bearer's token was refused (revoked, or expired early): it is told which one,
        // refreshes, and the request goes once more with the new one.
        if (answer.status === 401 && refused !== undefined && !replayed) {
          yield* refused(outgoing);
          return yield* exchange(request, operation, attempt, observed, true);
        }
        if (Option.isSome(cache) && answer.status === 200)
          yield* cache.value.set(options.marketplace, built, answer);
        return answer;
      });

    /** One attempt: rate limit, exchange, then 429/5xx as retryable errors. */
    const attempt = (
      request: HttpRequest,
      operation: string,
      number: number,
      observed: Observed,
    ): Effect.Effect<HttpResponse, AdsyncError> =>
      Effect.gen(function* () {
        const started = observed.debug ? yield* Clock.currentTimeMillis : 0;
        const built = buildRequest(baseUrl, request, options);
        // A cached answer (the reference cache) sends nothing: it takes no permit of the rate
        // limit (another request of the dealer's would wait behind it for nothing) and costs
        // no token refresh.
        const cached = Option.isSome(cache)
          ? yield* cache.value.get(options.marketplace, built)
          : Option.none<Answer>();
        let sent = Option.isSome(cached)
          ? Effect.succeed(cached.value)
          : exchange(request, operation, number, observed, false, built);
        if (limit !== undefined && Option.isNone(cached)) {
          const queued = yield* Clock.currentTimeMillis;
          sent = limit(
            observed.metrics
              ? Effect.zipRight(
                  Effect.flatMap(Clock.currentTimeMillis, (now) =>
                    recordRateLimiterWaitNow(options.marketplace, now - queued),
                  ),
                  sent,
                )
              : sent,
          );
        }
        const answer = yield* Effect.tapError(sent, (error) =>
          Effect.logWarning(`${options.marketplace} ${operation} failed: ${error.message}`),
        );
        if (observed.debug) {
          const now = yield* Clock.currentTimeMillis;
          yield* Effect.logDebug(`${options.marketplace} ${operation} → ${answer.status}`).pipe(
            Effect.annotateLogs({ marketplace: options.marketplace, durationMs: now - started }),
          );
        }
        const body = parseBody(answer.text);
        if (answer.status === 429 || answer.status >= 500) {
          const now = yield* Clock.currentTimeMillis;
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

    /** Attempt `number`, behind the breakers when there are any; on Effect's client spans. */
    const guarded = (
      request: HttpRequest,
      operation: string,
      number: number,
      observed: Observed,
    ): Effect.Effect<HttpResponse, AdsyncError> => {
      const once = attempt(request, operation, number, observed);
      const behind = Option.isSome(breakers)
        ? breakers.value.guard(scope, operation, once, authAnswer)
        : once;
      // Effect's client span takes these from the fiber; adsync's transport span has them.
      return observed.tracing && Option.isNone(transport)
        ? Effect.annotateSpans(behind, {
            [SpanAttributes.marketplace]: options.marketplace,
            [SpanAttributes.attempt]: number,
          })
        : behind;
    };

    /** The retries, started only after a first retryable failure (the schedule's first input). */
    const retried = (
      request: HttpRequest,
      operation: string,
      observed: Observed,
      first: AdsyncError,
      again: (error: AdsyncError) => boolean,
    ): Effect.Effect<HttpResponse, AdsyncError> =>
      Effect.flatMap(Schedule.driver(schedule), (driver) => {
        let number = 1;
        const loop = (error: AdsyncError): Effect.Effect<HttpResponse, AdsyncError> =>
          // An open breaker fails fast: retrying it here would only wait out the backoff.
          error.reason === "CircuitOpen" || !again(error)
            ? Effect.fail(error)
            : Effect.matchEffect(driver.next(error), {
                onFailure: () => Effect.fail(error),
                onSuccess: () => {
                  number += 1;
                  return Effect.catchAll(guarded(request, operation, number, observed), loop);
                },
              });
        return loop(first);
      });

    const send = (request: HttpRequest, observed: Observed) => {
      const operation = `${request.method} ${request.path}`;
      const first = guarded(request, operation, 1, observed);
      const again = request.retry === "unapplied" ? certainlyUnapplied : isRetryable;
      const sent =
        request.retry === false
          ? first
          : Effect.catchAll(first, (error) =>
              again(error)
                ? retried(request, operation, observed, error, again)
                : Effect.fail(error),
            );
      // Effect's client span redacts the header names of this fiber ref; nothing else prints
      // headers (logs never do), so it is set only when there is a span to redact.
      return observed.tracing && Option.isNone(transport)
        ? Effect.locallyWith(sent, Headers.currentRedactedNames, (names) => [
            ...names,
            ...secretHeaders,
          ])
        : sent;
    };

    return {
      marketplace: options.marketplace,
      request: (request) =>
        Effect.withFiberRuntime((fiber) =>
          send(request, {
            metrics: fiber.getFiberRef(metricsEnabled),
            tracing: tracingOn(fiber),
            debug: LogLevel.lessThanEqual(
              fiber.getFiberRef(FiberRef.currentMinimumLogLevel),
              LogLevel.Debug,
            ),
          }),
        ),
    } satisfies MarketplaceHttp;
  });

const identity = <A>(a: A): A => a;

/**
 * `effect`, failing with `onTimeout()` (and interrupted) if it has not ended within `millis`:
 * one forked fiber and one timer, cheaper than `Effect.timeoutFail`'s race of two fibers.
 */
const withTimeout =
  <E2>(millis: number, onTimeout: () => E2) =>
  <A, E>(effect: Effect.Effect<A, E>): Effect.Effect<A, E | E2> =>
    Effect.flatMap(Effect.fork(effect), (fiber) =>
      Effect.async<A, E | E2>((resume) => {
        let done = false;
        const timer = setTimeout(() => {
          if (done) return;
          done = true;
          resume(Effect.zipRight(Fiber.interrupt(fiber), Effect.fail(onTimeout())));
        }, millis);
        fiber.addObserver((exit) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          resume(exit);
        });
        return Effect.suspend(() => {
          done = true;
          clearTimeout(timer);
          return Fiber.interrupt(fiber);
        });
      }),
    );

/** Effect's default redacted header names, for adsync's own transport span. */
const redactedByDefault: ReadonlySet<string> = new Set([
  "authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
]);

/** The absolute URL of a request, query included. */
const urlOf = (request: HttpClientRequest.HttpClientRequest): string =>
  request.urlParams.length === 0
    ? request.url
    : `${request.url}${request.url.includes("?") ? "&" : "?"}${UrlParams.toString(request.urlParams)}`;

/**
 * Whether a transport failure is a refused connection (`ECONNREFUSED`, on the error or its
 * causes): nothing was sent, so nothing was applied. A reset or a hang-up is not: the request
 * may have been written and read before the connection broke.
 */
const connectionRefused = (cause: unknown): boolean => {
  let current = cause;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    if ((current as { readonly code?: unknown }).code === "ECONNREFUSED") return true;
    current = (current as { readonly cause?: unknown }).cause;
  }
  return false;
};

const describeError = (cause: unknown): string => {
  if (cause instanceof Error) {
    const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : "";
    return `${cause.message}${inner}`;
  }
  return String(cause);
};

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
