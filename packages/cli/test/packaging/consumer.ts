// Type-checked by packaging.test.ts in a plain TypeScript project (NodeNext resolution) against
// the packed tarballs' .d.ts, and by the workspace's tsc against the sources: both must accept
// it. Never run.
import { makeBlocketAdapter } from "@adsync/blocket";
import {
  type AdsyncClient,
  adaptersLayer,
  createAdsync,
  type ListingStatus,
  memoryStoreLayer,
  type PublishResult,
  type VehicleAdInput,
} from "@adsync/core";
import { type Sandbox, startSandbox } from "@adsync/sandbox";
import { Layer, Redacted } from "effect";

export const publishToSandbox = async (
  ad: VehicleAdInput,
): Promise<{ published: PublishResult; settled: ReadonlyArray<ListingStatus> }> => {
  const sandbox: Sandbox = await startSandbox();
  const client: AdsyncClient = createAdsync(
    Layer.mergeAll(
      adaptersLayer(
        makeBlocketAdapter({
          baseUrl: sandbox.urls.blocket,
          token: Redacted.make("sandbox-blocket-token"),
          tokenScope: "dealer_group",
          dealerCode: "DEALER1",
        }),
      ),
      memoryStoreLayer,
    ),
  );
  try {
    const published = await client.publish(ad);
    const settled = await client.awaitSettled(published.adId, { timeout: "30 seconds" });
    const presence: "absent" | "draft" | "pending" | "live" | "hidden" | "removed" | undefined =
      settled[0]?.state.presence;
    void presence;
    return { published, settled };
  } finally {
    await client.close();
    await sandbox.close();
  }
};

/** The declarations carry real types, not `any`: each of these must be an error. */
export const rejected = (client: AdsyncClient, car: VehicleAdInput) => {
  // @ts-expect-error an ad's category is one of the canonical categories
  void client.publish({ ...car, category: "spaceship" });
  // @ts-expect-error data of unknown shape goes through uncheckedAd
  void client.validate(JSON.parse("{}") as unknown);
  makeBlocketAdapter({
    token: Redacted.make("token"),
    // @ts-expect-error not a token scope
    tokenScope: "everyone",
  });
  // @ts-expect-error the facade takes a layer, not a config object
  createAdsync({ store: "memory" });
  // @ts-expect-error the sandbox's URLs are strings
  const port: number = (undefined as unknown as Sandbox).urls.blocket;
  void port;
};
