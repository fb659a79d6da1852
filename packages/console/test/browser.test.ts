/**
 * The console in a real Chromium (Debian's `chromium`, driven by playwright-core): a store
 * filled by publishing the sample stock to the sandbox, the grid, a change on a marketplace's
 * side reaching the open page through the live feed, a removal from the page, and no secret in
 * anything the console answered. Saves a screenshot (to a temp dir; `pnpm screenshot` in this
 * package writes docs/console.png instead).
 *
 * Process-level: generous budgets, and every wait is on a condition (Playwright's auto-waiting
 * or `expect.poll`), never a fixed sleep.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { type ListingRecord, Publisher, uncheckedAd } from "@adsync/core";
import { type Sandbox, startSandbox } from "@adsync/sandbox";
import { Effect } from "effect";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConsoleHandle, startConsole } from "../src/index.ts";
import {
  adSource,
  publishSampleStock,
  sampleStock,
  sandboxRuntime,
  sandboxSecrets,
} from "./sandbox-publisher.ts";

const chromiumPath = process.env.ADSYNC_CHROMIUM ?? "/usr/bin/chromium";
const budget = 60_000;

let sandbox: Sandbox;
let setup: ReturnType<typeof sandboxRuntime>;
let console_: ConsoleHandle;
let browser: BrowserContext;
let page: Page;
let profile: string;
let dealerAds: ReturnType<typeof adSource>;
let stock: ReturnType<typeof sampleStock>;
/** Every answer the page received (the live feed aside), to search for secrets. */
const answers: Array<{ url: string; body: string }> = [];

/** Waits on a condition with a budget fit for a loaded machine (vitest's default is 1 s). */
const eventually = <T>(read: () => T, interval = 100) =>
  expect.poll(read, { timeout: budget, interval });

const sandboxFakes = () => [sandbox.blocket, sandbox.tradera, sandbox.marktplaats, sandbox.allegro];
const records = () => Effect.runPromise(setup.store.list());
const cellOf = (adId: string, marketplace: string) =>
  page.locator(`tr[data-ad-id="${adId}"] td[data-marketplace="${marketplace}"]`);

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is missing at ${chromiumPath}: the console's browser test needs it. Install it with \`apt-get install -y chromium\` (the project's .ci/run does), or point ADSYNC_CHROMIUM at a Chromium binary.`,
    );
  }
  sandbox = await startSandbox();
  setup = sandboxRuntime(sandbox);
  stock = sampleStock();
  dealerAds = adSource(stock);
  await setup.runtime.runPromise(publishSampleStock(stock));
  console_ = await startConsole(setup.runtime, {
    port: 0,
    ads: dealerAds.read,
    inventory: dealerAds.inventory,
  });
  profile = mkdtempSync(join(tmpdir(), "adsync-console-chromium-"));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    timeout: budget,
    viewport: { width: 1400, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  browser.setDefaultTimeout(budget);
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on("response", async (response) => {
    if (response.headers()["content-type"]?.startsWith("text/event-stream")) return;
    answers.push({ url: response.url(), body: await response.text().catch(() => "") });
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await console_?.close();
  await setup?.runtime.dispose();
  await sandbox?.close();
  if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
});

/**
 * Opens the Plan tab over the stock with the car's list price changed and checks the plan, and
 * that the fakes received nothing but reads since `before` (each fake's request count).
 */
const checkPriceChangePlan = async (before: ReadonlyArray<number>) => {
  const rowOf = (adId: string, marketplace: string) =>
    page.locator(`#plan tr[data-ad-id="${adId}"][data-marketplace="${marketplace}"]`);
  await page.locator("#tab-plan").click();
  await eventually(() => page.locator("#plan").getAttribute("data-loaded")).toBe("true");
  const rows = await page
    .locator("#plan tbody tr")
    .evaluateAll((nodes) =>
      nodes.map(
        (node) =>
          `${node.getAttribute("data-ad-id")}@${node.getAttribute("data-marketplace")}: ${node.getAttribute("data-action")}`,
      ),
    );
  expect(rows.sort()).toEqual([
    "demo-car-xc90@allegro: unchanged",
    "demo-car-xc90@blocket: update",
    "demo-car-xc90@marktplaats: unchanged",
    "demo-car-xc90@tradera: update",
    "demo-golf-broken-image@blocket: unchanged",
    "demo-golf-broken-image@tradera: unchanged",
    "demo-invalid-passat@allegro: invalid",
    "demo-invalid-passat@blocket: invalid",
    "demo-invalid-passat@marktplaats: invalid",
    "demo-invalid-passat@tradera: invalid",
    "demo-moped-aerox@blocket: unchanged",
  ]);
  const blocket = rowOf("demo-car-xc90", "blocket");
  await eventually(() => blocket.locator(".badge").textContent()).toBe("update");
  expect(await blocket.locator("td.changes .change").allTextContents()).toEqual([
    "price.0.amount: 34990000 → 33990000",
  ]);
  expect(await blocket.locator("td.request").textContent()).toMatch(/^(PUT|PATCH|POST) \//);
  expect(await rowOf("demo-car-xc90", "tradera").locator("td.changes .change").count()).toBe(1);
  expect(await rowOf("demo-car-xc90", "allegro").locator("td.changes").textContent()).toBe("—");
  expect(await page.locator('[data-plan-count="update"]').textContent()).toBe("update: 2");

  // Planning read what it needed and wrote nothing: only GETs, beside OAuth token requests.
  const sent = sandboxFakes().flatMap((fake, index) =>
    fake.requests
      .slice(before[index])
      .filter((request) => request.method !== "GET" && !request.path.endsWith("/oauth/token"))
      .map((request) => `${request.method} ${request.path}`),
  );
  expect(sent).toEqual([]);
};

