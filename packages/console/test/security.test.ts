import { request as httpRequest } from "node:http";
import { adaptersLayer, initialState, makeMemoryStore, publisherLayer, Store } from "@adsync/core";
import { Effect, Exit, Layer, ManagedRuntime, Redacted, Scope } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConsoleHandle, serveConsole, startConsole } from "../src/index.ts";

/** A plain HTTP request, so the test can send the headers a browser would (Host, Origin). */
const send = (
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
) =>
  new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const request = httpRequest(
        url,
        { method: options.method ?? "GET", headers: options.headers ?? {}, agent: false },
        (response) => {
          const chunks: Array<Buffer> = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () =>
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks).toString("utf8"),
            }),
          );
        },
      );
      request.on("error", reject);
      request.end(options.body);
    },
  );

const store = makeMemoryStore();
const runtime = ManagedRuntime.make(
  publisherLayer.pipe(
    Layer.provideMerge(Layer.merge(adaptersLayer<never, never>(), Layer.succeed(Store, store))),
  ),
);
const token = "console-token-4c1d7f";
let open: ConsoleHandle;
let guardedByToken: ConsoleHandle;

beforeAll(async () => {
  await Effect.runPromise(
    store.record(
      {
        adId: "car-1",
        marketplace: "blocket",
        state: { ...initialState, presence: "live" },
        updatedAt: 1,
      },
      {
        adId: "car-1",
        marketplace: "blocket",
        observation: { _tag: "Seen", presence: "live", at: 1 },
        state: { ...initialState, presence: "live" },
      },
    ),
  );
  open = await startConsole(runtime, { port: 0 });
  guardedByToken = await startConsole(runtime, { port: 0, token: Redacted.make(token) });
}, 120_000);

afterAll(async () => {
  await open?.close();
  await guardedByToken?.close();
  await runtime.dispose();
});

const action = { "x-adsync-console": "1", "content-type": "application/json" };

describe("the console's guards", () => {
  it("refuses to listen beyond loopback without an access token", async () => {
    const exit = await runtime.runPromiseExit(
      Effect.scoped(serveConsole({ host: "0.0.0.0", port: 0 })),
    );
    expect(exit).toMatchObject({
      _tag: "Failure",
      cause: { error: { _tag: "ConsoleError", reason: "UnsafeBinding" } },
    });
  });

  it("answers a loopback Host only, so a rebound DNS name cannot reach it", async () => {
    expect((await send(`${open.url}api/listings`)).status).toBe(200);
    const rebound = await send(`${open.url}api/listings`, {
      headers: { host: `attacker.example:${open.port}` },
    });
    expect(rebound.status).toBe(403);
  });

  it("takes actions only with its header, from its own origin", async () => {
    const refresh = `${open.url}api/refresh`;
    const own = `http://127.0.0.1:${open.port}`;
    expect((await send(refresh, { method: "POST" })).status).toBe(403);
    expect(
      (
        await send(refresh, {
          method: "POST",
          headers: { ...action, origin: "http://evil.example" },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await send(refresh, {
          method: "POST",
          headers: { ...action, "sec-fetch-site": "cross-site" },
        })
      ).status,
    ).toBe(403);
    const allowed = await send(refresh, {
      method: "POST",
      headers: { ...action, origin: own, "sec-fetch-site": "same-origin" },
    });
    expect(allowed.status).toBe(200);
    expect(JSON.parse(allowed.body)).toEqual({ ok: true, message: "refreshed 1 ads" });
  });

  it("removes nothing without the ad id as confirmation", async () => {
    const answer = await send(`${open.url}api/listings/car-1/blocket/remove`, {
      method: "POST",
      headers: action,
      body: "{}",
    });
    expect(answer.status).toBe(400);
    const [listing] = await Effect.runPromise(store.list("car-1"));
    expect(listing?.state.presence).toBe("live");
  });

  it("serves the page and its script with a strict content security policy", async () => {
    const page = await send(open.url);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script src="/app.js" defer></script>');
    expect(page.headers["content-security-policy"]).toContain("script-src 'self'");
    const script = await send(`${open.url}app.js`);
    expect(script.status).toBe(200);
    expect(script.body).toContain("/api/events");
  });

  it("plans only for its own page, and says so when it was given no stock", async () => {
    const plan = `${open.url}api/plan`;
    expect((await send(plan, { method: "POST", body: "{}" })).status).toBe(403);
    expect(
      (
        await send(plan, {
          method: "POST",
          headers: { ...action, origin: "http://evil.example" },
          body: "{}",
        })
      ).status,
    ).toBe(403);
    const answer = await send(plan, { method: "POST", headers: action, body: "{}" });
    expect(answer.status).toBe(409);
    expect(JSON.parse(answer.body)).toEqual({
      ok: false,
      message:
        "no stock to plan: start the console with a stock file (adsync console --stock <file>)",
    });
  });

  it("with a token: trades it once for a session cookie and never shows it again", async () => {
    const url = guardedByToken.url;
    expect((await send(`${url}api/listings`)).status).toBe(401);
    expect((await send(`${url}?token=wrong`)).status).toBe(401);
    const bearer = await send(`${url}api/listings`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(bearer.status).toBe(200);

    const exchange = await send(`${url}?token=${token}`);
    expect(exchange.status).toBe(303);
    expect(exchange.headers.location).toBe("/");
    const setCookie = String(exchange.headers["set-cookie"]);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");
    const cookie = setCookie.split(";")[0] ?? "";
    const withCookie = { cookie };
    const page = await send(url, { headers: withCookie });
    const listings = await send(`${url}api/listings`, { headers: withCookie });
    expect([page.status, listings.status]).toEqual([200, 200]);
    for (const answer of [exchange, page, listings, bearer]) {
      expect(`${JSON.stringify(answer.headers)}${answer.body}`).not.toContain(token);
    }
  });
});

describe("the Effect API", () => {
  it("stops listening when its scope closes", async () => {
    const scope = await Effect.runPromise(Scope.make());
    const running = await runtime.runPromise(
      serveConsole({ port: 0 }).pipe(Effect.provideService(Scope.Scope, scope)),
    );
    expect((await send(`${running.url}api/listings`)).status).toBe(200);
    await Effect.runPromise(Scope.close(scope, Exit.void));
    await expect(send(`${running.url}api/listings`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it("stops while a page still holds the live feed open", async () => {
    const running = await startConsole(runtime, { port: 0 });
    const feed = await fetch(`${running.url}api/events`);
    const reader = feed.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toBe("retry: 2000\n\n");
    // Without ending the feed first, the server would wait for it forever.
    await running.close();
    expect((await reader?.read())?.done).toBe(true);
  });
});
