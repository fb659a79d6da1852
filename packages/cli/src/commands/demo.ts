import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createAdsync, type ListingStatus, type PublishResult, uncheckedAd } from "@adsync/core";
import { Command } from "@effect/cli";
import { type Io, orFail, runCommand } from "../context.ts";
import { layerFromConfig } from "../marketplaces.ts";
import { defaultRegistry } from "../registry.ts";
import {
  issueLines,
  operationText,
  outcomesText,
  rawText,
  statusHeader,
  statusRows,
  table,
} from "../render.ts";
import { readStock } from "../stock.ts";
import { sandboxConfig, startRegistryFakes } from "./sandbox.ts";

/** The sample stock: docs/examples/*.json of this repository. */
export const examplesDirectory = fileURLToPath(
  new URL("../../../../docs/examples/", import.meta.url),
);

/** The demo's stock: docs/examples/demo-stock.json names each sample ad and its targets. */
export const loadStock = (directory: string = examplesDirectory) =>
  readStock(join(directory, "demo-stock.json"));

/**
 * `adsync demo`: starts the sandbox in-process, publishes the sample stock to every fake
 * marketplace showing lifecycle progress live, and ends with a table of every listing.
 */
export const demo = async (io: Io): Promise<number> => {
  const registry = io.registry ?? defaultRegistry;
  const sandbox = await startRegistryFakes(registry, { processingDelayMs: 250 });
  const config = sandboxConfig(sandbox, { type: "memory" }, registry);
  const client = createAdsync(
    orFail(layerFromConfig({ file: undefined, config }, io.environment, {}, registry)),
  );
  const stopWatching = client.watch((event) => {
    const observation = event.observation._tag;
    if (observation === "Started") return;
    io.out(
      `  · ${event.adId} on ${event.marketplace}: ${event.state.presence}, ${operationText(event.state)}${rawText(event.state.raw)}`,
    );
  });
  try {
    io.out(`sandbox: ${JSON.stringify(sandbox.urls)}`);
    const stock = loadStock();
    const results: PublishResult[] = [];
    for (const { name, ad, to } of stock) {
      io.out(`\npublish ${name}`);
      const result = await client.publish(uncheckedAd(ad), { to });
      io.out(outcomesText(result.outcomes).replace(/^/gm, "  "));
      results.push(result);
    }
    io.out("\nwaiting for the marketplaces to process…");
    const statuses: ListingStatus[] = [];
    for (const result of results) {
      if (result.outcomes.every((outcome) => outcome.result === "invalid")) continue;
      statuses.push(
        ...(await client.awaitSettled(result.adId, {
          interval: "200 millis",
          timeout: "30 seconds",
        })),
      );
    }
    const invalid = results.flatMap((result) =>
      result.outcomes.filter((outcome) => outcome.result === "invalid"),
    );
    io.out("\nlistings:");
    io.out(
      table(statusHeader, [
        ...statusRows(statuses),
        ...invalid.map((outcome) => [
          outcome.adId || "(no id)",
          outcome.marketplace,
          outcome.state.presence,
          "invalid: nothing sent",
          "-",
        ]),
      ]),
    );
    for (const status of statuses) {
      const lines = issueLines(
        status.state.operation?.issues ?? [],
        status.state.operation?.warnings ?? [],
      );
      if (lines.length > 0)
        io.out([`${status.adId} on ${status.marketplace}:`, ...lines].join("\n"));
    }
    for (const outcome of invalid) {
      io.out(
        [
          `${outcome.adId} on ${outcome.marketplace} (invalid, zero requests):`,
          ...issueLines(outcome.issues, []),
        ].join("\n"),
      );
    }
    io.out(
      `\nrequests the sandbox received: ${[...sandbox.fakes]
        .map(([name, fake]) => `${name} ${fake.requests.length}`)
        .join(", ")}`,
    );
    return statuses.some((status) => status.state.operation?.status === "pending") ? 1 : 0;
  } finally {
    stopWatching();
    await client.close();
    await sandbox.close();
  }
};

export const demoCommand = Command.make("demo", {}, () => runCommand(demo)).pipe(
  Command.withDescription(
    "Publish the sample stock to a sandbox started in-process, showing each listing's progress.",
  ),
);
