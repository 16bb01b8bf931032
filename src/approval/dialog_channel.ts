/**
 * Channel 2: a native OS dialog, for GUI clients such as Claude Desktop
 * whose chat has no elicitation and whose sidecar has no terminal. Shows the
 * question with the dialog tool found by `findDialogTool` (see
 * `dialog_runner.ts`, which the sandboxed core reaches by message), ends it
 * at the timeout or on cancellation, and turns its reading into an answer.
 * A dialog that could not be shown (a stale DISPLAY, SSH, WSL) is
 * "unreachable", so the approver moves on to the queue; once a dialog was
 * up, its answer, timeout or failure is final: a dialog that crashed or was
 * killed (exit 137) may have been seen, or ended by the person on purpose,
 * so its question is not put again in the queue; the approver says on
 * stderr why it failed. A window closed or escaped without a choice is
 * dismissed (no approver), not a person's Deny, where the tool tells them
 * apart (see `dialog_command.ts`). One dialog is up at a time per session
 * (see `dialog_turns.ts`): the next opens when the one before it is
 * answered, closed or timed out, while each question's own deadline runs; a
 * question withdrawn or timed out while it waits never opens one, nor does
 * one with less than {@linkcode MIN_DIALOG_MS} left when its turn comes: its
 * timeout says it was never shown (`unshown`).
 * The question, with the values of command, file and URL fields
 * (`promptShape`), is shown by zenity, which reads it on its standard input,
 * by osascript and PowerShell, which read it from their own environment
 * (which only this user can read), and by kdialog in a text window it reads
 * from a file only this user can read (see `dialog_runner.ts`); kdialog
 * takes its choice's text only as a command-line argument, which any user's
 * `ps` lists, so its choice then shows a summary that names no argument and
 * no value, and says where they were shown.
 * The text says how long is left to answer.
 *
 * @example
 * ```ts
 * const channel = dialogChannel({ env: Deno.env.toObject(), os: Deno.build.os, user: "ana" });
 * ```
 */
import { findExecutable } from "../platform/find_executable.ts";
import { pathVariable } from "../platform/path_variable.ts";
import type { ApprovalChannel, ChannelAnswer } from "./approval_channel.ts";
import { type ApprovalQuestion, approvalQuestionText } from "./approval_question.ts";
import { DIALOG_SUMMARY_TOOLS } from "./dialog_command.ts";
import { type DialogRunner, type DialogShown, localDialogRunner } from "./dialog_runner.ts";
import { type DialogTool, type DialogToolChoice, findDialogTool } from "./find_dialog_tool.ts";
import { DialogTurns } from "./dialog_turns.ts";

/**
 * The least time left for which a dialog still opens: no one reads a
 * question, weighs it and answers in less. A wait shorter than twice this
 * (`--approval-timeout 1` to `5`) still shows its first dialog: then half
 * the wait is the least.
 */
export const MIN_DIALOG_MS = 3000;

/** Why a question's dialog never opened: it waited for an earlier one, or had no time. */
function unshownWhy(waited: boolean): string {
  return waited
    ? "its dialog was never shown: it waited for an earlier approval dialog until too " +
      "little of its time was left"
    : "its dialog was never shown: too little of its time was left";
}

/** Options of {@linkcode dialogChannel}. */
export interface DialogChannelOptions {
  /** The environment the dialog tool is found in and runs with (PATH, DISPLAY…). */
  env: Readonly<Record<string, string | undefined>>;
  /** A `Deno.build.os` value. */
  os: string;
  /** The OS user, recorded as the approver. */
  user: string;
  /** Executable lookup; default searches `env.PATH`. */
  lookup?: (name: string) => Promise<string | null>;
  /**
   * Shows the dialog somewhere else (the sandboxed core asks its unsandboxed
   * thread); default: runs the tool found by `lookup` here.
   */
  runner?: DialogRunner;
}

/**
 * Whether `tool` takes its choice's text on its command line (see
 * `DIALOG_SUMMARY_TOOLS`): the choice then shows a summary, after a window
 * with the whole question.
 */
