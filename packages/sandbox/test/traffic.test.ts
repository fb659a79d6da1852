import { afterEach, describe, expect, it } from "vitest";
import { Timers } from "../src/http/timers.ts";
import { seededRandom, Traffic } from "../src/http/traffic.ts";
import { startMarktplaatsFake } from "../src/index.ts";
import {
  eventually,
  type RunningBlocketFake,
  sendRequest,
  startFastBlocketFake,
} from "./support.ts";

/** Latency and per-dealer rate limits of the fakes (#13), on the manual clock. */

const closing: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((fake) => fake.close()));
});

const started = async (fake: Promise<RunningBlocketFake>): Promise<RunningBlocketFake> => {
  const running = await fake;
  closing.push(running);
  return running;
};

/** A read of the dealer's ads list with the dealer's token. */
const list = (fake: RunningBlocketFake, token: unknown) =>
  sendRequest(`${fake.url}/v4/ad`, String(token), "GET", {});

describe("latency", () => {
  it("holds every answer for the fixed delay, on the fake's clock", async () => {
    const fake = await started(startFastBlocketFake({ traffic: { latency: { fixedMs: 250 } } }));
    const { token } = fake.dealers.add("d-1");
    let answered = false;
    const answer = list(fake, token).then((result) => {
      answered = true;
      return result;
    });
    await eventually(() => fake.requests.length === 1 && fake.processing.pending() === 1);
    fake.processing.advance(249);
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    fake.processing.advance(1);
    expect((await answer).status).toBe(200);
  });

  it("draws the same jitter for the same seed, within [fixed, fixed + jitter)", () => {
    const delays = (seed: number) => {
      const traffic = new Traffic(
        { latency: { fixedMs: 10, jitterMs: 40, seed } },
        new Timers("manual"),
      );
      return Array.from({ length: 50 }, () => traffic.nextDelayMs());
    };
    expect(delays(7)).toEqual(delays(7));
    expect(delays(7)).not.toEqual(delays(8));
    for (const delay of delays(7)) {
      expect(delay).toBeGreaterThanOrEqual(10);
      expect(delay).toBeLessThan(50);
    }
    const random = seededRandom(3);
    const draws = Array.from({ length: 1000 }, random);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
  });
});

describe("per-dealer rate limit", () => {
  it("answers 429 with Retry-After to a dealer over its limit, and only to that dealer", async () => {
    const fake = await started(
      startFastBlocketFake({ traffic: { rateLimit: { requests: 2, perMs: 1_000 } } }),
    );
    const a = fake.dealers.add("d-1");
    const b = fake.dealers.add("d-2");
    expect((await list(fake, a.token)).status).toBe(200);
    fake.processing.advance(400);
    expect((await list(fake, a.token)).status).toBe(200);
    const limited = await list(fake, a.token);
    expect(limited.status).toBe(429);
    // The window has room again when the first request is 1,000 ms old: 600 ms → "1" second.
    expect(limited.headers.get("retry-after")).toBe("1");
    expect((await list(fake, b.token)).status).toBe(200);
    expect(fake.dealers.rateLimited()).toBe(1);
    fake.processing.advance(600);
    expect((await list(fake, a.token)).status).toBe(200);
    expect((await list(fake, a.token)).status).toBe(429);
  });

  it("counts Retry-After in whole seconds up to the window's end", () => {
    const timers = new Timers("manual");
    const traffic = new Traffic({ rateLimit: { requests: 1, perMs: 2_500 } }, timers);
    expect(traffic.admit("x")).toEqual({ kind: "pass" });
    expect(traffic.admit("x")).toEqual({ kind: "limited", retryAfterSeconds: 3 });
    expect(traffic.admit(undefined)).toEqual({ kind: "pass" });
    timers.advance(2_499);
    expect(traffic.admit("x")).toEqual({ kind: "limited", retryAfterSeconds: 1 });
    timers.advance(1);
    expect(traffic.admit("x")).toEqual({ kind: "pass" });
  });

  it("limits an OAuth marketplace per seller; the token endpoint is not counted", async () => {
    const fake = await startMarktplaatsFake({
      clock: "manual",
      traffic: { rateLimit: { requests: 1, perMs: 60_000 } },
    });
    closing.push(fake);
    const tokenOf = async (dealer: string) => {
      const section = fake.dealers.add(dealer);
      const parameters = new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: String(section.refreshToken),
        client_id: String(section.clientId),
        client_secret: String(section.clientSecret),
      });
      const response = await fetch(`${fake.tokenUrl}?${parameters}`, { method: "POST" });
      return String(((await response.json()) as { access_token?: unknown }).access_token);
    };
    const [a, b] = [await tokenOf("d-1"), await tokenOf("d-2")];
    const read = (bearer: string) =>
      fetch(`${fake.url}/v1/advertisements`, { headers: { authorization: `Bearer ${bearer}` } });
    expect((await read(a)).status).toBe(200);
    const limited = await read(a);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");
    expect((await read(b)).status).toBe(200);
  });
});

describe("the record of a request", () => {
  it("names the account it was counted against, and once answered its status and when (the scale benchmark's client gaps)", async () => {
    const fake = await started(
      startFastBlocketFake({ traffic: { rateLimit: { requests: 1, perMs: 1_000 } } }),
    );
    const { token } = fake.dealers.add("d-1");
    expect((await list(fake, token)).status).toBe(200);
    expect((await list(fake, token)).status).toBe(429);
    const [first, second] = fake.requests;
    expect([first?.account, second?.account]).toEqual([String(token), String(token)]);
    expect([first?.status, second?.status]).toEqual([200, 429]);
    for (const request of [first, second])
      expect(request?.answeredAt).toBeGreaterThanOrEqual(request?.at ?? Number.POSITIVE_INFINITY);
  });
});
