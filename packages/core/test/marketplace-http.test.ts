import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient";
import * as Undici from "@effect/platform-node/Undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@effect/vitest";
import {
  Cause,
  Effect,
  Either,
  Exit,
  Layer,
  Logger,
  LogLevel,
  Option,
  type RateLimiter,
  Redacted,
} from "effect";
import {
  type AdsyncError,
  type CachedAnswer,
  fetchTransport,
  HttpAnswerCache,
  type HttpRequest,
  headerAuth,
  httpTransportLayer,
  type MarketplaceHttpOptions,
  makeMarketplaceHttp,
  undiciTransport,
} from "../src/index.ts";

// --- a real HTTP server on loopback --------------------------------------------------------

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
  readonly at: number;
}

type Handler = (request: IncomingMessage, response: ServerResponse, attempt: number) => void;

const json = (response: ServerResponse, status: number, body: unknown, headers = {}) => {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
};

/** The port a listening server was given. */
const portOf = (listening: Server): number => {
  const address = listening.address();
  if (address === null || typeof address === "string") throw new Error("server is not listening");
  return address.port;
};

const received: Array<Received> = [];
let handler: Handler = (_request, response) => json(response, 200, { ok: true });
let server: Server;
let origin = "";

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Array<Buffer> = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        at: Date.now(),
      });
      handler(request, response, received.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${portOf(server)}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received.length = 0;
  handler = (_request, response) => json(response, 200, { ok: true });
});

// --- the client under test -----------------------------------------------------------------

/**
 * Every suite runs three ways: over Effect's `HttpClient` (undici), and over adsync's own
 * `HttpTransport` (undici's dispatcher, the platform's fetch): the same behaviour on the wire.
 */
const agent = new Undici.Agent();
const vias = [
  { via: "Effect HttpClient", layer: NodeHttpClient.layerUndici },
  {
    via: "undici transport",
    layer: Layer.merge(NodeHttpClient.layerUndici, httpTransportLayer(undiciTransport(agent))),
  },
  {
    via: "fetch transport",
    layer: Layer.merge(NodeHttpClient.layerUndici, httpTransportLayer(fetchTransport)),
  },
] as const;
let current: (typeof vias)[number] = vias[0];
const httpLayer = () => current.layer;
afterAll(() => agent.close());

/** Runs a suite once per way of sending. */
const eachVia = (name: string, suite: () => void) =>
  describe.each(vias)(`${name} ($via)`, (via) => {
    beforeAll(() => {
      current = via;
    });
    suite();
  });

const secret = "s3cr3t-token-5f2a9c";

const client = (options: Partial<MarketplaceHttpOptions> = {}) =>
  makeMarketplaceHttp({
    marketplace: "testplace",
    baseUrl: origin,
    authenticate: headerAuth("X-Auth-Token", Redacted.make(secret)),
    retry: { baseDelay: "10 millis", maxDelay: "40 millis" },
    ...options,
  });

/** One request through a fresh client, its outcome as an Either. */
const send = (request: HttpRequest, options: Partial<MarketplaceHttpOptions> = {}) =>
  Effect.gen(function* () {
    const http = yield* client(options);
    return yield* Effect.either(http.request(request));
  }).pipe(Effect.provide(httpLayer()));

const failureOf = <A>(result: Either.Either<A, AdsyncError>): AdsyncError => {
  if (Either.isRight(result)) {
    expect.fail(`expected a failure, got ${JSON.stringify(result.right)}`);
  }
  return result.left;
};

const successOf = <A>(result: Either.Either<A, AdsyncError>): A => {
  if (Either.isLeft(result)) expect.fail(`expected a success, got ${result.left.message}`);
  return result.right;
};

