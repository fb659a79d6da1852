import {
  DealerAdapters,
  DealerCredentials,
  type DealerCredentialsStore,
  httpTransportLayer,
  type TransportRequest,
} from "@adsync/core";
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient";
import { Context, Effect, Layer } from "effect";
import type { TestDatabase } from "../../../store-sql/test/support/databases.ts";
import { type WorkerOptions, workerDealerAdaptersLayer } from "../../src/worker.ts";

/** A transport answering every request `text` (200), recording what the marketplace receives. */
export const recordingTransport = (text = "") => {
  const sent: Array<TransportRequest> = [];
  const transport = {
    send: (request: TransportRequest) => {
      sent.push(request);
      return Promise.resolve({ status: 200, headers: {}, text });
    },
  };
  return { sent, transport };
};

/**
 * One worker's `DealerAdapters` as `adsync worker` builds them, on a PostgreSQL connection of
 * its own: build it twice for two workers on one database sharing one transport.
 */
export const workerAdapters = (
  database: TestDatabase,
  credentials: DealerCredentialsStore,
  transport: ReturnType<typeof recordingTransport>["transport"],
  options: Pick<WorkerOptions, "marketplaces" | "applicationLimits" | "referenceCache">,
) =>
  Effect.map(
    Layer.build(
      workerDealerAdaptersLayer(options).pipe(
        Layer.provide(
          Layer.mergeAll(
            Layer.succeed(DealerCredentials, credentials),
            NodeHttpClient.layerUndici,
            httpTransportLayer(transport),
            database.client(),
          ),
        ),
      ),
    ),
    (context) => Context.get(context, DealerAdapters),
  );
