import { jsonEqual } from "@adsync/core";
import { isJsonObject } from "../patch/json-patch.ts";
import type { WireAdvertisement } from "../wire.ts";
import type { MarktplaatsPayload } from "./to-marktplaats.ts";

/** The fields whose change outside adsync is drift: the ad's text and its price. */
const contentFields = ["title", "description", "priceModel"] as const;

/**
 * Whether the server's advertisement holds other values than `sent` for these fields: objects
 * are compared on the members we sent (the server adds `sellerId`, a derived `cityName`, …).
 */
export const differs = (
  server: Readonly<Record<string, unknown>>,
  sent: Readonly<Record<string, unknown>>,
  fields: ReadonlyArray<string>,
): boolean =>
  fields.some((field) => {
    const ours = sent[field];
    const theirs = server[field];
    if (isJsonObject(ours) && isJsonObject(theirs)) {
      return Object.keys(ours).some((key) => !jsonEqual(ours[key], theirs[key]));
    }
    return !jsonEqual(ours, theirs);
  });

/**
 * An advertisement as Marktplaats holds it, read against the payload last sent: `true` when it
 * holds other values for the ad's text or price (edited outside adsync), so the next publish
 * sends a full update.
 */
export const driftFrom = (sent: MarktplaatsPayload, server: WireAdvertisement): boolean =>
  differs(server, sent.advertisement, contentFields);
