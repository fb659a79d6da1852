import { type AdsyncClient, createAdsync, type VehicleAdInput } from "@adsync/core";
import { type AllegroFakeCategory, allegroFakeCategories, startAllegroFake } from "@adsync/sandbox";
import { afterEach, describe, expect, it } from "vitest";
import type { OfferApi } from "../src/index.ts";
import { specProblems } from "./openapi.ts";
import { car, layerFor } from "./support.ts";

const apis: ReadonlyArray<OfferApi> = ["product-offers", "sale-offers"];

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A fake serving `categories` (default tree otherwise) and a client on it, closed after. */
const started = async (
  categories: ReadonlyArray<AllegroFakeCategory> | undefined,
  config: Parameters<typeof layerFor>[1],
) => {
  const fake = await startAllegroFake({
    taskDelayMs: 10,
    ...(categories === undefined ? {} : { categories }),
  });
  const client = createAdsync(layerFor(fake, config));
  closers.push(
    () => client.close(),
    () => fake.close(),
  );
  return { fake, client };
};

/** Publishes the ad, expects it accepted with no issue, and waits until it settles. */
const publishSettled = async (client: AdsyncClient, ad: VehicleAdInput) => {
  const published = await client.publish(ad, { to: ["allegro"] });
  expect(published.outcomes.map((outcome) => [outcome.result, outcome.issues])).toEqual([
    ["accepted", []],
  ]);
  const [live] = await client.awaitSettled(ad.id, {
    interval: "20 millis",
    timeout: "10 seconds",
  });
  return { published, live };
};

/**
 * A tree Allegro could serve that adsync did not write: every id differs from the default
 * catalog's, cars sit one level deeper ("Motoryzacja" → "Samochody" → "Osobowe"), another main
 * category exists beside "Motoryzacja", and there is no van root at all.
 */
const shifted = (id: string) => String(Number(id) + 900_000);
const vanRoot = allegroFakeCategories.find((node) => node.name === "Samochody dostawcze")?.id;
const below = (root: string | undefined): ReadonlySet<string> => {
  const found = new Set<string>(root === undefined ? [] : [root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const node of allegroFakeCategories)
      if (node.parent !== null && found.has(node.parent) && !found.has(node.id)) {
        found.add(node.id);
        grew = true;
      }
  }
  return found;
};
const withoutVans = below(vanRoot);
const otherTree: ReadonlyArray<AllegroFakeCategory> = [
  { id: "1", name: "Elektronika", parent: null, leaf: false },
  { id: "2", name: "Samochody", parent: shifted("3"), leaf: false },
  ...allegroFakeCategories
    .filter((node) => !withoutVans.has(node.id))
    .map((node) => ({
      ...node,
      id: shifted(node.id),
      name: node.name === "Samochody osobowe" ? "Osobowe" : node.name,
      parent:
        node.name === "Samochody osobowe"
          ? "2"
          : node.parent === null
            ? null
            : shifted(node.parent),
    })),
];

