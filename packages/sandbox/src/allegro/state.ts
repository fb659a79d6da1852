import type { Timers } from "../http/timers.ts";
import type { FakeCategory } from "./catalog.ts";
import type { AllegroFakeOptions } from "./options.ts";

export type OfferStatus = "INACTIVE" | "ACTIVATING" | "ACTIVE" | "ENDED";

/** An offer as the fake holds it: the whole structure GET answers, with our bookkeeping. */
export interface FakeOffer {
  id: string;
  /** The structure as last written, without id/publication/validation/dates. */
  fields: Record<string, unknown>;
  status: OfferStatus;
  endedBy: string | null;
  startingAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Packages assigned since the offer was last a draft or ended ("assign … again"). */
  packages: { basePackage: { id: string }; extraPackages: Array<{ id: string }> } | undefined;
}

export interface FakeContact {
  readonly id: string;
  name: string;
  emails: Array<{ address: string }>;
  phones: Array<{ number: string }>;
}

export interface FakeTask {
  readonly offerId: string;
  status: "NEW" | "SUCCESS" | "FAIL";
  message: string;
  errors: Array<Record<string, unknown>>;
  scheduledAt: string;
  finishedAt: string | null;
}

export interface FakeCommand {
  readonly id: string;
  readonly action: "ACTIVATE" | "END";
  readonly scheduledFor: string | undefined;
  readonly tasks: Array<FakeTask>;
}

export interface FakeToken {
  readonly expiresAt: number;
  /** The seller account that granted it (the account whose offers it reaches). */
  readonly seller: string;
}

/** The seller account of the options' refresh tokens (the sandbox's one seller before #13). */
export const DEFAULT_SELLER = "default";

/** `GET /sale/offer-events` types the fake emits (OpenAPI `getOfferEvents`). */
export type OfferEventType = "OFFER_ACTIVATED" | "OFFER_CHANGED" | "OFFER_ENDED" | "OFFER_ARCHIVED";

export interface FakeOfferEvent {
  readonly id: string;
  readonly occurredAt: string;
  readonly type: OfferEventType;
  readonly offer: { readonly id: string; readonly external: { readonly id: string } | null };
}

/**
 * The seller's event journal: "Returned events do not concern offers in INACTIVE and ENDED
 * status (the exception is OFFER_ARCHIVED event)", so changes of drafts are not journaled.
 */
export class OfferEventLog {
  readonly entries: Array<FakeOfferEvent> = [];
  emit(type: OfferEventType, offer: FakeOffer): void {
    const allowed =
      type === "OFFER_ARCHIVED" ||
      type === "OFFER_ENDED" ||
      offer.status === "ACTIVE" ||
      offer.status === "ACTIVATING";
    if (!allowed) return;
    const external = isRecord(offer.fields.external) ? String(offer.fields.external.id) : undefined;
    this.entries.push({
      // Opaque, increasing ids ("MTEzMjQzODU3NA" in the samples: base64 of a sequence).
      id: Buffer.from(String(1_000_000_000 + this.entries.length)).toString("base64url"),
      occurredAt: nowIso(),
      type,
      offer: { id: offer.id, external: external === undefined ? null : { id: external } },
    });
  }
}

/** A `202` answer's operation (`GET /sale/product-offers/{offerId}/operations/{operationId}`). */
export interface FakeOperation {
  readonly offerId: string;
  done: boolean;
  readonly startedAt: string;
}

export interface AllegroState {
  readonly options: AllegroFakeOptions;
  /** The category tree served (`options.categories`, else the default catalog). */
  readonly catalog: ReadonlyArray<FakeCategory>;
  readonly timers: Timers;
  readonly offers: Map<string, FakeOffer>;
  readonly contacts: Array<FakeContact>;
  readonly commands: Map<string, FakeCommand>;
  /** allegroimg URL → expiry (epoch ms). */
  readonly images: Map<string, number>;
  /** The seller account whose offers, contacts and commands these are. */
  readonly seller: string;
  /** Shared by every seller account of the fake (one OAuth server). */
  readonly accessTokens: Map<string, FakeToken>;
  /** Valid refresh tokens → the seller that granted them; shared by every seller account. */
  readonly refreshTokens: Map<string, string>;
  nextOfferId: number;
  readonly operations: Map<string, FakeOperation>;
  readonly events: OfferEventLog;
  /** Offers ended long ago and archived: GET answers 404 (no longer in `offers`). */
  readonly archived: Set<string>;
}

export const nowIso = (): string => new Date().toISOString();

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
