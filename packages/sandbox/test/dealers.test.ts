import { afterEach, describe, expect, it } from "vitest";
import {
  type AllegroFake,
  type MarktplaatsFake,
  type Sandbox,
  startAllegroFake,
  startMarktplaatsFake,
  startSandbox,
} from "../src/index.ts";
import { golf } from "./marktplaats-support.ts";
import { carAd, type RunningBlocketFake, sendRequest, startFastBlocketFake } from "./support.ts";
import { startFastTraderaFake, traderaCarAd } from "./tradera-support.ts";

/** Many dealers on one fake (#13): own credentials, own listings, one revoked alone. */

const closing: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((fake) => fake.close()));
});
const started = <Fake extends { close(): Promise<void> }>(fake: Fake): Fake => {
  closing.push(fake);
  return fake;
};

const text = (value: unknown): string => {
  if (typeof value !== "string") throw new Error(`expected a string, got ${String(value)}`);
  return value;
};

describe("Blocket fake: dealers", () => {
  const publish = (fake: RunningBlocketFake, section: Readonly<Record<string, unknown>>) =>
    sendRequest(`${text(section.baseUrl)}/v4/ad`, text(section.token), "POST", {
      body: carAd("car-1", { dealer_code: section.dealerCode }),
    }).then((answer) => {
      fake.processing.flush();
      return answer;
    });

  it("gives each dealer its own token and dealer code; the same source_id stays two ads", async () => {
    const fake = started(await startFastBlocketFake());
    const a = fake.dealers.add("d-1");
    const b = fake.dealers.add("d-2");
    expect(a).toMatchObject({ baseUrl: fake.url, tokenScope: "dealer_code", dealerCode: "D-1" });
    expect(a.token).not.toBe(b.token);
    expect(fake.dealers.add("d-1")).toEqual(a);
    expect((await publish(fake, a)).status).toBe(201);
    expect((await publish(fake, b)).status).toBe(201);
    expect(fake.dealers.listings("d-1")).toEqual([
      { dealer: "d-1", remoteId: "car-1", adId: "car-1", key: "car-1", live: true, creations: 1 },
    ]);
    expect(fake.dealers.listings("d-2").map((listing) => listing.dealer)).toEqual(["d-2"]);
    expect(fake.dealers.ids()).toEqual(["d-1", "d-2"]);
  });

  it("a dealer's token reaches only its own dealer code", async () => {
    const fake = started(await startFastBlocketFake());
    const a = fake.dealers.add("d-1");
    fake.dealers.add("d-2");
    const answer = await sendRequest(`${fake.url}/v4/ad`, text(a.token), "POST", {
      body: carAd("car-1", { dealer_code: "D-2" }),
    });
    expect(answer.status).toBe(403);
    expect(fake.dealers.listings("d-2")).toEqual([]);
  });

  it("revokes one dealer: 401 for it, the other goes on", async () => {
    const fake = started(await startFastBlocketFake());
    const a = fake.dealers.add("d-1");
    const b = fake.dealers.add("d-2");
    expect(fake.dealers.revoke("d-1")).toBe(true);
    expect(fake.dealers.revoke("unknown")).toBe(false);
    expect((await publish(fake, a)).status).toBe(401);
    expect((await publish(fake, b)).status).toBe(201);
  });
});

describe("Tradera fake: dealers", () => {
  it("gives each dealer its own token and keeps its ads apart", async () => {
    const fake = started(await startFastTraderaFake());
    const sections = ["d-1", "d-2"].map((dealer) => fake.dealers.add(dealer));
    for (const section of sections) {
      expect(Object.keys(section).sort()).toEqual(["baseUrl", "dealerCode", "token"]);
      const answer = await sendRequest(
        `${text(section.baseUrl)}/pro-import-api/v3/ad`,
        text(section.token),
        "POST",
        { body: traderaCarAd("car-1", { dealer_code: section.dealerCode }) },
      );
      expect(answer.status).toBe(201);
    }
    fake.processing.flush();
    expect(fake.dealers.listings("d-1")).toMatchObject([{ dealer: "d-1", adId: "car-1" }]);
    expect(fake.dealers.listings("d-2")).toMatchObject([{ dealer: "d-2", adId: "car-1" }]);
    expect(fake.dealers.revoke("d-2")).toBe(true);
    const refused = await sendRequest(
      `${fake.url}/pro-import-api/v3/ad/car-1`,
      text(sections[1]?.token),
      "GET",
      {},
    );
    // "403 Forbidden - Authentication failed": Tradera's answer to a token it does not know.
    expect(refused.status).toBe(403);
  });
});

/** The access token of a dealer's Marktplaats section. */
const marktplaatsToken = async (section: Readonly<Record<string, unknown>>): Promise<string> => {
  const parameters = new URLSearchParams({
    grant_type: "refresh_token",
    refresh_token: text(section.refreshToken),
    client_id: text(section.clientId),
    client_secret: text(section.clientSecret),
  });
  const response = await fetch(`${text(section.tokenUrl)}?${parameters}`, { method: "POST" });
  const body: unknown = await response.json();
  if (response.status !== 200 || typeof body !== "object" || body === null)
    throw new Error(`refresh answered ${response.status}`);
  return text((body as { access_token?: unknown }).access_token);
};

