import type { AdRecord } from "../pro-import/ad-record.ts";

/** The fake's in-memory state of one Tradera ad. */
export interface TraderaAdRecord extends AdRecord {
  /** the ad's UUID, "id" in every response */
  readonly id: string;
  /** one reference per image that handle_media downloaded, in image order */
  imageRefs: ReadonlyArray<string>;
}

/** What a validated ad answers as its id: "system-generated fields ... set to defaults". */
export const ZERO_ID = "00000000-0000-0000-0000-000000000000";
