import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ALLEGRO_SANDBOX_CLIENT_ID,
  ALLEGRO_SANDBOX_CLIENT_SECRET,
  ALLEGRO_SANDBOX_REFRESH_TOKEN,
  type AllegroFake,
  startAllegroFake,
} from "../src/allegro/index.ts";

const MEDIA = "application/vnd.allegro.public.v1+json";
const AGENT = "adsync-sandbox-tests/1.0 (+https://github.com/adsync/adsync)";
const basic = `Basic ${Buffer.from(`${ALLEGRO_SANDBOX_CLIENT_ID}:${ALLEGRO_SANDBOX_CLIENT_SECRET}`).toString("base64")}`;

interface Answer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test reads arbitrary JSON answers
  readonly body: any;
}

let fake: AllegroFake;
let token = "";

const refresh = async (refreshToken: string): Promise<Answer> => {
  const response = await fetch(
    `${fake.url}/auth/oauth/token?grant_type=refresh_token&refresh_token=${refreshToken}`,
    {
      method: "POST",
      headers: { authorization: basic, "user-agent": AGENT },
    },
  );
  return { status: response.status, body: await response.json() };
};

const call = async (
  method: string,
  path: string,
  body?: unknown,
  accept = MEDIA,
): Promise<Answer> => {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      "user-agent": AGENT,
      accept,
      ...(body === undefined ? {} : { "content-type": MEDIA }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
};

beforeEach(async () => {
  fake = await startAllegroFake({ taskDelayMs: 5, clock: "manual" });
  token = (await refresh(ALLEGRO_SANDBOX_REFRESH_TOKEN)).body.access_token;
});
afterEach(() => fake.close());

/** A complete offer for the fake's BMW X5 E53 leaf, with an uploaded image and a contact. */
const completeOffer = async () => {
  const image = (await call("POST", "/sale/images", { url: "https://images.example.com/a.jpg" }))
    .body.location;
  const contact = (
    await call("POST", "/sale/offer-contacts", { name: "Auta", emails: [{ address: "a@b.pl" }] })
  ).body.id;
  return {
    name: "BMW X5 e53",
    category: { id: "57968" },
    parameters: [
      { id: "11323", valuesIds: ["11323_2"], values: [] },
      { id: "1", valuesIds: [], values: ["2005"] },
      { id: "4", valuesIds: [], values: ["150000"] },
      { id: "5", valuesIds: [], values: ["3000"] },
      { id: "12", valuesIds: ["12_3"], values: [] },
      { id: "128789", valuesIds: [], values: ["5"] },
      { id: "3", valuesIds: ["3_4"], values: [] },
      { id: "178", valuesIds: ["178_1"], values: [] },
    ],
    description: {
      sections: [
        {
          items: [
            { type: "TEXT", content: "<p>opis tekstowy</p>" },
            { type: "IMAGE", url: image },
          ],
        },
      ],
    },
    images: [{ url: image }],
    sellingMode: { format: "ADVERTISEMENT", price: { amount: "33000", currency: "PLN" } },
    location: { countryCode: "PL", province: "WIELKOPOLSKIE", city: "Poznań", postCode: "60-166" },
    payments: { invoice: "NO_INVOICE" },
    contact: { id: contact },
    external: { id: "dms-1" },
  };
};

describe("Allegro fake: OAuth", () => {
  it("rotates refresh tokens: a used one is refused", async () => {
    const again = await refresh(ALLEGRO_SANDBOX_REFRESH_TOKEN);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe("invalid_grant");
    expect(fake.validRefreshTokens()).toHaveLength(1);
  });

  it("answers 401 to an expired token and 406 to a JSON Accept header", async () => {
    expect((await call("GET", "/sale/offer-contacts", undefined, "application/json")).status).toBe(
      406,
    );
    fake.expireAccessTokens();
    const expired = await call("GET", "/sale/offer-contacts");
    expect(expired.status).toBe(401);
    expect(expired.body.error_description).toMatch(/expired/);
  });
});

describe("Allegro fake: User-Agent", () => {
  const contactsAs = async (
    target: AllegroFake,
    userAgent: string | undefined,
  ): Promise<Answer> => {
    const response = await fetch(`${target.url}/sale/offer-contacts`, {
      headers: {
        authorization: `Bearer ${token}`,
        accept: MEDIA,
        // undici sends "node" when none is given: Node's default, which Allegro refuses.
        ...(userAgent === undefined ? {} : { "user-agent": userAgent }),
      },
    });
    return { status: response.status, body: await response.json() };
  };

  it("refuses Node's default and other non-descriptive User-Agents with a 403, token call included", async () => {
    for (const userAgent of [undefined, "node", "Mozilla/5.0", "MyDms/2.1"]) {
      const refused = await contactsAs(fake, userAgent);
      expect(refused.status).toBe(403);
      expect(refused.body.errors[0].code).toBe("UserAgentNotAllowedException");
    }
    const tokenCall = await fetch(`${fake.url}/auth/oauth/token?grant_type=refresh_token`, {
      method: "POST",
      headers: { authorization: basic },
    });
    expect(tokenCall.status).toBe(403);
    expect((await contactsAs(fake, AGENT)).status).toBe(200);
    expect((await contactsAs(fake, "MyDms/2.1 (+https://dms.example.com) extra")).status).toBe(200);
  });

  it('serves any User-Agent with userAgent: "any"', async () => {
    const lenient = await startAllegroFake({ clock: "manual", userAgent: "any" });
    try {
      const tokenAnswer = await fetch(
        `${lenient.url}/auth/oauth/token?grant_type=refresh_token&refresh_token=${ALLEGRO_SANDBOX_REFRESH_TOKEN}`,
        { method: "POST", headers: { authorization: basic } },
      );
      expect(tokenAnswer.status).toBe(200);
      token = ((await tokenAnswer.json()) as { access_token: string }).access_token;
      expect((await contactsAs(lenient, undefined)).status).toBe(200);
    } finally {
      await lenient.close();
    }
  });
});

describe("Allegro fake: contacts and images", () => {
  it("refuses a 51st contact and more than 1 email or 2 phones", async () => {
    expect(
      (
        await call("POST", "/sale/offer-contacts", {
          name: "X",
          phones: [{ number: "1" }, { number: "2" }, { number: "3" }],
        })
      ).status,
    ).toBe(422);
    for (let index = 0; index < 50; index++)
      expect((await call("POST", "/sale/offer-contacts", { name: `K${index}` })).status).toBe(201);
    const refused = await call("POST", "/sale/offer-contacts", { name: "K50" });
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].message).toBe("You cannot have more than 50 contacts.");
  });

  it("normalizes phone numbers as the guide's answers show", async () => {
    const created = await call("POST", "/sale/offer-contacts", {
      name: "A",
      phones: [{ number: "555-555-777" }],
    });
    expect(created.body.phones).toEqual([{ number: "+48 55 555 57 77" }]);
  });

  it("uploads by URL with an expiry, and answers 413 and 415", async () => {
    const uploaded = await call("POST", "/sale/images", { url: "https://imgur.com/1aOIvg3E.jpg" });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.location).toMatch(
      /^https:\/\/a\.allegroimg\.allegrosandbox\.pl\/original\//,
    );
    expect(Date.parse(uploaded.body.expiresAt)).toBeGreaterThan(Date.now());
    expect(
      (await call("POST", "/sale/images", { url: "https://x.example.com/too-big.jpg" })).status,
    ).toBe(413);
    expect(
      (await call("POST", "/sale/images", { url: "https://x.example.com/a.gif" })).status,
    ).toBe(415);
  });
});

