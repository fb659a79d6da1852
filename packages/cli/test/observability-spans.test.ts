/**
 * Traces (#16): a publish of the sample car to all four sandbox marketplaces, exported through
 * `@effect/opentelemetry` into an in-memory span exporter, gives one `adsync.publish` span, one
 * `adsync.publish.listing` child per marketplace and the HTTP client's spans below them, with
 * marketplace, ad id, operation id, attempt and outcome. No sandbox secret appears anywhere in
 * the spans, and no marketplace received a trace propagation header.
 */
import {
  httpTransportLayer,
  metricsLayer,
  Publisher,
  recordListingGauges,
  storedListings,
  tokenRefreshes,
  uncheckedAd,
  undiciTransport,
  withTags,
} from "@adsync/core";
import type { Sandbox } from "@adsync/sandbox";
import * as NodeSdk from "@effect/opentelemetry/NodeSdk";
import * as Undici from "@effect/platform-node/Undici";
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { Effect, Layer, ManagedRuntime, Metric } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import { loadStock } from "../src/commands/demo.ts";
import { sandboxConfig } from "../src/commands/sandbox.ts";
import { sandboxPublisherLayer, useManualSandbox } from "./sandbox-runtime.ts";

const marketplaces = ["blocket", "tradera", "marktplaats", "allegro"] as const;
const sandboxes = useManualSandbox();

const car = loadStock()[0];
if (car === undefined) throw new Error("docs/examples/demo-stock.json lists no car");

/** Publishes `ad` traced, the adapters' requests over Effect's client or adsync's transport. */
const publishTraced = async <ROut>(sandbox: Sandbox, ad: unknown, http: Layer.Layer<ROut>) => {
  // Each run its own exporter: shutting an SDK down stops its exporter for good.
  const exporter = new InMemorySpanExporter();
  const tracing = NodeSdk.layer(() => ({
    resource: { serviceName: "adsync-test" },
    spanProcessor: new SimpleSpanProcessor(exporter),
  }));
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(sandboxPublisherLayer(sandbox, http), tracing, metricsLayer),
  );
  try {
    const result = await runtime.runPromise(
      Effect.flatMap(Publisher, (publisher) => publisher.publish(uncheckedAd(ad))),
    );
    const listings = await runtime.runPromise(recordListingGauges);
    // Read before disposing: shutting the SDK down empties the in-memory exporter.
    return { result, listings, spans: [...exporter.getFinishedSpans()] };
  } finally {
    await runtime.dispose();
  }
};

const childrenOf = (spans: ReadonlyArray<ReadableSpan>, parent: ReadableSpan) =>
  spans.filter(
    (span) =>
      span.parentSpanContext?.spanId === parent.spanContext().spanId &&
      span.spanContext().traceId === parent.spanContext().traceId,
  );

/** Every span below `root`, at any depth. */
const descendantsOf = (spans: ReadonlyArray<ReadableSpan>, root: ReadableSpan): ReadableSpan[] =>
  childrenOf(spans, root).flatMap((child) => [child, ...descendantsOf(spans, child)]);

const agent = new Undici.Agent();
afterAll(() => agent.close());
/** Each way of sending on its own sandbox (Allegro's refresh token rotates on first use). */
const vias = [
  { via: "Effect HttpClient", http: Layer.empty, sandboxes },
  {
    via: "adsync's undici transport",
    http: httpTransportLayer(undiciTransport(agent)),
    sandboxes: useManualSandbox(),
  },
];

