export * from "./allegro/index.ts";
export type { BlocketFake } from "./blocket/blocket-fake.ts";
export { startBlocketFake } from "./blocket/blocket-fake.ts";
export type { BlocketFakeOptions, BlocketSandboxToken } from "./blocket/options.ts";
export { BLOCKET_SANDBOX_DEALER_CODES, BLOCKET_SANDBOX_TOKEN } from "./blocket/options.ts";
export type { FakeDefinition, RunningFake, RunningFakes, SandboxFakeOptions } from "./fakes.ts";
export { sandboxFakes, startFakes } from "./fakes.ts";
export type {
  AddDealerOptions,
  FakeDealers,
  FakeListing,
  MultiDealerFake,
} from "./http/dealers.ts";
export type { ClockMode, ClockOptions, ProcessingControl } from "./http/timers.ts";
export type { LatencyOptions, RateLimitOptions, TrafficOptions } from "./http/traffic.ts";
export type {
  FakeMarketplace,
  Fault,
  FaultRule,
  OutsideChangeable,
  OutsideChanges,
  ProcessingFake,
  RecordedRequest,
} from "./http/types.ts";
export * from "./marktplaats/index.ts";
export type { Sandbox, SandboxDealerSections, SandboxOptions } from "./sandbox.ts";
export { startSandbox } from "./sandbox.ts";
export * from "./scale/check.ts";
export type { TraderaFakeOptions, TraderaSandboxToken } from "./tradera/options.ts";
export { TRADERA_SANDBOX_DEALER_CODES, TRADERA_SANDBOX_TOKEN } from "./tradera/options.ts";
export type { TraderaFake } from "./tradera/tradera-fake.ts";
export { startTraderaFake } from "./tradera/tradera-fake.ts";
