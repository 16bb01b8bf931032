/**
 * Shows one approval dialog: builds the tool's command line from the
 * question (see `dialogCommand`), runs it with the question on its
 * standard input where the tool reads it there (zenity), and reads its
 * answer. kdialog first shows the whole question in a text window it
 * reads from a file in a new folder only this user can open (0700, the file
 * 0600; removed once the window closes, and what an earlier thoth left
 * behind when the first opens: see `stale_question_folders.ts`), then its
 * choice with a summary and how long is left then: a text window that
 * fails otherwise than by being closed ends the question as a failed
 * dialog (denied), since the person may not have read it. This is
 * the part of the dialog channel that starts a program, so it runs outside
 * the proxy core's sandbox: the core, which may not run anything once its
 * server is up, asks for a dialog by message and gets the reading back, and
 * can choose neither the program nor its arguments.
 *
 * @example
 * ```ts
 * const show = localDialogRunner({ tool: "zenity", path: "/usr/bin/zenity" }, env);
 * const shown = await show({ text: "Allow?", seconds: 60, allowSession: true }, signal);
 * ```
 */
import {
  type DialogCommand,
  dialogCommand,
  type DialogReading,
  readDialogResult,
} from "./dialog_command.ts";
import type { DialogTool } from "./find_dialog_tool.ts";
import { joinPath } from "../platform/join_path.ts";
import {
  QUESTION_FILE,
  QUESTION_FOLDER_PREFIX,
  removeStaleQuestionFolders,
} from "./stale_question_folders.ts";

/** What the core asks to be shown. */
export interface DialogRequest {
  /** The whole question. */
  text: string;
  /**
   * The question without arguments or values, for a tool that takes its
   * choice's text on its command line (kdialog: see `DIALOG_SUMMARY_TOOLS`).
   */
  summary?: string;
  seconds: number;
  allowSession: boolean;
}

/** How a dialog ended. */
export type DialogShown =
  | { kind: "answered"; reading: DialogReading; code: number }
  | { kind: "aborted" }
  /** It was never shown (no desktop, the tool would not start): no one saw the question. */
  | { kind: "error"; message: string };

/** Shows a dialog; resolves when it is answered, fails, or `signal` aborts it. */
export type DialogRunner = (request: DialogRequest, signal: AbortSignal) => Promise<DialogShown>;

/**
 * A desktop that cannot be reached: GTK's "cannot open display" (zenity exits
 * 1 then, the code of its Deny button, so only the message tells them apart)
 * and Qt's "could not connect to display" or "no Qt platform plugin could be
 * initialized" (kdialog aborts). Only these exact phrases: a person's Deny
 * with an unrelated warning on stderr must stay a deny.
 */
const NO_DISPLAY =
  /cannot open display|could not connect to display|no Qt platform plugin could be initialized/i;

/** Where the question's folder is made: the system's temp folder, unless a test says. */
export interface DialogRunnerOptions {
  /** The folder the question's folder is made in (default: the system's temp folder). */
  tempDir?: string;
}

/** Runs `tool` at `path` with `env` (and nothing else of this process's environment). */
export function localDialogRunner(
  found: { tool: DialogTool; path: string },
  env: Readonly<Record<string, string | undefined>>,
  options: DialogRunnerOptions = {},
): DialogRunner {
  // What an earlier thoth left behind is removed once, when the first text window opens.
  let swept = false;
  return async (request, signal) => {
    const started = Date.now();
    const build = (seconds: number) =>
      dialogCommand(found.tool, request.text, seconds, request.allowSession, request.summary);
    let command = build(request.seconds);
    const clean: Record<string, string> = {};
    for (const [k, v] of Object.entries(env)) if (v !== undefined) clean[k] = v;
    const run = { found, env: { ...clean, ...command.env }, signal };
    if (command.textFile !== undefined) {
      const folder = { tempDir: options.tempDir, sweep: !swept };
      swept = true;
      const ended = await showTextFile(run, command.textFile, folder);
      if (ended !== undefined) return ended;
      // The choice says how long is left now, not when the text window opened.
      command = build(request.seconds - (Date.now() - started) / 1000);
    }
    const ran = await runDialog(run, command.args, command.stdin);
    if (!ran.ok) return ran.shown;
    return {
      kind: "answered",
      reading: readDialogResult(found.tool, ran.code, ran.stdout),
      code: ran.code,
    };
  };
}

