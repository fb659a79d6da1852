import type { AdsyncClient } from "@adsync/core";
import type { FakeMarketplace, RecordedRequest } from "@adsync/sandbox";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";

/** Which requests a test looks at: a method and a pathname pattern. */
export interface RequestMatcher {
  readonly method: string;
  readonly path: RegExp;
}

/** The requests a fake received that write (every method but GET), in order. */
export const writesOn = (fake: FakeMarketplace): ReadonlyArray<RecordedRequest> =>
  fake.requests.filter((request) => request.method !== "GET");

/** The requests among `requests` with the method and a pathname the pattern matches. */
export const requestsMatching = (
  requests: ReadonlyArray<RecordedRequest>,
  matcher: RequestMatcher,
): ReadonlyArray<RecordedRequest> => {
  // A global or sticky pattern keeps state between test() calls: test a fresh copy.
  const path = new RegExp(matcher.path.source, matcher.path.flags.replace(/[gy]/g, ""));
  return requests.filter(
    (request) =>
      request.method.toUpperCase() === matcher.method.toUpperCase() && path.test(request.path),
  );
};

/** What a contract-test file shares: what it started, and the publishers its tests opened. */
export interface ContractHarness<Started> {
  /** What `start` answered; read it in tests and hooks (it starts in `beforeAll`). */
  readonly started: Started;
  /** Publishers a test opened: closed after that test. */
  readonly clients: Array<AdsyncClient>;
}

/**
 * The set-up every adapter's contract tests share, registered in the calling file: `start`
 * (a fake, a sandbox, a publisher over it) runs before the file's first test and `close` after
 * its last; the fake `recorded` picks forgets its requests and faults before and after each
 * test, and the publishers pushed to `clients` are closed after each test.
 */
export const contractHarness = <Started>(options: {
  readonly start: () => Promise<Started>;
  readonly recorded: (started: Started) => FakeMarketplace;
  readonly close: (started: Started) => Promise<void>;
}): ContractHarness<Started> => {
  let started: { readonly value: Started } | undefined;
  const current = (): Started => {
    if (started === undefined) throw new Error("the contract harness starts in beforeAll");
    return started.value;
  };
  const forget = () => {
    if (started === undefined) return;
    const fake = options.recorded(started.value);
    fake.clearFaults();
    fake.clearRequests();
  };
  const harness: ContractHarness<Started> = {
    get started() {
      return current();
    },
    clients: [],
  };
  beforeAll(async () => {
    started = { value: await options.start() };
  });
  afterAll(async () => {
    if (started !== undefined) await options.close(started.value);
  });
  beforeEach(forget);
  afterEach(async () => {
    forget();
    await Promise.all(harness.clients.splice(0).map((client) => client.close()));
  });
  return harness;
};
