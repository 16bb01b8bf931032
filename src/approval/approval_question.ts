/**
 * What a person is asked about one STEP_UP, as plain data: the server, the
 * tool, the rule(s) that asked and why, the decision id, the argument shape
 * (never raw values unless marked safe, and then with their end and the
 * path they resolve to in view; the values of the fields that hold the
 * command a call runs, in every channel), the same with the values of the
 * fields that name a file or URL for a prompt to show (`promptShape`, see
 * `prompt_value_fields.ts`), how long the person has to answer, and the
 * digest the answer will be bound to. Every channel renders this same
 * question; the queue stores `shape` only. Pure.
 *
 * @example
 * ```ts
 * const q = approvalQuestion(call, verdict, digest, ["force"]);
 * approvalQuestionText(q);
 * // 'Allow tool "write_file" on server "fs"?\nAsked by rule "fs-write" (writes need approval).\n…'
 * // Names are shown by `shownName`: 'Allow tool "a\\" on server \\"b" on server "fs"?'
 * ```
 */
import type { ToolCall } from "../policy/tool_call.ts";
import type { Verdict } from "../policy/verdict.ts";
import { argumentShape, type CommandsSeen } from "./argument_shape.ts";
import { CUT_WARNING } from "./command_lines.ts";
import { displayText, escapedText } from "./display_text.ts";
import {
  COMMAND_SECRET,
  commandRunnerTool,
  commandValueFields,
  joinedPromptValues,
  promptValueFields,
} from "./prompt_value_fields.ts";
import { shownName, unusualNameNote } from "./shown_name.ts";
import { hiddenToolName } from "../proxy/hidden_tool_name.ts";
import { answerWithinLine } from "./answer_within_line.ts";

/**
 * One approval question, ready to show. All strings are display-safe but
 * `server` and `tool`, which are the names as called (bounded) and are
 * shown only through `shownName`.
 */
export interface ApprovalQuestion {
  server: string;
  tool: string;
  ruleIds: string[];
  reasons: string[];
  decisionId: string;
  /**
   * One line per top-level argument (see `argumentShape`): values only of the
   * fields the policy marks safe and of those that hold the command a call
   * runs (a person cannot approve a command blind). What the approval queue
   * stores.
   */
  shape: string[];
  /**
   * `shape` with the values of the fields that name a file or URL as well, for
   * a prompt that keeps its text off the disk and off the process list;
   * absent when it would be `shape` again.
   */
  promptShape?: string[];
  /** The grant digest (hex SHA-256 of server, tool and canonical arguments). */
  digest: string;
  /** Whether some line of `shape` shows a value (a field the policy marks safe, a command). */
  valuesShown?: boolean;
  /** More for the person to know, one line each (why a choice is not offered). */
  notes?: string[];
  /**
   * What the person should know of the commands shown, one line each: one is
   * cut (it is not to be approved unseen), or holds a secret and is not shown.
   */
  warnings?: string[];
  /** How long the person has to answer before the call is denied, in milliseconds. */
  answerWithinMs?: number;
}

/**
 * `name` as it is, at most 129 characters and 200 UTF-16 units (what the
 * queue keeps): one past the 128 `shownName` shows, so its own cut marks
 * this one. Not made display-safe: `shownName` escapes what a screen would
 * hide, so two different names never look the same.
 */
function boundedName(name: string): string {
  if (name.length <= 129) return name;
  let kept = "";
  for (const char of Array.from(name).slice(0, 129)) {
    if (kept.length + char.length > 200) break;
    kept += char;
  }
  return kept;
}

/**
 * Why a question shows a tool's name as `#k:(40)`: the server never listed
 * it and the detectors flag it (a token where a tool name goes).
 */
export const UNSHOWN_TOOL_REASON = "the tool's name is not shown: the server never listed " +
  "a tool by that name and thoth's detectors flag it as a secret or personal data; do not " +
  "approve a call to a tool the server never listed";

/**
 * The shape's last line for a call to a tool that runs commands in which no
 * field was taken for its command (see `commandValueFields`).
 */
export const UNRECOGNISED_COMMAND = "(no command field recognised: this tool runs commands, " +
  "and none of its arguments is a text thoth can show; do not approve a command you cannot see)";

/**
 * Builds the question for a call; `safeFields` names arguments whose values
 * may be shown. A tool name no `tools/list` named that the detectors flag is
 * shown by its length alone (`#k:(40)`, see `hidden_tool_name.ts`), in the
 * reasons too, which then say why.
 */