/** One run of a dialog tool: what it is, its whole environment, and what ends it. */
interface DialogRun {
  found: { tool: DialogTool; path: string };
  env: Record<string, string>;
  signal: AbortSignal;
}

/** How a dialog process ended: its exit code and output, or how the dialog ended without them. */
type Ran = { ok: true; code: number; stdout: string } | { ok: false; shown: DialogShown };

/** Runs the dialog tool with `args` (and `stdin` on its standard input). */
async function runDialog(run: DialogRun, args: string[], stdin: string | undefined): Promise<Ran> {
  const { found, signal } = run;
  let output: Deno.CommandOutput;
  try {
    const child = new Deno.Command(found.path, {
      args,
      env: run.env,
      clearEnv: true,
      stdin: stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
      signal,
    }).spawn();
    const written = stdin === undefined ? Promise.resolve() : writeAll(child.stdin, stdin);
    [output] = await Promise.all([child.output(), written]);
  } catch (error) {
    if (signal.aborted) return { ok: false, shown: { kind: "aborted" } };
    return {
      ok: false,
      shown: { kind: "error", message: `cannot show the ${found.tool} dialog (${reason(error)})` },
    };
  }
  if (signal.aborted) return { ok: false, shown: { kind: "aborted" } };
  const stderr = new TextDecoder().decode(output.stderr);
  if (output.code !== 0 && NO_DISPLAY.test(stderr)) {
    return {
      ok: false,
      shown: {
        kind: "error",
        message: `the ${found.tool} dialog could not open the desktop display`,
      },
    };
  }
  return { ok: true, code: output.code, stdout: new TextDecoder().decode(output.stdout) };
}

/**
 * Shows the whole question in a window that reads it from a file (see
 * `DialogCommand.textFile`): in a new folder only this user can open, so
 * that no other user reads it (as no other user reads zenity's standard
 * input), and removed once the window closes. Undefined once it closed (the
 * choice comes next); else how the dialog ended: aborted, never shown (the
 * file could not be written, or the desktop not reached), or failed.
 */
async function showTextFile(
  run: DialogRun,
  file: NonNullable<DialogCommand["textFile"]>,
  where: { tempDir: string | undefined; sweep: boolean },
): Promise<DialogShown | undefined> {
  let folder: string;
  try {
    folder = await Deno.makeTempDir({
      prefix: QUESTION_FOLDER_PREFIX,
      ...(where.tempDir === undefined ? {} : { dir: where.tempDir }),
    });
  } catch (error) {
    return {
      kind: "error",
      message: `cannot write the question for the ${run.found.tool} dialog (${reason(error)})`,
    };
  }
  try {
    // 0700 whatever the umask: only this user may open what is in it.
    await Deno.chmod(folder, 0o700);
    const path = joinPath(folder, QUESTION_FILE);
    await Deno.writeTextFile(path, file.text, { mode: 0o600, createNew: true });
    if (where.sweep) await removeStaleQuestionFolders(folder, Date.now());
    const ran = await runDialog(run, file.args(path), undefined);
    if (!ran.ok) return ran.shown;
    // Closed (OK, Escape, its close button): the choice comes next. Anything else (a crash)
    // may have ended it unread: the question fails, and is denied.
    return ran.code === 0 || ran.code === 1
      ? undefined
      : { kind: "answered", reading: "error", code: ran.code };
  } catch (error) {
    return {
      kind: "error",
      message: `cannot write the question for the ${run.found.tool} dialog (${reason(error)})`,
    };
  } finally {
    await Deno.remove(folder, { recursive: true }).catch(() => {});
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Writes `text` to a dialog's standard input and closes it. A dialog that
 * quits without reading it all (a person answered, or it could not open)
 * breaks the pipe: that is its answer's business, not an error here.
 */
async function writeAll(stdin: WritableStream<Uint8Array>, text: string): Promise<void> {
  const writer = stdin.getWriter();
  try {
    await writer.write(new TextEncoder().encode(text));
    await writer.close();
  } catch {
    // The dialog stopped reading: its exit code and output say what happened.
    await writer.abort().catch(() => {});
  }
}
