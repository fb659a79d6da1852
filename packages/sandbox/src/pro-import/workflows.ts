import { randomUUID } from "node:crypto";
import type { AdContent, AdRecord, LogAction, LogEntry } from "./ad-record.ts";
import { adKey } from "./ad-store.ts";
import type { ProImportContext } from "./context.ts";

/**
 * The asynchronous side of each write, as both APIs describe it (Blocket: "The POST, PUT, PATCH
 * and DELETE API invocations are asynchronous"; Tradera: "Processing is asynchronous - check the
 * log field"): a request logs its actions as processing at once, with one request_id, and the
 * processing queue then moves them to done or error one by one.
 */

export type StepResult =
  | { readonly state: "done" }
  | { readonly state: "error"; readonly message: string };

export interface Step {
  readonly action: LogAction;
  readonly complete: () => StepResult;
}

export const DONE: StepResult = { state: "done" };

/** create, handle_media when there are images, publish. */
export function createSteps<Ad extends AdRecord>(
  context: ProImportContext<Ad>,
  record: Ad,
): ReadonlyArray<Step> {
  return contentSteps(context, record, "create", record.content.imageUrls.length > 0);
}

/** update, handle_media only when the image list changed, publish. */
export function updateSteps<Ad extends AdRecord>(
  context: ProImportContext<Ad>,
  record: Ad,
  previousImageUrls: ReadonlyArray<string>,
): ReadonlyArray<Step> {
  const imagesChanged =
    JSON.stringify(previousImageUrls) !== JSON.stringify(record.content.imageUrls);
  return contentSteps(context, record, "update", imagesChanged);
}

/** Logs the steps as processing under a new request id and queues them; returns the id. */
export function startRequest<Ad extends AdRecord>(
  context: ProImportContext<Ad>,
  record: Ad,
  steps: ReadonlyArray<Step>,
): string {
  const requestId = randomUUID();
  const planned = steps.map((step) => {
    const entry = newLogEntry(context, step.action, requestId);
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
  return requestId;
}

export function newLogEntry<Ad extends AdRecord>(
  context: ProImportContext<Ad>,
  action: LogAction,
  requestId: string,
): LogEntry {
  return {
    sequence: context.store.nextSequence(),
    action,
    state: "processing",
    createdAt: context.now(),
    requestId,
    externalMessage: null,
  };
}

function contentSteps<Ad extends AdRecord>(
  context: ProImportContext<Ad>,
  record: Ad,
  action: "create" | "update",
  handleMedia: boolean,
): ReadonlyArray<Step> {
  const content = record.content;
  const media = mediaStep(context, record, content.imageUrls);
  return [
    { action, complete: () => DONE },
    ...(handleMedia ? [media.step] : []),
    { action: "publish", complete: () => publish(context, record, content, media.anyFailed()) },
  ];
}

function mediaStep<Ad extends AdRecord>(
  context: ProImportContext<Ad>,
  record: Ad,
  imageUrls: ReadonlyArray<string>,
): { readonly step: Step; readonly anyFailed: () => boolean } {
  let failedUrls: ReadonlyArray<string> = [];
  const step: Step = {
    action: "handle_media",
    complete: () => {
      failedUrls = imageUrls.filter((url) => context.imageFails(url));
      context.hooks.mediaHandled?.(
        record,
        imageUrls.filter((url) => !failedUrls.includes(url)),
      );
      if (failedUrls.length === 0) return DONE;
      // Both docs' example: "Failed to download image from URL: https://example.com/missing.jpg".
      const message = failedUrls
        .map((url) => `Failed to download image from URL: ${url}`)
        .join("; ");
      return { state: "error", message };
    },
  };
  return { step, anyFailed: () => failedUrls.length > 0 };
}

function publish<Ad extends AdRecord>(
  context: ProImportContext<Ad>,
  record: Ad,
  content: AdContent,
  imagesFailed: boolean,
): StepResult {
  if (record.state === "deleted") {
    return { state: "error", message: "Not published: the ad is deleted." };
  }
  // "Set to true if you don't want to publish the ad if any of the images have an error."
  if (imagesFailed && content.dontPublishOnFailedImages) {
    return { state: "error", message: "Not published: images failed" };
  }
  context.hooks.publish(record, content);
  return DONE;
}