export function summaryOnCommandLine(tool: DialogTool): boolean {
  return DIALOG_SUMMARY_TOOLS.includes(tool);
}

/** What a summary says instead of the arguments (see `DIALOG_SUMMARY_TOOLS`). */
export function argumentsWithheldText(tool: DialogTool): string {
  return "Arguments: shown in the window before this one, not here: " +
    `${tool} takes this text on its command line, which other users of this machine can read.`;
}

/** `question` without how long is left to answer. */
function withoutDeadline(question: ApprovalQuestion): ApprovalQuestion {
  const { answerWithinMs: _, ...rest } = question;
  return rest;
}

/** What every dialog's text starts with. */
const OPENING = "thoth: a tool call needs your approval.";

/** Builds the dialog channel; the tool is looked up once, on first use. */
export function dialogChannel(options: DialogChannelOptions): ApprovalChannel {
  const lookup = options.lookup ??
    ((name: string) => findExecutable(name, pathVariable(options.env, options.os), options.os));
  let choice: Promise<DialogToolChoice> | undefined;
  const choose = () => choice ??= findDialogTool(options.env, options.os, lookup);
  const turns = new DialogTurns();
  // One runner for the channel: it removes what an earlier thoth left behind once.
  let runner: DialogRunner | undefined;
  return {
    name: "dialog",
    available: async () => (await choose()).tool !== null,
    ask: async ({ question, signal, deadline, allowSession }): Promise<ChannelAnswer> => {
      const found = await choose();
      if (found.tool === null) return { kind: "unreachable", message: found.why };
      const least = Math.min(MIN_DIALOG_MS, (question.answerWithinMs ?? Infinity) / 2);
      // Its turn first: no second dialog while one is up. Its deadline runs meanwhile.
      const enough = deadline - Date.now() >= least;
      const done = await turns.take(signal);
      if (done === undefined) return { kind: "timeout", unshown: unshownWhy(enough) };
      // What is left of its time once it opens: too little, and no dialog opens.
      const left = deadline - Date.now();
      if (left < least) {
        done();
        return { kind: "timeout", unshown: unshownWhy(enough) };
      }
      let shown: DialogShown;
      try {
        const asked = { ...question, answerWithinMs: left };
        // zenity reads the text on its standard input, osascript and PowerShell from their
        // environment, kdialog's text window from a private file: only this user can read them.
        const text = approvalQuestionText(asked, { promptValues: true });
        // kdialog's choice gets its text on its command line, which every user's `ps`
        // shows: a summary without arguments. It opens after the text window, and says then
        // how long is left (see `dialogCommand`).
        const summary = summaryOnCommandLine(found.tool)
          ? approvalQuestionText(withoutDeadline(question), {
            promptValues: false,
            argumentsWithheld: argumentsWithheldText(found.tool),
          })
          : undefined;
        const request = {
          text: `${OPENING}\n\n${text}`,
          ...(summary === undefined ? {} : { summary: `${OPENING}\n\n${summary}` }),
          seconds: left / 1000,
          allowSession,
        };
        const show = runner ??= options.runner ?? localDialogRunner(found, options.env);
        shown = await show(request, signal);
      } finally {
        done();
      }
      if (shown.kind === "aborted" || signal.aborted) return { kind: "timeout" };
      // Not shown (no display, the tool would not start): no one saw the question.
      if (shown.kind === "error") return { kind: "unreachable", message: shown.message };
      switch (shown.reading) {
        case "approve":
        case "session":
          return {
            kind: "approve",
            scope: shown.reading === "session" ? "session" : "once",
            approver: options.user,
            digest: question.digest,
          };
        case "deny":
          return { kind: "deny", approver: options.user };
        case "dismissed":
          // Closed or escaped: no one chose, so no one is its approver.
          return { kind: "cancel" };
        case "timeout":
          return { kind: "timeout" };
        case "error":
          return {
            kind: "error",
            message: `the ${found.tool} dialog failed (exit ${shown.code})`,
          };
      }
    },
  };
}
