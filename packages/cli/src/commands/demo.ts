import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createAdsync, type ListingStatus, type PublishResult } from "@adsync/core";
import { startSandbox } from "@adsync/sandbox";

import { type Io, orFail } from "../context.ts";
import { layerFromConfig } from "../marketplaces.ts";
import {
  issueLines,
  operationText,
  outcomesText,
  rawText,
  statusHeader,
  statusRows,
  table,
} from "../render.ts";
import { sandboxConfig } from "./sandbox.ts";

/** The sample stock: docs/examples/*.json of this repository. */
export const examplesDirectory = fileURLToPath(
  new URL("../../../../docs/examples/", import.meta.url),
);

export const loadExamples = (
  directory: string = examplesDirectory,
): ReadonlyArray<{ name: string; ad: unknown }> =>
  readdirSync(directory)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => ({ name, ad: JSON.parse(readFileSync(`${directory}${name}`, "utf8")) }));

/**
 * `adsync demo`: starts the sandbox in-process, publishes the sample stock to every fake
 * marketplace showing lifecycle progress live, and ends with a table of every listing.
 */
export const demo = async (io: Io): Promise<number> => {
  const sandbox = await startSandbox({ blocket: { processingDelayMs: 250 } });
  const config = sandboxConfig(sandbox, { type: "memory" });
  const client = createAdsync(orFail(layerFromConfig({ file: undefined, config }, io.environment)));
  const stopWatching = client.watch((event) => {
    const observation = event.observation._tag;
    if (observation === "Started") return;
    io.out(
      `  · ${event.adId} on ${event.marketplace}: ${event.state.presence}, ${operationText(event.state)}${rawText(event.state.raw)}`,
    );
  });
  try {
    io.out(`sandbox: ${JSON.stringify(sandbox.urls)}`);
    const stock = loadExamples();
    const results: PublishResult[] = [];
    for (const { name, ad } of stock) {
      io.out(`\npublish ${name}`);
      const result = await client.publish(ad);
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
    const invalid = results.filter((result) =>
      result.outcomes.some((outcome) => outcome.result === "invalid"),
    );
    io.out("\nlistings:");
    io.out(
      table(statusHeader, [
        ...statusRows(statuses),
        ...invalid.flatMap((result) =>
          result.outcomes.map((outcome) => [
            result.adId || "(no id)",
            outcome.marketplace,
            "absent",
            "invalid: nothing sent",
            "-",
          ]),
        ),
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
    for (const result of invalid) {
      io.out(
        [
          `${result.adId} (invalid, zero requests):`,
          ...result.outcomes.flatMap((outcome) => issueLines(outcome.issues, [])),
        ].join("\n"),
      );
    }
    io.out(`\nrequests the sandbox received: ${sandbox.blocket.requests.length}`);
    return statuses.some((status) => status.state.operation?.status === "pending") ? 1 : 0;
  } finally {
    stopWatching();
    await client.close();
    await sandbox.close();
  }
};
