import type { FakeRequest, FakeResponse } from "../http/fake-request.ts";

export type Handler<Call> = (call: Call) => FakeResponse;
/** by HTTP method */
export type MethodHandlers<Call> = Readonly<Record<string, Handler<Call>>>;
export type AdHandler<Call> = (call: Call, sourceId: string) => FakeResponse;

/** The handlers of the ad resource, which both APIs lay out alike under ".../ad". */
export interface AdResource<Call> {
  /** GET .../ad */
  readonly list: Handler<Call>;
  /** POST .../ad */
  readonly create: Handler<Call>;
  /** POST .../ad/validate, where the API has it */
  readonly validate: Handler<Call> | undefined;
  /** GET, PUT, PATCH, DELETE .../ad/{source_id} */
  readonly item: Readonly<Record<string, AdHandler<Call>>>;
  /** .../ad/{source_id}/{name} (log, bump, ...) by name, then by HTTP method */
  readonly actions: Readonly<Record<string, Readonly<Record<string, AdHandler<Call>>>>>;
}

/** The handlers for the path segments after ".../ad"; undefined for a path it does not have. */
export function adRoute<Call>(
  segments: ReadonlyArray<string>,
  resource: AdResource<Call>,
): MethodHandlers<Call> | undefined {
  const [sourceId, action, ...extra] = segments;
  if (sourceId === undefined) return { GET: resource.list, POST: resource.create };
  if (sourceId === "" || extra.length > 0) return undefined;
  const handlers = action === undefined ? resource.item : ownValue(resource.actions, action);
  if (handlers === undefined) return undefined;
  const bound: Record<string, Handler<Call>> = {};
  for (const [method, handle] of Object.entries(handlers)) {
    bound[method] = (call) => handle(call, sourceId);
  }
  // "validate" is a source_id like any other, except to POST.
  if (action === undefined && sourceId === "validate" && resource.validate !== undefined) {
    bound.POST = resource.validate;
  }
  return bound;
}

export type Authentication<Grant> =
  | { readonly ok: true; readonly grant: Grant }
  | { readonly ok: false; readonly response: FakeResponse };

/** How one API answers at each stage of routing a request. */
export interface Dispatch<Grant, Call> {
  readonly authenticate: (request: FakeRequest) => Authentication<Grant>;
  readonly call: (request: FakeRequest, grant: Grant) => Call;
  readonly notFound: () => FakeResponse;
  readonly methodNotAllowed: (method: string, allowed: ReadonlyArray<string>) => FakeResponse;
}

/**
 * Routes a request the way both APIs do: unknown paths are 404 (as the web framework answers
 * before any authentication), then the token is checked, then the method.
 */
export function dispatch<Grant, Call>(
  request: FakeRequest,
  handlers: MethodHandlers<Call> | undefined,
  answers: Dispatch<Grant, Call>,
): FakeResponse {
  if (handlers === undefined) return answers.notFound();
  const authentication = answers.authenticate(request);
  if (!authentication.ok) return authentication.response;
  const handler = ownValue(handlers, request.method);
  if (handler === undefined) return answers.methodNotAllowed(request.method, Object.keys(handlers));
  return handler(answers.call(request, authentication.grant));
}

/** The path's segments after `prefix`, URL-decoded; undefined when it is not under it. */
export function segmentsUnder(path: string, prefix: string): ReadonlyArray<string> | undefined {
  if (!path.startsWith(`${prefix}/`)) return undefined;
  try {
    return path
      .slice(prefix.length + 1)
      .replace(/\/$/, "")
      .split("/")
      .map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

function ownValue<Value>(record: Readonly<Record<string, Value>>, key: string): Value | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