describe("the operator console in Chromium", () => {
  it(
    "shows every listing of the store with its presence and last operation",
    async () => {
      await page.goto(console_.url);
      await eventually(() => page.locator("#live").getAttribute("data-state")).toBe("open");
      const stored = await records();
      // The sample stock: the car on four marketplaces, the moped on one, the ad with a broken
      // image on two; the invalid ad sent nothing, so it has no listing.
      expect(stored.map((record) => `${record.adId}@${record.marketplace}`).sort()).toEqual([
        "demo-car-xc90@allegro",
        "demo-car-xc90@blocket",
        "demo-car-xc90@marktplaats",
        "demo-car-xc90@tradera",
        "demo-golf-broken-image@blocket",
        "demo-golf-broken-image@tradera",
        "demo-moped-aerox@blocket",
      ]);
      for (const record of stored) {
        const cell = cellOf(record.adId, record.marketplace);
        await eventually(() => cell.getAttribute("data-presence")).toBe(record.state.presence);
        await eventually(() => cell.getAttribute("data-operation")).toBe(
          record.state.operation?.status,
        );
      }
      await eventually(() => page.locator("tbody tr").count()).toBe(3);
      // The moped's payload has no title: the dealer's ad gives one.
      await eventually(() =>
        page.locator('tr[data-ad-id="demo-moped-aerox"] .title').textContent(),
      ).toMatch(/^Yamaha Aerox/);
      await eventually(() => page.locator('[data-count="listings"]').textContent()).toBe(
        "7 listings",
      );
      // The broken image: a warning, shown beside the ad's value at its canonical path.
      await cellOf("demo-golf-broken-image", "blocket").click();
      const warnings = page.locator("#detail section.issues");
      await eventually(() => warnings.locator("td.ad-value").first().textContent()).toContain(
        "broken",
      );
    },
    budget * 3,
  );

  it(
    "plans the stock after a price change: one update per marketplace concerned, no write sent",
    async () => {
      const car = stock.find((entry) => entry.ad.id === "demo-car-xc90")?.ad;
      // Marktplaats and Allegro carry a price override in the car's ad: only Blocket and
      // Tradera take the list price.
      dealerAds.ads.set("demo-car-xc90", {
        ...car,
        price: { list: { amount: 33990000, currency: "SEK" } },
      });
      const before = sandboxFakes().map((fake) => fake.requests.length);
      try {
        await checkPriceChangePlan(before);
      } finally {
        dealerAds.ads.set("demo-car-xc90", car);
        await page.locator("#tab-listings").click();
      }
    },
    budget * 2,
  );

  it(
    "shows a change made on the marketplace's side after a refresh, without a reload",
    async () => {
      // A reload would lose this mark.
      await page.evaluate("document.body.dataset.loadedOnce = 'yes'");
      const car = (await records()).find(
        (record: ListingRecord) =>
          record.adId === "demo-car-xc90" && record.marketplace === "marktplaats",
      );
      const itemId = car?.ref?.remoteId;
      expect(itemId).toBeDefined();
      // The dealer deactivates the ad on Marktplaats' own site.
      sandbox.marktplaats.setStatus(itemId ?? "", "deactivated");
      await eventually(() =>
        cellOf("demo-car-xc90", "marktplaats").getAttribute("data-presence"),
      ).toBe("live");
      // The refresh comes from outside the page (another operator, a cron job): only the live
      // feed can tell the page.
      const refreshed = await fetch(`${console_.url}api/refresh`, {
        method: "POST",
        headers: { "x-adsync-console": "1" },
      });
      answers.push({ url: "POST /api/refresh", body: await refreshed.text() });
      expect(refreshed.status).toBe(200);
      await eventually(() =>
        cellOf("demo-car-xc90", "marktplaats").getAttribute("data-presence"),
      ).toBe("hidden");
      expect(await page.evaluate("document.body.dataset.loadedOnce")).toBe("yes");
      // The filters narrow the grid to the listing that changed, and back.
      await page.locator('#filters select[name="state"]').selectOption("hidden");
      await eventually(() => page.locator("tbody td.listing").count()).toBe(1);
      await page.locator('#filters input[name="text"]').fill("moped");
      await eventually(() => page.locator("tbody td.listing").count()).toBe(0);
      await page.locator('#filters select[name="state"]').selectOption("");
      await eventually(() => page.locator("tbody td.listing").count()).toBe(1);
      await page.locator('#filters input[name="text"]').fill("");
      await eventually(() => page.locator("tbody td.listing").count()).toBe(7);
    },
    budget * 2,
  );

  it(
    "removes a listing on the marketplace from the page, after a confirmation",
    async () => {
      await cellOf("demo-moped-aerox", "blocket").click();
      await page.locator('#detail[data-ad-id="demo-moped-aerox"] [data-action="remove"]').click();
      const dialog = page.locator("#confirm-remove");
      await eventually(() => dialog.getAttribute("open")).toBe("");
      // Cancelling sends nothing.
      await page.locator("#confirm-cancel").click();
      await eventually(() => dialog.getAttribute("open")).toBeNull();
      const deletesOf = () =>
        sandbox.blocket.requests.filter(
          (request) => request.method === "DELETE" && request.path.endsWith("/demo-moped-aerox"),
        );
      expect(deletesOf()).toEqual([]);

      await page.locator('#detail[data-ad-id="demo-moped-aerox"] [data-action="remove"]').click();
      await eventually(() => page.locator("#confirm-text").textContent()).toContain(
        "demo-moped-aerox",
      );
      await page.locator("#confirm-ok").click();
      await eventually(() => deletesOf().length).toBe(1);
      await eventually(() =>
        cellOf("demo-moped-aerox", "blocket").getAttribute("data-operation"),
      ).not.toBe("succeeded");
      // Blocket deletes asynchronously: the page's own refresh settles it.
      await eventually(async () => {
        await page.locator("#refresh-all").click();
        return cellOf("demo-moped-aerox", "blocket").getAttribute("data-presence");
      }, 500).toBe("removed");
      // Blocket's delete runs in two steps (delete, then unpublish); the state turns "deleted"
      // after the second, which may trail the first on a loaded machine.
      await eventually(() => sandbox.blocket.ad("demo-moped-aerox")).toMatchObject({
        state: "deleted",
      });
      // The other listings were left alone.
      expect(
        sandbox.blocket.requests.filter((request) => request.method === "DELETE"),
      ).toHaveLength(1);

      const target = process.env.ADSYNC_CONSOLE_SCREENSHOT;
      const path =
        target === undefined
          ? join(mkdtempSync(join(tmpdir(), "adsync-console-shot-")), "console.png")
          : resolve(target);
      mkdirSync(dirname(path), { recursive: true });
      await cellOf("demo-golf-broken-image", "tradera").click();
      await eventually(() => page.locator("#detail").getAttribute("data-ad-id")).toBe(
        "demo-golf-broken-image",
      );
      await page.screenshot({ path, fullPage: true });
      expect(existsSync(path)).toBe(true);
    },
    budget * 3,
  );

  it(
    "publishes a failed update again from the page, with the dealer's current ad",
    async () => {
      const car = stock.find((entry) => entry.ad.id === "demo-car-xc90")?.ad;
      const changed = { ...car, description: "Well maintained Volvo XC90. New tyres." };
      // Marktplaats refuses the update once (a 400 is not retried).
      sandbox.marktplaats.injectFault({
        method: "PATCH",
        fault: { type: "status", status: 400, body: { message: "temporarily refused" } },
      });
      const failed = await setup.runtime.runPromise(
        Effect.flatMap(Publisher, (publisher) =>
          publisher.publish(uncheckedAd(changed), { to: ["marktplaats"] }),
        ),
      );
      expect(failed.outcomes.map((outcome) => outcome.result)).toEqual(["failed"]);
      dealerAds.ads.set("demo-car-xc90", changed);
      const cell = cellOf("demo-car-xc90", "marktplaats");
      await eventually(() => cell.getAttribute("data-operation")).toBe("failed");
      await cell.click();
      const retry = page.locator('#detail[data-marketplace="marktplaats"] [data-action="retry"]');
      await eventually(() => retry.isEnabled()).toBe(true);
      const patches = () =>
        sandbox.marktplaats.requests.filter((request) => request.method === "PATCH").length;
      const before = patches();
      await retry.click();
      // The demo car settles with warnings on Marktplaats (fields it cannot show, #12).
      await eventually(() => cell.getAttribute("data-operation")).toBe("succeeded_with_warnings");
      expect(patches()).toBe(before + 1);
      const itemId = (await records()).find(
        (record) => record.adId === "demo-car-xc90" && record.marketplace === "marktplaats",
      )?.ref?.remoteId;
      expect(JSON.stringify(sandbox.marktplaats.advertisement(itemId ?? ""))).toContain(
        "New tyres",
      );
    },
    budget * 2,
  );

  it(
    "never puts a marketplace credential in a page or an answer",
    async () => {
      for (const record of await records()) {
        const response = await fetch(
          `${console_.url}api/listings/${encodeURIComponent(record.adId)}/${record.marketplace}`,
        );
        answers.push({ url: response.url, body: await response.text() });
      }
      expect(answers.length).toBeGreaterThan(10);
      const leaks = answers.flatMap(({ url, body }) =>
        sandboxSecrets
          .filter((secret) => body.includes(secret))
          .map((secret) => `${secret} in ${url}`),
      );
      expect(leaks).toEqual([]);
    },
    budget,
  );
});
