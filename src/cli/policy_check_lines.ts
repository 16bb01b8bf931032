/**
 * The text `thoth policy check` prints for a valid policy: what it checked
 * (the path, also when no file was there and the built-in default stands
 * in), its default, rules, intents, detectors and risk thresholds, audit
 * fields kept in clear, the progressive ladder, every mode, and the intent
 * map beside the profile's policy; and on stderr what the map holds that
 * `thoth run` would refuse (with `--json`, one line saying the check
 * failed, {@linkcode intentMapFailedLine}); and the `--json` line of an
 * invalid policy ({@linkcode invalidPolicyJson}).
 *
 * @example
 * ```ts
 * io.out(summaryLines(loaded, summarizePolicy(loaded.policy), null).join("\n") + "\n");
 * ```
 */
import { ENFORCEMENT_MODES } from "../policy/enforcement_mode.ts";
import type { PolicySummary } from "../policy/summarize_policy.ts";
import type { LoadedPolicy } from "./load_policy.ts";
import { type IntentMapCheck, REFUSED } from "./policy_check_intent_map.ts";
import { cleanText, describeError, errorJson } from "./report_error.ts";
import type { AppError } from "../errors.ts";
import { InvalidPolicyError } from "../policy/invalid_policy_error.ts";

/** The summary's lines for stdout. */
export function summaryLines(
  loaded: Pick<LoadedPolicy, "file" | "builtIn">,
  summary: PolicySummary,
  intentMap: IntentMapCheck | null,
): string[] {
  const risk = summary.risk;
  return [
    loaded.builtIn
      ? `✓ no policy file at "${cleanText(loaded.file)}"; the built-in default is valid`
      : `✓ "${cleanText(loaded.file)}" is valid`,
    `  default verdict: ${summary.default}`,
    `  rules: ${summary.rules.length}` +
    (summary.disabledRules.length > 0 ? ` (${summary.disabledRules.length} disabled)` : ""),
    ...summary.rules.map((r) =>
      `    ${r.id}: ${r.decision} (${r.reasonGiven ? r.reason : "no reason given"})`
    ),
    summary.intents.length === 0 ? "  intents: none" : "  intents:",
    ...summary.intents.map((i) =>
      `    ${i.name}: ${i.tools.join(", ")} (outside it: ${
        i.onViolation === "block" ? "block" : "step_up, except in block mode, which rejects it"
      })`
    ),
    `  detectors: phi ${summary.detectors.phi}, pii ${summary.detectors.pii}, secrets ${summary.detectors.secrets}`,
    risk.stepUpAt === null && risk.blockAt === null
      ? "  risk score: off (no detectors.risk thresholds)"
      : `  risk score: ${
        [
          risk.stepUpAt === null ? "" : `step_up at ${risk.stepUpAt}`,
          risk.blockAt === null ? "" : `block at ${risk.blockAt}`,
        ].filter((s) => s !== "").join(", ")
      } (of 100)`,
    summary.safeToLog.length === 0
      ? "  audit.safeToLog: none (argument values are recorded as digests only)"
      : `  audit.safeToLog: ${summary.safeToLog.join(", ")} (kept in clear in decision records)`,
    `  progressive: window ${summary.progressive.window}, step-up after ${summary.progressive.stepUpAfter}, block after ${summary.progressive.blockAfter}`,
    "  what each mode does with a violation:",
    ...ENFORCEMENT_MODES.map((m) => `    ${m}: ${summary.modes[m]}`),
    ...(intentMap === null ? [] : [mapLine(intentMap)]),
  ];
}

function mapLine(map: IntentMapCheck): string {
  const where = `"${cleanText(map.file)}"`;
  if (!map.present) return `  intent map: none at ${where} (servers run without an intent)`;
  if (map.error !== null) return `  intent map: ${where} cannot be used (see the error below)`;
  const bad = map.problems.length;
  return `  intent map: ${where}, ${map.entries} ${map.entries === 1 ? "entry" : "entries"}` +
    (bad === 0
      ? ", each naming an intent the policy defines"
      : `, ${bad} naming an intent the policy does not define (see below)`);
}

/** What the intent map holds that thoth run would refuse or warns about, for stderr. */
export function intentMapLines(map: IntentMapCheck): string {
  const lines: string[] = [];
  for (const warning of map.warnings) lines.push(`thoth: warning: ${cleanText(warning)}`);
  if (map.error !== null) {
    lines.push(`thoth: error: ${map.error.message}`);
    for (const hint of map.error.hints) lines.push(`thoth: hint: ${hint}`);
  }
  for (const p of map.problems) {
    lines.push(`thoth: error: intent map "${cleanText(map.file)}": ${cleanText(p.message)}`);
  }
  if (map.error !== null) lines.push(`thoth: hint: until it is fixed, ${REFUSED}`);
  if (map.problems.length > 0) {
    lines.push(
      `thoth: hint: map ${
        map.problems.length === 1 ? "that entry" : "those entries"
      } to an intent the policy defines under "intents", or add the intent there`,
    );
  }
  return lines.length === 0 ? "" : lines.join("\n") + "\n";
}

/**
 * The one stderr line of `policy check --json` when the intent map fails
 * the check (the JSON's `intentMap` says why), or "" when it does not.
 */
export function intentMapFailedLine(map: IntentMapCheck | null): string {
  if (map === null || !map.failed) return "";
  const why = map.error !== null
    ? "cannot be used"
    : `has ${map.problems.length} ${
      map.problems.length === 1 ? "entry" : "entries"
    } naming an intent the policy does not define`;
  return `thoth: error: intent map "${cleanText(map.file)}" ${why} (see "intentMap"): ${REFUSED}\n`;
}

/**
 * The `--json` failure line of an invalid policy: the CLI's own
 * (`{"ok":false,"error":{…}}`, cleaned as it cleans it) with every problem
 * the file was parsed with in `error.problems`; `[]` for one the policy's
 * compilation refuses after it parsed, which the message alone describes.
 */
export function invalidPolicyJson(error: AppError): string {
  const document = JSON.parse(errorJson(describeError(error, false)));
  const problems = error instanceof InvalidPolicyError ? error.problems : [];
  document.error.problems = problems.map((p) => ({
    ...p,
    key: cleanText(p.key),
    message: cleanText(p.message),
  }));
  return JSON.stringify(document) + "\n";
}
