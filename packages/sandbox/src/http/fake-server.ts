import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import {
  type FakeHandler,
  type FakeRequest,
  type FakeResponse,
  readFakeRequest,
} from "./fake-request.ts";
import { FaultRules } from "./fault-rules.ts";
import { Timers } from "./timers.ts";
import { Traffic, type TrafficOptions } from "./traffic.ts";
import type { FakeMarketplace, Fault, RecordedRequest } from "./types.ts";

export interface FakeServerOptions {
  readonly name: string;
  /** appended to the origin to form the marketplace's base URL, e.g. "/pro-import-api" */
  readonly basePath: string;
  readonly handle: FakeHandler;
  /** the body of an injected status fault that brings none, in the marketplace's error dialect */
  readonly faultBody: (status: number, retryAfter: string | undefined) => unknown;
  /** the fake's timers, which also time slow faults (so a manual clock holds those too) */
  readonly timers?: Timers;
  /** Added latency and a per-dealer rate limit (none by default). */
  readonly traffic?: TrafficOptions;
  /** The dealer account a request is counted against by the rate limit (undefined: none). */
  readonly accountOf?: (request: FakeRequest) => string | undefined;
}

export interface FakeServer extends FakeMarketplace {
  /** "http://127.0.0.1:<port>" */
  readonly origin: string;
  /** How many requests the per-dealer rate limit answered 429 so far. */
  rateLimited(): number;
  close(): Promise<void>;
}

/**
 * Starts a marketplace-agnostic HTTP server on 127.0.0.1 (a free port): it records every
 * request, applies injected faults, and hands the rest to `handle`.
 */
export async function startFakeServer(options: FakeServerOptions): Promise<FakeServer> {
  let recorded: RecordedRequest[] = [];
  const faults = new FaultRules();
  const timers = options.timers ?? new Timers();
  const traffic = new Traffic(options.traffic ?? {}, timers);
  const server = createServer((incoming, outgoing) => {
    void serve(incoming, outgoing);
  });
  const origin = await listen(server);

  async function serve(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    let request: FakeRequest;
    try {
      request = await readFakeRequest(incoming, origin);
    } catch {
      incoming.socket.destroy();
      return;
    }
    // The account as the request came in, for the record; it is asked again after the added
    // latency for the limit, as before (an access token may expire meanwhile).
    const record = recordOf(request, options.accountOf?.(request));
    recorded.push(record);
    await traffic.delay();
    const verdict = traffic.admit(options.accountOf?.(request));
    if (verdict.kind === "limited") {
      const retryAfter = String(verdict.retryAfterSeconds);
      send(outgoing, record, {
        status: 429,
        headers: { "retry-after": retryAfter },
        body: options.faultBody(429, retryAfter),
      });
      return;
    }
    const fault = faults.take(request.method, request.path);
    await answer(request, fault, incoming, outgoing, record);
  }

  async function answer(
    request: FakeRequest,
    fault: Fault | undefined,
    incoming: IncomingMessage,
    outgoing: ServerResponse,
    record: Mutable<RecordedRequest>,
  ): Promise<void> {
    if (fault === undefined) {
      send(outgoing, record, await handleSafely(options.handle, request));
      return;
    }
    switch (fault.type) {
      case "status": {
        const headers: Record<string, string> =
          fault.retryAfter === undefined ? {} : { "retry-after": fault.retryAfter };
        const body = fault.body ?? options.faultBody(fault.status, fault.retryAfter);
        send(outgoing, record, { status: fault.status, headers, body });
        return;
      }
      case "slow": {
        const response = await handleSafely(options.handle, request);
        await timers.sleep(fault.delayMs);
        send(outgoing, record, response);
        return;
      }
      case "drop":
        incoming.socket.destroy();
        return;
      case "applyThenDrop":
        await handleSafely(options.handle, request);
        incoming.socket.destroy();
        return;
      default:
        return assertNever(fault);
    }
  }

  let closing: Promise<void> | undefined;
  return {
    name: options.name,
    origin,
    url: `${origin}${options.basePath}`,
    get requests(): ReadonlyArray<RecordedRequest> {
      return [...recorded];
    },
    clearRequests: () => {
      recorded = [];
    },
    injectFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    rateLimited: () => traffic.limitedCount(),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        timers.cancelAll();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        reject(new Error("the fake server has no TCP address"));
        return;
      }
      resolve(`http://127.0.0.1:${address.port}`);
    });
  });
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function recordOf(request: FakeRequest, account: string | undefined): Mutable<RecordedRequest> {
  return {
    method: request.method,
    path: request.path,
    query: { ...request.query },
    headers: { ...request.headers },
    body: request.body,
    at: Date.now(),
    ...(account === undefined ? {} : { account }),
  };
}

/** A bug in a handler answers 500 instead of leaving the client hanging. */
async function handleSafely(handle: FakeHandler, request: FakeRequest): Promise<FakeResponse> {
  try {
    return await handle(request);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 500, body: { detail: `Fake server error: ${message}` } };
  }
}

function send(
  outgoing: ServerResponse,
  record: Mutable<RecordedRequest>,
  response: FakeResponse,
): void {
  if (outgoing.destroyed || outgoing.writableEnded) return;
  record.answeredAt = Date.now();
  record.status = response.status;
  const text = response.body === undefined ? "" : JSON.stringify(response.body);
  const headers: Record<string, string> = { ...response.headers };
  if (response.body !== undefined) headers["content-type"] = "application/json";
  headers["content-length"] = String(Buffer.byteLength(text));
  outgoing.writeHead(response.status, headers);
  outgoing.end(text);
}

function assertNever(value: never): never {
  return value;
}
