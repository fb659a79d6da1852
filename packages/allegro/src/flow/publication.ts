import type { AdsyncError } from "@adsync/core";
import { Effect } from "effect";
import type { AllegroClient } from "../client.ts";
import { offersPerCommand } from "../config.ts";
import type { Task, WirePublicationCommand } from "../wire.ts";
import { type CommandJournal, journalKey } from "./command-journal.ts";

export type PublicationAction = "ACTIVATE" | "END";

/** OpenAPI `PublicationChangeCommandDto` for offers (section 10, "Publish your ad"). */
export const publicationCommand = (
  action: PublicationAction,
  offerIds: ReadonlyArray<string>,
  scheduledFor?: string,
): WirePublicationCommand => ({
  publication: {
    action,
    // "scheduledFor … will be ignored for another actions": sent with ACTIVATE only.
    ...(action === "ACTIVATE" && scheduledFor !== undefined ? { scheduledFor } : {}),
  },
  offerCriteria: [{ type: "CONTAINS_OFFERS", offers: offerIds.map((id) => ({ id })) }],
});

/**
 * Sends publication commands with ids written to the journal first, and reads their tasks.
 */
export const makePublication = (client: AllegroClient, journal: CommandJournal) => {
  const tasks = (commandId: string) =>
    Effect.gen(function* () {
      const all: Array<Task> = [];
      // "offset … maximum: 999", "limit … maximum: 1000": one command holds ≤ 1000 offers.
      const page = yield* client.commandTasks(commandId, 0);
      all.push(...page);
      return all;
    });

  const usableJournaled = (key: string, offerIds: ReadonlyArray<string>) =>
    Effect.gen(function* () {
      const journaled = yield* journal.get(key);
      if (journaled === undefined) return undefined;
      const known = yield* Effect.either(tasks(journaled));
      // A 404 means the command never reached Allegro: the same id can be sent now.
      if (known._tag === "Left") return known.left.reason === "NotFound" ? journaled : undefined;
      // Reuse it only while it is still running: one that finished (SUCCESS or FAIL) belongs
      // to an earlier publication, and a new activation needs a new command.
      const wanted = new Set(offerIds);
      const ours = known.right.filter((task) => wanted.has(task.offer?.id ?? ""));
      const running = ours.length === 0 || ours.some((task) => task.status === "NEW");
      if (!running) {
        yield* journal.delete(key);
        return undefined;
      }
      return journaled;
    });

  const send = (
    action: PublicationAction,
    offerIds: ReadonlyArray<string>,
    scheduledFor?: string,
  ): Effect.Effect<string, AdsyncError> =>
    Effect.gen(function* () {
      const key = journalKey(action, offerIds);
      const reused = yield* usableJournaled(key, offerIds);
      const commandId = reused ?? crypto.randomUUID();
      // Written before the request: a crash or lost answer leaves the id to reuse.
      if (reused === undefined) yield* journal.put(key, commandId);
      yield* client.putCommand(commandId, publicationCommand(action, offerIds, scheduledFor));
      return commandId;
    });

  return {
    /** One command per ≤ 1000 offers: returns the command id of each offer. */
    send: (action: PublicationAction, offerIds: ReadonlyArray<string>, scheduledFor?: string) =>
      Effect.gen(function* () {
        const byOffer = new Map<string, string>();
        for (let start = 0; start < offerIds.length; start += offersPerCommand) {
          const part = offerIds.slice(start, start + offersPerCommand);
          const commandId = yield* send(action, part, scheduledFor);
          for (const id of part) byOffer.set(id, commandId);
        }
        return byOffer;
      }),
    tasks,
    /** Forgets a settled command, so the next publication of these offers gets a new id. */
    settle: (action: PublicationAction, offerIds: ReadonlyArray<string>) =>
      journal.delete(journalKey(action, offerIds)),
  };
};
export type Publication = ReturnType<typeof makePublication>;