describe("Allegro fake: drafts, packages and publication", () => {
  it("saves a partial draft with validation errors, as section 6 shows", async () => {
    const draft = await call("POST", "/sale/offers", {
      name: "BMW X5 e53",
      category: { id: "57968" },
    });
    expect(draft.status).toBe(200);
    expect(draft.body.publication.status).toBe("INACTIVE");
    const messages = draft.body.validation.errors.map(
      (error: { message: string }) => error.message,
    );
    expect(messages).toContain("Location may not be empty.");
    expect(
      messages.some((message: string) =>
        message.startsWith("Missing required parameters: Stan, Rok produkcji"),
      ),
    ).toBe(true);
    expect(
      (await call("POST", "/sale/offers", { name: "x".repeat(51), category: { id: "57968" } }))
        .status,
    ).toBe(422);
  });

  it("finds drafts by external.id and replaces the whole structure on PUT", async () => {
    const offer = await completeOffer();
    const draft = await call("POST", "/sale/offers", {
      name: offer.name,
      category: offer.category,
      external: offer.external,
    });
    const found = await call("GET", "/sale/offers?external.id=dms-1&external.id=other");
    expect(found.body.offers.map((entry: { id: string }) => entry.id)).toEqual([draft.body.id]);
    const put = await call("PUT", `/sale/offers/${draft.body.id}`, offer);
    expect(put.body.validation.errors).toEqual([]);
    const partial = await call("PUT", `/sale/offers/${draft.body.id}`, {
      name: offer.name,
      category: offer.category,
    });
    expect(partial.body.location).toBeNull();
  });

  it("publishes through an idempotent command whose task goes NEW → SUCCESS, and ends it", async () => {
    const offer = await completeOffer();
    const id = (await call("POST", "/sale/offers", offer)).body.id;
    const packages = (await call("GET", "/sale/classifieds-packages?category.id=57968")).body
      .packages;
    const base = packages.find((entry: { type: string }) => entry.type === "BASE");
    expect(
      (
        await call("PUT", `/sale/offer-classifieds-packages/${id}`, {
          basePackage: { id: base.id },
        })
      ).status,
    ).toBe(200);
    const command = {
      publication: { action: "ACTIVATE" },
      offerCriteria: [{ type: "CONTAINS_OFFERS", offers: [{ id }] }],
    };
    const commandId = "3380d97f-0d32-4747-8a17-1da38f9499de";
    const registered = await call("PUT", `/sale/offer-publication-commands/${commandId}`, command);
    expect(registered.status).toBe(201);
    expect(registered.body.taskCount).toEqual({ total: 0, success: 0, failed: 0 });
    expect(
      (await call("PUT", `/sale/offer-publication-commands/${commandId}`, command)).status,
    ).toBe(409);
    expect(fake.offerStatus(id)).toBe("ACTIVATING");
    const tasksPath = `/sale/offer-publication-commands/${commandId}/tasks`;
    expect((await call("GET", tasksPath)).body.tasks[0].status).toBe("NEW");
    fake.processing.advance(4);
    expect(fake.offerStatus(id)).toBe("ACTIVATING");
    fake.processing.advance(1);
    expect((await call("GET", tasksPath)).body.tasks[0].status).toBe("SUCCESS");
    expect(fake.offerStatus(id)).toBe("ACTIVE");
    expect(
      (
        await call("PUT", `/sale/offer-classifieds-packages/${id}`, {
          basePackage: { id: packages[1].id },
        })
      ).status,
    ).toBe(422);
    const end = {
      publication: { action: "END" },
      offerCriteria: [{ type: "CONTAINS_OFFERS", offers: [{ id }] }],
    };
    await call("PUT", "/sale/offer-publication-commands/6b1c1e9e-8a9f-4f0e-9d55-0c7f1f4f7d21", end);
    fake.processing.flush();
    expect(fake.offerStatus(id)).toBe("ENDED");
    expect((await call("GET", `/sale/offers/${id}`)).body.publication.endedBy).toBe("USER");
  });

  it("fails an ACTIVATE task without a package, leaving the draft inactive", async () => {
    const id = (await call("POST", "/sale/offers", await completeOffer())).body.id;
    const commandId = "11111111-2222-4333-8444-555555555555";
    await call("PUT", `/sale/offer-publication-commands/${commandId}`, {
      publication: { action: "ACTIVATE" },
      offerCriteria: [{ type: "CONTAINS_OFFERS", offers: [{ id }] }],
    });
    fake.processing.flush();
    const tasks = (await call("GET", `/sale/offer-publication-commands/${commandId}/tasks`)).body
      .tasks;
    expect(tasks[0].message).toMatch(/package/);
    expect(fake.offerStatus(id)).toBe("INACTIVE");
  });

  it("quotes fees per package and injects faults in Allegro's error dialect", async () => {
    const quote = await call("POST", "/pricing/offer-fee-preview", {
      offer: { name: "BMW" },
      classifiedsPackages: { basePackage: { id: "6174be19-56f9-484b-b72c-43b0b00785e8" } },
    });
    expect(quote.body.quotes[0].fee).toEqual({ amount: "29.00", currency: "PLN" });
    fake.injectFault({
      method: "GET",
      path: "/sale/offer-contacts",
      fault: { type: "status", status: 503 },
    });
    const faulted = await call("GET", "/sale/offer-contacts");
    expect(faulted.status).toBe(503);
    expect(faulted.body.errors[0].code).toBe("ServiceUnavailableException");
  });
});
