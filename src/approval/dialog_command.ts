/**
 * The argv (and environment, and standard input) that shows an approval
 * question in a native dialog, and how to read the dialog's answer. The
 * question never travels on the command line, which any user of the
 * machine can read (`ps`, `/proc/<pid>/cmdline`): zenity reads it on its
 * standard input (`--text-info`), osascript and PowerShell in their
 * environment ({@linkcode DIALOG_TEXT_VARIABLE}), never spliced into a
 * script; kdialog takes a menu's text only as an argument, so it first
 * shows the whole question in a text window read from a file only this user
 * can read (`--textbox`, see `DialogCommand.textFile`), then its choice with
 * a summary that names no argument or value ({@linkcode DIALOG_SUMMARY_TOOLS}).
 * Each is escaped for what its tool interprets: zenity's text view shows it
 * as it is (with places to wrap a long run: see `soft_breaks.ts`),
 * kdialog's choice gets HTML-escaped rich text and no backslash escapes, its
 * text window HTML that shows each line as it is, osascript and PowerShell
 * read it as data. Pure.
 *
 * Safe defaults: nothing but an allow choice approves. osascript names Deny
 * its default and cancel button, so Enter and Escape deny there;
 * PowerShell's default is its second button (No), and its Yes/No box cannot
 * be closed or escaped. zenity's text dialog has its own OK and Cancel
 * besides thoth's buttons (Deny first): each of thoth's prints its label,
 * while OK (labelled Close), Cancel, Escape or a closed or destroyed window
 * print nothing (exit 0 or 1), so that reads as dismissed, not as a
 * person's Deny; the call is denied either way. kdialog's yes/no boxes
 * always make Yes the default and have no option to change it, so kdialog
 * shows a list (`--menu`) whose preselected entry is Deny: Enter prints
 * "deny", Cancel, Escape or closing the window exit 1 with nothing
 * (dismissed), and only the exact tag of an allow entry approves. A
 * dismissed dialog runs nothing either (fail closed). "Allow for this
 * session" is offered only where it is a distinct choice (osascript, zenity,
 * kdialog).
 *
 * @example
 * ```ts
 * const cmd = dialogCommand("zenity", "Allow tool \"rm\"?", 60, true);
 * // { args: ["--text-info", "--title=thoth: approval needed", …], env: {}, stdin: "Allow tool \"rm\"?" }
 * ```
 */
import { answerWithinLine } from "./answer_within_line.ts";
import type { DialogTool } from "./find_dialog_tool.ts";
import { kdialogTextFile } from "./kdialog_text_file.ts";
import { withSoftBreaks } from "./soft_breaks.ts";

/** How to run one dialog. */
export interface DialogCommand {
  args: string[];
  /** Extra environment variables for the dialog process. */
  env: Record<string, string>;
  /** What the dialog reads on its standard input (the question, for zenity); absent: nothing. */
  stdin?: string;
  /**
   * A window shown before the choice (kdialog), with the whole question
   * read from a file only this user can read, never from the command line:
   * `text` is that file's text (see `kdialog_text_file.ts`), `args(path)`
   * its argv for that file's path. The choice (`args`) then shows a summary
   * only, and how long is left: build the command again, with what is left,
   * once the window closed.
   */
  textFile?: { text: string; args: (path: string) => string[] };
}

/**
 * The dialog tools that can only take their choice's text on their command
 * line, which every user's `ps` shows: the choice gets a summary that names
 * no argument and no value (see `approvalQuestionText`'s
 * `argumentsWithheld`), after a window that shows the whole question from a
 * private file (`DialogCommand.textFile`).
 */
export const DIALOG_SUMMARY_TOOLS: readonly DialogTool[] = ["kdialog"];

/** The fixed dialog title (no untrusted text in it). */
export const DIALOG_TITLE = "thoth: approval needed";
const ALLOW_ONCE = "Allow once";
const ALLOW_SESSION = "Allow for this session";
const DENY = "Deny";
/** zenity's OK button in its text dialog: it answers nothing (dismissed). */
const CLOSE = "Close";
/** The tags kdialog's `--menu` prints for each entry. */
const KDIALOG_DENY = "deny";
const KDIALOG_ONCE = "once";
const KDIALOG_SESSION = "session";

/**
 * The environment variable that carries the question to osascript and
 * PowerShell: off their command line, which any user's `ps` lists, so the
 * text may hold the values of file and URL fields (see `dialog_channel.ts`).
 */
export const DIALOG_TEXT_VARIABLE = "THOTH_APPROVAL_TEXT";

/**
 * The AppleScript: the question from the environment, read through
 * Foundation (`NSProcessInfo`), which decodes it as UTF-8, as `system
 * attribute` may not; the time and the button labels from argv (thoth's own
 * words). No text is spliced into the script. Without the variable it fails
 * (exit 1), which denies.
 */
const OSASCRIPT = [
  'use framework "Foundation"',
  "use scripting additions",
  "on run argv",
  "set question to (current application's NSProcessInfo's processInfo()'s environment()'s " +
  `objectForKey:"${DIALOG_TEXT_VARIABLE}")`,
  'if question is missing value then error "no question"',
  `set answer to display dialog (question as text) with title "${DIALOG_TITLE}" ` +
  `buttons (items 2 thru -1 of argv) default button "${DENY}" cancel button "${DENY}" ` +
  "with icon caution giving up after ((item 1 of argv) as integer)",
  'if gave up of answer then return "timeout"',
  "return button returned of answer",
  "end run",
];

