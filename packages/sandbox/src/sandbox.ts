import { type BlocketFake, startBlocketFake } from "./blocket/blocket-fake.ts";
import type { BlocketFakeOptions } from "./blocket/options.ts";

export interface SandboxOptions {
  readonly blocket?: BlocketFakeOptions;
}

/** Every fake marketplace, running on 127.0.0.1. */
export interface Sandbox {
  readonly blocket: BlocketFake;
  /** the base URL of each fake, as a client's configuration takes it */
  readonly urls: { readonly blocket: string };
  /** stops every fake: pending processing is cancelled and open connections closed */
  close(): Promise<void>;
}

/** Starts every fake marketplace on its own free port of 127.0.0.1. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const blocket = await startBlocketFake(options.blocket);
  return {
    blocket,
    urls: { blocket: blocket.url },
    close: async () => {
      await blocket.close();
    },
  };
}
