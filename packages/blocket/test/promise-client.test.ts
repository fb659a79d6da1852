import { AdsyncError } from "@adsync/core";
import { type BlocketFake, startBlocketFake } from "@adsync/sandbox";
import { Redacted } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBlocketClient } from "../src/index.ts";

let fake: BlocketFake & { close(): Promise<void> };
let client: ReturnType<typeof createBlocketClient>;

beforeAll(async () => {
  fake = await startBlocketFake({ processingDelayMs: 5 });
  client = createBlocketClient({
    baseUrl: fake.url,
    token: Redacted.make("sandbox-blocket-token"),
    tokenScope: "dealer_group",
    dealerCode: "DEALER1",
  });
});
afterAll(async () => {
  await client.close();
  await fake.close();
});

describe("createBlocketClient: Blocket's own operations as Promises", () => {
  it("reads the vehicle reference data", async () => {
    const brands = await client.brands();
    expect(brands).toContain("volvo");
    expect(await client.models("volvo")).not.toHaveLength(0);
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toContain(
      "GET /pro-import-api/v3/vehicle/brands",
    );
  });

  it("rejects with the AdsyncError itself for an ad Blocket does not have", async () => {
    const error = await client.polePosition("no-such-ad").then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(AdsyncError);
    expect(error).toMatchObject({ reason: "NotFound", status: 404 });
  });
});
