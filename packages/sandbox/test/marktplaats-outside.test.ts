import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  MARKTPLAATS_SANDBOX_CLIENT,
  type MarktplaatsFake,
  startMarktplaatsFake,
} from "../src/marktplaats/index.ts";

/** The Marktplaats fake's seller list and its outside changes (the doc's states). */

let fake: MarktplaatsFake;
let bearer = "";

const api = async (method: string, path: string, body?: unknown) => {
  const headers: Record<string, string> = { authorization: `Bearer ${bearer}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(new URL(path, `${fake.url}/`), {
    method,
    headers,
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text === "" ? undefined : JSON.parse(text) };
};

const place = async (title: string, images: ReadonlyArray<string> = []) => {
  const placed = await api("POST", "/v1/advertisements", {
    categoryId: 157,
    title,
    description: "<p>Nette auto</p>",
    priceModel: { modelType: "fixed", askingPrice: 1_500_000 },
    location: { postcode: "1097DN" },
    model: "Golf",
    constructionYear: 2018,
  });
  expect(placed.status).toBe(201);
  const itemId = String(placed.json.itemId);
  if (images.length > 0) {
    const posted = await api("POST", `/v1/advertisements/${itemId}/images`, {
      urls: images,
      replaceAll: true,
    });
    expect(posted.status).toBe(202);
  }
  return itemId;
};

/** Every page of the seller's list, following `_links.next`; answers the pages as received. */
const allPages = async () => {
  const pages: Array<{ href: string; items: Array<Record<string, unknown>>; total: unknown }> = [];
  let href: string | undefined = "/v1/advertisements";
  while (href !== undefined) {
    const page = await api("GET", href);
    expect(page.status).toBe(200);
    pages.push({
      href,
      items: page.json._embedded["mp:advertisement"],
      total: page.json.totalCount,
    });
    href = page.json._links.next?.href;
  }
  return pages;
};

beforeAll(async () => {
  fake = await startMarktplaatsFake({ pageSize: 2, imageDelayMs: 10, clock: "manual" });
  const query = new URLSearchParams({
    grant_type: "refresh_token",
    refresh_token: MARKTPLAATS_SANDBOX_CLIENT.refreshToken,
    client_id: MARKTPLAATS_SANDBOX_CLIENT.clientId,
    client_secret: MARKTPLAATS_SANDBOX_CLIENT.clientSecret,
  });
  const tokens = await fetch(`${fake.tokenUrl}?${query}`, { method: "POST" });
  bearer = String(JSON.parse(await tokens.text()).access_token);
});
afterAll(() => fake.close());

describe("Marktplaats fake: outside changes", () => {
  it("follows the documented states in the list and in GET", async () => {
    const ids = [
      await place("Golf één"),
      await place("Golf twee"),
      await place("Golf drie"),
      await place("Golf vier"),
      await place("Golf vijf", ["https://images.example.nl/1.jpg", "https://gone.invalid/2.jpg"]),
    ];
    const [paused, closed, gone, edited, pictured] = ids.map((id) => id ?? "");
    expect(fake.outside.deactivate(paused ?? "")).toBe(true);
    expect(fake.outside.expire(closed ?? "")).toBe(true);
    expect(fake.outside.delete(gone ?? "")).toBe(true);
    expect(fake.outside.edit(edited ?? "", { title: "Golf buurman", price: 14_250 })).toBe(true);
    // No documented state for a rejection after placement; nothing to change on a deleted ad.
    expect(fake.outside.reject(paused ?? "", "spam")).toBe(false);
    expect(fake.outside.deactivate(gone ?? "")).toBe(false);
    expect(fake.outside.edit("m424242", { title: "x" })).toBe(false);
    fake.processing.flush();

    const pages = await allPages();
    // 4 listed ads (the deleted one left the list), 2 per page, linked by `_links.next`.
    expect(pages.map((page) => [page.href, page.items.length, page.total])).toEqual([
      ["/v1/advertisements", 2, 4],
      ["/v1/advertisements?offset=2&limit=2", 2, 4],
    ]);
    const listed = new Map(pages.flatMap((page) => page.items).map((item) => [item.itemId, item]));
    expect(listed.has(gone)).toBe(false);
    expect((await api("GET", `/v1/advertisements/${gone}`)).json).toMatchObject({
      code: "advertisement-not-found",
    });
    expect(listed.get(paused)).toMatchObject({ status: "deactivated", renewPossible: false });
    const closedAd = listed.get(closed);
    expect(closedAd).toMatchObject({ status: "deactivated", renewPossible: true });
    expect(Date.parse(String(closedAd?.closeDate))).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(String(listed.get(edited)?.closeDate))).toBeGreaterThan(Date.now());
    expect(listed.get(edited)).toMatchObject({
      status: "online",
      title: "Golf buurman",
      priceModel: { modelType: "fixed", askingPrice: 1_425_000 },
    });
    expect(listed.get(pictured)?._embedded).toEqual({
      "mp:advertisement-images": [
        expect.objectContaining({ status: "available" }),
        expect.objectContaining({ status: "failed" }),
      ],
    });
    // GET embeds the same images as the list.
    expect((await api("GET", `/v1/advertisements/${pictured}`)).json._embedded).toEqual(
      listed.get(pictured)?._embedded,
    );
  });
});
