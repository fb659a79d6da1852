import { awaitSettled, onlyStatus } from "@adsync/conformance";
import { adaptersLayer, createAdsync, memoryStoreLayer } from "@adsync/core";
import { startBlocketFake } from "@adsync/sandbox";
import { Layer, Redacted } from "effect";
import { afterAll, beforeAll, expect, it } from "vitest";
import { makeBlocketAdapter } from "../src/index.ts";

let fake: Awaited<ReturnType<typeof startBlocketFake>>;

beforeAll(async () => {
  fake = await startBlocketFake({
    processingDelayMs: 5,
    tokens: [{ token: "one-dealer-token", scope: "dealer_code", dealerCodes: ["DEALER7"] }],
  });
});
afterAll(() => fake.close());

it("with a single-dealer token the ad is published without naming a dealer code", async () => {
  const adsync = createAdsync(
    Layer.mergeAll(
      adaptersLayer(
        makeBlocketAdapter({
          baseUrl: fake.url,
          token: Redacted.make("one-dealer-token"),
          tokenScope: "dealer_code",
        }),
      ),
      memoryStoreLayer,
    ),
  );
  try {
    await adsync.publish({
      id: "scope-1",
      category: "car",
      description: "En bil.",
      price: { list: { amount: 10_000_000, currency: "SEK" } },
      images: ["https://images.example.com/scope/1.jpg"],
      vehicle: {
        make: "Volvo",
        model: "V70",
        modelYear: 2012,
        bodyType: "wagon",
        mileage: { value: 18000, unit: "mil" },
        fuels: ["diesel"],
        transmission: "manual",
      },
    });
    const status = onlyStatus(await awaitSettled(adsync, "scope-1"));
    expect(status.state.presence).toBe("live");
    const [post] = fake.requests.filter((request) => request.method === "POST");
    expect(post?.body).not.toHaveProperty("dealer_code");
  } finally {
    await adsync.close();
  }
});
