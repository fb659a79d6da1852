import { type AllegroFake, type AllegroFakeOptions, startAllegroFake } from "./allegro/index.ts";
import { type BlocketFake, startBlocketFake } from "./blocket/blocket-fake.ts";
import type { BlocketFakeOptions } from "./blocket/options.ts";
import type { AddDealerOptions } from "./http/dealers.ts";
import type { ClockMode } from "./http/timers.ts";
import type { TrafficOptions } from "./http/traffic.ts";
import {
  type MarktplaatsFake,
  type MarktplaatsFakeOptions,
  startMarktplaatsFake,
} from "./marktplaats/index.ts";
import type { TraderaFakeOptions } from "./tradera/options.ts";
import { startTraderaFake, type TraderaFake } from "./tradera/tradera-fake.ts";

export interface SandboxOptions {
  /** The clock of every fake unless its own options name one: "real" by default. */
  readonly clock?: ClockMode;
  /** Latency and per-dealer rate limit of every fake unless its own options name them. */
  readonly traffic?: TrafficOptions;
  readonly blocket?: BlocketFakeOptions;
  readonly tradera?: TraderaFakeOptions;
  readonly marktplaats?: MarktplaatsFakeOptions;
  readonly allegro?: AllegroFakeOptions;
}

/** Every fake marketplace, running on 127.0.0.1. */
export interface Sandbox {
  readonly blocket: BlocketFake;
  readonly tradera: TraderaFake;
  readonly marktplaats: MarktplaatsFake;
  readonly allegro: AllegroFake;
  /** the base URL of each fake, as a client's configuration takes it */
  readonly urls: {
    readonly blocket: string;
    readonly tradera: string;
    readonly marktplaats: string;
    /** Marktplaats' OAuth token endpoint */
    readonly marktplaatsToken: string;
    /** Allegro's API, upload and OAuth hosts, all served from one origin */
    readonly allegro: string;
  };
  /**
   * Provisions a dealer on every fake (`fake.dealers.add`): its config sections by marketplace
   * id, as `DealerCredentials.putSection(dealer, marketplace, section)` takes them.
   */
  addDealer(dealer: string, options?: AddDealerOptions): SandboxDealerSections;
  /** stops every fake: pending processing is cancelled and open connections closed */
  close(): Promise<void>;
}

/** One dealer's config section of each marketplace of the sandbox. */
export interface SandboxDealerSections {
  readonly blocket: Readonly<Record<string, unknown>>;
  readonly tradera: Readonly<Record<string, unknown>>;
  readonly marktplaats: Readonly<Record<string, unknown>>;
  readonly allegro: Readonly<Record<string, unknown>>;
}

/** Starts every fake marketplace on its own free port of 127.0.0.1. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = {
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.traffic === undefined ? {} : { traffic: options.traffic }),
  };
  const [blocket, tradera, marktplaats, allegro] = await Promise.all([
    startBlocketFake({ ...clock, ...options.blocket }),
    startTraderaFake({ ...clock, ...options.tradera }),
    startMarktplaatsFake({ ...clock, ...options.marktplaats }),
    startAllegroFake({ ...clock, ...options.allegro }),
  ]);
  return {
    blocket,
    tradera,
    marktplaats,
    allegro,
    urls: {
      blocket: blocket.url,
      tradera: tradera.url,
      marktplaats: marktplaats.url,
      marktplaatsToken: marktplaats.tokenUrl,
      allegro: allegro.url,
    },
    addDealer: (dealer, dealerOptions) => ({
      blocket: blocket.dealers.add(dealer, dealerOptions),
      tradera: tradera.dealers.add(dealer, dealerOptions),
      marktplaats: marktplaats.dealers.add(dealer, dealerOptions),
      allegro: allegro.dealers.add(dealer, dealerOptions),
    }),
    close: async () => {
      await Promise.all([blocket.close(), tradera.close(), marktplaats.close(), allegro.close()]);
    },
  };
}
