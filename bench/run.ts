/**
 * Benchmarks (not tests): figures printed, each beside a baseline measured in the same run.
 * Everything runs against the sandbox on 127.0.0.1.
 *
 *   pnpm bench            # default sizes
 *   BENCH_ADS=5000 pnpm bench
 */
import { performance } from "node:perf_hooks";
import { makeBlocketAdapter, toBlocketPayload } from "@adsync/blocket";
import {
  adaptersLayer,
  createAdsync,
  headerAuth,
  makeMarketplaceHttp,
  memoryStoreLayer,
  VehicleAd,
  type VehicleAdInput,
} from "@adsync/core";
import { BLOCKET_SANDBOX_TOKEN, startSandbox } from "@adsync/sandbox";
import { HttpClient } from "@effect/platform";
import { NodeHttpClient } from "@effect/platform-node";
import { Effect, Layer, Redacted, Schema } from "effect";
import { request } from "undici";

const adCount = Number(process.env.BENCH_ADS ?? 1000);
const requestCount = Number(process.env.BENCH_REQUESTS ?? 500);

const sampleAd = (index: number): VehicleAdInput => ({
  id: `bench-${index}`,
  category: index % 7 === 0 ? "moped" : "car",
  description: `Benchmark vehicle number ${index}, well maintained.`,
  price: { list: { amount: 10_000_000 + index * 100, currency: "SEK" } },
  images: Array.from(
    { length: 1 + (index % 25) },
    (_, image) => `https://img.example.com/${index}/${image}.jpg`,
  ),
  location: { postalCode: "12133" },
  vehicle: {
    make: "Volvo",
    model: "XC60",
    modelYear: 2015 + (index % 10),
    bodyType: index % 7 === 0 ? "moped" : "suv",
    mileage: { value: index * 10, unit: "km" },
    fuels: ["diesel"],
    transmission: "automatic",
  },
});

const perSecond = (count: number, milliseconds: number) =>
  Math.round((count / milliseconds) * 1000);

const benchMapping = () => {
  const ads = Array.from({ length: 20_000 }, (_, index) =>
    Schema.decodeUnknownSync(VehicleAd)(sampleAd(index)),
  );
  const settings = {
    version: "v4" as const,
    priceUnit: "minor" as const,
    images: { max: 20, httpsOnly: true, tooMany: "truncate" as const },
    tokenScope: "dealer_group" as const,
    dealerCode: "DEALER1",
  };
  let started = performance.now();
  for (const ad of ads) JSON.parse(JSON.stringify(ad));
  const baseline = performance.now() - started;
  started = performance.now();
  for (const ad of ads) toBlocketPayload(ad, settings);
  const mapping = performance.now() - started;
  console.log(
    `mapping: ${perSecond(ads.length, mapping)} ads/s toBlocketPayload (baseline JSON round trip of the same ads: ${perSecond(ads.length, baseline)} ads/s)`,
  );
};

const benchRequestOverhead = async (baseUrl: string) => {
  const url = `${baseUrl}/v4/ad?limit=1`;
  const headers = { "x-auth-token": BLOCKET_SANDBOX_TOKEN };
  const started = performance.now();
  for (let index = 0; index < requestCount; index++) {
    const response = await request(url, { headers });
    await response.body.text();
  }
  const raw = (performance.now() - started) / requestCount;
  const program = Effect.gen(function* () {
    const http = yield* makeMarketplaceHttp({
      marketplace: "blocket",
      baseUrl,
      authenticate: headerAuth("X-Auth-Token", Redacted.make(BLOCKET_SANDBOX_TOKEN)),
    });
    const begin = performance.now();
    for (let index = 0; index < requestCount; index++) {
      yield* http.request({ method: "GET", path: "/v4/ad", query: { limit: 1 } });
    }
    return (performance.now() - begin) / requestCount;
  });
  const adsync = await Effect.runPromise(
    program.pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici)),
  );
  // The same GETs through Effect's HttpClient alone: splits the overhead between the
  // platform client and adsync's toolkit (auth, retry, timeout, rate limit, logs).
  const platform = await Effect.runPromise(
    Effect.gen(function* () {
      const client = yield* HttpClient.HttpClient;
      const begin = performance.now();
      for (let index = 0; index < requestCount; index++) {
        const response = yield* client.get(url, { headers });
        yield* response.text;
      }
      return (performance.now() - begin) / requestCount;
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)),
  );
  console.log(
    `request overhead: ${(adsync - raw).toFixed(3)} ms per request (adsync ${adsync.toFixed(3)} ms, Effect HttpClient alone ${platform.toFixed(3)} ms, raw undici ${raw.toFixed(3)} ms; ${requestCount} GETs on loopback)`,
  );
};

const benchSync = async () => {
  const sandbox = await startSandbox({ blocket: { processingDelayMs: 5 } });
  try {
    await benchRequestOverhead(sandbox.urls.blocket);
    sandbox.blocket.clearRequests();
    const client = createAdsync(
      Layer.mergeAll(
        adaptersLayer(
          makeBlocketAdapter({
            baseUrl: sandbox.urls.blocket,
            token: Redacted.make(BLOCKET_SANDBOX_TOKEN),
            tokenScope: "dealer_group",
            dealerCode: "DEALER1",
          }),
        ).pipe(Layer.provide(NodeHttpClient.layerUndici)),
        memoryStoreLayer,
      ),
    );
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const count = (method: string) =>
      sandbox.blocket.requests.filter((entry) => entry.method === method).length;
    const timed = async (label: string, run: (index: number) => Promise<unknown>) => {
      sandbox.blocket.clearRequests();
      const started = performance.now();
      const queue = Array.from({ length: adCount }, (_, index) => index);
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let index = queue.shift(); index !== undefined; index = queue.shift())
            await run(index);
        }),
      );
      const elapsed = performance.now() - started;
      console.log(
        `${label}: ${adCount} ads in ${Math.round(elapsed)} ms (${perSecond(adCount, elapsed)} ads/s); requests: ${count("POST")} POST, ${count("PATCH")} PATCH, ${count("PUT")} PUT, ${count("GET")} GET`,
      );
    };
    await timed("initial sync", (index) => client.publish(sampleAd(index)));
    await timed("await settled", (index) =>
      client.awaitSettled(`bench-${index}`, { interval: "20 millis" }),
    );
    await timed("unchanged re-sync", (index) => client.publish(sampleAd(index)));
    await timed("price change", (index) => {
      const ad = sampleAd(index);
      return client.publish({ ...ad, price: { list: { amount: 9_000_000, currency: "SEK" } } });
    });
    global.gc?.();
    const heapAfter = process.memoryUsage().heapUsed;
    console.log(
      `memory: heap grew ${((heapAfter - heapBefore) / 1024 / 1024).toFixed(1)} MiB for ${adCount} listings in the memory store (${Math.round((heapAfter - heapBefore) / adCount)} bytes per listing)`,
    );
    await client.close();
  } finally {
    await sandbox.close();
  }
};

benchMapping();
await benchSync();
