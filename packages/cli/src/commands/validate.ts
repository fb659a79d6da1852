import { uncheckedAd } from "@adsync/core";
import { Command, Options } from "@effect/cli";
import { ExitCode, type Io, openSession, readJsonFile, runCommand } from "../context.ts";
import * as options from "../options.ts";
import { issueText } from "../render.ts";

export interface ValidateArgs {
  readonly file: string;
  readonly to?: string | undefined;
  readonly json: boolean;
  readonly remote?: boolean | undefined;
  readonly config?: string | undefined;
}

/**
 * Local validation against every target: the ad is sent nowhere. Reference data the mappings
 * need (category trees, vehicle lists) comes from the store's cache; when it had to be read
 * from a marketplace, stderr says so (and `referenceDataRead` in --json lists the URLs).
 * With `--remote`, each marketplace that offers it also validates the ad exactly as a create
 * would send it, saving nothing (Blocket's `POST /v3/ad/validate`); the ad is then sent there.
 * Exit 1 when the ad has issues.
 */
export const validate = async (args: ValidateArgs, io: Io): Promise<number> => {
  const session = openSession(args.config, args.to, io, false);
  try {
    const ad = uncheckedAd(readJsonFile(args.file));
    const result =
      args.remote === true
        ? await session.client.validateRemotely(ad, { to: session.targets })
        : await session.client.validate(ad, { to: session.targets });
    const reads = [...session.referenceReads];
    if (reads.length > 0)
      io.err(
        `read reference data from the marketplaces (${reads.length} request(s), cached for the next run)`,
      );
    if (args.json) io.out(JSON.stringify({ ...result, referenceDataRead: reads }, null, 2));
    else if (result.valid && result.remote === undefined)
      io.out(
        `${result.adId ?? args.file}: valid for ${Object.keys(result.issues).join(", ") || "no marketplace"}`,
      );
    else {
      for (const [marketplace, issues] of Object.entries(result.issues)) {
        const remote = result.remote?.[marketplace];
        const how = remote === undefined ? "" : ` (remote validation: ${remote})`;
        if (issues.length === 0) io.out(`${marketplace}: valid${how}`);
        else
          io.out(
            [
              `${marketplace}: ${issues.length} issue(s)${how}`,
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
  {
    file: options.adFile,
    to: options.to,
    json: options.json,
    remote: Options.boolean("remote").pipe(
      Options.withDescription(
        "Also ask each marketplace that offers it to validate the ad as a create would send it (the ad is sent, nothing is saved).",
      ),
    ),
    config: options.config,
  },
  (args) => runCommand((io) => validate(args, io)),
).pipe(
  Command.withDescription(
    "Check the ad for every target without sending it (with --remote, also by the marketplaces that validate without saving). Reference data is read once and cached in the store. Exit 1 when the ad has issues.",
  ),
);
