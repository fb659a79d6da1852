import type { HttpClient } from "@effect/platform";
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient";
import { describe, expect, it } from "@effect/vitest";
import {
  Effect,
  Either,
  Fiber,
  Layer,
  Option,
  Redacted,
  Ref,
  Schedule,
  Schema,
  TestClock,
} from "effect";
import {
  type AdsyncError,
  type GrantStore,
  httpTransportLayer,
  makeMarketplaceApi,
  makeMarketplaceHttp,
  makeRefreshingBearer,
  memoryGrantStore,
  type OAuthGrant,
  pollUntil,
  reasonOfStatus,
  resendWhileAbsent,
  type TransportAnswer,
  type TransportRequest,
} from "../src/index.ts";

// --- a scripted transport: no socket, every exchange recorded --------------------------------

type Script = (request: TransportRequest, index: number) => Promise<TransportAnswer>;

const answer = (status: number, body?: unknown, headers: Record<string, string> = {}) =>
  Promise.resolve({
    status,
    headers,
    text: body === undefined ? "" : JSON.stringify(body),
  });

/** A rejection like undici's when nothing listens on the port. */
const refusedConnection = () =>
  Promise.reject(
    Object.assign(new TypeError("fetch failed"), {
      cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), {
        code: "ECONNREFUSED",
      }),
    }),
  );

/** Runs `body` with an `HttpTransport` answering by `script`; `sent` lists what went out. */
const withScript = <A, E>(
  script: Script,
  body: (sent: Array<TransportRequest>) => Effect.Effect<A, E, HttpClient.HttpClient>,
) => {
  const sent: Array<TransportRequest> = [];
  const transport = {
    send: (request: TransportRequest) => {
      sent.push(request);
      return script(request, sent.length - 1);
    },
  };
  return body(sent).pipe(
    Effect.provide(Layer.merge(NodeHttpClient.layerUndici, httpTransportLayer(transport))),
  );
};

const api = "http://127.0.0.1:9/api";
const fast = { baseDelay: "1 millis", maxDelay: "1 millis", maxRetries: 3 } as const;

const httpFor = (baseUrl: string, extra: Partial<Parameters<typeof makeMarketplaceHttp>[0]> = {}) =>
  makeMarketplaceHttp({
    marketplace: "testmarket",
    baseUrl,
    authenticate: Effect.succeed,
    retry: fast,
    ...extra,
  });

const failureOf = <A>(effect: Effect.Effect<A, AdsyncError>) =>
  Effect.map(Effect.either(effect), (result) =>
    Either.isLeft(result) ? result.left : expect.fail("expected a failure"),
  );

// --- 1. one status → reason table -------------------------------------------------------------

describe("reasonOfStatus: the one status table", () => {
  it.each([
    [400, "Rejected"],
    [422, "Rejected"],
    [401, "Unauthorized"],
    [403, "Forbidden"],
    [404, "NotFound"],
    [410, "NotFound"],
    [409, "Conflict"],
    [429, "RateLimited"],
    [500, "Unavailable"],
    [503, "Unavailable"],
    // Our request did not suit the server: refused as sent, not an unreadable answer.
    [413, "Rejected"],
    [415, "Rejected"],
    [405, "Rejected"],
    [302, "InvalidResponse"],
    [101, "InvalidResponse"],
  ] as const)("reads %i as %s", (status, reason) => {
    expect(reasonOfStatus(status)).toBe(reason);
  });
});

// --- 2. the client builder ----------------------------------------------------------------------

const Thing = Schema.Struct({ id: Schema.String, count: Schema.Number });