eachVia("makeMarketplaceHttp — what goes over the wire", () => {
  it.scopedLive("joins the base URL and the path, whatever trailing slashes the base has", () =>
    Effect.gen(function* () {
      successOf(yield* send({ method: "GET", path: "/v4/ad/123" }, { baseUrl: `${origin}/api//` }));
      successOf(yield* send({ method: "GET", path: "/v4/ad/123" }, { baseUrl: `${origin}/api` }));
      expect(received.map((request) => request.url)).toEqual(["/api/v4/ad/123", "/api/v4/ad/123"]);
    }),
  );

  it.scopedLive("sends query parameters, leaving out undefined ones", () =>
    Effect.gen(function* () {
      successOf(
        yield* send({
          method: "GET",
          path: "/sale/offers",
          query: { "external.id": "ad 1/2", limit: 20, active: true, offset: undefined },
        }),
      );
      const url = new URL(received[0]?.url ?? "", origin);
      expect(url.pathname).toBe("/sale/offers");
      expect([...url.searchParams.entries()]).toEqual([
        ["external.id", "ad 1/2"],
        ["limit", "20"],
        ["active", "true"],
      ]);
    }),
  );

  it.scopedLive("sends a JSON body with a JSON content type, and asks for JSON", () =>
    Effect.gen(function* () {
      const body = { source_id: "ad-1", price: [{ amount: 350000 }], title: "Volvo XC90 – å" };
      successOf(yield* send({ method: "POST", path: "/v4/ad", body }));
      const request = received[0];
      expect(request?.method).toBe("POST");
      expect(request?.headers["content-type"]).toMatch(/^application\/json\b/);
      expect(request?.headers.accept).toBe("application/json");
      expect(JSON.parse(request?.body ?? "")).toEqual(body);
    }),
  );

  it.scopedLive("uses the content type the caller names", () =>
    Effect.gen(function* () {
      const patch = [{ op: "replace", path: "/title", value: "New" }];
      successOf(
        yield* send({
          method: "PATCH",
          path: "/advertisements/1",
          body: patch,
          contentType: "application/json-patch+json",
        }),
      );
      expect(received[0]?.headers["content-type"]).toBe("application/json-patch+json");
      expect(JSON.parse(received[0]?.body ?? "")).toEqual(patch);
    }),
  );

  it.scopedLive("sends no body and no content type when there is no body", () =>
    Effect.gen(function* () {
      successOf(yield* send({ method: "DELETE", path: "/v4/ad/1" }));
      expect(received[0]?.method).toBe("DELETE");
      expect(received[0]?.body).toBe("");
      expect(received[0]?.headers["content-type"]).toBeUndefined();
    }),
  );

  it.scopedLive("asks for the client's media type, and a request's own where it names one", () =>
    Effect.gen(function* () {
      const vendor = "application/vnd.allegro.public.v1+json";
      successOf(yield* send({ method: "GET", path: "/sale/offers" }, { accept: vendor }));
      successOf(
        yield* send({ method: "GET", path: "/sale/images", accept: "image/*" }, { accept: vendor }),
      );
      expect(received.map((request) => request.headers.accept)).toEqual([vendor, "image/*"]);
    }),
  );

  it.scopedLive("sends the secret in the named header, and the user agent", () =>
    Effect.gen(function* () {
      successOf(yield* send({ method: "GET", path: "/ping" }, { userAgent: "adsync-test/1.0" }));
      expect(received[0]?.headers["x-auth-token"]).toBe(secret);
      expect(received[0]?.headers["user-agent"]).toBe("adsync-test/1.0");
    }),
  );
});

