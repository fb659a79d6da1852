/**
 * HTTP overhead (#14): the same GET against one loopback server (in a child process, so the
 * CPU measured here is the client's alone) through
 *
 *   - raw undici (`request()` and reading the body): the baseline;
 *   - Effect's HttpClient alone (`NodeHttpClient.layerUndici`);
 *   - `MarketplaceHttp` as the adapters use it (base URL, credentials, timeout covering the
 *     body, retries, rate limit off, redaction), over the same undici client, with metrics and
 *     spans off (the default) and with metrics on;
 *   - the same over adsync's own transports: `undiciTransport` (off and on) and `fetchTransport`.
 *
 * At concurrency 1 and 16; requests per second and client CPU µs per request, the ratio to raw
 * undici beside each. Rounds alternate between the variants and the best round counts (the
 * machine is shared: the least disturbed round is the closest to the cost).
 *
 *   node --import tsx bench/http-overhead.ts            # 2,000 requests per round, 3 rounds
 *   BENCH_HTTP_REQUESTS=5000 BENCH_HTTP_ROUNDS=5 node --import tsx bench/http-overhead.ts
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { performance } from "node:perf_hooks";
import {
  fetchTransport,
  headerAuth,
  httpTransportLayer,
  type MarketplaceHttp,
  makeMarketplaceHttp,
  metricsLayer,
  undiciTransport,
} from "@adsync/core";
import { HttpClient } from "@effect/platform";
import { NodeHttpClient } from "@effect/platform-node";
import { Effect, Layer, ManagedRuntime, Redacted } from "effect";
import { Agent, request } from "undici";

const requestsPerRound = Number(process.env.BENCH_HTTP_REQUESTS ?? 2000);
const rounds = Number(process.env.BENCH_HTTP_ROUNDS ?? 3);
const concurrencies = [1, 16] as const;
const token = "bench-token-0123456789";

const serverSource = `
const http = require("node:http");
const body = JSON.stringify({ ads: [{ id: 1, title: "Volvo XC60", price: 350000 }] });
const server = http.createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    response.end(body);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, "127.0.0.1", () => process.stdout.write(String(server.address().port) + "\\n"));
`;

const startServer = async (): Promise<{
  readonly origin: string;
  readonly child: ChildProcess;
}> => {
  const child = spawn(process.execPath, ["-e", serverSource], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [chunk] = (await once(child.stdout ?? child, "data")) as [Buffer];
  return { origin: `http://127.0.0.1:${chunk.toString().trim()}`, child };
};

/** Runs `count` calls of `one`, `concurrency` at a time. */
const pool = async (count: number, concurrency: number, one: () => Promise<unknown>) => {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      await one();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
};

interface Variant {
  readonly name: string;
  readonly run: (count: number, concurrency: number) => Promise<void>;
  readonly close: () => Promise<void>;
}

const rawUndici = (origin: string): Variant => {
  const dispatcher = new Agent();
  const url = `${origin}/v4/ad?limit=1`;
  return {
    name: "raw undici",
    run: (count, concurrency) =>
      pool(count, concurrency, async () => {
        const response = await request(url, {
          dispatcher,
          headers: { "x-auth-token": token, accept: "application/json" },
        });
        await response.body.text();
      }),
    close: () => dispatcher.close(),
  };
};

/** An Effect variant: `one` is built once in a runtime, then run `count` times. */
const effectVariant = <R, E>(
  name: string,
  layer: Layer.Layer<R, E>,
  make: Effect.Effect<Effect.Effect<unknown, unknown>, unknown, R>,
): Variant => {
  const runtime = ManagedRuntime.make(layer);
  const one = runtime.runPromise(make);
  return {
    name,
    run: async (count, concurrency) => {
      const each = await one;
      await runtime.runPromise(
        Effect.forEach(Array.from({ length: count }), () => each, {
          concurrency,
          discard: true,
        }),
      );
    },
    close: () => runtime.dispose(),
  };
};

