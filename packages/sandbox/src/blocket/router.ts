import type { FakeRequest, FakeResponse } from "../http/fake-request.ts";
import {
  type AdResource,
  adRoute,
  dispatch,
  type MethodHandlers,
  segmentsUnder,
} from "../pro-import/routing.ts";
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

const V3_AD: AdResource<BlocketCall> = {
  list: listAds,
  create: createAd,
  // "There is also a /v3/ad/validate endpoint" (migration chapter); V4 lists none.
  validate: validateAdOnly,
  item: { GET: getAd, PUT: replaceAd, PATCH: patchAd, DELETE: deleteAd },
  actions: {
    log: { GET: getAdLog },
    bump: { GET: bumpAd },
    pole_position: { GET: setPolePosition },
  },
};

const V4_AD: AdResource<BlocketCall> = {
  ...V3_AD,
  validate: undefined,
  actions: { ...V3_AD.actions, migrate: { POST: migrateAd } },
};

/** A call before the route gives it its API version. */
type RoutedCall = Omit<BlocketCall, "version">;

/** Routes a request under "/pro-import-api/v3/" and "/pro-import-api/v4/". */
export function handleBlocketRequest(context: BlocketContext, request: FakeRequest): FakeResponse {
  return dispatch(request, matchRoute(request.path), {
    authenticate: () => authenticate(context.grants, request.headers),
    call: (_request, grant) => ({ context, request, grant }),
    notFound,
    methodNotAllowed,
  });
}

function matchRoute(path: string): MethodHandlers<RoutedCall> | undefined {
  const segments = segmentsUnder(path, BLOCKET_BASE_PATH);
  if (segments === undefined) return undefined;
  const [version, resource, ...rest] = segments;
  if (version !== "v3" && version !== "v4") return undefined;
  const handlers =
    resource === "ad"
      ? adRoute(rest, version === "v3" ? V3_AD : V4_AD)
      : resource === "vehicle" && version === "v3"
        ? vehicleRoutes(rest)
        : undefined;
  return handlers === undefined ? undefined : withVersion(handlers, version);
}

function withVersion(
  handlers: MethodHandlers<BlocketCall>,
  version: ApiVersion,
): MethodHandlers<RoutedCall> {
  return Object.fromEntries(
    Object.entries(handlers).map(([method, handle]) => [
      method,
      (call: RoutedCall) => handle({ ...call, version }),
    ]),
  );
}

function vehicleRoutes(segments: ReadonlyArray<string>): MethodHandlers<BlocketCall> | undefined {
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
