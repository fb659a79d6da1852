import type { ClockMode, ClockOptions } from "../http/timers.ts";
import type { TrafficOptions } from "../http/traffic.ts";

/** Options of the asynchronous processing, the same for every Pro Import fake. */
export interface ProcessingOptions extends ClockOptions {
  /** Added latency and a per-dealer rate limit (docs in `TrafficOptions`). */
  readonly traffic?: TrafficOptions;
  /** delay before each async log action moves from processing to done/error; default 150 ms */
  readonly processingDelayMs?: number;
  /** an image URL for which this returns true fails to download (handle_media error). Default: url contains "broken" */
  readonly imageFails?: (url: string) => boolean;
}

export interface ResolvedProcessingOptions {
  readonly clock: ClockMode;
  readonly processingDelayMs: number;
  readonly imageFails: (url: string) => boolean;
}

export function resolveProcessingOptions(options: ProcessingOptions): ResolvedProcessingOptions {
  return {
    clock: options.clock ?? "real",
    processingDelayMs: options.processingDelayMs ?? 150,
    imageFails: options.imageFails ?? ((url) => url.includes("broken")),
  };
}
