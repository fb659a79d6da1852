import type { Fault, FaultRule } from "./types.ts";

interface ActiveRule {
  readonly rule: FaultRule;
  remaining: number;
}

/** Injected fault rules, consumed in the order they were added. */
export class FaultRules {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    const remaining = rule.times ?? 1;
    if (remaining > 0) this.rules.push({ rule, remaining });
  }

  clear(): void {
    this.rules = [];
  }

  /** The fault for this request if a rule matches it; uses up one of that rule's times. */
  take(method: string, path: string): Fault | undefined {
    const active = this.rules.find((candidate) => matches(candidate.rule, method, path));
    if (active === undefined) return undefined;
    active.remaining -= 1;
    if (active.remaining <= 0) this.rules = this.rules.filter((candidate) => candidate !== active);
    return active.rule.fault;
  }
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) return false;
  if (rule.path === undefined) return true;
  if (typeof rule.path === "string") return rule.path === path;
  // A RegExp with the global or sticky flag keeps state between calls to test().
  rule.path.lastIndex = 0;
  return rule.path.test(path);
}
