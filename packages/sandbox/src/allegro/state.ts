import type { Timers } from "../http/timers.ts";
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
}

export interface AllegroState {
  readonly options: AllegroFakeOptions;
  readonly timers: Timers;
  readonly offers: Map<string, FakeOffer>;
  readonly contacts: Array<FakeContact>;
  readonly commands: Map<string, FakeCommand>;
  /** allegroimg URL → expiry (epoch ms). */
  readonly images: Map<string, number>;
  readonly accessTokens: Map<string, FakeToken>;
  readonly refreshTokens: Set<string>;
  nextOfferId: number;
}

export const nowIso = (): string => new Date().toISOString();

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