const POWERSHELL = [
  "Add-Type -AssemblyName System.Windows.Forms",
  `$r = [System.Windows.Forms.MessageBox]::Show($env:${DIALOG_TEXT_VARIABLE}, ` +
  `'${DIALOG_TITLE}', 'YesNo', 'Warning', 'Button2')`,
  "if ($r -eq 'Yes') { 'approve' } else { 'deny' }",
].join("; ");

function htmlEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;").replace(/\n/g, "<br>");
}

/**
 * What kdialog's choice says when it is given no summary: nothing of the
 * call, which its command line would show every user.
 */
const KDIALOG_NO_SUMMARY = "thoth: a tool call needs your approval. The request was shown in " +
  "the window before this one.";

/**
 * The command line for `tool` showing `text`, giving up after
 * `timeoutSeconds`. `summary`: what a tool that takes its choice's text on
 * its command line (`DIALOG_SUMMARY_TOOLS`) shows there, without how long
 * is left (the choice adds that, from `timeoutSeconds`), `text` then going
 * in a private file (see `DialogCommand.textFile`).
 */
export function dialogCommand(
  tool: DialogTool,
  text: string,
  timeoutSeconds: number,
  allowSession: boolean,
  summary?: string,
): DialogCommand {
  const seconds = String(Math.max(1, Math.ceil(timeoutSeconds)));
  switch (tool) {
    case "osascript":
      return {
        args: [
          ...OSASCRIPT.flatMap((line) => ["-e", line]),
          seconds,
          DENY,
          ...(allowSession ? [ALLOW_SESSION] : []),
          ALLOW_ONCE,
        ],
        env: { [DIALOG_TEXT_VARIABLE]: text },
      };
    case "powershell":
      return {
        args: ["-NoProfile", "-ExecutionPolicy", "Bypass", "-Command", POWERSHELL],
        env: { [DIALOG_TEXT_VARIABLE]: text },
      };
    case "zenity":
      return {
        args: [
          // The question on standard input, off the command line: a text view
          // shows it as it is (no markup, no backslash escapes).
          "--text-info",
          `--title=${DIALOG_TITLE}`,
          // zenity exits 0 also when its window is closed or destroyed, and
          // OK and Cancel print nothing: only a button's printed label may approve.
          `--extra-button=${DENY}`,
          `--extra-button=${ALLOW_ONCE}`,
          ...(allowSession ? [`--extra-button=${ALLOW_SESSION}`] : []),
          `--ok-label=${CLOSE}`,
          `--timeout=${seconds}`,
          "--width=560",
          "--height=420",
        ],
        env: {},
        // Its text view wraps only between words: a long run without a space gets places to
        // wrap, drawn as nothing, so no end of a command runs off the window (see `soft_breaks.ts`).
        stdin: withSoftBreaks(text),
      };
    case "kdialog": {
      // Built when the choice opens, after the text window (see `DialogCommand.textFile`): it
      // says how long is left then.
      const menuText = `${summary ?? KDIALOG_NO_SUMMARY}\n${
        answerWithinLine(Math.max(0, timeoutSeconds) * 1000)
      }`;
      return {
        args: [
          "--title",
          DIALOG_TITLE,
          // The entry preselected (matched by its label), so Enter denies.
          "--default",
          DENY,
          // kdialog expands backslash escapes in the text: show a look-alike instead.
          "--menu",
          `<qt>${htmlEscape(menuText.replace(/\\/g, "\u29f5"))}</qt>`,
          KDIALOG_DENY,
          DENY,
          KDIALOG_ONCE,
          ALLOW_ONCE,
          ...(allowSession ? [KDIALOG_SESSION, ALLOW_SESSION] : []),
        ],
        env: {},
        // The whole question first, read from a file (never on argv), each line made HTML that
        // shows exactly its text (see `kdialog_text_file.ts`).
        textFile: {
          text: kdialogTextFile(text),
          args: (path) => ["--title", DIALOG_TITLE, "--textbox", path, "640", "480"],
        },
      };
    }
  }
}

/**
 * What a dialog answered: `dismissed` when it was closed or escaped without
 * a choice, where the tool tells that from its Deny (zenity, kdialog).
 */
export type DialogReading = "approve" | "session" | "deny" | "dismissed" | "timeout" | "error";

/** Reads a dialog's exit code and standard output. Anything unexpected denies. */
export function readDialogResult(tool: DialogTool, code: number, stdout: string): DialogReading {
  const out = stdout.trim();
  switch (tool) {
    case "osascript":
      if (code !== 0) return "deny"; // the Deny (cancel) button, or an error
      return out === ALLOW_ONCE
        ? "approve"
        : out === ALLOW_SESSION
        ? "session"
        : out === "timeout"
        ? "timeout"
        : "deny";
    case "powershell":
      return code === 0 && out === "approve" ? "approve" : code === 0 ? "deny" : "error";
    case "zenity":
      // An extra button prints its label and exits 1; OK (Close) exits 0 and
      // Cancel or Escape 1 with nothing (the text view is not editable, so
      // zenity prints none of it); a closed or destroyed window exits 0 or 1
      // with nothing.
      if (code === 0 || code === 1) {
        return out === ALLOW_ONCE
          ? "approve"
          : out === ALLOW_SESSION
          ? "session"
          : out === ""
          ? "dismissed"
          : "deny";
      }
      if (code === 5) return "timeout";
      return "error";
    case "kdialog":
      // 0 with the chosen entry's tag; 1 with nothing for Cancel, Escape or a
      // closed window (and for a usage error, which no choice of ours makes).
      if (code === 0) {
        return out === KDIALOG_ONCE ? "approve" : out === KDIALOG_SESSION ? "session" : "deny";
      }
      return code === 1 ? (out === "" ? "dismissed" : "deny") : "error";
  }
}