describe("makeMarketplaceApi: endpoints decoded by a Schema", () => {
  it.live(
    "decodes a success, and fails a body of the wrong shape with a short InvalidResponse",
    () =>
      withScript(
        (_request, index) =>
          index === 0 ? answer(200, { id: "a1", count: 2 }) : answer(200, { id: "a2" }),
        () =>
          Effect.gen(function* () {
            const endpoints = makeMarketplaceApi(yield* httpFor(api));
            const request = { method: "GET", path: "/things/a1" } as const;
            expect(yield* endpoints.call(request, { success: Thing })).toEqual({
              id: "a1",
              count: 2,
            });
            const error = yield* failureOf(endpoints.call(request, { success: Thing }));
            expect(error.reason).toBe("InvalidResponse");
            expect(error.message).toBe(
              "testmarket GET /things/a1: unexpected answer (count: is missing)",
            );
          }).pipe(Effect.scoped),
      ),
  );

  it.live("maps an error answer through the table and the marketplace's error-body hook", () =>
    withScript(
      (_request, index) =>
        index === 0
          ? answer(400, { problems: [{ field: "title", text: "too long" }] })
          : index === 1
            ? answer(400, { duplicate: true })
            : answer(413, "too big"),
      () =>
        Effect.gen(function* () {
          const endpoints = makeMarketplaceApi<string>(yield* httpFor(api), {
            errorBody: (response, context) => {
              const body = response.body as { problems?: Array<{ field: string; text: string }> };
              if (typeof response.body === "object" && "duplicate" in (response.body as object))
                return { reason: "Conflict", detail: "already there" };
              return {
                issues: (body.problems ?? []).map((problem) => ({
                  path: `${context}.${problem.field}`,
                  code: "too_long" as const,
                  message: problem.text,
                })),
              };
            },
          });
          const request = { method: "POST", path: "/things", body: {} } as const;
          const rejected = yield* failureOf(
            endpoints.call(request, { success: Thing, context: "ad" }),
          );
          expect(rejected.reason).toBe("Rejected");
          expect(rejected.issues).toEqual([
            { path: "ad.title", code: "too_long", message: "too long" },
          ]);
          expect(rejected.message).toBe("testmarket POST /things: 400 too long");
          const conflict = yield* failureOf(endpoints.call(request, { success: Thing }));
          expect(conflict.reason).toBe("Conflict");
          expect(conflict.message).toBe("testmarket POST /things: 400 already there");
          const tooLarge = yield* failureOf(endpoints.call(request, { success: Thing }));
          expect([tooLarge.reason, tooLarge.isRetryable]).toEqual(["Rejected", false]);
        }).pipe(Effect.scoped),
    ),
  );

  it.live("answers the `otherwise` value of a status instead of failing", () =>
    withScript(
      () => answer(404, { detail: "gone" }),
      () =>
        Effect.gen(function* () {
          const endpoints = makeMarketplaceApi(yield* httpFor(api));
          const found = yield* endpoints.call(
            { method: "GET", path: "/things/x" },
            { success: Thing, otherwise: { 404: undefined } },
          );
          expect(found).toBeUndefined();
        }).pipe(Effect.scoped),
    ),
  );
});

// --- 3. retry: "unapplied" ----------------------------------------------------------------------

describe('retry: "unapplied" (§7.9)', () => {
  const post = { method: "POST", path: "/things", body: { a: 1 }, retry: "unapplied" } as const;

  it.live.each([
    ["a 429 (refused to serve it)", () => answer(429, {})],
    ["a refused connection (nothing was sent)", refusedConnection],
  ] as const)("sends a POST again after %s", ([_name, first]) =>
    withScript(
      (_request, index) => (index === 0 ? first() : answer(201, { id: "t", count: 0 })),
      (sent) =>
        Effect.gen(function* () {
          const http = yield* httpFor(api);
          expect((yield* http.request(post)).status).toBe(201);
          expect(sent).toHaveLength(2);
        }).pipe(Effect.scoped),
    ),
  );

  it.live("does not send it again after a 503, a reset connection or a timeout", () =>
    Effect.forEach(
      [
        ["Unavailable", () => answer(503, {})],
        [
          "Transport",
          () => Promise.reject(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })),
        ],
        [
          "Timeout",
          (request: TransportRequest) =>
            new Promise<TransportAnswer>((_resolve, reject) =>
              request.signal.addEventListener("abort", () => reject(new Error("aborted"))),
            ),
        ],
      ] as const,
      ([reason, script]) =>
        withScript(script, (sent) =>
          Effect.gen(function* () {
            const http = yield* httpFor(api, { timeout: "30 millis" });
            const error = yield* failureOf(http.request(post));
            expect(error.reason).toBe(reason);
            expect(sent).toHaveLength(1);
            // The same failure is retried by default: the mode is what changed it.
            sent.length = 0;
            yield* Effect.either(http.request({ ...post, retry: true }));
            expect(sent.length).toBeGreaterThan(1);
          }).pipe(Effect.scoped),
        ),
    ),
  );
});

