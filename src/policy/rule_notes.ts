/**
 * Notes for `thoth policy check` on parts of a valid policy that cannot do
 * what they look like, each saying what to write instead. They are not
 * errors: the policy stays valid and is governed with as written.
 *
 * - `policy.min_above_max`: a predicate whose `min` is above its `max`
 *   matches no value, so its rule never matches.
 * - `policy.allow_everything`: an `allow` rule with `"match": {}` in a
 *   policy whose default is not `allow` allows every call no stricter rule
 *   catches; the default never applies.
 * - `policy.literal_wildcard_key`: an argument path step that is `**` or
 *   holds `*` beside other characters is a literal key (only a whole `*` or
 *   `[*]` is every element), so the rule reaches only an argument so named.
 * - `policy.open_prefix`: an `allow` rule's `prefix` on a path with no
 *   trailing separator (`/data`) also admits its neighbours (`/database`).
 * - `policy.short_window`: a progressive window under a minute forgets a
 *   violation almost at once, so nearly every one counts as the first.
 *
 * Disabled rules decide nothing and are not noted. Pure.
 *
 * @example
 * ```ts
 * ruleNotes(parsePolicy('{"version":1,"default":"block","rules":[{"id":"ok","match":{},"decision":"allow"}]}', "p"));
 * // [{ code: "policy.allow_everything", rule: "ok", key: "rules[0].match", message: "…", remedy: "…" }]
 * ```
 */
import { parseDuration } from "./parse_duration.ts";
import { writtenArgPath } from "./compile_arg_path.ts";
import type { Policy } from "./policy_schema.ts";
import { policyKeyPath } from "./policy_key_path.ts";

/** One note on a rule (or on the progressive window, whose `rule` is null). */
export interface RuleNote {
  code:
    | "policy.min_above_max"
    | "policy.allow_everything"
    | "policy.literal_wildcard_key"
    | "policy.open_prefix"
    | "policy.short_window";
  /** The rule's id; null for a note on the progressive window. */
  rule: string | null;
  /** Where in the policy: `rules[2].match.args.n`, `progressive.window`. */
  key: string;
  /** What the part does that it does not look like it does. */
  message: string;
  /** What to write instead. */
  remedy: string;
}

type Rule = NonNullable<Policy["rules"]>[number];
type Predicate = NonNullable<Rule["match"]["args"]>[string];

/** A path a prefix may stand for: absolute, home, relative, or a Windows drive. */
const PATH_LIKE = /^(?:\/|~[/\\]|\.{1,2}[/\\]|[A-Za-z]:[/\\])/;

/** The notes on `policy` (see the module doc), rules in order, then the window. */
export function ruleNotes(policy: Policy): RuleNote[] {
  const notes: RuleNote[] = [];
  (policy.rules ?? []).forEach((rule, i) => {
    if (rule.enabled === false) return;
    if (rule.decision === "allow" && policy.default !== "allow" && matchesEverything(rule)) {
      notes.push({
        code: "policy.allow_everything",
        rule: rule.id,
        key: policyKeyPath(["rules", i, "match"]),
        message: `rule "${rule.id}" allows every call ("match": {}) that no block or step_up ` +
          `rule matches, so the policy's default "${policy.default}" never applies`,
        remedy: `narrow its "match" (a "server", "tool" or "args"), or set "default": "allow" ` +
          "and remove the rule if allowing every other call is what you mean",
      });
    }
    for (const [path, predicate] of Object.entries(rule.match.args ?? {})) {
      notes.push(
        ...predicateNotes(
          rule,
          policyKeyPath(["rules", i, "match", "args", path]),
          path,
          predicate,
        ),
      );
    }
  });
  const window = policy.progressive?.window;
  const ms = window === undefined ? undefined : parseDuration(window);
  if (window !== undefined && ms !== undefined && ms < 60_000) {
    notes.push({
      code: "policy.short_window",
      rule: null,
      key: "progressive.window",
      message: `the progressive window "${window}" is under a minute: a violation is forgotten ` +
        "almost at once, so nearly every one counts as the first in its window and gets the " +
        "ladder's first rung (forwarded with a warning when stepUpAfter is above 0)",
      remedy: 'write the window in minutes, hours or days ("30m", "24h", "7d"); "ms" is ' +
        'milliseconds and "s" seconds',
    });
  }
  return notes;
}

function matchesEverything(rule: Rule): boolean {
  const m = rule.match;
  return m.server === undefined && m.tool === undefined && m.listed === undefined &&
    Object.keys(m.annotations ?? {}).length === 0 && Object.keys(m.args ?? {}).length === 0;
}

function predicateNotes(rule: Rule, key: string, path: string, p: Predicate): RuleNote[] {
  const notes: RuleNote[] = [];
  const shown = JSON.stringify(path);
  if (p.min !== undefined && p.max !== undefined && p.min > p.max) {
    notes.push({
      code: "policy.min_above_max",
      rule: rule.id,
      key,
      message: `rule "${rule.id}": ${shown} has "min": ${p.min} above "max": ${p.max}, which ` +
        "no value is, so the rule never matches",
      remedy: `write "min" at most "max" ("min": ${p.max}, "max": ${p.min} is ${p.max} to ` +
        `${p.min}); for a value outside that range write two rules, one with "max": ${p.max} ` +
        `and one with "min": ${p.min}`,
    });
  }
  // Read as compiling reads it; a quoted key (`["a*"]`) is literal as written, never noted.
  const literal = writtenArgPath(path)?.map((s) => s.quoted || !("key" in s.step) ? "" : s.step.key)
    .find((key) => key.includes("*"));
  if (literal !== undefined) {
    notes.push({
      code: "policy.literal_wildcard_key",
      rule: rule.id,
      key,
      message: `rule "${rule.id}": the argument path ${shown} reads "${literal}" as a key of ` +
        'that name (only a whole "*" or "[*]" stands for every element, and no step reaches ' +
        "every depth), so the rule reaches only an argument named so",
      remedy: 'write one path per depth ("password", "*.password", "*.*.password") or ' +
        `"items[*].password"; write ["${literal}"] if the key is really named so`,
    });
  }
  const prefixes = p.prefix === undefined ? [] : Array.isArray(p.prefix) ? p.prefix : [p.prefix];
  if (rule.decision === "allow") {
    for (const prefix of prefixes) {
      if (!PATH_LIKE.test(prefix) || /[/\\]$/.test(prefix)) continue;
      notes.push({
        code: "policy.open_prefix",
        rule: rule.id,
        key,
        message: `rule "${rule.id}": "prefix": ${JSON.stringify(prefix)} also allows ` +
          `${JSON.stringify(`${prefix}base`)} and ${JSON.stringify(`${prefix}-other/x`)}: a ` +
          "prefix compares characters, not folders",
        remedy: `write ${JSON.stringify(`${prefix}/`)} for what is inside the folder, or ` +
          `"glob": ${JSON.stringify(`${prefix}/**`)}`,
      });
    }
  }
  return notes;
}
