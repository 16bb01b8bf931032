/**
 * What thoth does with a call that reaches its own files (see
 * `own_files.ts`): the evaluation that blocks it under
 * {@linkcode OWN_FILES_RULE} or {@linkcode CLIENT_CONFIG_RULE} alone, with
 * the reason the call is told ({@linkcode ownFilesEvaluation}); whether an
 * evaluation is one ({@linkcode reachesOwnFiles}); and its action, a block
 * in every mode ({@linkcode ownFilesAction}).
 *
 * @example
 * ```ts
 * const evaluation = ownFilesEvaluation({ kind: "profile", folder: "/home/ana/.thoth" });
 * evaluation.decision; // "block"
 * reachesOwnFiles(evaluation); // "thoth.own_files"
 * ownFilesAction("observe").action; // "block"
 * ```
 */
import type { Action } from "./action.ts";
import { APPROVAL_COMMAND_RULE } from "./approval_commands.ts";
import type { EnforcementMode } from "./enforcement_mode.ts";
import type { Evaluation } from "./evaluation.ts";
import {
  CLIENT_CONFIG_RULE,
  OWN_FILES_RULE,
  type OwnFiles,
  type OwnFilesKind,
} from "./own_files_protection.ts";

/** What a call that reaches thoth's own files is told, and why. */
function ownFilesReason(
  own: Pick<OwnFiles, "kind" | "folder" | "reason" | "folderReached">,
): string {
  if (own.reason !== undefined) return own.reason;
  const folder = own.folder;
  const exact = own.folderReached === true;
  if (own.kind === "project_config") {
    return "the arguments reach an MCP client's project config (a .mcp.json, .cursor/mcp.json, " +
      ".vscode/mcp.json, .claude/settings.json or .claude/settings.local.json in any folder, " +
      "in any case): a server that writes one could add servers that run without thoth, or " +
      "commands the client runs, when the folder is next opened; thoth never forwards such a " +
      'call, in any mode. Write project configs yourself (then check them with "thoth doctor"); ' +
      "the other files in those folders stay reachable";
  }
  if (own.kind === "governing_file") {
    return `the arguments reach a file that governs thoth ("${folder}"${
      exact ? ":" : " or another:"
    } the policy ` +
      "in use, or where the profile's policy.jsonc or intent_map.json leads): a server that " +
      "changes one could loosen the rules it runs under; thoth never forwards such a call, in " +
      'any mode. Edit it yourself, then run "thoth policy check". A folder that holds one ' +
      "(moved or listed) and a text that names its path count too";
  }
  if (own.kind === "client_config") {
    return `the arguments reach an MCP client's config file ("${folder}"${
      exact ? "" : " or another client's"
    }): ` +
      "a server that changes one could take itself out of thoth's governance, and one that " +
      "reads one sees other servers' credentials; thoth never forwards such a call, in any " +
      'mode. Change client configs yourself, with "thoth wrap-config" or the client. A ' +
      "folder that holds one (moved or listed) and a text that names one of these paths (a " +
      "README a server writes) count too: write such a file yourself";
  }
  return `the arguments reach thoth's own profile folder "${folder}" (its audit log and keys, ` +
    "approval answers and progressive counters); thoth's own files are never forwarded, in " +
    "any mode. To let this server work on files, give it folders that do not hold this one " +
    "(or move the profile out of its reach with THOTH_HOME); manage thoth's files with thoth's " +
    "own commands. A text that names the profile's path (a file a server writes) counts too: " +
    "write such a file yourself";
}

/**
 * The evaluation of a call that reaches thoth's own files: BLOCK under
 * {@linkcode OWN_FILES_RULE} alone; the policy's intent, rules and
 * detectors are not consulted.
 */
export function ownFilesEvaluation(
  own: Pick<OwnFiles, "kind" | "folder"> & {
    reason?: string | undefined;
    folderReached?: boolean | undefined;
  },
): Evaluation {
  const reason = ownFilesReason(own);
  const rule = ruleOf(own.kind);
  return {
    decision: "block",
    ruleIds: [rule],
    violatedIds: [rule],
    reasons: [reason],
    findings: [],
    riskScore: 0,
    intentViolation: false,
    matches: [{ id: rule, source: "thoth", decision: "block", reason }],
    notes: [],
    scanCapped: false,
  };
}

function ruleOf(kind: OwnFilesKind): string {
  return kind === "profile" || kind === "governing_file" ? OWN_FILES_RULE : CLIENT_CONFIG_RULE;
}

/**
 * The rule of thoth's own files' block when `evaluation` is one (see
 * {@linkcode ownFilesEvaluation}), or of the block of its approval commands
 * (`approval_commands.ts`), which holds in every mode the same way;
 * undefined otherwise.
 */
export function reachesOwnFiles(evaluation: Pick<Evaluation, "matches">): string | undefined {
  const first = evaluation.matches[0];
  if (first === undefined || first.source !== "thoth") return undefined;
  return first.id === OWN_FILES_RULE || first.id === CLIENT_CONFIG_RULE ||
      first.id === APPROVAL_COMMAND_RULE
    ? first.id
    : undefined;
}

/**
 * The action for such a call in any mode: blocked. Observe mode forwards
 * every other violation and progressive mode warns first; neither applies
 * here, and nothing is counted.
 */
export function ownFilesAction(mode: EnforcementMode, rule: string = OWN_FILES_RULE): Action {
  return {
    action: "block",
    wouldHave: "block",
    mode,
    violation: true,
    ladder: undefined,
    violationNumber: undefined,
    explanation: mode === "block"
      ? `blocked by ${rule}`
      : `blocked by ${rule}: ${mode} mode does not apply to thoth's own ${
        rule === APPROVAL_COMMAND_RULE ? "approval commands" : "files"
      }`,
  };
}
