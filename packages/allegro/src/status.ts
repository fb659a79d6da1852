import { issue, type Presence, type Progress } from "@adsync/core";
import { ALLEGRO } from "./config.ts";
import { issuesFromErrors, type ParameterPaths } from "./errors.ts";
import type { PublicationAction } from "./flow/publication.ts";
import type { Task } from "./wire.ts";

/** What the status reading needs of an offer: a whole one (GET) or a list entry. */
export interface OfferState {
  readonly publication?:
    | {
        readonly status?: string | null | undefined;
        readonly endedBy?: string | null | undefined;
      }
    | null
    | undefined;
}

/**
 * OpenAPI `OfferStatus`: "INACTIVE - a draft offer, ACTIVATING - planned for listing or during
 * activation, ACTIVE, ENDED". The guide's PUT sample says "two values are supported: ACTIVE,
 * INACTIVE"; the spec and the text name four, and all four are read (decision D11). An unknown
 * value reads as pending and is kept in `raw`.
 */
export const presenceOfStatus = (status: string | null | undefined): Presence => {
  switch (status) {
    case "INACTIVE":
      return "draft";
    case "ACTIVATING":
      return "pending";
    case "ACTIVE":
      return "live";
    case "ENDED":
      return "removed";
    default:
      return "pending";
  }
};

const rawOf = (offer: OfferState | undefined, task: Task | undefined) => ({
  ...(offer === undefined
    ? {}
    : { status: offer.publication?.status ?? null, endedBy: offer.publication?.endedBy ?? null }),
  ...(task === undefined ? {} : { task: task.status ?? null, message: task.message ?? null }),
});

/** The listing's state read from the offer alone (no command of ours pending). */
export const progressOf = (offer: OfferState): Progress => {
  const presence = presenceOfStatus(offer.publication?.status);
  return {
    status: presence === "pending" ? "pending" : "succeeded",
    presence,
    raw: rawOf(offer, undefined),
  };
};

/**
 * A publication command's task for our offer, reduced to the lifecycle (architecture §9, rows
 * 20–26): `NEW` is pending; `FAIL` fails ("errors have occurred and the ad is inactive", so an
 * ACTIVATE leaves a draft, an END leaves the listing as it was); `SUCCESS` is read together
 * with the offer's status, since a scheduled listing stays ACTIVATING after its task succeeded.
 */
export const progressOfTask = (
  action: PublicationAction,
  task: Task | undefined,
  offer: OfferState | undefined,
  parameterPaths?: ParameterPaths,
): Progress => {
  const raw = rawOf(offer, task);
  if (task === undefined || task.status === "NEW" || task.status == null)
    return {
      status: "pending",
      ...(action === "ACTIVATE" ? { presence: "pending" as const } : {}),
      raw,
    };
  if (task.status === "FAIL") {
    const fromErrors = issuesFromErrors(task.errors, parameterPaths);
    const issues =
      fromErrors.length > 0
        ? fromErrors
        : [
            issue(
              "",
              "remote_error",
              task.message || "Allegro could not run the publication command.",
              { marketplace: ALLEGRO, marketplacePath: "publication" },
            ),
          ];
    return {
      status: "failed",
      ...(action === "ACTIVATE" ? { presence: "draft" as const } : {}),
      issues,
      raw,
    };
  }
  const status = offer?.publication?.status;
  if (action === "END") {
    return status === "ENDED"
      ? { status: "succeeded", presence: "removed", raw }
      : { status: "pending", raw };
  }
  if (status === "ACTIVE") return { status: "succeeded", presence: "live", raw };
  // Ended while activating: the offer is off the site and waiting would never settle. ERROR:
  // "The publication command responded with success status, but further processing failed";
  // USER, ADMIN, EXPIRATION: someone or something else ended it.
  if (status === "ENDED") {
    const endedBy = offer?.publication?.endedBy;
    const message =
      endedBy === "ERROR"
        ? "Allegro ended the offer: its publication failed after the command succeeded."
        : `Allegro ended the offer (${endedBy ?? "no reason given"}) before it went live.`;
    return {
      status: "failed",
      presence: "removed",
      issues: [
        issue("", "remote_error", message, {
          marketplace: ALLEGRO,
          marketplacePath: "publication.endedBy",
        }),
      ],
      raw,
    };
  }
  return { status: "pending", presence: "pending", raw };
};
