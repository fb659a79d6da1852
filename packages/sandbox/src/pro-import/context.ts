import type { AdContent, AdRecord } from "./ad-record.ts";
import type { AdStore } from "./ad-store.ts";
import type { ProcessingQueue } from "./processing-queue.ts";

/** What a marketplace does at the steps of processing that differ between marketplaces. */
export interface MarketplaceHooks<Ad extends AdRecord> {
  /**
   * Puts a processed ad live. The publish step calls it unless the ad is deleted or its images
   * failed with dont_publish_on_failed_images set.
   */
  readonly publish: (record: Ad, content: AdContent) => void;
  /** Told which images of the ad downloaded (in order) when handle_media completes. */
  readonly mediaHandled?: (record: Ad, downloadedUrls: ReadonlyArray<string>) => void;
}

/** The state every Pro Import fake's processing works with. */
export interface ProImportContext<Ad extends AdRecord> {
  readonly store: AdStore<Ad>;
  readonly queue: ProcessingQueue;
  readonly now: () => number;
  /** an image URL for which this holds fails to download (handle_media error) */
  readonly imageFails: (url: string) => boolean;
  readonly hooks: MarketplaceHooks<Ad>;
}