export function approvalQuestion(
  call: ToolCall,
  verdict: Verdict,
  digest: string,
  safeFields: readonly string[] = [],
): ApprovalQuestion {
  // What the server will get: a long number with all its digits.
  const args = (call.exactArguments as Record<string, unknown> | undefined) ?? call.arguments;
  // A command is shown everywhere; in a call to a tool that runs commands or types into a
  // terminal, `code`, `args`, `text`… too, or every text when none of those names is there.
  const runner = verdict.ruleIds.includes("command-runners") || commandRunnerTool(call.tool);
  const commands = commandValueFields(args, runner);
  const seen: CommandsSeen = { cut: new Map() };
  const shape = argumentShape(args, safeFields, commands, seen);
  // In the shape, so that every channel (the queue's listing too) says it.
  if (commands.unrecognised === true) shape.push(UNRECOGNISED_COMMAND);
  const warnings = commandWarnings(seen, commands.hidden);
  const prompt = promptValueFields(args);
  const promptShape = prompt.fields.size > 0 || prompt.hidden.size > 0
    ? argumentShape(args, safeFields, joinedPromptValues(prompt, commands))
    : undefined;
  // A name no tools/list named that the detectors flag is not shown (nor quoted in a reason).
  const hidden = hiddenToolName(call, verdict.reasons.slice(0, 10), undefined);
  const reasons = hidden === undefined
    ? verdict.reasons.slice(0, 10)
    : [...hidden.reasons, UNSHOWN_TOOL_REASON];
  return {
    server: boundedName(call.server),
    tool: boundedName(hidden?.tool ?? call.tool),
    ruleIds: verdict.ruleIds.slice(0, 10).map((r) => displayText(r, 128)),
    // A policy's own words: what would not show is escaped, not lost (see `escapedText`).
    reasons: reasons.map((r) => escapedText(r, 300)),
    decisionId: displayText(verdict.decisionId, 64),
    shape,
    ...(promptShape === undefined ? {} : { promptShape }),
    digest,
    ...(warnings.length === 0 ? {} : { warnings }),
    valuesShown: (commands.commands?.size ?? 0) > 0 ||
      (args !== undefined && safeFields.some((field) => Object.hasOwn(args, field))),
  };
}

/** What a question says of the commands it cuts or hides (see {@linkcode ApprovalQuestion}). */
function commandWarnings(seen: CommandsSeen, hidden: ReadonlyMap<string, string>): string[] {
  const warnings = [...seen.cut].map(([key, chars]) =>
    `The ${displayText(key, 32)} field is too long to show whole: ${chars} characters in its ` +
    `middle are not shown; ${CUT_WARNING}.`
  );
  for (const [key, why] of hidden) {
    if (why !== COMMAND_SECRET) continue;
    warnings.push(
      `The ${displayText(key, 32)} field holds a secret and is not shown: deny the call ` +
        "unless you expect it to carry a secret.",
    );
  }
  return warnings.slice(0, 10);
}

/**
 * The rule clause: `rule "a" (reason)`, `rules "a", "b" (reason; reason)` or
 * `policy`; a reason that begins with its rule (`rule "a": …`) is shown
 * without it, as the model's refusal shows it: the rule is named once.
 */
function askedBy(q: ApprovalQuestion): string {
  const rules = q.ruleIds.length > 0
    ? `rule${q.ruleIds.length > 1 ? "s" : ""} ${q.ruleIds.map((r) => JSON.stringify(r)).join(", ")}`
    : "policy";
  const reasons = q.reasons.map((reason) => reason.replace(/^rule "[^"]*":\s*/, ""));
  return reasons.length > 0 ? `${rules} (${reasons.join("; ")})` : rules;
}

/** `ms` as a person reads a deadline: `45 s`, `5 min`. */
/** How a prompt shows the arguments. */
export interface QuestionTextOptions {
  /**
   * Whether the values of the fields that name a file or URL are shown
   * (`promptShape`): yes where the text stays between thoth and the person
   * (a form, a dialog given its text in its environment); no where it is
   * stored or travels on a command line other users can read.
   */
  promptValues?: boolean;
  /**
   * Said instead of the arguments and of what is said of their commands,
   * where the text travels on a command line other users can read (kdialog):
   * the question then names no argument and no value.
   */
  argumentsWithheld?: string;
}

/** The question as lines of plain text, for a dialog, a form or a terminal. */
export function approvalQuestionText(
  q: ApprovalQuestion,
  options: QuestionTextOptions = {},
): string {
  // Names a server or a model chose are quoted and escaped (see shown_name.ts).
  const note = unusualNameNote([q.tool, q.server]);
  const lines = [
    `Allow tool ${shownName(q.tool)} on server ${shownName(q.server)}?`,
    ...(note === undefined ? [] : [note]),
    `Asked by ${askedBy(q)}.`,
  ];
  const prompt = options.promptValues === true ? q.promptShape : undefined;
  const shape = prompt ?? q.shape;
  const withheld = options.argumentsWithheld;
  if (withheld !== undefined) {
    lines.push(withheld);
  } else if (shape.length === 0) {
    lines.push("Arguments: none");
  } else {
    lines.push(
      prompt !== undefined
        ? "Arguments (values of command, file and URL fields and of fields the policy marks " +
          "safe; the rest by shape):"
        : q.valuesShown
        ? "Arguments (shape; values only of command fields and of the fields the policy marks " +
          "safe to show):"
        : "Arguments (shape only):",
    );
    for (const line of shape) lines.push(`  ${line}`);
  }
  if (withheld === undefined) {
    for (const warning of q.warnings ?? []) lines.push(displayText(warning, 300));
  }
  for (const note of q.notes ?? []) lines.push(displayText(note, 300));
  if (q.answerWithinMs !== undefined) {
    lines.push(answerWithinLine(q.answerWithinMs));
  }
  lines.push(`Decision ${q.decisionId}`);
  return lines.join("\n");
}
