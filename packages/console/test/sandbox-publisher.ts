import { readFileSync } from "node:fs";
import { makeAllegroAdapter } from "@adsync/allegro";
import { makeBlocketAdapter } from "@adsync/blocket";
import {
  type AdsyncError,
  adaptersLayer,
  makeMemoryStore,
  Publisher,
  publisherLayer,
  Store,
  uncheckedAd,
} from "@adsync/core";
import { makeMarktplaatsAdapter } from "@adsync/marktplaats";
import {
  ALLEGRO_SANDBOX_CLIENT_SECRET,
  ALLEGRO_SANDBOX_REFRESH_TOKEN,
  BLOCKET_SANDBOX_TOKEN,
  MARKTPLAATS_SANDBOX_CLIENT,
  type Sandbox,
  TRADERA_SANDBOX_TOKEN,
} from "@adsync/sandbox";
import { makeTraderaAdapter } from "@adsync/tradera";
import { NodeHttpClient } from "@effect/platform-node";
import { Effect, Layer, ManagedRuntime, Option, Redacted, Schema } from "effect";
// The CLI tests' sandbox configs of Marktplaats and Allegro, one place for both packages' tests.
import { allegroSandboxConfig, marktplaatsSandboxConfig } from "../../cli/test/sandbox-configs.ts";

/** Every credential the sandbox hands out: none may ever appear in a page or an answer. */
export const sandboxSecrets: ReadonlyArray<string> = [
  BLOCKET_SANDBOX_TOKEN,
  TRADERA_SANDBOX_TOKEN,
  MARKTPLAATS_SANDBOX_CLIENT.clientSecret,
  MARKTPLAATS_SANDBOX_CLIENT.refreshToken,
  ALLEGRO_SANDBOX_CLIENT_SECRET,
  ALLEGRO_SANDBOX_REFRESH_TOKEN,
];

/** A publisher over all four fakes of a running sandbox, with an in-memory store. */
export const sandboxRuntime = (sandbox: Sandbox) => {
  const adapters = adaptersLayer(
    makeBlocketAdapter({
      baseUrl: sandbox.urls.blocket,
      token: Redacted.make(BLOCKET_SANDBOX_TOKEN),
      tokenScope: "dealer_group",
      dealerCode: "DEALER1",
      apiVersion: "v4",
    }),
    makeTraderaAdapter({
      baseUrl: sandbox.urls.tradera,
      token: Redacted.make(TRADERA_SANDBOX_TOKEN),
      dealerCode: "DEALER1",
    }),
    makeMarktplaatsAdapter({ site: "marktplaats", ...marktplaatsSandboxConfig(sandbox) }),
    makeAllegroAdapter(allegroSandboxConfig(sandbox)),
  );
  const store = makeMemoryStore();
  const layer = publisherLayer.pipe(
    Layer.provideMerge(Layer.merge(adapters, Layer.succeed(Store, store))),
    Layer.provide(NodeHttpClient.layerUndici),
  );
  const runtime: ManagedRuntime.ManagedRuntime<Publisher | Store, AdsyncError> =
    ManagedRuntime.make(layer);
  return { runtime, store };
};

const StockEntry = Schema.Struct({
  file: Schema.String,
  to: Schema.optional(Schema.Array(Schema.String)),
});

const examples = new URL("../../../docs/examples/", import.meta.url);

/** The sample stock of this repository: docs/examples/demo-stock.json and the ads it names. */
export const sampleStock = (): ReadonlyArray<{
  readonly ad: { readonly id: string };
  readonly to?: ReadonlyArray<string> | undefined;
}> =>
  Schema.decodeUnknownSync(Schema.Array(StockEntry))(
    JSON.parse(readFileSync(new URL("demo-stock.json", examples), "utf8")),
  ).map((entry) => ({
    ad: JSON.parse(readFileSync(new URL(entry.file, examples), "utf8")),
    to: entry.to,
  }));

/** Publishes the sample stock through the publisher and waits until nothing is pending. */
export const publishSampleStock = (stock: ReturnType<typeof sampleStock>) =>
  Effect.gen(function* () {
    const publisher = yield* Publisher;
    for (const { ad, to } of stock) {
      const result = yield* publisher.publish(uncheckedAd(ad), { to });
      if (result.outcomes.some((outcome) => outcome.result === "accepted")) {
        yield* publisher.awaitSettled(result.adId, {
          interval: "100 millis",
          timeout: "60 seconds",
        });
      }
    }
  });

/** The dealer's current ads by id, as the console's ad source and plan read them (tests change them). */
export const adSource = (stock: ReturnType<typeof sampleStock>) => {
  const ads = new Map<string, unknown>(stock.map((entry) => [entry.ad.id, entry.ad]));
  const read = (adId: string): Effect.Effect<Option.Option<unknown>> =>
    Effect.sync(() => Option.fromNullable(ads.get(adId)));
  /** The stock as the Plan tab plans it: the current ads, each entry with its own targets. */
  const inventory = Effect.sync(() =>
    stock.map((entry) => ({ ad: ads.get(entry.ad.id) ?? entry.ad, to: entry.to })),
  );
  return { ads, read, inventory };
};
