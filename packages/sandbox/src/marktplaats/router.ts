import type { FakeRequest, FakeResponse } from "../http/fake-request.ts";
import {
  type AdvertisementCall,
  createAdvertisement,
  deleteAdvertisement,
  getAdvertisement,
  isResponse,
  listAdvertisements,
  owned,
  patchAdvertisement,
  postImages,
  replaceAdvertisement,
} from "./advertisement-handlers.ts";
import { attributesOf, fakeRoots, findCategory, rootJson } from "./categories.ts";
import { buyFeature, getFeatures } from "./features.ts";
import type { OAuthServer } from "./oauth.ts";
import { methodNotAllowed, notFound } from "./responses.ts";
import type { AdvertisementStore, StoredAdvertisement } from "./store.ts";
import type { ValidationSettings } from "./validation.ts";

export interface MarktplaatsContext {
  readonly oauth: OAuthServer;
  readonly store: AdvertisementStore;
  readonly settings: ValidationSettings;
  readonly pageSize: number;
}

type Handler = (call: AdvertisementCall) => FakeResponse;

/** Routes the token endpoint (no bearer) and the `/v1` API (every call authenticated). */
export function handleMarktplaatsRequest(
  context: MarktplaatsContext,
  request: FakeRequest,
): FakeResponse {
  if (request.path === "/accounts/oauth/token") {
    return request.method === "POST" ? context.oauth.token(request) : methodNotAllowed(["POST"]);
  }
  const handlers = routeOf(request.path);
  if (handlers === undefined) return notFound();
  const handle = handlers[request.method];
  if (handle === undefined) return methodNotAllowed(Object.keys(handlers));
  const grant = context.oauth.authenticate(request.headers);
  if ("response" in grant) return grant.response;
  return handle({
    request,
    sellerId: grant.userId,
    store: context.store,
    settings: context.settings,
    pageSize: context.pageSize,
  });
}

function routeOf(path: string): Readonly<Record<string, Handler>> | undefined {
  const segments = path.split("/").filter((segment) => segment !== "");
  const [version, resource, ...rest] = segments;
  if (version !== "v1") return undefined;
  if (resource === "advertisements") return advertisementRoute(rest);
  if (resource === "categories") return categoryRoute(rest);
  return undefined;
}

function advertisementRoute(
  rest: ReadonlyArray<string>,
): Readonly<Record<string, Handler>> | undefined {
  const [itemId, action, ...extra] = rest;
  if (itemId === undefined) return { GET: listAdvertisements, POST: createAdvertisement };
  if (extra.length > 0) return undefined;
  if (action === "images") return { POST: (call) => postImages(call, itemId) };
  if (action === "features") return { GET: (call) => withOwned(call, itemId, getFeatures) };
  if (action === "buy-feature") {
    return { POST: (call) => withOwned(call, itemId, (stored) => buyFeature(call, stored)) };
  }
  if (action !== undefined) return undefined;
  return {
    GET: (call) => getAdvertisement(call, itemId),
    PUT: (call) => replaceAdvertisement(call, itemId),
    PATCH: (call) => patchAdvertisement(call, itemId),
    DELETE: (call) => deleteAdvertisement(call, itemId),
  };
}

const withOwned = (
  call: AdvertisementCall,
  itemId: string,
  handle: (stored: StoredAdvertisement) => FakeResponse,
): FakeResponse => {
  const stored = owned(call, itemId);
  return isResponse(stored) ? stored : handle(stored);
};

/** `/v1/categories`, `/v1/categories/{l1}`, `/v1/categories/{l1}/{l2}/attributes`. */
function categoryRoute(rest: ReadonlyArray<string>): Readonly<Record<string, Handler>> | undefined {
  const [l1, l2, action, ...extra] = rest;
  if (extra.length > 0) return undefined;
  if (l1 === undefined) {
    return {
      GET: () => ({
        status: 200,
        body: {
          _links: { self: { href: "/v1/categories" } },
          _embedded: { "mp:category": fakeRoots.map((root) => rootJson(root, false)) },
        },
      }),
    };
  }
  const root = fakeRoots.find((entry) => String(entry.categoryId) === l1);
  if (root === undefined) return undefined;
  if (l2 === undefined) return { GET: () => ({ status: 200, body: rootJson(root, true) }) };
  const found = findCategory(Number(l2));
  if (found === undefined || found.root !== root || action !== "attributes") return undefined;
  return { GET: () => ({ status: 200, body: { fields: attributesOf(Number(l2)) ?? [] } }) };
}
