import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  MARKTPLAATS_SANDBOX_CLIENT,
  type MarktplaatsFake,
  startMarktplaatsFake,
} from "../src/marktplaats/index.ts";
import { golf } from "./marktplaats-support.ts";

let fake: MarktplaatsFake;
let token = "";

const call = async (
  method: string,
  path: string,
  body?: unknown,
  contentType = "application/json",
  bearer: string = token,
) => {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${bearer}`,
      ...(body === undefined ? {} : { "content-type": contentType }),
    },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
};

const refresh = async (overrides: Record<string, string> = {}) => {
  const parameters = new URLSearchParams({
    grant_type: "refresh_token",
    refresh_token: MARKTPLAATS_SANDBOX_CLIENT.refreshToken,
    client_id: MARKTPLAATS_SANDBOX_CLIENT.clientId,
    client_secret: MARKTPLAATS_SANDBOX_CLIENT.clientSecret,
    ...overrides,
  });
  const response = await fetch(`${fake.tokenUrl}?${parameters}`, { method: "POST" });
  return { status: response.status, body: JSON.parse(await response.text()) };
};

const create = async (extra: Record<string, unknown> = {}) => {
  const answer = await call("POST", "/v1/advertisements", golf(extra));
  expect(answer.status).toBe(201);
  return String(answer.body.itemId);
};

beforeAll(async () => {
  fake = await startMarktplaatsFake({ enrichmentDelayMs: 30, pageSize: 2, clock: "manual" });
  token = (await refresh()).body.access_token;
});
afterAll(() => fake.close());

describe("Marktplaats fake: OAuth", () => {
  it("issues tokens shaped as authentication.rst shows", async () => {
    const answer = await refresh();
    expect(answer).toMatchObject({
      status: 200,
      body: { token_type: "Bearer", expires_in: 43_199, scope: "read,write" },
    });
    expect(typeof answer.body.refresh_token).toBe("string");
  });

  it("refuses unknown clients and refresh tokens", async () => {
    expect((await refresh({ client_secret: "wrong" })).status).toBe(401);
    expect((await refresh({ refresh_token: "wrong" })).status).toBe(400);
  });

  it("answers 401 without a token and with an expired one", async () => {
    expect((await call("GET", "/v1/categories", undefined, "", "nope")).status).toBe(401);
    const own = (await refresh()).body.access_token;
    fake.expireAccessTokens();
    expect((await call("GET", "/v1/categories", undefined, "", own)).status).toBe(401);
    token = (await refresh()).body.access_token;
  });
});

describe("Marktplaats fake: advertisements", () => {
  it("derives the city from the postcode and reports field errors", async () => {
    const itemId = await create();
    expect((await call("GET", `/v1/advertisements/${itemId}`)).body).toMatchObject({
      itemId,
      status: "online",
      location: { postcode: "1097DN", cityName: "Amsterdam" },
    });
    const bad = await call(
      "POST",
      "/v1/advertisements",
      golf({ title: "ab", stickerText: "x".repeat(19), foo: 1 }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("validation-failure");
    expect(
      bad.body.fieldErrors.map((entry: { field: string; code: string }) => [
        entry.field,
        entry.code,
      ]),
    ).toEqual([
      ["title", "input-too-short"],
      ["stickerText", "input-too-long"],
      ["foo", "unknown-field"],
    ]);
  });

  it("checks the content type, the JSON and the item id", async () => {
    expect((await call("POST", "/v1/advertisements", "x=1", "text/plain")).body.code).toBe(
      "incorrect-content-type",
    );
    expect((await call("POST", "/v1/advertisements", "{oops", "application/json")).body.code).toBe(
      "invalid-json",
    );
    expect((await call("GET", "/v1/advertisements/1234")).body.code).toBe("invalid-item-id");
    expect((await call("GET", "/v1/advertisements/m9")).status).toBe(404);
  });

  it("applies JSON Patch: 409 on replacing a missing field, test unsupported, read-only fields refused", async () => {
    const itemId = await create();
    const path = `/v1/advertisements/${itemId}`;
    const missing = await call(
      "PATCH",
      path,
      [{ op: "replace", path: "/mileage", value: 1 }],
      "application/json-patch+json",
    );
    expect(missing).toMatchObject({ status: 409, body: { code: "conflicting-state" } });
    const test = await call("PATCH", path, [{ op: "test", path: "/title", value: "x" }]);
    expect(test.status).toBe(400);
    const readOnly = await call("PATCH", path, [
      { op: "replace", path: "/status", value: "deactivated" },
    ]);
    expect(readOnly.body.fieldErrors[0].code).toBe("field-not-editable");
    const ok = await call("PATCH", path, [
      { op: "add", path: "/mileage", value: 5 },
      { op: "copy", from: "/title", path: "/trim" },
    ]);
    expect(ok.body).toMatchObject({ mileage: 5, trim: "Volkswagen Golf 2019" });
    const removeTitle = await call("PATCH", path, [{ op: "remove", path: "/title" }]);
    expect(removeTitle.body.fieldErrors[0]).toMatchObject({
      field: "title",
      code: "missing-required-field",
    });
  });

  it("ignores a new postcode that contradicts the city, unless the city is removed first", async () => {
    const itemId = await create();
    const path = `/v1/advertisements/${itemId}`;
    const naive = await call("PATCH", path, [
      { op: "replace", path: "/location/postcode", value: "8388MA" },
    ]);
    expect(naive.body.location).toEqual({ cityName: "Amsterdam" });
    const documented = await call("PATCH", path, [
      { op: "remove", path: "/location/cityName" },
      { op: "add", path: "/location/postcode", value: "8388MA" },
    ]);
    expect(documented.body.location).toEqual({ postcode: "8388MA", cityName: "Boijl" });
  });

  it("enriches from the licence plate after a delay, keeping the seller's own values", async () => {
    const itemId = await create({ licensePlate: "AB123C", energyLabel: "A" });
    expect(fake.advertisement(itemId)).not.toHaveProperty("trim");
    fake.processing.advance(29);
    expect(fake.advertisement(itemId)).not.toHaveProperty("trim");
    fake.processing.advance(1);
    expect(fake.advertisement(itemId)).toMatchObject({
      trim: "Basis",
      energyLabel: "A",
      makeDescription: "Volkswagen",
    });
  });

  it("lists the seller's live ads page by page and forgets deleted ones", async () => {
    const itemId = await create();
    expect((await call("DELETE", `/v1/advertisements/${itemId}`)).status).toBe(204);
    expect((await call("GET", `/v1/advertisements/${itemId}`)).body.code).toBe(
      "advertisement-not-found",
    );
    const first = await call("GET", "/v1/advertisements");
    expect(first.body._embedded["mp:advertisement"]).toHaveLength(2);
    expect(first.body._links.next.href).toBe("/v1/advertisements?offset=2&limit=2");
    const ids: Array<string> = [];
    for (let href: string | undefined = "/v1/advertisements"; href !== undefined; ) {
      const page = await call("GET", href);
      ids.push(
        ...page.body._embedded["mp:advertisement"].map((ad: { itemId: string }) => ad.itemId),
      );
      href = page.body._links.next?.href;
    }
    expect(ids).not.toContain(itemId);
    expect(fake.adCount()).toBeGreaterThan(ids.length);
  });

  it("takes images asynchronously and serves categories and attributes", async () => {
    const itemId = await create();
    const images = await call("POST", `/v1/advertisements/${itemId}/images`, {
      urls: ["https://x.nl/1.jpg"],
      replaceAll: true,
    });
    expect(images).toMatchObject({
      status: 202,
      body: { _embedded: { "mp:advertisement-image": [{ status: "downloading" }] } },
    });
    const cars = await call("GET", "/v1/categories/91");
    expect(cars.body._embedded["mp:category"][0]).toMatchObject({ categoryId: 157 });
    const attributes = await call("GET", "/v1/categories/91/157/attributes");
    expect(attributes.body.fields).toContainEqual(
      expect.objectContaining({ key: "model", mandatory: true }),
    );
  });

  it("records requests and injects faults through the shared fake server", async () => {
    fake.clearRequests();
    fake.injectFault({
      method: "GET",
      path: "/v1/categories",
      fault: { type: "status", status: 503 },
    });
    const answer = await call("GET", "/v1/categories");
    expect(answer).toMatchObject({ status: 503, body: { code: "internal-server-error" } });
    expect(fake.requests.map((request) => request.path)).toEqual(["/v1/categories"]);
  });
});
