import { uncheckedAd } from "@adsync/core";
import { type Io, openSession, readJsonFile } from "../context.ts";
import { issueText } from "../render.ts";

export interface ValidateArgs {
  readonly file: string;
  readonly to?: string | undefined;
  readonly json: boolean;
  readonly config?: string | undefined;
}

/**
 * Local validation against every target: the ad is sent nowhere (an adapter may load its
 * reference data once, e.g. Tradera's vehicle lists). Exit 1 when the ad has issues.
 */
export const validate = async (args: ValidateArgs, io: Io): Promise<number> => {
  const session = openSession(args.config, args.to, io, false);
  try {
    const result = await session.client.validate(uncheckedAd(readJsonFile(args.file)), {
      to: session.targets,
    });
    if (args.json) io.out(JSON.stringify(result, null, 2));
    else if (result.valid)
      io.out(
        `${result.adId ?? args.file}: valid for ${Object.keys(result.issues).join(", ") || "no marketplace"}`,
      );
    else {
      for (const [marketplace, issues] of Object.entries(result.issues)) {
        if (issues.length === 0) io.out(`${marketplace}: valid`);
        else
          io.out(
            [
              `${marketplace}: ${issues.length} issue(s)`,
              ...issues.map((entry) => `  ✗ ${issueText(entry)}`),
            ].join("\n"),
          );
      }
    }
    return result.valid ? 0 : 1;
  } finally {
    await session.client.close();
  }
};
