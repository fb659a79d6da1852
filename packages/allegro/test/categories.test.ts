import { createAdsync } from "@adsync/core";
import { type AllegroFakeCategory, allegroFakeCategories, startAllegroFake } from "@adsync/sandbox";
import { afterEach, describe, expect, it } from "vitest";
import { car, layerFor } from "./support.ts";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

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

describe("vehicle roots found by walking GET /sale/categories", () => {
  it("publishes a car live in a tree whose ids differ from production and that has no van root", async () => {
    const fake = await startAllegroFake({ taskDelayMs: 10, categories: otherTree });
    const client = createAdsync(layerFor(fake));
    closers.push(
      () => client.close(),
      () => fake.close(),
    );
    const published = await client.publish(car("tree-1"), { to: ["allegro"] });
    expect(published.outcomes.map((outcome) => [outcome.result, outcome.issues])).toEqual([
      ["accepted", []],
    ]);
    const [live] = await client.awaitSettled("tree-1", {
      interval: "20 millis",
      timeout: "10 seconds",
    });
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
    const fake = await startAllegroFake({ taskDelayMs: 10, categories: otherTree });
    const client = createAdsync(layerFor(fake, { rootCategories: { car: shifted("4029") } }));
    closers.push(
      () => client.close(),
      () => fake.close(),
    );
    const published = await client.publish(car("named-1"), { to: ["allegro"] });
    expect(published.outcomes[0]?.result).toBe("accepted");
    const reads = fake.requests
      .filter((request) => request.path === "/sale/categories")
      .map((request) => request.query["parent.id"] ?? "");
    expect(reads).not.toContain("");
    expect(reads[0]).toBe(shifted("4029"));
  });
});
