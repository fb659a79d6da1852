import { type AdRecord, LOG_ACTIONS } from "../pro-import/ad-record.ts";

export type ApiVersion = "v3" | "v4";

/** The actions of the "Ad actions" table, plus pole_position (see workflows.ts). */
export const BLOCKET_LOG_ACTIONS: ReadonlyArray<string> = [...LOG_ACTIONS, "pole_position"];

/** The fake's in-memory state of one Blocket ad. */
export interface BlocketAdRecord extends AdRecord {
  /** the API version the ad was created or last written with */
  version: ApiVersion;
  blocketStoreId: string | null;
  bytbilAdId: string | null;
  /** until when the ad has pole position ("Pole position lasts for 3 days") */
  poleUntil: number | undefined;
}
