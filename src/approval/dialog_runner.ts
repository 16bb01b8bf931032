/**
 * Shows one approval dialog: builds the tool's command line from the
 * question (see `dialogCommand`), runs it with the question on its
 * standard input where the tool reads it there (zenity), and reads its
 * answer. This is
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
import { dialogCommand, type DialogReading, readDialogResult } from "./dialog_command.ts";
import type { DialogTool } from "./find_dialog_tool.ts";

/** What the core asks to be shown. */
export interface DialogRequest {
  text: string;
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

/** Runs `tool` at `path` with `env` (and nothing else of this process's environment). */
export function localDialogRunner(
  found: { tool: DialogTool; path: string },
  env: Readonly<Record<string, string | undefined>>,
): DialogRunner {
  return async (request, signal) => {
    const command = dialogCommand(found.tool, request.text, request.seconds, request.allowSession);
    const clean: Record<string, string> = {};
    for (const [k, v] of Object.entries(env)) if (v !== undefined) clean[k] = v;
    let output: Deno.CommandOutput;
    try {
      const child = new Deno.Command(found.path, {
        args: command.args,
        env: { ...clean, ...command.env },
        clearEnv: true,
        stdin: command.stdin === undefined ? "null" : "piped",
        stdout: "piped",
        stderr: "piped",
        signal,
      }).spawn();
      const written = command.stdin === undefined
        ? Promise.resolve()
        : writeAll(child.stdin, command.stdin);
      [output] = await Promise.all([child.output(), written]);
    } catch (error) {
      if (signal.aborted) return { kind: "aborted" };
      return {
        kind: "error",
        message: `cannot show the ${found.tool} dialog (${
          error instanceof Error ? error.message : String(error)
        })`,
      };
    }
    if (signal.aborted) return { kind: "aborted" };
    const stderr = new TextDecoder().decode(output.stderr);
    if (output.code !== 0 && NO_DISPLAY.test(stderr)) {
      return {
        kind: "error",
        message: `the ${found.tool} dialog could not open the desktop display`,
      };
    }
    const stdout = new TextDecoder().decode(output.stdout);
    return {
      kind: "answered",
      reading: readDialogResult(found.tool, output.code, stdout),
      code: output.code,
    };
  };
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
