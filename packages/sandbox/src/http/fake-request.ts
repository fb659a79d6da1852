import type { IncomingHttpHeaders, IncomingMessage } from "node:http";

/** A request as a fake's handler sees it: body read and parsed, URL split. */
export interface FakeRequest {
  readonly method: string;
  /** pathname without query */
  readonly path: string;
  /** first value of each query parameter */
  readonly query: Readonly<Record<string, string>>;
  /** header names in lower case */
  readonly headers: Readonly<Record<string, string>>;
  /** the absolute URL, for building links such as pagination's next/previous */
  readonly url: URL;
  /** the parsed JSON body; undefined when the body is empty or not JSON */
  readonly body: unknown;
  readonly bodyText: string;
  /** why the body is not JSON, when it is not empty and fails to parse */
  readonly bodyParseError: string | undefined;
}

/** What a handler answers; the server writes `body` as JSON. */
export interface FakeResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type FakeHandler = (request: FakeRequest) => FakeResponse | Promise<FakeResponse>;

export async function readFakeRequest(
  incoming: IncomingMessage,
  origin: string,
): Promise<FakeRequest> {
  const bodyText = await readText(incoming);
  const url = new URL(incoming.url ?? "/", origin);
  const parsed = parseJson(bodyText);
  return {
    method: (incoming.method ?? "GET").toUpperCase(),
    path: url.pathname,
    query: firstValues(url.searchParams),
    headers: flattenHeaders(incoming.headers),
    url,
    body: parsed.value,
    bodyText,
    bodyParseError: parsed.error,
  };
}

function readText(incoming: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    incoming.on("error", reject);
  });
}

function parseJson(text: string): { readonly value: unknown; readonly error: string | undefined } {
  if (text.trim() === "") return { value: undefined, error: undefined };
  try {
    const value: unknown = JSON.parse(text);
    return { value, error: undefined };
  } catch (error) {
    return { value: undefined, error: error instanceof Error ? error.message : String(error) };
  }
}

function firstValues(parameters: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of parameters) {
    if (!(name in query)) query[name] = value;
  }
  return query;
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}
