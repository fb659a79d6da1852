import type { Timers } from "../http/timers.ts";
import { findCategory } from "./categories.ts";

/** One advertisement as the fake holds it: the document GET returns, and who owns it. */
export interface StoredAdvertisement {
  readonly itemId: string;
  readonly sellerId: number;
  document: Record<string, unknown>;
  deleted: boolean;
  images: Array<StoredImage>;
  /** Whether the category was moved once already ("Can only change the category … once"). */
  categoryChanged: boolean;
  /** The paid features bought for this advertisement (`POST …/buy-feature`). */
  features: Set<string>;
}

/** An image's `status` (see StoredImage). */
export type ImageStatus = StoredImage["status"];

/**
 * One image: "downloading" until fetched, then "available" (place-advertisement.rst). The doc
 * names no failure status; the fake writes "failed" for a URL it cannot fetch (see below).
 */
export interface StoredImage {
  readonly imageId: number;
  readonly url: string;
  status: "downloading" | "available" | "failed";
}

/** The sandbox cannot fetch images from a reserved `.invalid` host (RFC 2606). */
const fetchable = (url: string): boolean => {
  try {
    return !new URL(url).hostname.endsWith(".invalid");
  } catch {
    return false;
  }
};

/** Sandbox postcodes → city: "The system will then automatically add the correct cityName". */
const cities: Readonly<Record<string, string>> = {
  "1097": "Amsterdam",
  "1012": "Amsterdam",
  "3511": "Utrecht",
  "8388": "Boijl",
  "2000": "Antwerpen",
  "1000": "Brussel",
};
export const cityOf = (postcode: string): string =>
  cities[postcode.slice(0, 4)] ?? `Plaats-${postcode.slice(0, 4)}`;

/**
 * The precedence rules of `location.postcode`: postcode alone → its city is added; both and
 * matching → both kept; both and not matching → "the system … ignore[s] the postcode and take[s]
 * the supplied cityName" (and the ad counts as abroad).
 */
export function deriveLocation(location: Record<string, unknown>): Record<string, unknown> {
  const postcode = typeof location.postcode === "string" ? location.postcode : undefined;
  const city = typeof location.cityName === "string" ? location.cityName : undefined;
  if (postcode === undefined) return { ...location };
  if (city === undefined) return { ...location, cityName: cityOf(postcode) };
  if (city === cityOf(postcode)) return { ...location };
  const { postcode: _ignored, ...rest } = location;
  return rest;
}

/** What the licence plate brings: the doc's automotive fields, sandbox values. */
const enrichmentValues = (document: Record<string, unknown>): Record<string, unknown> => {
  const category =
    typeof document.categoryId === "number" ? findCategory(document.categoryId) : undefined;
  return {
    makeDescription: category?.category.name.split("|").at(-1)?.trim() ?? "Onbekend",
    modelDescription: typeof document.model === "string" ? document.model : "Onbekend",
    trim: "Basis",
    apkExpirationDate: "2027-01-31",
    apkOnDelivery: "Nee",
    energyLabel: "B",
    fuelConsumption: 5.4,
  };
};

export class AdvertisementStore {
  private readonly advertisements = new Map<string, StoredAdvertisement>();
  private nextItem = 1000;
  private nextImage = 1;

  constructor(
    private readonly timers: Timers,
    private readonly enrichmentDelayMs: number,
    private readonly imageDelayMs: number,
    private readonly imageFails: (url: string) => boolean = () => false,
  ) {}

  /** The fake's clock (manual in tests). */
  now(): number {
    return this.timers.now();
  }

  insert(sellerId: number, document: Record<string, unknown>): StoredAdvertisement {
    const itemId = `m${this.nextItem++}`;
    const stored: StoredAdvertisement = {
      itemId,
      sellerId,
      document: { itemId, ...document },
      deleted: false,
      images: [],
      categoryChanged: false,
      features: new Set(),
    };
    this.advertisements.set(itemId, stored);
    return stored;
  }

  get(itemId: string): StoredAdvertisement | undefined {
    return this.advertisements.get(itemId);
  }

  /** Live advertisements of one seller, oldest first. */
  ofSeller(sellerId: number): ReadonlyArray<StoredAdvertisement> {
    return [...this.advertisements.values()].filter(
      (entry) => entry.sellerId === sellerId && !entry.deleted,
    );
  }

  /** Every advertisement of one seller, deleted ones included, oldest first. */
  allOfSeller(sellerId: number): ReadonlyArray<StoredAdvertisement> {
    return [...this.advertisements.values()].filter((entry) => entry.sellerId === sellerId);
  }

  /** The itemIds of every advertisement not deleted, oldest first. */
  liveItemIds(): ReadonlyArray<string> {
    return [...this.advertisements.values()]
      .filter((entry) => !entry.deleted)
      .map((entry) => entry.itemId);
  }

  /** Every advertisement ever created, deleted ones included. */
  count(): number {
    return this.advertisements.size;
  }

  /**
   * "Advertisements placed in any of the automotive categories … if a valid license plate is
   * provided, they will be enriched … asynchronous". Fields the seller gave are kept ("this
   * data is used instead").
   */
  scheduleEnrichment(stored: StoredAdvertisement): void {
    const category =
      typeof stored.document.categoryId === "number"
        ? findCategory(stored.document.categoryId)
        : undefined;
    if (typeof stored.document.licensePlate !== "string" || category?.root.automotive !== true)
      return;
    const plate = stored.document.licensePlate;
    this.timers.after(this.enrichmentDelayMs, () => {
      if (stored.deleted || stored.document.licensePlate !== plate) return;
      stored.document = { ...enrichmentValues(stored.document), ...stored.document };
    });
  }

  /** Images are fetched from their URLs "when there is capacity available". */
  replaceImages(stored: StoredAdvertisement, urls: ReadonlyArray<string>): void {
    stored.images = urls.map((url) => ({ imageId: this.nextImage++, url, status: "downloading" }));
    const images = stored.images;
    this.timers.after(this.imageDelayMs, () => {
      for (const image of images)
        image.status = this.imageFails(image.url) || !fetchable(image.url) ? "failed" : "available";
    });
  }
}
