/**
 * What each fake marketplace holds, read through its public inspection API (Pro Import's
 * `ad(source_id)`, Allegro's offers) or its HTTP list (Marktplaats' seller ads, which hide
 * deleted ones): per dealer ad id, how many listings are live and what they show.
 */
import { MARKTPLAATS_SANDBOX_CLIENT, type Sandbox } from "@adsync/sandbox";
import type { Content, MarketplaceId } from "./world.ts";

/** One dealer ad on one marketplace, as the marketplace shows it. */
export interface Shown {
  /** Listings a buyer sees (live), never more than one if adsync is right. */
  readonly live: number;
  /** Listings that exist but are hidden/deactivated. */
  readonly hidden: number;
  /** The content of the (first) live or hidden listing. */
  readonly content?: Content | undefined;
}

const nothing: Shown = { live: 0, hidden: 0 };

const record = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

const text = (value: unknown): string => (typeof value === "string" ? value : "");

/** The first list price of a Pro Import ad, in `divisor`s (Blocket V4: öre, Tradera: kronor). */
const proImportContent = (ad: Record<string, unknown>, divisor: number): Content => {
  const prices = Array.isArray(ad.price) ? ad.price : [];
  const amount = Number(record(prices[0]).amount ?? Number.NaN);
  return { title: text(ad.title), price: amount / divisor };
};

/**
 * A Pro Import ad by source_id. Blocket marks a deleted ad `state: "deleted"`; Tradera keeps
 * "created" ("check logs for actual deletion status"), so a `delete` action in its log means
 * deleted (a deleted Tradera ad can never be created again under its id). An ad is shown while
 * the latest of its `publish` (done or error) and `unpublish` (done) entries is a `publish`
 * done: an `unpublish` done (the marketplace took it down, e.g. on expiry) or a later `publish`
 * error (rejected after acceptance) takes it off the marketplace though its state stays
 * "created" (the fakes' own rule, and the docs': "other marketplace error could cause the ad
 * not to be published, see log messages").
 */
const proImportShown = (wire: unknown, divisor: number): Shown => {
  if (wire === undefined) return nothing;
  const ad = record(wire);
  const log = (Array.isArray(ad.log) ? ad.log.map(record) : []).sort((left, right) =>
    text(left.created).localeCompare(text(right.created)),
  );
  if (ad.state === "deleted" || log.some((entry) => entry.action === "delete")) return nothing;
  const last = log.findLast(
    (entry) =>
      (entry.action === "publish" && entry.state !== "processing") ||
      (entry.action === "unpublish" && entry.state === "done"),
  );
  if (last !== undefined && !(last.action === "publish" && last.state === "done")) return nothing;
  const content = proImportContent(ad, divisor);
  return ad.visible === false ? { live: 0, hidden: 1, content } : { live: 1, hidden: 0, content };
};

/** A bearer token of the sandbox seller (Marktplaats refresh tokens are not used up). */
const marktplaatsToken = async (sandbox: Sandbox): Promise<string> => {
  const query = new URLSearchParams({
    grant_type: "refresh_token",
    refresh_token: MARKTPLAATS_SANDBOX_CLIENT.refreshToken,
    client_id: MARKTPLAATS_SANDBOX_CLIENT.clientId,
    client_secret: MARKTPLAATS_SANDBOX_CLIENT.clientSecret,
  });
  const response = await fetch(`${sandbox.urls.marktplaatsToken}?${query}`, { method: "POST" });
  return text(record(await response.json()).access_token);
};

/** Every advertisement of the sandbox seller that is not deleted, through the paged list. */
export const marktplaatsAdvertisements = async (
  sandbox: Sandbox,
): Promise<ReadonlyArray<Record<string, unknown>>> => {
  const token = await marktplaatsToken(sandbox);
  const all: Array<Record<string, unknown>> = [];
  const origin = new URL(sandbox.urls.marktplaats).origin;
  for (let next: string | undefined = "/v1/advertisements?offset=0&limit=100"; next; ) {
    const response = await fetch(`${origin}${next}`, {
      headers: { authorization: `Bearer ${token}`, accept: "application/json" },
    });
    const page = record(await response.json());
    const embedded = record(page._embedded)["mp:advertisement"];
    if (Array.isArray(embedded)) all.push(...embedded.map(record));
    const href = record(record(page._links).next).href;
    next = typeof href === "string" ? href : undefined;
  }
  return all;
};

/** The advertisement's close date has passed (Marktplaats: "the date the advertisement will be closed"). */
const closed = (advertisement: Record<string, unknown>): boolean => {
  const closeDate = advertisement.closeDate;
  return typeof closeDate === "string" && Date.parse(closeDate) <= Date.now();
};

const marktplaatsContent = (advertisement: Record<string, unknown>): Content => ({
  title: text(advertisement.title),
  price: Number(record(advertisement.priceModel).askingPrice ?? Number.NaN) / 100,
});

const allegroContent = (offer: Record<string, unknown>): Content => ({
  title: text(offer.name),
  price: Number(record(record(offer.sellingMode).price).amount ?? Number.NaN),
});

/** What every marketplace shows of each ad: `plates` maps a licence plate to its ad id. */
export const readMarketplaces = async (
  sandbox: Sandbox,
  adIds: ReadonlyArray<string>,
  plates: ReadonlyMap<string, string>,
): Promise<ReadonlyMap<MarketplaceId, ReadonlyMap<string, Shown>>> => {
  const blocket = new Map(adIds.map((id) => [id, proImportShown(sandbox.blocket.ad(id), 100)]));
  const tradera = new Map(adIds.map((id) => [id, proImportShown(sandbox.tradera.ad(id), 1)]));
  const grouped = (
    entries: ReadonlyArray<{ id: string | undefined; shown: "live" | "hidden" | "gone" } & Content>,
  ) => {
    const result = new Map<string, Shown>(adIds.map((id) => [id, nothing]));
    for (const entry of entries) {
      if (entry.id === undefined || !result.has(entry.id) || entry.shown === "gone") continue;
      const before = result.get(entry.id) ?? nothing;
      result.set(entry.id, {
        live: before.live + (entry.shown === "live" ? 1 : 0),
        hidden: before.hidden + (entry.shown === "hidden" ? 1 : 0),
        content: before.content ?? { title: entry.title, price: entry.price },
      });
    }
    return result;
  };
  const marktplaats = grouped(
    (await marktplaatsAdvertisements(sandbox)).map((advertisement) => ({
      id: plates.get(text(advertisement.licensePlate)),
      // A reached close date ends the advertisement (it stays in the seller's list, renewable):
      // gone from the site, as adsync's reading of `closeDate` says.
      shown: closed(advertisement)
        ? "gone"
        : advertisement.status === "deactivated"
          ? "hidden"
          : "live",
      ...marktplaatsContent(advertisement),
    })),
  );
  const allegro = grouped(
    sandbox.allegro.offerIds().map((offerId) => {
      const offer = record(sandbox.allegro.offer(offerId));
      const status = record(offer.publication).status;
      return {
        id: text(record(offer.external).id) || undefined,
        shown: status === "ACTIVE" || status === "ACTIVATING" ? "live" : "gone",
        ...allegroContent(offer),
      };
    }),
  );
  return new Map<MarketplaceId, ReadonlyMap<string, Shown>>([
    ["blocket", blocket],
    ["tradera", tradera],
    ["marktplaats", marktplaats],
    ["allegro", allegro],
  ]);
};
