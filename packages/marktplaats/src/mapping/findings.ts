import { type Issue, type IssueCode, issue } from "@adsync/core";

/**
 * Collects what a mapping finds: issues stop the ad (no request is sent), warnings let it go
 * with something left out. Mapping functions write here instead of throwing.
 */
export class Findings {
  readonly issues: Array<Issue> = [];
  readonly warnings: Array<Issue> = [];
  constructor(readonly marketplace: string) {}

  problem(path: string, code: IssueCode, message: string, marketplacePath?: string): void {
    this.issues.push(issue(path, code, message, this.where(marketplacePath)));
  }

  warn(path: string, code: IssueCode, message: string, marketplacePath?: string): void {
    this.warnings.push(issue(path, code, message, this.where(marketplacePath)));
  }

  private where(marketplacePath: string | undefined) {
    return marketplacePath === undefined
      ? { marketplace: this.marketplace }
      : { marketplace: this.marketplace, marketplacePath };
  }
}

/** Lower case, accents and everything but letters and digits removed: "Citroën" ~ "citroen". */
export const normalizeName = (value: string): string =>
  value
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, "");
