export { type Backlog, backlog, openBacklog } from "./backlog.ts";
export {
  createWorkerClient,
  type PromiseWorkerClient,
  WorkerClient,
  type WorkerClientOptions,
  type WorkerClientService,
  workerClientLayer,
} from "./client.ts";
export {
  Listings,
  OperationSummary,
  OperationWorkflow,
  PublishItem,
  pairId,
  RemoveItem,
  WorkItem,
} from "./protocol.ts";
export {
  defaultWorkerTimings,
  fastWorkerTimings,
  type OperationOrder,
  parseListen,
  runWorker,
  type WorkerOptions,
  type WorkerPlacement,
  type WorkerTimings,
  workerDealerAdaptersLayer,
  workerLayer,
} from "./worker.ts";
