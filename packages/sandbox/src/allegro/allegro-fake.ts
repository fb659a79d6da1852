import { randomUUID } from "node:crypto";
import { dealerRegistry, type MultiDealerFake } from "../http/dealers.ts";
import { startFakeServer } from "../http/fake-server.ts";
import { Timers } from "../http/timers.ts";
import type { OutsideChangeable, OutsideChanges, ProcessingFake } from "../http/types.ts";
import { sellerOf } from "./auth.ts";
import { categories as defaultCatalog } from "./catalog.ts";
import { normalizePhone, offerJson } from "./offers.ts";
import {
  ALLEGRO_SANDBOX_CLIENT_ID,
  ALLEGRO_SANDBOX_CLIENT_SECRET,
  ALLEGRO_SANDBOX_REFRESH_TOKEN,
  type AllegroFakeOptions,
} from "./options.ts";
import { faultBody } from "./responses.ts";
import { handleAllegroRequest } from "./router.ts";
import {
  type AllegroState,
  DEFAULT_SELLER,
  type FakeCommand,
  type FakeContact,
  type FakeOffer,
  type FakeOfferEvent,
  isRecord,
  nowIso,
  OfferEventLog,
  type OfferStatus,
} from "./state.ts";

/**
 * A running fake Allegro: `url` serves the API, the upload host and the OAuth token endpoint
 * alike (configure all three with it).
 */
export interface AllegroFake extends ProcessingFake, OutsideChangeable, MultiDealerFake {
  /** The seller's offer events journaled so far (`GET /sale/offer-events`). */
  offerEvents(): ReadonlyArray<FakeOfferEvent>;
  /** Offers ever created and not deleted, ended ones included. */
  offerCount(): number;
  offerStatus(offerId: string): OfferStatus | undefined;
  /** The offer as GET answers it. */
  offer(offerId: string): unknown;
  offerIds(): ReadonlyArray<string>;
  contacts(): ReadonlyArray<FakeContact>;
  command(commandId: string): FakeCommand | undefined;
  commandCount(): number;
  /**
   * An offer the account already has, made outside this run (e.g. 1,001 live offers to end in
   * one go without publishing them first): `fields` as a GET shows them (`external.id`, …).
   * Returns its id.
   */
  seedOffer(fields: Record<string, unknown>, status?: OfferStatus): string;
  /** Ends an offer as Allegro would on its own (its duration ran out, an admin ended it). */
  endOffer(offerId: string, endedBy?: "EXPIRATION" | "ADMIN"): void;
  /** Makes every issued access token expire now (the next call answers 401). */
  expireAccessTokens(): void;
  /** Refresh tokens currently valid (rotation leaves exactly one per grant). */
  validRefreshTokens(): ReadonlyArray<string>;
  close(): Promise<void>;
}