describe("resendWhileAbsent", () => {
  it.effect(
    "looks up a create whose outcome is unknown and sends again only when it is absent",
    () =>
      Effect.gen(function* () {
        const sends = yield* Ref.make(0);
        const send = Effect.flatMap(
          Ref.updateAndGet(sends, (n) => n + 1),
          (n) =>
            n === 1
              ? Effect.fail({ reason: "Timeout" } as AdsyncError)
              : Effect.succeed(`created on send ${n}`),
        );
        const outcome = resendWhileAbsent({
          send,
          outcomeUnknown: (error) => error.reason === "Timeout",
          lookUp: () => Effect.succeed(Option.none<string>()),
          schedule: Schedule.spaced("1 second"),
        });
        const fiber = yield* Effect.fork(outcome);
        yield* TestClock.adjust("1 second");
        expect(yield* Fiber.join(fiber)).toEqual({ _tag: "Sent", value: "created on send 2" });

        yield* Ref.set(sends, 0);
        const found = yield* resendWhileAbsent({
          send,
          outcomeUnknown: (error) => error.reason === "Timeout",
          lookUp: () => Effect.succeed(Option.some("landed after all")),
        });
        expect(found).toEqual({ _tag: "Found", value: "landed after all" });
        expect(yield* Ref.get(sends)).toBe(1);
      }),
  );
});

// --- 4. the refreshing OAuth bearer -------------------------------------------------------------

const tokenBase = "http://127.0.0.1:9/token";
const isToken = (request: TransportRequest) => request.url.startsWith(tokenBase);

/** A grant store that logs each save, optionally refusing them. */
const loggingStore = (log: Array<string>, refuse = false): GrantStore => {
  const inner = memoryGrantStore();
  return {
    load: inner.load,
    save: (grant: OAuthGrant) =>
      refuse
        ? Effect.fail({ reason: "Store", message: "disk full" } as AdsyncError)
        : Effect.zipRight(
            Effect.sync(() => log.push(`save ${Redacted.value(grant.accessToken)}`)),
            inner.save(grant),
          ),
  };
};

const bearerApi = (grants: GrantStore, rotating = true) =>
  Effect.gen(function* () {
    const tokenHttp = yield* httpFor(tokenBase);
    const bearer = yield* makeRefreshingBearer({
      marketplace: "testmarket",
      grants,
      refreshToken: Redacted.make("r0"),
      tokenHttp,
      tokenRequest: (refreshToken) => ({
        method: "POST",
        path: "",
        query: { grant_type: "refresh_token", refresh_token: Redacted.value(refreshToken) },
      }),
      rotating,
    });
    const http = yield* httpFor(api, { authenticate: bearer.authenticate });
    return { bearer, http };
  });

/** A token endpoint that hands out a1/r1, a2/r2, … and checks the refresh token it is given. */
const tokenEndpoint = () => {
  let issued = 0;
  return (request: TransportRequest) => {
    const given = new URL(request.url).searchParams.get("refresh_token");
    if (given !== `r${issued}`) return answer(400, { error: "invalid_grant" });
    issued += 1;
    return answer(200, {
      access_token: `a${issued}`,
      refresh_token: `r${issued}`,
      expires_in: 3600,
    });
  };
};

/** `withScript` with `tokenEndpoint` behind the token URL and `api` behind the rest. */
const withTokens = <A, E>(
  apiAnswer: (request: TransportRequest) => Promise<TransportAnswer>,
  body: (sent: Array<TransportRequest>) => Effect.Effect<A, E, HttpClient.HttpClient>,
) => {
  const token = tokenEndpoint();
  return withScript((request) => (isToken(request) ? token(request) : apiAnswer(request)), body);
};

