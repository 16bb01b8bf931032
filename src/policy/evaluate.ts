/**
 * Evaluates one tool call against a compiled policy, in the order DESIGN.md
 * sets, after thoth's own protection: (0) a call whose arguments reach
 * thoth's own profile folder is BLOCKed under `thoth.own_files` and nothing
 * else is consulted (see `own_files.ts`; the policy cannot change this), and
 * so is one that runs thoth's approval commands under `thoth.approval_command`
 * (see `approval_commands.ts`);
 * (1) the session intent: a tool outside the intent's allowed tools is
 * `intent.out_of_scope`, decided by the intent's `onViolation` (default
 * `block`); an intent does not grant anything, it only narrows; (2) rules:
 * server, tool, `listed`, annotations and argument predicates; (3) detectors
 * over argument values, and over the name of a tool no `tools/list` named
 * (the model's or client's choice: a token pasted as the name is decided as
 * one in the arguments), by the policy's level per family, plus the risk score
 * against `detectors.risk`; (4) the policy default when no rule matched.
 * Every contribution is kept; the most restrictive wins (block > step_up >
 * allow).
 *
 * Annotations are matched as the server declared them: an absent hint matches
 * neither `true` nor `false` (MCP's implicit defaults are not assumed, and an
 * unlisted tool has none). When thoth could not list the server's tools for
 * the call (`listingFailure`), its annotations are unknown rather than absent:
 * the call gets `thoth.listing_failed`, a BLOCK, which the mode then applies
 * as it applies any violation.
 *
 * @example
 * ```ts
 * const e = evaluate(compiled, call, { intent: "calendar_management" });
 * if (e.decision === "block") console.log(e.ruleIds, e.reasons);
 * ```
 */
import { unknownIntent } from "./check_intent.ts";
import { shownName } from "../approval/shown_name.ts";
import type { CompiledPolicy, CompiledRule, DetectorLevel } from "./compiled_policy.ts";
import { DETECTORS } from "./detectors/detectors.ts";
import type { DetectorKind, Finding } from "./detectors/finding.ts";
import { scanArguments } from "./detectors/scan_arguments.ts";
import type { ScanCap } from "./detectors/scan_result.ts";
import { scanCappedReason } from "./scan_capped_reason.ts";
import type { Evaluation, Match } from "./evaluation.ts";
import { firstReached, ownFilesEvaluation } from "./own_files.ts";
import { approvalCommandEvaluation, runsApprovalCommand } from "./approval_commands.ts";
import { selectArgValues } from "./select_arg_values.ts";
import type { NameMatcher } from "./name_glob.ts";
import type { ToolCall } from "./tool_call.ts";
import { type Decision, DECISION_RANK, mostRestrictive } from "./verdict.ts";

/**
 * The id of the match a call gets when thoth could not list the server's
 * tools for it (see `ToolCall.listingFailure`): a BLOCK, as the mode applies it.
 */
export const LISTING_FAILED = "thoth.listing_failed";

/**
 * The path a finding in an unlisted tool's name gets (the name itself is
 * never quoted in a reason): `secret detected: GitHub token in the tool name`.
 */
export const TOOL_NAME_PATH = "the tool name";

/** The session context of an evaluation. */
export interface EvaluationContext {
  /** The server's session intent, from `intent_map.json` or `--intent`. */
  intent?: string | undefined;
}

const MAX_CANDIDATE_CACHE = 4096;
const WEIGHTS = new Map(DETECTORS.map((d) => [d.type, d.weight]));
const LABELS = new Map(DETECTORS.map((d) => [d.type, d.label]));
const KIND_NAMES: Readonly<Record<DetectorKind, string>> = {
  phi: "PHI",
  pii: "PII",
  secret: "secret",
};

function anyMatch(res: readonly NameMatcher[] | undefined, text: string): boolean {
  if (res === undefined) return true;
  for (const re of res) if (re.test(text)) return true;
  return false;
}

function candidates(policy: CompiledPolicy, server: string, tool: string): readonly CompiledRule[] {
  const key = `${server}\u0000${tool}`;
  const hit = policy.candidates.get(key);
  if (hit !== undefined) return hit;
  const found = policy.rules.filter((r) => anyMatch(r.server, server) && anyMatch(r.tool, tool));
  if (policy.candidates.size >= MAX_CANDIDATE_CACHE) policy.candidates.clear();
  policy.candidates.set(key, found);
  return found;
}

/**
 * The values each argument path reaches in one call, by the path as written:
 * a policy's rules often test the same path (forty rules about `path`), and
 * the values depend on the call and the path alone.
 */
interface SelectedValues {
  byPath: Map<string, unknown[]>;
  /** The path the last rule read, and its values: consecutive rules mostly read the same. */
  lastPath: string | undefined;
  lastValues: unknown[];
}

