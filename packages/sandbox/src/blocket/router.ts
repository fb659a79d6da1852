import type { FakeRequest, FakeResponse } from "../http/fake-request.ts";
import type { ApiVersion } from "./ad-record.ts";
import { authenticate } from "./auth.ts";
import type { BlocketCall, BlocketContext } from "./context.ts";
import { createAd, validateAdOnly } from "./create-handlers.ts";
import { bumpAd, setPolePosition } from "./promotion-handlers.ts";
import { getAd, getAdLog, listAds } from "./read-handlers.ts";
import { methodNotAllowed, notFound } from "./responses.ts";
import { deleteAd, migrateAd, patchAd, replaceAd } from "./update-handlers.ts";
import { listBodyTypes, listBrands, listFuels, listModels } from "./vehicle-handlers.ts";

export const BLOCKET_BASE_PATH = "/pro-import-api";

type Handler = (call: BlocketCall) => FakeResponse;
/** by HTTP method */
type MethodHandlers = Readonly<Record<string, Handler>>;

/**
 * Routes a request: unknown paths are 404 (as Django answers before any authentication), then
 * the token is checked, then the method.
 */
export function handleBlocketRequest(context: BlocketContext, request: FakeRequest): FakeResponse {
  const route = matchRoute(request.path);
  if (route === undefined) return notFound();
  const authentication = authenticate(context.grants, request.headers);
  if (!authentication.ok) return authentication.response;
  const handler = route.handlers[request.method];
  if (handler === undefined) return methodNotAllowed(request.method, Object.keys(route.handlers));
  return handler({ context, request, version: route.version, grant: authentication.grant });
}

function matchRoute(
  path: string,
): { readonly version: ApiVersion; readonly handlers: MethodHandlers } | undefined {
  if (!path.startsWith(`${BLOCKET_BASE_PATH}/`)) return undefined;
  const segments = decodeSegments(path.slice(BLOCKET_BASE_PATH.length + 1).replace(/\/$/, ""));
  if (segments === undefined) return undefined;
  const [version, resource, ...rest] = segments;
  if (version !== "v3" && version !== "v4") return undefined;
  const handlers =
    resource === "ad"
      ? adRoutes(version, rest)
      : resource === "vehicle" && version === "v3"
        ? vehicleRoutes(rest)
        : undefined;
  return handlers === undefined ? undefined : { version, handlers };
}

function adRoutes(
  version: ApiVersion,
  segments: ReadonlyArray<string>,
): MethodHandlers | undefined {
  const [sourceId, action, ...extra] = segments;
  if (sourceId === undefined) return { GET: listAds, POST: createAd };
  if (sourceId === "" || extra.length > 0) return undefined;
  if (action === undefined) {
    const item: MethodHandlers = {
      GET: (call) => getAd(call, sourceId),
      PUT: (call) => replaceAd(call, sourceId),
      PATCH: (call) => patchAd(call, sourceId),
      DELETE: (call) => deleteAd(call, sourceId),
    };
    return version === "v3" && sourceId === "validate" ? { ...item, POST: validateAdOnly } : item;
  }
  switch (action) {
    case "log":
      return { GET: (call) => getAdLog(call, sourceId) };
    case "bump":
      return { GET: (call) => bumpAd(call, sourceId) };
    case "pole_position":
      return { GET: (call) => setPolePosition(call, sourceId) };
    case "migrate":
      return version === "v4" ? { POST: (call) => migrateAd(call, sourceId) } : undefined;
    default:
      return undefined;
  }
}

function vehicleRoutes(segments: ReadonlyArray<string>): MethodHandlers | undefined {
  if (segments.length !== 1) return undefined;
  switch (segments[0]) {
    case "brands":
      return { GET: listBrands };
    case "models":
      return { GET: listModels };
    case "body_types":
      return { GET: listBodyTypes };
    case "fuels":
      return { GET: listFuels };
    default:
      return undefined;
  }
}

function decodeSegments(path: string): ReadonlyArray<string> | undefined {
  try {
    return path.split("/").map(decodeURIComponent);
  } catch {
    return undefined;
  }
}