describe.each(vias)("traces of a publish ($via)", ({ http, sandboxes }) => {
  it("gives adsync.publish → one listing span per marketplace → HTTP spans, with no secret and no propagation header", async () => {
    const sandbox = sandboxes.current();
    for (const fake of marketplaces) sandbox[fake].clearRequests();
    const { result, listings: stored, spans } = await publishTraced(sandbox, car.ad, http);
    expect(result.outcomes.map((outcome) => outcome.result).sort()).toEqual(
      ["accepted", "accepted", "accepted", "accepted"].sort(),
    );
    const roots = spans.filter((span) => span.name === "adsync.publish");
    expect(roots).toHaveLength(1);
    const root = roots[0] as ReadableSpan;
    expect(root.parentSpanContext).toBeUndefined();
    expect(root.attributes["adsync.ad_id"]).toBe(result.adId);

    const listings = childrenOf(spans, root).filter(
      (span) => span.name === "adsync.publish.listing",
    );
    expect(listings.map((span) => span.attributes["adsync.marketplace"]).sort()).toEqual(
      [...marketplaces].sort(),
    );
    for (const listing of listings) {
      const marketplace = String(listing.attributes["adsync.marketplace"]);
      const outcome = result.outcomes.find((each) => each.marketplace === marketplace);
      expect(listing.attributes["adsync.ad_id"]).toBe(result.adId);
      expect(listing.attributes["adsync.outcome"]).toBe(outcome?.result);
      expect(listing.attributes["adsync.operation"]).toBe("create");
      expect(listing.attributes["adsync.operation_id"]).toBe(outcome?.state.operation?.id);
      const http = descendantsOf(spans, listing).filter((span) =>
        span.name.startsWith("http.client"),
      );
      expect(http.length, `${marketplace} has HTTP spans`).toBeGreaterThan(0);
      for (const span of http) {
        expect(span.attributes["adsync.marketplace"]).toBe(marketplace);
        expect(span.attributes["adsync.attempt"]).toBe(1);
        expect(span.attributes["http.request.method"]).toBeTypeOf("string");
        expect(span.attributes["http.response.status_code"]).toBeTypeOf("number");
      }
    }
    // Blocket/Tradera's token header is recorded, but only as redacted.
    const tokenHeaders = spans.flatMap((span) =>
      Object.entries(span.attributes).filter(([name]) => name.endsWith("x-auth-token")),
    );
    expect(tokenHeaders.length).toBeGreaterThan(0);

    // Every credential the fakes saw (the configured tokens, the OAuth access tokens they
    // issued, the client secrets) and every configured secret: none is in any span.
    const requests = marketplaces.flatMap((fake) => sandbox[fake].requests);
    const config = sandboxConfig(sandbox, { type: "memory" }).marketplaces;
    const secretOf = (id: string, name: string): unknown => {
      const section = config[id];
      return typeof section === "object" && section !== null
        ? Reflect.get(section, name)
        : undefined;
    };
    const secrets = new Set<string>(
      [
        secretOf("blocket", "token"),
        secretOf("tradera", "token"),
        secretOf("marktplaats", "clientSecret"),
        secretOf("marktplaats", "refreshToken"),
        secretOf("allegro", "clientSecret"),
        secretOf("allegro", "refreshToken"),
        ...requests.flatMap((request) => [
          request.headers["x-auth-token"],
          request.headers.authorization?.replace(/^(Bearer|Basic) /i, ""),
        ]),
      ].filter((secret): secret is string => typeof secret === "string" && secret.length >= 8),
    );
    expect(secrets.size).toBeGreaterThanOrEqual(6);
    const dump = JSON.stringify(
      spans.map((span) => ({
        name: span.name,
        attributes: span.attributes,
        events: span.events,
        status: span.status,
        links: span.links,
      })),
    );
    for (const secret of secrets) expect(dump, "a secret in a span").not.toContain(secret);

    // The OAuth adapters' refreshes are counted (metricsLayer on: Effect's registry, no exporter
    // needed).
    for (const marketplace of ["marktplaats", "allegro"]) {
      const refreshes = Effect.runSync(
        Metric.value(
          withTags(tokenRefreshes, { "adsync.marketplace": marketplace, outcome: "success" }),
        ),
      );
      expect(refreshes.count, marketplace).toBeGreaterThan(0);
    }

    // The listings gauge, computed from the store on demand: one listing per marketplace.
    expect(Object.keys(stored).sort()).toEqual([...marketplaces].sort());
    for (const marketplace of marketplaces) {
      const presences: Readonly<Record<string, number>> = stored[marketplace]?.presence ?? {};
      expect(Object.values(presences).reduce((sum, count) => sum + count, 0)).toBe(1);
      const outcome = result.outcomes.find((each) => each.marketplace === marketplace);
      const presence = outcome?.state.presence ?? "absent";
      const gauge = Effect.runSync(
        Metric.value(
          withTags(storedListings, {
            "adsync.marketplace": marketplace,
            "adsync.presence": presence,
          }),
        ),
      );
      expect(gauge.value, `${marketplace} ${presence}`).toBe(1);
    }

    // Trace context stays ours: no marketplace received a propagation header.
    expect(requests.length).toBeGreaterThan(0);
    for (const request of requests) {
      for (const name of ["traceparent", "tracestate", "b3", "x-b3-traceid"])
        expect(request.headers[name], `${request.method} ${request.path}`).toBeUndefined();
    }
  }, 60_000);
});
