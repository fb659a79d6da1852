import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startSandbox } from "../src/index.ts";
import {
  call,
  carAd,
  eventually,
  type RunningBlocketFake,
  startFastBlocketFake,
} from "./support.ts";

describe("Blocket fake: fault injection and request recording", () => {
  let fake: RunningBlocketFake;
  beforeEach(async () => {
    fake = await startFastBlocketFake();
  });
  afterEach(() => fake.close());

  it("answers an injected 429 with Retry-After once, without applying the request", async () => {
    fake.injectFault({
      method: "POST",
      path: "/pro-import-api/v4/ad",
      fault: { type: "status", status: 429, retryAfter: "1" },
    });
    const throttled = await call(fake, "POST", "/v4/ad", { body: carAd("car-1") });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("1");
    expect(throttled.body).toEqual({
      detail: "Request was throttled. Expected available in 1 seconds.",
    });
    expect(fake.adCount()).toBe(0);
    expect((await call(fake, "POST", "/v4/ad", { body: carAd("car-1") })).status).toBe(201);
  });

  it("applies a status fault the given number of times, only to matching requests", async () => {
    fake.injectFault({
      method: "POST",
      path: /\/ad$/,
      times: 2,
      fault: { type: "status", status: 503 },
    });
    expect((await call(fake, "GET", "/v4/ad")).status).toBe(200);
    const first = await call(fake, "POST", "/v4/ad", { body: carAd("car-1") });
    expect(first.status).toBe(503);
    expect(first.body).toEqual({ detail: "Service temporarily unavailable, try again later." });
    expect((await call(fake, "POST", "/v4/ad", { body: carAd("car-1") })).status).toBe(503);
    expect((await call(fake, "POST", "/v4/ad", { body: carAd("car-1") })).status).toBe(201);

    fake.injectFault({ fault: { type: "status", status: 500, body: { custom: true } } });
    const custom = await call(fake, "GET", "/v4/ad/car-1");
    expect(custom).toMatchObject({ status: 500, body: { custom: true } });
    fake.injectFault({ fault: { type: "status", status: 502 } });
    fake.clearFaults();
    expect((await call(fake, "GET", "/v4/ad/car-1")).status).toBe(200);
  });

  it("drops the connection without applying the request", async () => {
    fake.injectFault({ method: "POST", fault: { type: "drop" } });
    await expect(call(fake, "POST", "/v4/ad", { body: carAd("car-1") })).rejects.toThrow();
    expect(fake.adCount()).toBe(0);
    expect(fake.ad("car-1")).toBeUndefined();
    expect(fake.requests.map((request) => request.method)).toEqual(["POST"]);
  });

  it("applies the request then drops the connection", async () => {
    fake.injectFault({ method: "POST", fault: { type: "applyThenDrop" } });
    await expect(call(fake, "POST", "/v4/ad", { body: carAd("car-1") })).rejects.toThrow();
    expect(fake.ad("car-1")).toMatchObject({ source_id: "car-1", state: "created" });
    const retry = await call(fake, "POST", "/v4/ad", { body: carAd("car-1") });
    expect(retry.status).toBe(409);
    expect(fake.adCount()).toBe(1);
  });

  it("answers late on a slow fault, with the request already applied", async () => {
    fake.injectFault({ fault: { type: "slow", delayMs: 300 } });
    let answered = false;
    const pending = call(fake, "POST", "/v4/ad", { body: carAd("car-1") }).finally(() => {
      answered = true;
    });
    // Applied, and two steps wait on the fake's manual clock: the new ad's first processing
    // step (20 ms) and the held answer (300 ms).
    await eventually(() => fake.ad("car-1") !== undefined && fake.processing.pending() === 2);
    fake.processing.advance(299);
    await eventually(() => fake.processing.pending() === 1);
    expect(answered).toBe(false);
    fake.processing.advance(1);
    const answer = await pending;
    expect(answer.status).toBe(201);
  });

  it("records every request in order, faulted ones included", async () => {
    fake.injectFault({ method: "GET", fault: { type: "status", status: 503 } });
    await call(fake, "GET", "/v4/ad?limit=5&state=created");
    await call(fake, "POST", "/v4/ad", { body: carAd("car-1") });
    const [listing, create] = fake.requests;
    expect(fake.requests).toHaveLength(2);
    expect(listing).toMatchObject({
      method: "GET",
      path: "/pro-import-api/v4/ad",
      query: { limit: "5", state: "created" },
      body: undefined,
    });
    expect(listing?.headers["x-auth-token"]).toBe("sandbox-blocket-token");
    expect(create).toMatchObject({
      method: "POST",
      path: "/pro-import-api/v4/ad",
      body: carAd("car-1"),
    });
    expect(create?.headers["content-type"]).toBe("application/json");
    expect(create?.at).toBeGreaterThanOrEqual(listing?.at ?? Number.POSITIVE_INFINITY);
    fake.clearRequests();
    expect(fake.requests).toEqual([]);
  });

  it("closes with a request in flight and refuses connections afterwards", async () => {
    fake.injectFault({ fault: { type: "slow", delayMs: 5000 } });
    const pending = call(fake, "GET", "/v4/ad");
    await eventually(() => fake.requests.length === 1);
    await fake.close();
    await expect(pending).rejects.toThrow();
    await expect(call(fake, "GET", "/v4/ad")).rejects.toThrow();
  });
});

describe("startSandbox", () => {
  it("starts the Blocket fake on loopback with the default token and closes it", async () => {
    const sandbox = await startSandbox({ blocket: { processingDelayMs: 20 } });
    expect(sandbox.urls.blocket).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/pro-import-api$/);
    expect(sandbox.urls.blocket).toBe(sandbox.blocket.url);
    const answer = await call(sandbox.blocket, "POST", "/v4/ad", { body: carAd("car-1") });
    expect(answer.status).toBe(201);
    await sandbox.close();
    await expect(call(sandbox.blocket, "GET", "/v4/ad")).rejects.toThrow();
  });
});