describe("makeRefreshingBearer", () => {
  it.live("refreshes once for many concurrent requests (single flight)", () => {
    return withTokens(
      () => answer(200, {}),
      (sent) =>
        Effect.gen(function* () {
          const { http } = yield* bearerApi(memoryGrantStore());
          yield* Effect.forEach(
            Array.from({ length: 10 }, (_, index) => index),
            (index) => http.request({ method: "GET", path: `/things/${index}` }),
            { concurrency: "unbounded" },
          );
          expect(sent.filter(isToken)).toHaveLength(1);
          const used = sent.filter((request) => !isToken(request));
          expect(new Set(used.map((request) => request.headers.authorization))).toEqual(
            new Set(["Bearer a1"]),
          );
        }).pipe(Effect.scoped),
    );
  });

  it.live("after a 401 refreshes and replays the request once; a second 401 is the answer", () => {
    const token = tokenEndpoint();
    return withScript(
      (request) => {
        if (isToken(request)) return token(request);
        if (request.url.endsWith("/ok")) {
          return request.headers.authorization === "Bearer a1"
            ? answer(401, { error: "invalid_token" })
            : answer(200, {});
        }
        return answer(401, { error: "invalid_token" });
      },
      (sent) =>
        Effect.gen(function* () {
          const { http } = yield* bearerApi(memoryGrantStore());
          expect((yield* http.request({ method: "GET", path: "/ok" })).status).toBe(200);
          expect(
            sent.map((request) => (isToken(request) ? "token" : request.headers.authorization)),
          ).toEqual(["token", "Bearer a1", "token", "Bearer a2"]);
          sent.length = 0;
          expect((yield* http.request({ method: "GET", path: "/never" })).status).toBe(401);
          expect(sent.filter((request) => !isToken(request))).toHaveLength(2);
        }).pipe(Effect.scoped),
    );
  });

  it.live("saves the rotated pair before the new access token is used", () => {
    const token = tokenEndpoint();
    const log: Array<string> = [];
    return withScript(
      (request) => {
        if (isToken(request)) return token(request);
        log.push(`send ${request.headers.authorization}`);
        return answer(200, {});
      },
      () =>
        Effect.gen(function* () {
          const store = loggingStore(log);
          const { http, bearer } = yield* bearerApi(store);
          yield* http.request({ method: "GET", path: "/x" });
          expect(log).toEqual(["save a1", "send Bearer a1"]);
          const saved = Option.getOrThrow(yield* bearer.current);
          expect(Redacted.value(saved.refreshToken)).toBe("r1");
        }).pipe(Effect.scoped),
    );
  });

  it.live("sends nothing with a new token it could not save", () => {
    return withTokens(
      () => answer(200, {}),
      (sent) =>
        Effect.gen(function* () {
          const { http } = yield* bearerApi(loggingStore([], true));
          const error = yield* failureOf(http.request({ method: "GET", path: "/x" }));
          expect(error.reason).toBe("Store");
          expect(sent.filter((request) => !isToken(request))).toHaveLength(0);
        }).pipe(Effect.scoped),
    );
  });

  it.live("a refused refresh is Unauthorized; a lost refresh answer is not sent again", () => {
    let refreshes = 0;
    return withScript(
      (request) =>
        isToken(request)
          ? refreshes++ === 0
            ? answer(400, { error: "invalid_grant" })
            : answer(503, {})
          : answer(200, {}),
      (sent) =>
        Effect.gen(function* () {
          const { http } = yield* bearerApi(memoryGrantStore());
          const refused = yield* failureOf(http.request({ method: "GET", path: "/x" }));
          expect([refused.reason, refused.status]).toEqual(["Unauthorized", 400]);
          // Nothing with a refused token reached the API.
          expect(sent.filter((request) => !isToken(request))).toHaveLength(0);
          sent.length = 0;
          // A 503 may have rotated the refresh token already: the request's own retries
          // authenticate again, yet the refresh token is never sent a second time.
          const lost = yield* failureOf(http.request({ method: "GET", path: "/x" }));
          expect(lost.reason).toBe("Unauthorized");
          expect(lost.message).toContain("not sent again");
          expect(sent).toHaveLength(1);
        }).pipe(Effect.scoped),
    );
  });

  it.live("keeps the old refresh token when a non-rotating endpoint answers none", () =>
    withScript(
      (request) =>
        isToken(request) ? answer(200, { access_token: "only-access" }) : answer(200, {}),
      () =>
        Effect.gen(function* () {
          const { http, bearer } = yield* bearerApi(memoryGrantStore(), false);
          yield* http.request({ method: "GET", path: "/x" });
          const saved = Option.getOrThrow(yield* bearer.current);
          expect(Redacted.value(saved.refreshToken)).toBe("r0");
          expect(Redacted.value(saved.accessToken)).toBe("only-access");
        }).pipe(Effect.scoped),
    ),
  );
});

// --- 5. polling -----------------------------------------------------------------------------------

describe("pollUntil", () => {
  it.effect("reads until Some on the schedule, and answers None when the schedule gives up", () =>
    Effect.gen(function* () {
      const reads = yield* Ref.make(0);
      const poll = (doneOn: number) =>
        Effect.map(
          Ref.updateAndGet(reads, (n) => n + 1),
          (n) => (n >= doneOn ? Option.some(n) : Option.none()),
        );
      const schedule = Schedule.spaced("1 second").pipe(Schedule.intersect(Schedule.recurs(4)));
      const done = yield* Effect.fork(pollUntil(poll(3), schedule));
      yield* TestClock.adjust("2 seconds");
      expect(yield* Fiber.join(done)).toEqual(Option.some(3));

      yield* Ref.set(reads, 0);
      const never = yield* Effect.fork(pollUntil(poll(100), schedule));
      yield* TestClock.adjust("10 seconds");
      expect(yield* Fiber.join(never)).toEqual(Option.none());
      expect(yield* Ref.get(reads)).toBe(5);
    }),
  );
});