describe("Marktplaats fake: dealers", () => {
  const place = (fake: MarktplaatsFake, bearer: string, plate: string) =>
    fetch(`${fake.url}/v1/advertisements`, {
      method: "POST",
      headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
      body: JSON.stringify(golf({ licensePlate: plate })),
    }).then(async (response) => {
      const body = (await response.json()) as { itemId?: unknown };
      return { status: response.status, itemId: String(body.itemId) };
    });

  it("makes each dealer a seller of its own; its advertisements are its own", async () => {
    const fake = started(await startMarktplaatsFake({ clock: "manual" }));
    const a = fake.dealers.add("d-1");
    const b = fake.dealers.add("d-2");
    expect(a).toMatchObject({ baseUrl: fake.url, tokenUrl: fake.tokenUrl });
    const [tokenA, tokenB] = [await marktplaatsToken(a), await marktplaatsToken(b)];
    const placed = await place(fake, tokenA, "AB-12-CD");
    expect(placed.status).toBe(201);
    expect((await place(fake, tokenB, "AB-12-CD")).status).toBe(201);
    expect(fake.dealers.listings("d-1")).toEqual([
      {
        dealer: "d-1",
        remoteId: placed.itemId,
        adId: undefined,
        key: "plate:AB-12-CD",
        live: true,
        creations: 1,
      },
    ]);
    const foreign = await fetch(`${fake.url}/v1/advertisements/${placed.itemId}`, {
      headers: { authorization: `Bearer ${tokenB}` },
    });
    expect(foreign.status).toBe(404);
    expect(fake.dealers.revoke("d-1")).toBe(true);
    await expect(marktplaatsToken(a)).rejects.toThrow("refresh answered 400");
    expect((await place(fake, tokenA, "XY-99-ZZ")).status).toBe(401);
    expect((await place(fake, tokenB, "XY-99-ZZ")).status).toBe(201);
  });
});

describe("Allegro fake: dealers", () => {
  const agent = "adsync-sandbox-tests/1.0 (+https://github.com/adsync/adsync)";
  const media = "application/vnd.allegro.public.v1+json";
  const token = async (section: Readonly<Record<string, unknown>>) => {
    const basic = Buffer.from(`${text(section.clientId)}:${text(section.clientSecret)}`);
    const response = await fetch(
      `${text(section.baseUrl)}/auth/oauth/token?grant_type=refresh_token&refresh_token=${text(section.refreshToken)}`,
      {
        method: "POST",
        headers: { authorization: `Basic ${basic.toString("base64")}`, "user-agent": agent },
      },
    );
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const call = async (
    fake: AllegroFake,
    bearer: string,
    method: string,
    path: string,
    body?: unknown,
  ) => {
    const response = await fetch(`${fake.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        "user-agent": agent,
        accept: media,
        ...(body === undefined ? {} : { "content-type": media }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const draft = { name: "BMW X5 e53", category: { id: "57968" }, external: { id: "car-1" } };

  it("makes each dealer a seller account of its own under the one application", async () => {
    const fake = started(await startAllegroFake({ clock: "manual" }));
    const a = fake.dealers.add("d-1");
    const b = fake.dealers.add("d-2");
    expect(a.clientId).toBe(b.clientId);
    expect(a.refreshToken).not.toBe(b.refreshToken);
    const tokenA = text((await token(a)).body.access_token);
    const tokenB = text((await token(b)).body.access_token);
    const created = await call(fake, tokenA, "POST", "/sale/offers", draft);
    expect(created.status).toBe(200);
    expect((await call(fake, tokenB, "POST", "/sale/offers", draft)).status).toBe(200);
    const offerId = text(created.body.id);
    expect(fake.dealers.listings("d-1")).toEqual([
      { dealer: "d-1", remoteId: offerId, adId: "car-1", key: "car-1", live: true, creations: 1 },
    ]);
    expect(fake.dealers.listings("d-2")).toHaveLength(1);
    expect(fake.dealers.listings("d-2")[0]?.remoteId).not.toBe(offerId);
    // Another seller's offer is not found, and the default seller sees none of them.
    expect((await call(fake, tokenB, "GET", `/sale/offers/${offerId}`)).status).toBe(404);
    expect(fake.offerIds()).toEqual([]);
  });

  it("revokes one dealer's grant: its refresh and its access token are refused", async () => {
    const fake = started(await startAllegroFake({ clock: "manual" }));
    const a = fake.dealers.add("d-1");
    const b = fake.dealers.add("d-2");
    const tokenA = text((await token(a)).body.access_token);
    const tokenB = text((await token(b)).body.access_token);
    expect(fake.dealers.revoke("d-1")).toBe(true);
    expect((await call(fake, tokenA, "GET", "/sale/offer-contacts")).status).toBe(401);
    expect((await call(fake, tokenB, "GET", "/sale/offer-contacts")).status).toBe(200);
  });
});

describe("startSandbox: addDealer", () => {
  it("provisions a dealer on all four fakes and answers its four sections", async () => {
    const sandbox: Sandbox = started(await startSandbox({ clock: "manual" }));
    const sections = sandbox.addDealer("d-7");
    expect(Object.keys(sections).sort()).toEqual(["allegro", "blocket", "marktplaats", "tradera"]);
    expect(sections.blocket.baseUrl).toBe(sandbox.urls.blocket);
    expect(sections.tradera.baseUrl).toBe(sandbox.urls.tradera);
    expect(sections.marktplaats.tokenUrl).toBe(sandbox.urls.marktplaatsToken);
    expect(sections.allegro.baseUrl).toBe(sandbox.urls.allegro);
    expect(sandbox.allegro.dealers.ids()).toEqual(["d-7"]);
  });
});
