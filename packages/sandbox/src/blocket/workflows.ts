import { randomUUID } from "node:crypto";
import type { AdContent, AdRecord, LogAction, LogEntry } from "./ad-record.ts";
import { adKey } from "./ad-store.ts";
import type { BlocketContext } from "./context.ts";

/**
 * The asynchronous side of each write ("The POST, PUT, PATCH and DELETE API invocations are
 * asynchronous"): a request logs its actions as processing at once, with one request_id, and
 * the processing queue then moves them to done or error one by one.
 */

type StepResult =
  | { readonly state: "done" }
  | { readonly state: "error"; readonly message: string };

interface Step {
  readonly action: LogAction;
  readonly complete: () => StepResult;
}

const DONE: StepResult = { state: "done" };

export function startCreate(context: BlocketContext, record: AdRecord): void {
  const content = record.content;
  const media = mediaStep(context, content.imageUrls, content.imageUrls.length > 0);
  startRequest(context, record, [
    { action: "create", complete: () => DONE },
    ...media.steps,
    { action: "publish", complete: () => publish(context, record, content, media.anyFailed()) },
  ]);
}

/** PUT, PATCH and migrate; media is handled again only when the image list changed. */
export function startUpdate(
  context: BlocketContext,
  record: AdRecord,
  previousImageUrls: ReadonlyArray<string>,
): void {
  const content = record.content;
  const imagesChanged = JSON.stringify(previousImageUrls) !== JSON.stringify(content.imageUrls);
  const media = mediaStep(context, content.imageUrls, imagesChanged);
  startRequest(context, record, [
    { action: "update", complete: () => DONE },
    ...media.steps,
    { action: "publish", complete: () => publish(context, record, content, media.anyFailed()) },
  ]);
}

/** The ad's state turns "deleted" once it is unpublished. */
export function startDelete(context: BlocketContext, record: AdRecord): void {
  startRequest(context, record, [
    { action: "delete", complete: () => DONE },
    {
      action: "unpublish",
      complete: () => {
        record.published = false;
        record.poleUntil = undefined;
        record.state = "deleted";
        return DONE;
      },
    },
  ]);
}

export function startBump(context: BlocketContext, record: AdRecord): void {
  startRequest(context, record, [{ action: "bump", complete: () => DONE }]);
}

// The action table has no entry for pole position; the fake logs it under its own name rather
// than pass it off as a bump, which a client could not tell apart.
export function startPolePosition(context: BlocketContext, record: AdRecord): void {
  startRequest(context, record, [{ action: "pole_position", complete: () => DONE }]);
}

/** Logs a create that finished long ago, for ads seeded straight into the state. */
export function recordProcessedCreate(context: BlocketContext, record: AdRecord): void {
  const requestId = randomUUID();
  const actions: LogAction[] =
    record.content.imageUrls.length > 0
      ? ["create", "handle_media", "publish"]
      : ["create", "publish"];
  for (const action of actions) {
    record.log.push({ ...newEntry(context, action, requestId), state: "done" });
  }
  if (record.content.visible) {
    context.store.assignMarketplaceIds(record);
    record.published = true;
  }
}

function startRequest(context: BlocketContext, record: AdRecord, steps: ReadonlyArray<Step>): void {
  const requestId = randomUUID();
  const planned = steps.map((step) => {
    const entry = newEntry(context, step.action, requestId);
    record.log.push(entry);
    return { step, entry };
  });
  context.queue.enqueue(
    adKey(record.dealerCode, record.sourceId),
    planned.map(({ step, entry }) => () => {
      const result = step.complete();
      entry.state = result.state;
      entry.externalMessage = result.state === "error" ? result.message : null;
      record.updatedAt = context.now();
    }),
  );
}

function newEntry(context: BlocketContext, action: LogAction, requestId: string): LogEntry {
  return {
    sequence: context.store.nextSequence(),
    action,
    state: "processing",
    createdAt: context.now(),
    requestId,
    externalMessage: null,
  };
}

function mediaStep(
  context: BlocketContext,
  imageUrls: ReadonlyArray<string>,
  needed: boolean,
): { readonly steps: ReadonlyArray<Step>; readonly anyFailed: () => boolean } {
  let failedUrls: ReadonlyArray<string> = [];
  const handleMedia: Step = {
    action: "handle_media",
    complete: () => {
      failedUrls = imageUrls.filter((url) => context.options.imageFails(url));
      if (failedUrls.length === 0) return DONE;
      const message = failedUrls
        .map((url) => `Failed to download image from URL: ${url}`)
        .join("; ");
      return { state: "error", message };
    },
  };
  return { steps: needed ? [handleMedia] : [], anyFailed: () => failedUrls.length > 0 };
}

function publish(
  context: BlocketContext,
  record: AdRecord,
  content: AdContent,
  imagesFailed: boolean,
): StepResult {
  if (record.state === "deleted")
    return { state: "error", message: "Not published: the ad is deleted." };
  // "Set to true if you don't want to publish the ad if any of the images have an error."
  if (imagesFailed && content.dontPublishOnFailedImages) {
    return { state: "error", message: "Not published: images failed" };
  }
  // visible: false ads are created but not shown ("Ad states": possibly visible=false).
  if (!content.visible) {
    record.published = false;
    return DONE;
  }
  context.store.assignMarketplaceIds(record);
  record.published = true;
  return DONE;
}
