import { type Io, openSession } from "../context.ts";
import { statusJson, statusText } from "../render.ts";
import { report } from "./publish.ts";

export interface ListingArgs {
  readonly adId: string;
  readonly to?: string | undefined;
  readonly wait: boolean;
  readonly json: boolean;
  readonly config?: string | undefined;
}

/** `adsync status <adId>`: the lifecycle as the store knows it, no request. */
export const status = async (args: ListingArgs, io: Io): Promise<number> => {
  const session = openSession(args.config, undefined, io);
  try {
    const statuses = await session.client.status(args.adId);
    if (args.json)
      io.out(JSON.stringify({ adId: args.adId, marketplaces: statuses.map(statusJson) }, null, 2));
    else if (statuses.length === 0)
      io.out(`${args.adId}: not published anywhere (as far as this store knows).`);
    else io.out(statusText(statuses));
    return statuses.length === 0 ? 1 : 0;
  } finally {
    await session.client.close();
  }
};

/** `adsync remove|renew|hide|show <adId>` on every listing of the ad (or the --to ones). */
export const onListing =
  (operation: "remove" | "renew" | "hide" | "show") =>
  async (args: ListingArgs, io: Io): Promise<number> => {
    const session = openSession(args.config, args.to, io);
    try {
      const result = await session.client[operation](args.adId, { to: session.targets });
      if (result.outcomes.length === 0) {
        io.out(`${args.adId}: not published anywhere (as far as this store knows).`);
        return 1;
      }
      return await report(session, result, args, io);
    } finally {
      await session.client.close();
    }
  };