/** A fake Allegro REST API for classifieds on 127.0.0.1, answering as the guide describes. */
export async function startAllegroFake(options: AllegroFakeOptions = {}): Promise<AllegroFake> {
  const timers = new Timers(options.clock);
  const contacts: Array<FakeContact> = (options.contacts ?? []).map((seed) => ({
    id: randomUUID(),
    name: seed.name,
    emails: (seed.emails ?? []).map((address) => ({ address })),
    phones: (seed.phones ?? []).map((number) => ({ number: normalizePhone(number) })),
  }));
  const state: AllegroState = {
    options,
    catalog: options.categories ?? defaultCatalog,
    timers,
    offers: new Map(),
    contacts,
    commands: new Map(),
    images: new Map(),
    seller: DEFAULT_SELLER,
    accessTokens: new Map(),
    refreshTokens: new Map(
      (options.refreshTokens ?? [ALLEGRO_SANDBOX_REFRESH_TOKEN]).map((token) => [
        token,
        DEFAULT_SELLER,
      ]),
    ),
    nextOfferId: 7_000_000_001,
    operations: new Map(),
    events: new OfferEventLog(),
    archived: new Set(),
  };
  const byAd = (adId: string): FakeOffer | undefined =>
    [...state.offers.values()].find(
      (offer) => isRecord(offer.fields.external) && offer.fields.external.id === adId,
    );
  const endOffer = (offer: FakeOffer, endedBy: string) => {
    offer.status = "ENDED";
    offer.endedBy = endedBy;
    // As after END: "Before relisting ad it is necessary to assign the package … again."
    offer.packages = undefined;
    state.events.emit("OFFER_ENDED", offer);
  };
  /**
   * Allegro's own changes: an offer's duration runs out (ENDED, endedBy EXPIRATION); an ended
   * offer is archived (60 days later: GET answers 404, OFFER_ARCHIVED); the seller edits the
   * offer in Allegro's pages (OFFER_CHANGED). Classifieds have no deactivation and no later
   * rejection, so those answer false.
   */
  const outside: OutsideChanges = {
    expire: (adId) => {
      const offer = byAd(adId);
      if (offer === undefined || (offer.status !== "ACTIVE" && offer.status !== "ACTIVATING"))
        return false;
      endOffer(offer, "EXPIRATION");
      return true;
    },
    delete: (adId) => {
      const offer = byAd(adId);
      if (offer === undefined) return false;
      if (offer.status === "ACTIVE" || offer.status === "ACTIVATING") endOffer(offer, "USER");
      state.offers.delete(offer.id);
      state.archived.add(offer.id);
      state.events.emit("OFFER_ARCHIVED", offer);
      return true;
    },
    deactivate: () => false,
    reject: () => false,
    edit: (adId, change) => {
      const offer = byAd(adId);
      if (offer === undefined) return false;
      if (change.title !== undefined) offer.fields.name = change.title;
      if (change.price !== undefined) {
        const sellingMode = isRecord(offer.fields.sellingMode) ? offer.fields.sellingMode : {};
        offer.fields.sellingMode = {
          ...sellingMode,
          format: "ADVERTISEMENT",
          price: { amount: String(change.price), currency: "PLN" },
        };
      }
      offer.updatedAt = new Date().toISOString();
      state.events.emit("OFFER_CHANGED", offer);
      return true;
    },
  };
  /**
   * Seller accounts besides the default one (#13): each dealer authorized the one application
   * with its own seller account, whose offers, contacts and commands are its own; offer ids
   * stay unique across accounts (each account numbers from its own range).
   */
  const sellers = new Map<string, AllegroState>([[DEFAULT_SELLER, state]]);
  const addSeller = (seller: string): AllegroState => {
    const account: AllegroState = {
      ...state,
      seller,
      offers: new Map(),
      contacts: [],
      commands: new Map(),
      images: new Map(),
      nextOfferId: 7_000_000_001 + sellers.size * 10_000_000,
      operations: new Map(),
      events: new OfferEventLog(),
      archived: new Set(),
    };
    sellers.set(seller, account);
    return account;
  };
  const server = await startFakeServer({
    name: "allegro",
    basePath: "",
    handle: (request) => handleAllegroRequest(state, request, (seller) => sellers.get(seller)),
    faultBody,
    timers,
    ...(options.traffic === undefined ? {} : { traffic: options.traffic }),
    accountOf: (request) => sellerOf(state, request),
  });
  const externalIdOf = (offer: FakeOffer): string | undefined =>
    isRecord(offer.fields.external) ? String(offer.fields.external.id) : undefined;
  return {
    name: server.name,
    url: server.url,
    get requests() {
      return server.requests;
    },
    clearRequests: server.clearRequests,
    injectFault: server.injectFault,
    clearFaults: server.clearFaults,
    processing: timers,
    dealers: dealerRegistry<{ readonly refreshToken: string; readonly account: AllegroState }>({
      provision: (dealer) => {
        const refreshToken = `allegro-refresh-${dealer}`;
        state.refreshTokens.set(refreshToken, dealer);
        return { refreshToken, account: addSeller(dealer) };
      },
      sectionOf: ({ refreshToken }) => ({
        baseUrl: server.url,
        clientId: options.clientId ?? ALLEGRO_SANDBOX_CLIENT_ID,
        clientSecret: options.clientSecret ?? ALLEGRO_SANDBOX_CLIENT_SECRET,
        refreshToken,
      }),
      listings: (dealer, { account }) => {
        const offers = [...account.offers.values()];
        return offers.map((offer) => {
          const adId = externalIdOf(offer);
          return {
            dealer,
            remoteId: offer.id,
            adId,
            key: adId ?? `offer:${offer.id}`,
            live: offer.status !== "ENDED",
            creations: offers.filter((other) => externalIdOf(other) === adId).length,
          };
        });
      },
      revoke: ({ account }) => {
        let revoked = false;
        for (const [token, seller] of state.refreshTokens)
          if (seller === account.seller) revoked = state.refreshTokens.delete(token) || revoked;
        for (const [token, grant] of state.accessTokens)
          if (grant.seller === account.seller)
            revoked = state.accessTokens.delete(token) || revoked;
        return revoked;
      },
      rateLimited: () => server.rateLimited(),
    }),
    offerCount: () => state.offers.size,
    offerStatus: (offerId) => state.offers.get(offerId)?.status,
    endOffer: (offerId, endedBy = "EXPIRATION") => {
      const offer = state.offers.get(offerId);
      if (offer !== undefined) endOffer(offer, endedBy);
    },
    outside,
    offerEvents: () => [...state.events.entries],
    offer: (offerId) => {
      const offer = state.offers.get(offerId);
      return offer === undefined ? undefined : offerJson(state, offer);
    },
    offerIds: () => [...state.offers.keys()],
    seedOffer: (fields, status = "ACTIVE") => {
      const id = String(state.nextOfferId++);
      const at = nowIso();
      state.offers.set(id, {
        id,
        fields,
        status,
        endedBy: null,
        startingAt: status === "ACTIVE" ? at : null,
        createdAt: at,
        updatedAt: at,
        packages: undefined,
      });
      return id;
    },
    contacts: () => [...state.contacts],
    command: (commandId) => state.commands.get(commandId),
    commandCount: () => state.commands.size,
    expireAccessTokens: () => {
      for (const [token, grant] of state.accessTokens)
        state.accessTokens.set(token, { ...grant, expiresAt: 0 });
    },
    validRefreshTokens: () => [...state.refreshTokens.keys()],
    close: async () => {
      timers.cancelAll();
      await server.close();
    },
  };
}
