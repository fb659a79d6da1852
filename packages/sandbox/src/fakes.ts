import { startAllegroFake } from "./allegro/index.ts";
import { startBlocketFake } from "./blocket/blocket-fake.ts";
import type { ClockMode } from "./http/timers.ts";
import type { TrafficOptions } from "./http/traffic.ts";
import type { FakeMarketplace } from "./http/types.ts";
import { startMarktplaatsFake } from "./marktplaats/index.ts";
import { startTraderaFake } from "./tradera/tradera-fake.ts";

/** A fake as it runs: what a test sees of it, and a way to stop it. */
export type RunningFake = FakeMarketplace & { close(): Promise<void> };

/** What every fake of a sandbox is started with. */
export interface SandboxFakeOptions {
  readonly clock?: ClockMode;
  /** How long its asynchronous processing takes (ignored by a synchronous marketplace). */
  readonly processingDelayMs?: number;
  /** Added latency and a per-dealer rate limit (none by default). */
  readonly traffic?: TrafficOptions;
}

/**
 * One fake marketplace as a sandbox starts it, keyed in a set of fakes by the marketplace's id
 * (the same id its adapter's descriptor has; the sandbox knows no adapter).
 */
export interface FakeDefinition<Fake extends RunningFake = RunningFake> {
  start(options: SandboxFakeOptions): Promise<Fake>;
  /** The base URLs a client's configuration takes, by name (`marktplaatsToken` beside it). */
  urls(fake: Fake): Readonly<Record<string, string>>;
}

const clockOf = (options: SandboxFakeOptions) => ({
  ...(options.clock === undefined ? {} : { clock: options.clock }),
  ...(options.traffic === undefined ? {} : { traffic: options.traffic }),
});
const delayOf = (options: SandboxFakeOptions) =>
  options.processingDelayMs === undefined ? {} : { processingDelayMs: options.processingDelayMs };

/** The fakes of the four marketplaces adsync ships, by marketplace id. */
export const sandboxFakes = {
  blocket: {
    start: (options) => startBlocketFake({ ...clockOf(options), ...delayOf(options) }),
    urls: (fake) => ({ blocket: fake.url }),
  } satisfies FakeDefinition<Awaited<ReturnType<typeof startBlocketFake>>>,
  tradera: {
    start: (options) => startTraderaFake({ ...clockOf(options), ...delayOf(options) }),
    urls: (fake) => ({ tradera: fake.url }),
  } satisfies FakeDefinition<Awaited<ReturnType<typeof startTraderaFake>>>,
  marktplaats: {
    start: (options) => startMarktplaatsFake(clockOf(options)),
    urls: (fake) => ({ marktplaats: fake.url, marktplaatsToken: fake.tokenUrl }),
  } satisfies FakeDefinition<Awaited<ReturnType<typeof startMarktplaatsFake>>>,
  allegro: {
    start: (options) =>
      startAllegroFake({
        ...clockOf(options),
        ...(options.processingDelayMs === undefined
          ? {}
          : { taskDelayMs: options.processingDelayMs }),
      }),
    urls: (fake) => ({ allegro: fake.url }),
  } satisfies FakeDefinition<Awaited<ReturnType<typeof startAllegroFake>>>,
} as const;

/** Fakes started together: each by id, the URLs of all of them, and one `close`. */
export interface RunningFakes {
  readonly fakes: ReadonlyMap<string, RunningFake>;
  readonly urls: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/** Starts a set of fakes, each on its own free port of 127.0.0.1. */
export const startFakes = async (
  definitions: Readonly<Record<string, FakeDefinition>>,
  options: SandboxFakeOptions = {},
): Promise<RunningFakes> => {
  const started = await Promise.all(
    Object.entries(definitions).map(async ([id, definition]) => {
      const fake = await definition.start(options);
      return { id, fake, urls: definition.urls(fake) };
    }),
  );
  return {
    fakes: new Map(started.map(({ id, fake }) => [id, fake])),
    urls: Object.assign({}, ...started.map(({ urls }) => urls)),
    close: async () => {
      await Promise.all(started.map(({ fake }) => fake.close()));
    },
  };
};
