export type { BlocketFake } from "./blocket/blocket-fake.ts";
export { startBlocketFake } from "./blocket/blocket-fake.ts";
export type { BlocketFakeOptions, BlocketSandboxToken } from "./blocket/options.ts";
export { BLOCKET_SANDBOX_DEALER_CODES, BLOCKET_SANDBOX_TOKEN } from "./blocket/options.ts";
export type { FakeMarketplace, Fault, FaultRule, RecordedRequest } from "./http/types.ts";
export type { Sandbox, SandboxOptions } from "./sandbox.ts";
export { startSandbox } from "./sandbox.ts";
