import { randomUUID } from "node:crypto";
import type { LogAction } from "../pro-import/ad-record.ts";
import {
  createSteps,
  DONE,
  newLogEntry,
  startRequest,
  updateSteps,
} from "../pro-import/workflows.ts";
import type { BlocketAdRecord } from "./ad-record.ts";
import type { BlocketContext } from "./context.ts";

/** Blocket's requests and the actions each logs (see pro-import/workflows.ts for how they run). */

export function startCreate(context: BlocketContext, record: BlocketAdRecord): void {
  startRequest(context, record, createSteps(context, record));
}

/** PUT, PATCH and migrate; media is handled again only when the image list changed. */
export function startUpdate(
  context: BlocketContext,
  record: BlocketAdRecord,
  previousImageUrls: ReadonlyArray<string>,
): void {
  startRequest(context, record, updateSteps(context, record, previousImageUrls));
}

/** The ad's state turns "deleted" once it is unpublished. */
export function startDelete(context: BlocketContext, record: BlocketAdRecord): void {
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

export function startBump(context: BlocketContext, record: BlocketAdRecord): void {
  startRequest(context, record, [{ action: "bump", complete: () => DONE }]);
}

// The action table has no entry for pole position; the fake logs it under its own name rather
// than pass it off as a bump, which a client could not tell apart.
export function startPolePosition(context: BlocketContext, record: BlocketAdRecord): void {
  startRequest(context, record, [{ action: "pole_position", complete: () => DONE }]);
}

/** Logs a create that finished long ago, for ads seeded straight into the state. */
export function recordProcessedCreate(context: BlocketContext, record: BlocketAdRecord): void {
  const requestId = randomUUID();
  const actions: LogAction[] =
    record.content.imageUrls.length > 0
      ? ["create", "handle_media", "publish"]
      : ["create", "publish"];
  for (const action of actions) {
    record.log.push({ ...newLogEntry(context, action, requestId), state: "done" });
  }
  context.hooks.publish(record, record.content);
}
