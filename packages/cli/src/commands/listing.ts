import type { PublishResult, TargetOptions } from "@adsync/core";
import { Args, Command, Options } from "@effect/cli";
import { Option } from "effect";
import {
  CommandError,
  ExitCode,
  type Io,
  openSession,
  runCommand,
  type Session,
} from "../context.ts";
import * as options from "../options.ts";
import { reconcileText, statusJson, statusText } from "../render.ts";
import { type OperationArgs, report } from "./publish.ts";

export interface ListingArgs extends OperationArgs {
  readonly adId: string;
}

/** The ad's listings as the store knows them; an ad it does not know ends the command (exit 3). */
const knownListings = async (session: Session, adId: string) => {
  const statuses = await session.client.status(adId);
  if (statuses.length === 0)
    throw new CommandError(
      `${adId}: unknown ad — the store${session.loaded.file === undefined ? "" : ` of ${session.loaded.file}`} has no listing of it.`,
      ExitCode.unknownAd,
    );
  return statuses;
};

const printStatuses = (
  adId: string,
  statuses: Parameters<typeof statusText>[0],
  json: boolean,
  io: Io,
) => {
  if (json) io.out(JSON.stringify({ adId, marketplaces: statuses.map(statusJson) }, null, 2));
  else io.out(statusText(statuses));
};

/** `adsync status <adId>`: the lifecycle as the store knows it, no request. */
export const status = async (args: ListingArgs, io: Io): Promise<number> => {
  const session = openSession(args.config, undefined, io);
  try {
    printStatuses(args.adId, await knownListings(session, args.adId), args.json, io);
    return ExitCode.ok;
  } finally {
    await session.client.close();
  }
};

/** `adsync refresh <adId>`: asks each marketplace for the listing's state now. */
export const refresh = async (args: ListingArgs, io: Io): Promise<number> => {
  const session = openSession(args.config, args.to, io);
  try {
    await knownListings(session, args.adId);
    const statuses = await session.client.refresh(args.adId, { to: session.targets });
    printStatuses(args.adId, statuses, args.json, io);
    return statuses.some((entry) => entry.state.operation?.status === "failed")
      ? ExitCode.failed
      : ExitCode.ok;
  } finally {
    await session.client.close();
  }
};

/**
 * An operation on every listing of a known ad (or the --to ones), reported as `publish`
 * reports: `send` calls the publisher with the session's targets.
 */
export const runOnListings = async (
  args: ListingArgs,
  io: Io,
  send: (session: Session, targets: TargetOptions) => Promise<PublishResult>,
): Promise<number> => {
  const session = openSession(args.config, args.to, io);
  try {
    await knownListings(session, args.adId);
    const result = await send(session, { to: session.targets });
    if (result.outcomes.length === 0) {
      io.out(`${args.adId}: no listing on ${args.to ?? "any configured marketplace"}.`);
      return ExitCode.unknownAd;
    }
    return await report(session, result, args, io);
  } finally {
    await session.client.close();
  }
};

/** `adsync remove|renew|hide|show <adId>` on every listing of the ad (or the --to ones). */
export const onListing =
  (operation: "remove" | "renew" | "hide" | "show") =>
  (args: ListingArgs, io: Io): Promise<number> =>
    runOnListings(args, io, (session, targets) => session.client[operation](args.adId, targets));

export const statusCommand = Command.make(
  "status",
  { adId: options.adId, json: options.json, config: options.config },
  (args) => runCommand((io) => status({ ...args, wait: false }, io)),
).pipe(
  Command.withDescription(
    "The ad's listings as the store knows them, without a request. Exit 3 when the store does not know the ad.",
  ),
);

export interface RefreshAllArgs {
  readonly to?: string | undefined;
  readonly json: boolean;
  readonly config?: string | undefined;
}

/**
 * `adsync refresh --all`: one bulk read of every pending operation in the store (a page of
 * listings per request where the adapter reads in bulk), printing per marketplace what it read.
 */
export const refreshAll = async (args: RefreshAllArgs, io: Io): Promise<number> => {
  const session = openSession(args.config, args.to, io);
  try {
    const report = await session.client.refreshAll({ to: session.targets });
    io.out(args.json ? JSON.stringify(report) : reconcileText(report));
    return Object.values(report.marketplaces).some((done) => done.failed > 0)
      ? ExitCode.failed
      : ExitCode.ok;
  } finally {
    await session.client.close();
  }
};

const all = Options.boolean("all").pipe(
  Options.withDescription("Every pending operation in the store, read in bulk (no <adId>)."),
);

export const refreshCommand = Command.make(
  "refresh",
  {
    adId: options.adId.pipe(Args.optional),
    all,
    to: options.to,
    json: options.json,
    config: options.config,
  },
  ({ adId, all, ...args }) =>
    runCommand(async (io) => {
      if (all === Option.isSome(adId)) {
        throw new CommandError("adsync refresh takes either an <adId> or --all.");
      }
      return Option.isSome(adId)
        ? refresh({ ...args, adId: adId.value, wait: false }, io)
        : refreshAll(args, io);
    }),
).pipe(
  Command.withDescription(
    "Ask each marketplace for the state of the ad's listings and store what it answers; --all: every pending operation of the store, in bulk.",
  ),
);

const descriptions = {
  remove: "Delete the ad's listings.",
  renew: "Renew (bump) the ad's listings where the marketplace offers it.",
  hide: "Hide the ad's listings without deleting them.",
  show: "Show hidden listings again.",
} as const;

const listingCommand = <Name extends keyof typeof descriptions>(name: Name) =>
  Command.make(
    name,
    {
      adId: options.adId,
      to: options.to,
      wait: options.wait,
      json: options.json,
      config: options.config,
    },
    (args) => runCommand((io) => onListing(name)(args, io)),
  ).pipe(
    Command.withDescription(
      `${descriptions[name]} A marketplace without the operation is reported "not supported on <marketplace>" and is not a failure. Exit 3 when the store does not know the ad.`,
    ),
  );

export const removeCommand = listingCommand("remove");
export const renewCommand = listingCommand("renew");
export const hideCommand = listingCommand("hide");
export const showCommand = listingCommand("show");
