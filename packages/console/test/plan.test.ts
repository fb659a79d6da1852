import { adaptersLayer, makeMemoryStore, publisherLayer, Store } from "@adsync/core";
import { Effect, Layer, ManagedRuntime } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConsoleHandle, type PlanView, startConsole } from "../src/index.ts";

const stock = [
  { ad: { id: "car" } },
  { ad: { id: "moped" }, to: ["blocket"] },
  { ad: { id: "van" }, to: ["blocket", "nowhere"] },
  { ad: { id: "bike" }, to: ["blocket"] },
];

// No adapter and bare ads: each target an entry names comes back `invalid` (the car, planned on
// every configured adapter, on none), which is enough to see where each ad was planned.
const runtime = ManagedRuntime.make(
  publisherLayer.pipe(
    Layer.provideMerge(
      Layer.merge(adaptersLayer<never, never>(), Layer.succeed(Store, makeMemoryStore())),
    ),
  ),
);
let console_: ConsoleHandle;

beforeAll(async () => {
  console_ = await startConsole(runtime, {
    port: 0,
    marketplaces: ["blocket", "tradera"],
    inventory: Effect.succeed(stock),
  });
});

afterAll(async () => {
  await console_?.close();
  await runtime.dispose();
});

const plan = (body: unknown) =>
  fetch(`${console_.url}api/plan`, {
    method: "POST",
    headers: { "x-adsync-console": "1", "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("the console's plan of its stock", () => {
  it("plans each entry on its own targets and counts the actions", async () => {
    const response = await plan({});
    expect(response.status).toBe(200);
    const view: PlanView = JSON.parse(await response.text());
    expect(view.ads).toBe(4);
    expect(view.rows.map((row) => `${row.adId}@${row.marketplace}: ${row.action}`)).toEqual([
      "moped@blocket: invalid",
      "van@blocket: invalid",
      "bike@blocket: invalid",
    ]);
    expect(view.counts).toEqual({ invalid: 3 });
  });

  it("refuses to plan removals over more than one target set, as sync does", async () => {
    const response = await plan({ removeMissing: true });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      ok: false,
      message:
        "planning removals needs one target set for the whole stock: some entries name their own `to`",
    });
  });
});
