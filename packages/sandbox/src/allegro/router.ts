import type { FakeRequest, FakeResponse } from "../http/fake-request.ts";
import { refusal, sellerOf, tokenEndpoint, userAgentRefusal } from "./auth.ts";
import { categoryById, categoryJson, parameters } from "./catalog.ts";
import {
  assignedPackages,
  assignPackages,
  commandSummary,
  commandTasks,
  feePreview,
  getPackage,
  listPackages,
  putCommand,
} from "./commands.ts";
import {
  createContact,
  createOffer,
  deleteOffer,
  getOffer,
  listOffers,
  replaceOffer,
  updateContact,
  uploadImage,
} from "./offers.ts";
import {
  createProductOffer,
  getProductOffer,
  patchProductOffer,
  productOfferOperation,
} from "./product-offers.ts";
import { errors, json, notFound } from "./responses.ts";
import type { AllegroState } from "./state.ts";

type Route = (state: AllegroState, request: FakeRequest, match: RegExpExecArray) => FakeResponse;

const listCategories: Route = (state, request) => {
  const parent = request.query["parent.id"] ?? null;
  if (parent !== null && categoryById(parent, state.catalog) === undefined)
    return notFound(`Category ${parent}`);
  return json(200, {
    categories: state.catalog.filter((category) => category.parent === parent).map(categoryJson),
  });
};

const categoryParameters: Route = (state, _request, match) => {
  const category = categoryById(match[1] ?? "", state.catalog);
  if (category === undefined) return notFound(`Category ${match[1]}`);
  return json(200, { parameters: category.leaf ? parameters : [] });
};

/**
 * `GET /sale/offer-events?from=…&limit=…`: events after the given id, oldest first, at most
 * `limit` (default 100, maximum 1000).
 */
const offerEvents: Route = (state, request) => {
  const from = request.query.from;
  const limit = Math.min(Math.max(Number(request.query.limit ?? 100) || 100, 1), 1000);
  const start =
    from === undefined ? 0 : state.events.entries.findIndex((event) => event.id === from) + 1;
  if (from !== undefined && start === 0) return notFound(`Event ${from}`);
  return json(200, { offerEvents: state.events.entries.slice(start, start + limit) });
};

/** Method + path pattern → handler. One origin serves api., upload. and the OAuth host. */
const routes: ReadonlyArray<readonly [string, RegExp, Route]> = [
  ["GET", /^\/sale\/offers$/, (state, request) => listOffers(state, request)],
  ["POST", /^\/sale\/offers$/, (state, request) => createOffer(state, request)],
  ["GET", /^\/sale\/offers\/(\d+)$/, (state, _request, match) => getOffer(state, match[1] ?? "")],
  [
    "PUT",
    /^\/sale\/offers\/(\d+)$/,
    (state, request, match) => replaceOffer(state, match[1] ?? "", request),
  ],
  [
    "DELETE",
    /^\/sale\/offers\/(\d+)$/,
    (state, _request, match) => deleteOffer(state, match[1] ?? ""),
  ],
  ["POST", /^\/sale\/product-offers$/, (state, request) => createProductOffer(state, request)],
  [
    "GET",
    /^\/sale\/product-offers\/(\d+)$/,
    (state, _request, match) => getProductOffer(state, match[1] ?? ""),
  ],
  [
    "PATCH",
    /^\/sale\/product-offers\/(\d+)$/,
    (state, request, match) => patchProductOffer(state, match[1] ?? "", request),
  ],
  [
    "GET",
    /^\/sale\/product-offers\/(\d+)\/operations\/([\w-]+)$/,
    (state, _request, match) => productOfferOperation(state, match[1] ?? "", match[2] ?? ""),
  ],
  ["GET", /^\/sale\/offer-events$/, offerEvents],
  ["GET", /^\/sale\/offer-contacts$/, (state) => json(200, { contacts: state.contacts })],
  ["POST", /^\/sale\/offer-contacts$/, (state, request) => createContact(state, request)],
  [
    "GET",
    /^\/sale\/offer-contacts\/([\w-]+)$/,
    (state, _request, match) => {
      const contact = state.contacts.find((entry) => entry.id === match[1]);
      return contact === undefined ? notFound(`Contact ${match[1]}`) : json(200, contact);
    },
  ],
  [
    "PUT",
    /^\/sale\/offer-contacts\/([\w-]+)$/,
    (state, request, match) => updateContact(state, match[1] ?? "", request),
  ],
  ["POST", /^\/sale\/images$/, (state, request) => uploadImage(state, request)],
  ["GET", /^\/sale\/categories$/, listCategories],
  [
    "GET",
    /^\/sale\/categories\/(\d+)$/,
    (state, _request, match) => {
      const category = categoryById(match[1] ?? "", state.catalog);
      return category === undefined
        ? notFound(`Category ${match[1]}`)
        : json(200, categoryJson(category));
    },
  ],
  ["GET", /^\/sale\/categories\/(\d+)\/parameters$/, categoryParameters],
  ["GET", /^\/sale\/classifieds-packages$/, (state, request) => listPackages(state, request)],
  [
    "GET",
    /^\/sale\/classifieds-packages\/([\w-]+)$/,
    (_state, _request, match) => getPackage(match[1] ?? ""),
  ],
  [
    "GET",
    /^\/sale\/offer-classifieds-packages\/(\d+)$/,
    (state, _request, match) => assignedPackages(state, match[1] ?? ""),
  ],
  [
    "PUT",
    /^\/sale\/offer-classifieds-packages\/(\d+)$/,
    (state, request, match) => assignPackages(state, match[1] ?? "", request),
  ],
  ["POST", /^\/pricing\/offer-fee-preview$/, (_state, request) => feePreview(request)],
  [
    "PUT",
    /^\/sale\/offer-publication-commands\/([^/]+)$/,
    (state, request, match) => putCommand(state, match[1] ?? "", request),
  ],
  [
    "GET",
    /^\/sale\/offer-publication-commands\/([^/]+)$/,
    (state, _request, match) => commandSummary(state, match[1] ?? ""),
  ],
  [
    "GET",
    /^\/sale\/offer-publication-commands\/([^/]+)\/tasks$/,
    (state, request, match) => commandTasks(state, match[1] ?? "", request),
  ],
];

/**
 * Answers one request. `accountOf` gives the state of the seller account an access token was
 * granted by (each dealer is a seller of its own under the one application, #13); `state` is
 * the default seller's, which also holds the OAuth tables every account shares.
 */
export function handleAllegroRequest(
  state: AllegroState,
  request: FakeRequest,
  accountOf: (seller: string) => AllegroState | undefined = () => state,
): FakeResponse {
  const anonymous = userAgentRefusal(state, request);
  if (anonymous !== undefined) return anonymous;
  if (request.path === "/auth/oauth/token") {
    return request.method === "POST"
      ? tokenEndpoint(state, request)
      : errors(405, [{ code: "MethodNotAllowed", message: "POST only" }]);
  }
  const matching = routes.filter(([, pattern]) => pattern.test(request.path));
  if (matching.length === 0) return notFound(`Resource ${request.path}`);
  const refused = refusal(state, request);
  if (refused !== undefined) return refused;
  const account = accountOf(sellerOf(state, request) ?? "") ?? state;
  for (const [method, pattern, route] of matching) {
    const match = pattern.exec(request.path);
    if (method === request.method && match !== null) return route(account, request, match);
  }
  return errors(405, [
    { code: "MethodNotAllowed", message: `${request.method} is not allowed here` },
  ]);
}
