import { type Issue, type IssueCode, issue } from "./issue.ts";

/**
 * Collects what a mapping finds: issues stop the ad (no request is sent), warnings let it go
 * with something left out. Mapping functions write here instead of throwing, so every
 * adapter's mapping is total.
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
