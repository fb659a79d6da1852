import type { AdsyncClient } from "@adsync/core";
import {
  BLOCKET_SANDBOX_TOKEN,
  type BlocketFakeOptions,
  type Sandbox,
  startSandbox,
} from "@adsync/sandbox";
import { Redacted } from "effect";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import type { BlocketConfig } from "../src/index.ts";

/** A test file's sandbox, its clients (closed after each test) and the adapter config. */
export interface BlocketSuite {
  /** Started before the file's first test. */
  readonly sandbox: Sandbox;
  readonly clients: Array<AdsyncClient>;
  readonly configFor: (overrides?: Partial<BlocketConfig>) => BlocketConfig;
}

/**
 * Starts the sandbox for a test file (with these fake Blocket options), clears its requests
 * and faults before each test and closes the clients after it.
 */
export const blocketSandboxSuite = (options: BlocketFakeOptions): BlocketSuite => {
  let started: Sandbox | undefined;
  const suite: BlocketSuite = {
    get sandbox() {
      if (started === undefined) throw new Error("the sandbox starts in beforeAll");
      return started;
    },
    clients: [],
    configFor: (overrides = {}) => ({
      baseUrl: suite.sandbox.urls.blocket,
      token: Redacted.make(BLOCKET_SANDBOX_TOKEN),
      tokenScope: "dealer_group",
      dealerCode: "DEALER1",
      http: { retry: { baseDelay: "20 millis" } },
      ...overrides,
    }),
  };
  beforeAll(async () => {
    started = await startSandbox({ blocket: options });
  });
  afterAll(async () => {
    await suite.sandbox.close();
  });
  beforeEach(() => {
    suite.sandbox.blocket.clearRequests();
    suite.sandbox.blocket.clearFaults();
  });
  afterEach(async () => {
    suite.sandbox.blocket.clearFaults();
    await Promise.all(suite.clients.splice(0).map((client) => client.close()));
  });
  return suite;
};
