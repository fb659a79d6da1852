import type { FakeRequest, FakeResponse } from "../http/fake-request.ts";
import {
  type AdResource,
  adRoute,
  type Dispatch,
  dispatch,
  type MethodHandlers,
  segmentsUnder,
} from "../pro-import/routing.ts";
import { authenticate } from "./auth.ts";
import type { TraderaCall, TraderaContext } from "./context.ts";
import { createAd, validateAdOnly } from "./create-handlers.ts";
import { bumpAd, retryAd } from "./promotion-handlers.ts";
import { getAd, getAdLog, listAds } from "./read-handlers.ts";
import { methodNotAllowed, notFound } from "./responses.ts";
import { deleteAd, patchAd, replaceAd } from "./update-handlers.ts";
import { vehicleRoute } from "./vehicle-handlers.ts";

// "Base URL": https://api-v2.tradera.com/pro-import-api/v3/ad, and the reference data at the
// host root ("GET /vehicle/brands"), so the fake's base URL is its origin.
const AD_PATH = ["pro-import-api", "v3", "ad"];

const AD: AdResource<TraderaCall> = {
  list: listAds,
  create: createAd,
  validate: validateAdOnly,
  item: { GET: getAd, PUT: replaceAd, PATCH: patchAd, DELETE: deleteAd },
  actions: { log: { GET: getAdLog }, bump: { GET: bumpAd }, retry: { GET: retryAd } },
};

/** Routes a request under "/pro-import-api/v3/ad" or "/vehicle". */
export function handleTraderaRequest(context: TraderaContext, request: FakeRequest): FakeResponse {
  const routing: Dispatch<ReadonlySet<string>, TraderaCall> = {
    notFound,
    methodNotAllowed,
    authenticate: (incoming) => authenticate(context.grants, incoming.headers),
    call: (incoming, dealerCodes) => ({ context, request: incoming, dealerCodes }),
  };
  return dispatch(request, matchRoute(request.path), routing);
}

function matchRoute(path: string): MethodHandlers<TraderaCall> | undefined {
  const segments = segmentsUnder(path, "") ?? [];
  const [first, second] = segments;
  if (first === "vehicle" && second !== undefined && segments.length === 2) {
    return vehicleRoute(second);
  }
  const underAd = AD_PATH.every((segment, index) => segments[index] === segment);
  return underAd ? adRoute(segments.slice(AD_PATH.length), AD) : undefined;
}