eachVia("makeMarketplaceHttp — answers", () => {
  it.scopedLive("parses a JSON body, keeps a text body as text and an empty one as undefined", () =>
    Effect.gen(function* () {
      handler = (_request, response) =>
        json(response, 201, { ad_id: 7 }, { "X-Request-Id": "req-9" });
      const created = successOf(yield* send({ method: "POST", path: "/v4/ad", body: {} }));
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ ad_id: 7 });
      expect(created.headers["x-request-id"]).toBe("req-9");

      handler = (_request, response) => {
        response.writeHead(200, { "content-type": "text/plain" });
        response.end("source_id already exists");
      };
      expect(successOf(yield* send({ method: "GET", path: "/" })).body).toBe(
        "source_id already exists",
      );

      handler = (_request, response) => {
        response.writeHead(204);
        response.end();
      };
      const empty = successOf(yield* send({ method: "DELETE", path: "/v4/ad/1" }));
      expect(empty.status).toBe(204);
      expect(empty.body).toBeUndefined();
    }),
  );

  it.scopedLive("returns a 4xx as a response, not an error, and does not retry it", () =>
    Effect.gen(function* () {
      for (const status of [400, 401, 404, 409]) {
        received.length = 0;
        handler = (_request, response) => json(response, status, { error: `status ${status}` });
        const response = successOf(yield* send({ method: "GET", path: "/v4/ad/1" }));
        expect(response.status).toBe(status);
        expect(response.body).toEqual({ error: `status ${status}` });
        expect(received).toHaveLength(1);
      }
    }),
  );

  it.scopedLive("retries a 429 after the Retry-After it names, then succeeds", () =>
    Effect.gen(function* () {
      handler = (_request, response, attempt) =>
        attempt === 1
          ? json(response, 429, { error: "slow down" }, { "Retry-After": "1" })
          : json(response, 200, { ok: true });
      const started = Date.now();
      const response = successOf(yield* send({ method: "GET", path: "/v4/ad/1" }));
      expect(response.body).toEqual({ ok: true });
      expect(received).toHaveLength(2);
      const waited = (received[1]?.at ?? 0) - (received[0]?.at ?? 0);
      expect(waited).toBeGreaterThanOrEqual(950);
      expect(Date.now() - started).toBeLessThan(5_000);
    }),
  );

  it.scopedLive("retries a 503 until it succeeds", () =>
    Effect.gen(function* () {
      handler = (_request, response, attempt) =>
        attempt <= 2
          ? json(response, 503, { error: "maintenance" })
          : json(response, 200, { ok: true });
      const response = successOf(yield* send({ method: "GET", path: "/v4/ad/1" }));
      expect(response.status).toBe(200);
      expect(received).toHaveLength(3);
    }),
  );

  it.scopedLive("gives up after maxRetries with an Unavailable error naming the status", () =>
    Effect.gen(function* () {
      handler = (_request, response) => json(response, 502, { error: "bad gateway" });
      const error = failureOf(
        yield* send(
          { method: "GET", path: "/v4/ad/1" },
          { retry: { baseDelay: "5 millis", maxRetries: 2 } },
        ),
      );
      expect(received).toHaveLength(3);
      expect(error.reason).toBe("Unavailable");
      expect(error.status).toBe(502);
      expect(error.marketplace).toBe("testplace");
      expect(error.operation).toBe("GET /v4/ad/1");
      expect(error.message).toContain("bad gateway");
      expect(error.isRetryable).toBe(true);
    }),
  );

  it.scopedLive("reports a 429 it gave up on as RateLimited with its Retry-After", () =>
    Effect.gen(function* () {
      handler = (_request, response) =>
        json(response, 429, { error: "slow down" }, { "Retry-After": "0" });
      const error = failureOf(
        yield* send({ method: "GET", path: "/x" }, { retry: { maxRetries: 0 } }),
      );
      expect(error.reason).toBe("RateLimited");
      expect(error.retryAfterSeconds).toBe(0);
      expect(received).toHaveLength(1);
    }),
  );

  it.scopedLive("retries a dropped connection", () =>
    Effect.gen(function* () {
      handler = (request, response, attempt) => {
        if (attempt === 1) request.socket.destroy();
        else json(response, 200, { ok: true });
      };
      const response = successOf(yield* send({ method: "POST", path: "/v4/ad", body: { a: 1 } }));
      expect(response.body).toEqual({ ok: true });
      expect(received).toHaveLength(2);
    }),
  );

  it.scopedLive("does not retry when the request opts out", () =>
    Effect.gen(function* () {
      handler = (_request, response) => json(response, 503, { error: "down" });
      const unavailable = failureOf(yield* send({ method: "POST", path: "/v4/ad", retry: false }));
      expect(unavailable.reason).toBe("Unavailable");
      expect(received).toHaveLength(1);

      received.length = 0;
      handler = (request) => request.socket.destroy();
      const dropped = failureOf(yield* send({ method: "POST", path: "/v4/ad", retry: false }));
      expect(dropped.reason).toBe("Transport");
      expect(received).toHaveLength(1);
    }),
  );

  it.scopedLive("reports a refused connection as a Transport error", () =>
    Effect.gen(function* () {
      const closed = createServer();
      yield* Effect.promise(
        () => new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve)),
      );
      const port = portOf(closed);
      yield* Effect.promise(() => new Promise<void>((resolve) => closed.close(() => resolve())));
      const error = failureOf(
        yield* send(
          { method: "GET", path: "/x" },
          { baseUrl: `http://127.0.0.1:${port}`, retry: { maxRetries: 1, baseDelay: "5 millis" } },
        ),
      );
      expect(error.reason).toBe("Transport");
      expect(error.isRetryable).toBe(true);
    }),
  );
});

