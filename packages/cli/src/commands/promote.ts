import { Command, Options } from "@effect/cli";
import { type Io, runCommand } from "../context.ts";
import * as options from "../options.ts";
import { type ListingArgs, runOnListings } from "./listing.ts";

/**
 * `adsync promote <adId> --product <name>`: buys a paid promotion (Blocket's `pole_position`)
 * for the ad's listings. A marketplace without that product is reported "not supported" and
 * sends nothing. Charges apply: a promotion whose answer was lost is reported, not sent again.
 */
export const promote = (args: ListingArgs & { readonly product: string }, io: Io) =>
  runOnListings(args, io, (session, targets) =>
    session.client.promote(args.adId, { ...targets, product: args.product }),
  );

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
