import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type TraderaFake } from "../src/index.ts";
import { AD_PATH, startFastTraderaFake, traderaCall, traderaCarAd } from "./tradera-support.ts";

describe("Tradera fake: reference data", () => {
  let fake: TraderaFake;
  beforeEach(async () => {
    fake = await startFastTraderaFake();
  });
  afterEach(() => fake.close());

  it("serves the vehicle reference data at the host root, as arrays of strings", async () => {
    const list = async (path: string) => {
      const answer = await traderaCall(fake, "GET", path);
      expect(answer.status, path).toBe(200);
      return answer.body;
    };
    // The values the brief asks each list to hold at least, space separated.
    const includes = async (path: string, values: string) =>
      expect(await list(path)).toEqual(expect.arrayContaining(values.split(" ")));
    await includes("/vehicle/brands", "volvo bmw mercedes audi volkswagen toyota tesla kia");
    await includes("/vehicle/car-models", "xc90 3-series golf model-3 sportage");
    await includes("/vehicle/car-models?brand=volvo", "xc60 xc90");
    expect(await list("/vehicle/car-models?brand=volvo")).not.toContain("golf");
    await includes(
      "/vehicle/car-body-styles",
      "suv sedan coupe hatchback wagon convertible minivan van pickup",
    );
    await includes("/vehicle/colors", "black white silver grey blue red green");
    await includes("/vehicle/fuels", "gasoline diesel electric hybrid plugin_hybrid ethanol gas");
    expect(await list("/vehicle/transmissions")).toEqual(["manual", "automatic"]);
    await includes(
      "/vehicle/equipments",
      "navigation leather_seats parking_sensors heated_seats tow_bar sunroof cruise_control",
    );
    expect((await traderaCall(fake, "GET", "/vehicle/planes")).status).toBe(404);
    expect((await traderaCall(fake, "GET", "/pro-import-api/v4/ad")).status).toBe(404);
    const post = await traderaCall(fake, "POST", "/vehicle/brands", { body: {} });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET");
  });
});

describe("Tradera fake: fault injection and request recording", () => {
  let fake: TraderaFake;
  beforeEach(async () => {
    fake = await startFastTraderaFake();
  });
  afterEach(() => fake.close());

  it("answers an injected 429 with Retry-After and a plain string, without applying the request", async () => {
    fake.injectFault({
      method: "POST",
      path: AD_PATH,
      fault: { type: "status", status: 429, retryAfter: "2" },
    });
    const throttled = await traderaCall(fake, "POST", AD_PATH, { body: traderaCarAd("car-1") });
    expect(throttled).toMatchObject({
      status: 429,
      body: "Too many requests. Retry after 2 seconds.",
    });
    expect(throttled.headers.get("retry-after")).toBe("2");
    expect(fake.adCount()).toBe(0);
    fake.injectFault({ fault: { type: "status", status: 503 } });
    expect(await traderaCall(fake, "GET", AD_PATH)).toMatchObject({
      status: 503,
      body: "Service unavailable, try again later.",
    });
    expect((await traderaCall(fake, "POST", AD_PATH, { body: traderaCarAd("car-1") })).status).toBe(
      201,
    );
  });

  it("drops a connection without applying the request, or after applying it", async () => {
    fake.injectFault({ method: "POST", fault: { type: "drop" } });
    await expect(
      traderaCall(fake, "POST", AD_PATH, { body: traderaCarAd("car-1") }),
    ).rejects.toThrow();
    expect(fake.adCount()).toBe(0);
    fake.injectFault({ method: "POST", fault: { type: "applyThenDrop" } });
    await expect(
      traderaCall(fake, "POST", AD_PATH, { body: traderaCarAd("car-1") }),
    ).rejects.toThrow();
    expect(fake.ad("car-1")).toMatchObject({ source_id: "car-1" });
    const again = await traderaCall(fake, "POST", AD_PATH, { body: traderaCarAd("car-1") });
    expect(again).toMatchObject({
      status: 400,
      body: "A PublicAd with SourceId 'car-1' already exists.",
    });
  });

  it("records every request with its path under the origin, faulted ones included", async () => {
    fake.injectFault({ method: "GET", fault: { type: "status", status: 500 } });
    await traderaCall(fake, "GET", `${AD_PATH}?limit=5&state=created`);
    await traderaCall(fake, "POST", AD_PATH, { body: traderaCarAd("car-1") });
    await traderaCall(fake, "GET", "/vehicle/brands");
    expect(fake.requests.map((request) => [request.method, request.path])).toEqual([
      ["GET", AD_PATH],
      ["POST", AD_PATH],
      ["GET", "/vehicle/brands"],
    ]);
    expect(fake.requests[0]).toMatchObject({ query: { limit: "5", state: "created" } });
    expect(fake.requests[0]?.headers["x-auth-token"]).toBe("sandbox-tradera-token");
    expect(fake.requests[1]?.body).toEqual(traderaCarAd("car-1"));
    fake.clearRequests();
    expect(fake.requests).toEqual([]);
  });
});

describe("startSandbox with Tradera", () => {
  it("starts the Tradera fake beside Blocket, its URL the host root, and closes both", async () => {
    const sandbox = await startSandbox({ tradera: { processingDelayMs: 20 } });
    expect(sandbox.urls.tradera).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.urls.tradera).toBe(sandbox.tradera.url);
    expect(sandbox.tradera.name).toBe("tradera");
    expect(sandbox.urls.blocket).not.toBe(sandbox.urls.tradera);
    const answer = await traderaCall(sandbox.tradera, "POST", AD_PATH, {
      body: traderaCarAd("car-1"),
    });
    expect(answer.status).toBe(201);
    await sandbox.close();
    await expect(traderaCall(sandbox.tradera, "GET", AD_PATH)).rejects.toThrow();
  });
});