eachVia("makeMarketplaceHttp — timeouts and rate limits", () => {
  it.scopedLive("times out a body that stalls after the headers", () =>
    Effect.gen(function* () {
      handler = (_request, response) => {
        response.writeHead(200, { "content-type": "application/json" });
        response.write('{"partial": ');
        // …and never ends.
      };
      const started = Date.now();
      const error = failureOf(
        yield* send({ method: "GET", path: "/v4/ad/1", retry: false }, { timeout: "300 millis" }),
      );
      expect(error.reason).toBe("Timeout");
      expect(error.operation).toBe("GET /v4/ad/1");
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(280);
      expect(elapsed).toBeLessThan(3_000);
    }),
  );

  it.scopedLive("times out when no headers arrive, and retries the timeout", () =>
    Effect.gen(function* () {
      handler = () => {
        // Never answers.
      };
      const error = failureOf(
        yield* send(
          { method: "GET", path: "/v4/ad/1" },
          { timeout: "200 millis", retry: { maxRetries: 1, baseDelay: "5 millis" } },
        ),
      );
      expect(error.reason).toBe("Timeout");
      expect(received).toHaveLength(2);
    }),
  );

  it.scopedLive("spaces requests to the rate limit", () =>
    Effect.gen(function* () {
      const http = yield* client({ rateLimit: { limit: 1, interval: "150 millis" } });
      yield* Effect.forEach(
        [1, 2, 3, 4],
        (index) => http.request({ method: "GET", path: `/ads/${index}` }),
        { concurrency: "unbounded" },
      );
      const times = received.map((request) => request.at).sort((a, b) => a - b);
      expect(times).toHaveLength(4);
      expect((times[3] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(400);
    }).pipe(Effect.provide(httpLayer())),
  );

  it.scopedLive("does not delay requests under the rate limit", () =>
    Effect.gen(function* () {
      const http = yield* client({ rateLimit: { limit: 10, interval: "10 seconds" } });
      const started = Date.now();
      yield* Effect.forEach(
        [1, 2, 3],
        (index) => http.request({ method: "GET", path: `/ads/${index}` }),
        { concurrency: "unbounded" },
      );
      expect(received).toHaveLength(3);
      expect(Date.now() - started).toBeLessThan(2_000);
    }).pipe(Effect.provide(httpLayer())),
  );
});

eachVia("makeMarketplaceHttp — secrets", () => {
  it.scopedLive("never puts the secret in a log line or an error", () =>
    Effect.gen(function* () {
      const lines: Array<string> = [];
      const capture = Logger.make((options) => {
        lines.push(Logger.logfmtLogger.log(options));
        lines.push(String(options.message));
        if (!Cause.isEmpty(options.cause)) lines.push(Cause.pretty(options.cause));
      });
      const logging = Layer.merge(
        Logger.replace(Logger.defaultLogger, capture),
        Logger.minimumLogLevel(LogLevel.All),
      );

      const scenarios: ReadonlyArray<{ readonly name: string; readonly handle: Handler }> = [
        { name: "ok", handle: (_request, response) => json(response, 200, { ok: true }) },
        {
          name: "unauthorized",
          handle: (_request, response) => json(response, 401, { error: "bad token" }),
        },
        {
          name: "unavailable",
          handle: (_request, response) => json(response, 503, { error: "down" }),
        },
        {
          name: "rate limited",
          handle: (_request, response) =>
            json(response, 429, { error: "slow" }, { "Retry-After": "0" }),
        },
        { name: "dropped", handle: (request) => request.socket.destroy() },
        {
          name: "stalled",
          handle: (_request, response) => {
            response.writeHead(200);
            response.write("{");
          },
        },
      ];

      const errors: Array<AdsyncError> = [];
      for (const scenario of scenarios) {
        handler = scenario.handle;
        const exit = yield* Effect.exit(
          Effect.gen(function* () {
            const http = yield* client({
              timeout: "200 millis",
              retry: { maxRetries: 1, baseDelay: "5 millis" },
            });
            return yield* http.request({ method: "POST", path: "/v4/ad", body: { id: 1 } });
          }).pipe(Effect.provide(httpLayer()), Effect.provide(logging)),
        );
        if (Exit.isFailure(exit)) {
          lines.push(Cause.pretty(exit.cause));
          const failure = Cause.failureOption(exit.cause);
          if (failure._tag === "Some") errors.push(failure.value);
        }
      }

      // The secret did travel: the server saw it on every request.
      expect(received.length).toBeGreaterThan(scenarios.length);
      for (const request of received) expect(request.headers["x-auth-token"]).toBe(secret);
      // The scenarios failed the ways they should, and their failures were logged.
      expect(errors.map((error) => error.reason)).toEqual([
        "Unavailable",
        "RateLimited",
        "Transport",
        "Timeout",
      ]);
      expect(lines.some((line) => line.includes("503"))).toBe(true);
      expect(lines.some((line) => line.includes("→ 200"))).toBe(true);

      for (const line of lines) expect(line).not.toContain(secret);
      for (const error of errors) {
        expect(error.message).not.toContain(secret);
        expect(String(error)).not.toContain(secret);
        expect(JSON.stringify(error)).not.toContain(secret);
        expect(error.stack ?? "").not.toContain(secret);
      }
    }),
  );
});

eachVia("makeMarketplaceHttp — an HttpAnswerCache", () => {
  it.scopedLive(
    "answers from the cache before the rate limit and authenticating, and is offered only 200s",
    () =>
      Effect.gen(function* () {
        const kept = new Map<string, CachedAnswer>();
        const offered: Array<number> = [];
        let authentications = 0;
        let permits = 0;
        // A limiter counting its permits: a cached answer sends nothing, so takes none.
        const limit: RateLimiter.RateLimiter = (effect) =>
          Effect.zipRight(
            Effect.sync(() => {
              permits += 1;
            }),
            effect,
          );
        const cache = Layer.succeed(HttpAnswerCache, {
          get: (_marketplace, request) =>
            Effect.succeed(Option.fromNullable(kept.get(request.url))),
          set: (_marketplace, request, answer) =>
            Effect.sync(() => {
              offered.push(answer.status);
              kept.set(request.url, answer);
            }),
        });
        const counting: MarketplaceHttpOptions["authenticate"] = (request) =>
          Effect.sync(() => {
            authentications += 1;
            return request;
          });
        const twice = Effect.gen(function* () {
          const http = yield* client({ authenticate: counting, sharedLimit: limit });
          const first = yield* Effect.either(http.request({ method: "GET", path: "/categories" }));
          const second = yield* Effect.either(http.request({ method: "GET", path: "/categories" }));
          return [successOf(first), successOf(second)];
        }).pipe(Effect.provide(Layer.merge(httpLayer(), cache)));

        handler = (_request, response) => json(response, 200, { categories: [1] });
        const [first, second] = yield* twice;
        expect(first?.body).toEqual({ categories: [1] });
        expect(second?.body).toEqual({ categories: [1] });
        expect(received).toHaveLength(1);
        expect(authentications).toBe(1);
        expect(permits).toBe(1);

        kept.clear();
        received.length = 0;
        handler = (_request, response) => json(response, 404, { error: "gone" });
        yield* Effect.gen(function* () {
          const http = yield* client();
          yield* Effect.either(http.request({ method: "GET", path: "/missing" }));
          yield* Effect.either(http.request({ method: "GET", path: "/missing" }));
        }).pipe(Effect.provide(Layer.merge(httpLayer(), cache)));
        // A failed answer is never offered to the cache: the second request went out again.
        expect(received).toHaveLength(2);
        expect(offered).toEqual([200]);
      }),
  );
});
