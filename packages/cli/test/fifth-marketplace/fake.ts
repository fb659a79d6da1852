/**
 * "Fifth": a tiny marketplace that exists only in this test tree, to show that a marketplace is
 * added through the registry alone. Its API is synchronous JSON over bearer auth:
 * `POST /listings {sourceId, title, price}` → 201 `{id, status}` (409 `{id}` when the source id
 * is taken), `PUT /listings/{id}`, `DELETE /listings/{id}` → 204, `GET /listings/{id}` (404 once
 * deleted) and `GET /listings?sourceId=` → `{items}`. Built on the sandbox's shared fake server
 * (recording, faults), like the four fakes, and knowing no adapter.
 */
import type { FakeDefinition, RunningFake } from "@adsync/sandbox";
import type { FakeRequest, FakeResponse } from "../../../sandbox/src/http/fake-request.ts";
import { startFakeServer } from "../../../sandbox/src/http/fake-server.ts";

export const FIFTH_TOKEN = "fifth-sandbox-token";

interface FifthListing {
  readonly id: string;
  readonly sourceId: string;
  readonly title: string;
  readonly price: number;
  readonly status: "active" | "deleted";
}

export interface FifthFake extends RunningFake {
  /** Listings ever created, deleted ones included. */
  readonly listingCount: () => number;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export const startFifthFake = async (): Promise<FifthFake> => {
  const listings = new Map<string, FifthListing>();
  const handle = (request: FakeRequest): FakeResponse => {
    if (request.headers.authorization !== `Bearer ${FIFTH_TOKEN}`)
      return { status: 401, body: { error: "unauthorized" } };
    const [, collection, id] = request.path.split("/");
    if (collection !== "listings") return { status: 404, body: { error: "no such resource" } };
    const body = isRecord(request.body) ? request.body : {};
    if (id === undefined) {
      if (request.method === "GET")
        return {
          status: 200,
          body: {
            items: [...listings.values()].filter(
              (listing) =>
                listing.sourceId === request.query.sourceId && listing.status === "active",
            ),
          },
        };
      if (request.method !== "POST") return { status: 405 };
      const { sourceId, title, price } = body;
      if (typeof sourceId !== "string" || typeof title !== "string" || typeof price !== "number")
        return { status: 400, body: { error: "sourceId, title and price are required" } };
      const taken = [...listings.values()].find(
        (listing) => listing.sourceId === sourceId && listing.status === "active",
      );
      if (taken !== undefined) return { status: 409, body: { id: taken.id } };
      const listing: FifthListing = {
        id: `f${listings.size + 1}`,
        sourceId,
        title,
        price,
        status: "active",
      };
      listings.set(listing.id, listing);
      return { status: 201, body: listing };
    }
    const listing = listings.get(id);
    if (listing === undefined || listing.status === "deleted")
      return { status: 404, body: { error: "no such listing" } };
    if (request.method === "GET") return { status: 200, body: listing };
    if (request.method === "DELETE") {
      listings.set(id, { ...listing, status: "deleted" });
      return { status: 204 };
    }
    if (request.method === "PUT") {
      const { title, price } = body;
      if (typeof title !== "string" || typeof price !== "number")
        return { status: 400, body: { error: "title and price are required" } };
      const updated = { ...listing, title, price };
      listings.set(id, updated);
      return { status: 200, body: updated };
    }
    return { status: 405 };
  };
  const server = await startFakeServer({
    name: "fifth",
    basePath: "",
    handle,
    faultBody: (status) => ({ error: `injected ${status}` }),
  });
  return Object.assign(server, { listingCount: () => listings.size });
};

/** The fake as a sandbox starts it (its own entry, keyed by the marketplace id "fifth"). */
export const fifthFake: FakeDefinition<FifthFake> = {
  start: () => startFifthFake(),
  urls: (fake) => ({ fifth: fake.url }),
};
