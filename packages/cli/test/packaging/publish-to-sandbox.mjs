// Runs in a plain Node project outside the workspace, against the packed @adsync tarballs:
// starts the sandbox, publishes one ad to its Blocket fake through the Promise facade, waits for
// it to settle and prints one JSON line for packaging.test.ts to check.
// Usage: node publish-to-sandbox.mjs <path of the ad's JSON>
import { readFileSync } from "node:fs";
import { makeBlocketAdapter } from "@adsync/blocket";
import { adaptersLayer, createAdsync, memoryStoreLayer } from "@adsync/core";
import { startSandbox } from "@adsync/sandbox";
import { NodeHttpClient } from "@effect/platform-node";
import { Layer, Redacted } from "effect";

const adPath = process.argv[2];
if (adPath === undefined) throw new Error("usage: node publish-to-sandbox.mjs <ad.json>");
const ad = JSON.parse(readFileSync(adPath, "utf8"));

const sandbox = await startSandbox({ blocket: { processingDelayMs: 50 } });
const client = createAdsync(
  Layer.mergeAll(
    adaptersLayer(
      makeBlocketAdapter({
        baseUrl: sandbox.urls.blocket,
        token: Redacted.make("sandbox-blocket-token"),
        tokenScope: "dealer_group",
        dealerCode: "DEALER1",
      }),
    ).pipe(Layer.provide(NodeHttpClient.layerUndici)),
    memoryStoreLayer,
  ),
);
try {
  const published = await client.publish(ad);
  const settled = await client.awaitSettled(published.adId, {
    interval: "50 millis",
    timeout: "30 seconds",
  });
  const report = {
    adId: published.adId,
    outcomes: published.outcomes.map((outcome) => ({
      marketplace: outcome.marketplace,
      result: outcome.result,
      issues: outcome.issues,
    })),
    settled: settled.map((status) => ({
      marketplace: status.marketplace,
      presence: status.state.presence,
      operation: status.state.operation?.status,
      ids: status.ref?.ids ?? {},
    })),
    requests: sandbox.blocket.requests.map((request) => `${request.method} ${request.path}`),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
} finally {
  await client.close();
  await sandbox.close();
}