describe.each(apis)("vehicle roots found by walking GET /sale/categories (%s)", (offerApi) => {
  it("publishes a car live in a tree whose ids differ from production and that has no van root", async () => {
    const { fake, client } = await started(otherTree, { offerApi });
    const { live } = await publishSettled(client, car("tree-1"));
    expect(live?.state.presence).toBe("live");
    const reads = fake.requests
      .filter((request) => request.path === "/sale/categories")
      .map((request) => request.query["parent.id"] ?? "");
    // The main categories, Motoryzacja, Samochody, Osobowe (the makes), BMW, X5: nothing else —
    // not "Elektronika", not a van or motorcycle root.
    expect(reads.slice(0, 3)).toEqual(["", shifted("3"), "2"]);
    expect(reads).not.toContain("1");
    expect(reads).not.toContain(shifted("4040"));

    // A second car: the root is cached, not walked again.
    fake.clearRequests();
    await client.publish(car("tree-2"), { to: ["allegro"] });
    expect(
      fake.requests.filter(
        (request) =>
          request.path === "/sale/categories" && request.query["parent.id"] === undefined,
      ),
    ).toEqual([]);

    // A van has no root in this tree: an issue on that ad's category, nothing written.
    const writesBefore = fake.requests.filter((request) => request.method !== "GET").length;
    const van = await client.publish({ ...car("tree-van"), category: "van" }, { to: ["allegro"] });
    expect(van.outcomes[0]?.result).toBe("failed");
    expect(van.outcomes[0]?.issues.map((entry) => entry.path)).toEqual(["category"]);
    expect(fake.requests.filter((request) => request.method !== "GET").length).toBe(writesBefore);
  });

  it("takes root ids the config names, and reads no main category", async () => {
    const { fake, client } = await started(otherTree, {
      offerApi,
      rootCategories: { car: shifted("4029") },
    });
    const published = await client.publish(car("named-1"), { to: ["allegro"] });
    expect(published.outcomes[0]?.result).toBe("accepted");
    const reads = fake.requests
      .filter((request) => request.path === "/sale/categories")
      .map((request) => request.query["parent.id"] ?? "");
    expect(reads).not.toContain("");
    expect(reads[0]).toBe(shifted("4029"));
  });
});

/** The default tree with the BMW X5 E53 leaf (57968) taking advertisements without a price. */
const priceOptionalTree: ReadonlyArray<AllegroFakeCategory> = allegroFakeCategories.map((node) =>
  node.id === "57968" ? { ...node, advertisementPriceOptional: true } : node,
);
const withoutPrice = (id: string) => ({ ...car(id), price: { callForPrice: true } });
const draftWrite = (request: { method: string; path: string }) =>
  (request.method === "POST" || request.method === "PUT" || request.method === "PATCH") &&
  /^\/sale\/(product-offers|offers)(\/\d+)?$/.test(request.path);

describe.each(apis)("category options.advertisementPriceOptional (%s)", (offerApi) => {
  it("publishes an ad without a price where the category takes one, with no sellingMode.price", async () => {
    const { fake, client } = await started(priceOptionalTree, { offerApi });
    const { published, live } = await publishSettled(client, withoutPrice("no-price-1"));
    // "call for price" is what an offer without a price shows: no warning about it.
    expect(published.outcomes[0]?.warnings.map((warning) => warning.path) ?? []).not.toContain(
      "price.callForPrice",
    );
    expect(live?.state.presence).toBe("live");
    // The write carrying the selling mode (product-offers: the POST; sale-offers: the PUT).
    const selling = fake.requests.filter(
      (request) => draftWrite(request) && JSON.stringify(request.body).includes('"sellingMode"'),
    );
    expect(selling).toHaveLength(1);
    expect(selling[0]?.body).toHaveProperty("sellingMode", { format: "ADVERTISEMENT" });
    expect(selling.flatMap(specProblems)).toEqual([]);
    expect(fake.offer(live?.ref?.remoteId ?? "")).toHaveProperty("sellingMode", {
      format: "ADVERTISEMENT",
    });

    // An ad with a price in the same category still sends it.
    fake.clearRequests();
    expect((await client.publish(car("priced-1"), { to: ["allegro"] })).outcomes[0]?.result).toBe(
      "accepted",
    );
    expect(
      fake.requests.find(
        (request) => draftWrite(request) && JSON.stringify(request.body).includes('"sellingMode"'),
      )?.body,
    ).toMatchObject({
      sellingMode: { format: "ADVERTISEMENT", price: { amount: "33000", currency: "PLN" } },
    });
  });

  it("fails an ad without a price, on price.list, where the category needs one: nothing written", async () => {
    const { fake, client } = await started(undefined, { offerApi });
    const published = await client.publish(withoutPrice("no-price-2"), { to: ["allegro"] });
    expect(published.outcomes[0]?.result).toBe("failed");
    expect(published.outcomes[0]?.issues.map((entry) => [entry.path, entry.code])).toEqual([
      ["price.list", "required"],
    ]);
    expect(
      fake.requests.filter(
        (request) => request.method !== "GET" && request.path !== "/auth/oauth/token",
      ),
    ).toEqual([]);
  });
});