function ruleMatches(rule: CompiledRule, call: ToolCall, selected: SelectedValues): boolean {
  if (rule.listed !== undefined && rule.listed !== call.listed) return false;
  const annotations = rule.annotations;
  for (let i = 0; i < annotations.length; i++) {
    const [hint, want] = annotations[i]!;
    if (call.annotations?.[hint] !== want) return false;
  }
  const args = rule.args;
  for (let i = 0; i < args.length; i++) {
    const predicate = args[i]!;
    let values: unknown[] | undefined;
    // A rule that blocks may reach more values at a `*` step than one that allows: kept apart.
    const key = predicate.scalarsAtAny === true ? `${predicate.source}\u0000*` : predicate.source;
    if (key === selected.lastPath) values = selected.lastValues;
    else {
      values = selected.byPath.get(key);
      if (values === undefined) {
        values = selectArgValues(call.arguments, predicate.path, predicate.scalarsAtAny === true);
        selected.byPath.set(key, values);
      }
      selected.lastPath = key;
      selected.lastValues = values;
    }
    if (!predicate.test(values)) return false;
  }
  return true;
}

function levelDecision(level: DetectorLevel): Decision | undefined {
  return level === "step_up" || level === "block" ? level : undefined;
}

function describeFindings(findings: readonly Finding[]): string {
  const parts = findings.slice(0, 3).map((f) => `${LABELS.get(f.type) ?? f.type} in ${f.path}`);
  const more = findings.length > 3 ? ` and ${findings.length - 3} more` : "";
  return parts.join(", ") + more;
}

/**
 * A finding's kind and label (`PII email address`), the kind left out when the
 * label begins with it already (`secret assigned to a key name`).
 */
function kindAndLabel(f: Finding): string {
  const kind = KIND_NAMES[f.kind];
  const label = LABELS.get(f.type) ?? f.type;
  return label.toLowerCase().startsWith(`${kind.toLowerCase()} `) ? label : `${kind} ${label}`;
}

/** What added up to a risk score, for its reason: findings by type and path, then tool hints. */
function riskParts(findings: readonly Finding[], call: ToolCall): string {
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const f of findings) {
    if (seen.has(f.type)) continue;
    seen.add(f.type);
    const weight = WEIGHTS.get(f.type) ?? 0;
    if (weight === 0) continue;
    const more = findings.filter((g) => g.type === f.type).length - 1;
    const where = more > 0 ? `${f.path} and ${more} more` : f.path;
    parts.push(`${kindAndLabel(f)} in ${where} +${weight}`);
  }
  if (call.annotations?.destructiveHint === true) parts.push("destructive tool +20");
  if (call.annotations?.openWorldHint === true) parts.push("open-world tool +5");
  if (!call.listed) parts.push("tool in no tools/list thoth has seen +10");
  return parts.join(", ");
}

