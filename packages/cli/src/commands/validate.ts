import { uncheckedAd } from "@adsync/core";
import { Command } from "@effect/cli";
import { ExitCode, type Io, openSession, readJsonFile, runCommand } from "../context.ts";
import * as options from "../options.ts";
import { issueText } from "../render.ts";

export interface ValidateArgs {
  readonly file: string;
  readonly to?: string | undefined;
  readonly json: boolean;
  readonly config?: string | undefined;
}

/**
 * Local validation against every target: the ad is sent nowhere. Reference data the mappings
 * need (category trees, vehicle lists) comes from the store's cache; when it had to be read
 * from a marketplace, stderr says so (and `referenceDataRead` in --json lists the URLs).
 * Exit 1 when the ad has issues.
 */
export const validate = async (args: ValidateArgs, io: Io): Promise<number> => {
  const session = openSession(args.config, args.to, io, false);
  try {
    const result = await session.client.validate(uncheckedAd(readJsonFile(args.file)), {
      to: session.targets,
    });
    const reads = [...session.referenceReads];
    if (reads.length > 0)
      io.err(
        `read reference data from the marketplaces (${reads.length} request(s), cached for the next run)`,
      );
    if (args.json) io.out(JSON.stringify({ ...result, referenceDataRead: reads }, null, 2));
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
    return result.valid ? ExitCode.ok : ExitCode.failed;
  } finally {
    await session.client.close();
  }
};

export const validateCommand = Command.make(
  "validate",
  { file: options.adFile, to: options.to, json: options.json, config: options.config },
  (args) => runCommand((io) => validate(args, io)),
).pipe(
  Command.withDescription(
    "Check the ad for every target without sending it. Reference data is read once and cached in the store. Exit 1 when the ad has issues.",
  ),
);
