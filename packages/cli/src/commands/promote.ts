import { Command, Options } from "@effect/cli";
import { ExitCode, type Io, openSession, runCommand } from "../context.ts";
import * as options from "../options.ts";
import { knownListings } from "./listing.ts";
import { report } from "./publish.ts";

export interface PromoteArgs {
  readonly adId: string;
  readonly product: string;
  readonly to?: string | undefined;
  readonly wait: boolean;
  readonly json: boolean;
  readonly config?: string | undefined;
}

/**
 * `adsync promote <adId> --product <name>`: buys a paid promotion (Blocket's `pole_position`)
 * for the ad's listings. A marketplace without that product is reported "not supported" and
 * sends nothing. Charges apply: a promotion whose answer was lost is reported, not sent again.
 */
export const promote = async (args: PromoteArgs, io: Io): Promise<number> => {
  const session = openSession(args.config, args.to, io);
  try {
    await knownListings(session, args.adId);
    const result = await session.client.promote(args.adId, {
      to: session.targets,
      product: args.product,
    });
    if (result.outcomes.length === 0) {
      io.out(`${args.adId}: no listing on ${args.to ?? "any configured marketplace"}.`);
      return ExitCode.unknownAd;
    }
    return await report(session, result, args, io);
  } finally {
    await session.client.close();
  }
};

export const promoteCommand = Command.make(
  "promote",
  {
    adId: options.adId,
    product: Options.text("product").pipe(
      Options.withDescription(
        'The promotion to buy, e.g. "pole_position" (Blocket: first in the search results for 3 days). Charges apply.',
      ),
    ),
    to: options.to,
    wait: options.wait,
    json: options.json,
    config: options.config,
  },
  (args) => runCommand((io) => promote(args, io)),
).pipe(
  Command.withDescription(
    'Buy a paid promotion for the ad\'s listings (Blocket "pole_position"). A marketplace without it is reported "not supported" and is not a failure. Exit 3 when the store does not know the ad.',
  ),
);