const effectBare = (origin: string): Variant =>
  effectVariant(
    "Effect HttpClient (undici)",
    NodeHttpClient.layerUndici,
    Effect.map(HttpClient.HttpClient, (client) =>
      client
        .get(`${origin}/v4/ad?limit=1`, {
          headers: { "x-auth-token": token, accept: "application/json" },
        })
        .pipe(Effect.flatMap((response) => response.text)),
    ),
  );

const marketplace = <R, E>(
  origin: string,
  name: string,
  layer: Layer.Layer<HttpClient.HttpClient | R, E>,
): Variant =>
  effectVariant(
    name,
    layer,
    Effect.map(
      makeMarketplaceHttp({
        marketplace: "bench",
        baseUrl: origin,
        authenticate: headerAuth("X-Auth-Token", Redacted.make(token)),
      }).pipe(Effect.scoped),
      (http: MarketplaceHttp) =>
        http.request({ method: "GET", path: "/v4/ad", query: { limit: 1 } }),
    ),
  );

interface Figure {
  readonly wallMs: number;
  readonly cpuMicros: number;
}

const measure = async (variant: Variant, concurrency: number): Promise<Figure> => {
  global.gc?.();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await variant.run(requestsPerRound, concurrency);
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMicros: used.user + used.system };
};

const main = async () => {
  const { origin, child } = await startServer();
  const undici = NodeHttpClient.layerUndici;
  const undiciTransportLayer = httpTransportLayer(undiciTransport(new Agent()));
  const variants: ReadonlyArray<Variant> = [
    rawUndici(origin),
    effectBare(origin),
    marketplace(origin, "MarketplaceHttp, Effect client, off", undici),
    marketplace(
      origin,
      "MarketplaceHttp, Effect client, metrics on",
      Layer.merge(undici, metricsLayer),
    ),
    marketplace(
      origin,
      "MarketplaceHttp, undici transport, off",
      Layer.merge(undici, undiciTransportLayer),
    ),
    marketplace(
      origin,
      "MarketplaceHttp, undici transport, metrics on",
      Layer.mergeAll(undici, undiciTransportLayer, metricsLayer),
    ),
    marketplace(
      origin,
      "MarketplaceHttp, fetch transport, off",
      Layer.merge(undici, httpTransportLayer(fetchTransport)),
    ),
  ];
  try {
    const best = new Map<string, Figure>();
    for (const variant of variants) await variant.run(200, 16); // warm up: JIT, connections
    for (let round = 0; round < rounds; round++) {
      for (const concurrency of concurrencies) {
        for (const variant of variants) {
          const figure = await measure(variant, concurrency);
          const key = `${variant.name}|${concurrency}`;
          const previous = best.get(key);
          if (previous === undefined || figure.cpuMicros < previous.cpuMicros)
            best.set(key, figure);
        }
      }
    }
    console.log(
      `HTTP overhead: ${requestsPerRound} GETs per round, best of ${rounds} rounds, loopback server in a child process`,
    );
    const header = ["variant", "c", "req/s", "CPU µs/req", "× raw CPU", "× raw wall"];
    const rows: string[][] = [];
    for (const concurrency of concurrencies) {
      const raw = best.get(`raw undici|${concurrency}`);
      for (const variant of variants) {
        const figure = best.get(`${variant.name}|${concurrency}`);
        if (figure === undefined || raw === undefined) continue;
        rows.push([
          variant.name,
          String(concurrency),
          String(Math.round((requestsPerRound / figure.wallMs) * 1000)),
          (figure.cpuMicros / requestsPerRound).toFixed(1),
          (figure.cpuMicros / raw.cpuMicros).toFixed(2),
          (figure.wallMs / raw.wallMs).toFixed(2),
        ]);
      }
    }
    const widths = header.map((title, column) =>
      Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
    );
    const line = (cells: ReadonlyArray<string>) =>
      cells
        .map((cell, column) =>
          column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
        )
        .join("  ");
    console.log(line(header));
    for (const row of rows) console.log(line(row));
  } finally {
    for (const variant of variants) await variant.close();
    child.kill();
  }
};

await main();