/** Evaluates `call`; throws `policy.unknown_intent` when `ctx.intent` is not in the policy. */
export function evaluate(
  policy: CompiledPolicy,
  call: ToolCall,
  ctx: EvaluationContext,
): Evaluation {
  // 0. thoth's own files: before the policy, which cannot loosen it.
  if (call.arguments !== undefined) {
    const own = firstReached(
      [policy.ownFiles, policy.governingFiles, policy.clientConfigs, policy.projectConfigs],
      call.arguments,
    );
    if (own !== undefined) return ownFilesEvaluation(own);
    // thoth's approval commands, which a person runs in a terminal of their own.
    if (runsApprovalCommand(call.arguments, call.tool)) return approvalCommandEvaluation();
  }

  const matches: Match[] = [];
  const notes: string[] = [];
  let intentViolation = false;

  // 1. Session intent.
  if (ctx.intent !== undefined) {
    const intent = policy.intents.get(ctx.intent);
    if (intent === undefined) {
      throw unknownIntent([...policy.intents.keys()], ctx.intent);
    }
    if (!anyMatch(intent.tools, call.tool)) {
      intentViolation = true;
      matches.push({
        id: "intent.out_of_scope",
        source: "intent",
        decision: intent.onViolation,
        // The tool is the model's choice: quoted and escaped (see shown_name.ts).
        reason: `tool ${shownName(call.tool)} is outside session intent "${intent.name}"`,
      });
    }
  }

  // 2. Rules.
  let ruleMatched = false;
  // Made for the first rule that reads an argument: most calls meet none.
  let selected: SelectedValues | undefined;
  for (const rule of candidates(policy, call.server, call.tool)) {
    if (rule.args.length > 0) {
      selected ??= { byPath: new Map(), lastPath: undefined, lastValues: [] };
    }
    if (ruleMatches(rule, call, selected!)) {
      ruleMatched = true;
      matches.push({ id: rule.id, source: "rule", decision: rule.decision, reason: rule.reason });
    }
  }
  if (call.listingFailure !== undefined) {
    // The annotations a rule reads are unknown, not absent: decided as a violation, which
    // the mode then treats as it treats any (observe forwards it, and records it).
    matches.push({
      id: LISTING_FAILED,
      source: "thoth",
      decision: "block",
      reason: `thoth could not list the server's tools: ${call.listingFailure}; the tool's ` +
        "annotations (destructiveHint, readOnlyHint) are unknown",
    });
  } else if (!call.listed) {
    notes.push(
      `tool ${shownName(call.tool)} is in no tools/list thoth has seen; it has no annotations`,
    );
  }

  // 3. Detectors and risk.
  let findings: Finding[] = [];
  let scanCapped = false;
  let scanCappedBy: ScanCap[] = [];
  if (policy.scanKinds.size > 0 && call.arguments !== undefined) {
    const scan = scanArguments(call.exactArguments ?? call.arguments, {
      kinds: policy.scanKinds,
    });
    findings = scan.findings;
    scanCapped = scan.capped;
    scanCappedBy = scan.cappedBy;
  }
  // An unlisted tool's name is the client's or the model's, not the server's: read as an argument
  // is (a listed name is the server's own and is not read, so the common path costs nothing).
  if (!call.listed && policy.scanKinds.size > 0) {
    const named = scanArguments(call.tool, { kinds: policy.scanKinds }).findings;
    if (named.length > 0) {
      findings = [...findings, ...named.map((f) => ({ ...f, path: TOOL_NAME_PATH }))];
    }
  }
  let riskScore = 0;
  const seenTypes = new Set<string>();
  for (const f of findings) {
    if (!seenTypes.has(f.type)) {
      seenTypes.add(f.type);
      riskScore += WEIGHTS.get(f.type) ?? 0;
    }
  }
  if (call.annotations?.destructiveHint === true) riskScore += 20;
  if (call.annotations?.openWorldHint === true) riskScore += 5;
  if (!call.listed) riskScore += 10;
  riskScore = Math.min(100, riskScore);

  if (findings.length > 0) {
    for (const kind of ["secret", "phi", "pii"] as const) {
      const ofKind = findings.filter((f) => f.kind === kind);
      if (ofKind.length === 0) continue;
      const level = policy.detectors[kind];
      const decision = levelDecision(level) ?? "allow";
      matches.push({
        id: `detector.${kind}`,
        source: "detector",
        decision,
        reason: `${KIND_NAMES[kind]} detected: ${describeFindings(ofKind)}`,
      });
    }
  }
  if (scanCapped) {
    const strictest = [...policy.scanKinds].some((k) => levelDecision(policy.detectors[k]));
    matches.push({
      id: "detector.scan_capped",
      source: "detector",
      decision: strictest ? "step_up" : "allow",
      reason: scanCappedReason(scanCappedBy),
    });
  }
  const { stepUpAt, blockAt } = policy.risk;
  if (blockAt !== undefined && riskScore >= blockAt) {
    matches.push({
      id: "risk.threshold",
      source: "risk",
      decision: "block",
      reason: `risk score ${riskScore} reaches the block threshold ${blockAt}: ` +
        riskParts(findings, call),
    });
  } else if (stepUpAt !== undefined && riskScore >= stepUpAt) {
    matches.push({
      id: "risk.threshold",
      source: "risk",
      decision: "step_up",
      reason: `risk score ${riskScore} reaches the step-up threshold ${stepUpAt}: ` +
        riskParts(findings, call),
    });
  }

  // 4. Default.
  if (!ruleMatched) {
    matches.push({
      id: "policy.default",
      source: "default",
      decision: policy.default,
      reason: `no rule matched; the policy default is ${policy.default}`,
    });
  }

  let decision: Decision = "allow";
  for (const m of matches) decision = mostRestrictive(decision, m.decision);
  matches.sort((a, b) => DECISION_RANK[b.decision] - DECISION_RANK[a.decision]);
  const ruleIds: string[] = [];
  const reasons: string[] = [];
  const violatedIds: string[] = [];
  for (const m of matches) {
    if (m.decision !== "allow" && !violatedIds.includes(m.id)) violatedIds.push(m.id);
    if (m.decision !== decision || ruleIds.includes(m.id)) continue;
    // A detector at level "allow" records findings; it does not decide anything.
    if (m.decision === "allow" && m.source === "detector") continue;
    ruleIds.push(m.id);
    reasons.push(m.source === "rule" ? `rule "${m.id}": ${m.reason}` : m.reason);
  }
  reasons.push(...notes);
  return {
    decision,
    ruleIds,
    violatedIds,
    reasons,
    findings,
    riskScore,
    intentViolation,
    matches,
    notes,
    scanCapped,
  };
}
