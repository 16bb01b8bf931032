/**
 * How `thoth approvals approve`, `deny` or `watch` is giving its answer,
 * as this process sees itself (see `src/approval/answer_given.ts`): whether
 * standard input and standard output are both a terminal, and the name of
 * its controlling terminal, read with `ps` by absolute path (`/bin/ps`,
 * `/usr/bin/ps`) where this process may run it; left out when it has none
 * or it cannot be read (Windows, `thothctl` without that permission). Where
 * the process table could be read, the answering process's chain of
 * program names and what it shows (`chain`, `orphaned`, `underScript`: see
 * {@linkcode chainFacts}), from the same rows the governed-caller check
 * reads ({@linkcode processTable}: `ps` runs once; `watch` records the
 * chain it was started in).
 *
 * @example
 * ```ts
 * await answerGiven("cli"); // { via: "cli", terminal: false, chain: ["thoth", "sh"], orphaned: true, underScript: false }
 * ```
 */
import { type AnswerGiven, chainFacts } from "../approval/answer_given.ts";
import { psPath, runPs } from "../platform/absolute_ps.ts";
import { processTable } from "./governed_caller_check.ts";

/** The chain of this process and its flags, when the process table could be read. */
async function chain(): Promise<ReturnType<typeof chainFacts>> {
  if (Deno.build.os === "windows") return undefined;
  const read = await processTable();
  return "unreadable" in read ? undefined : chainFacts(read.rows, Deno.pid);
}

/** The name of this process's controlling terminal as `ps` shows it, or undefined. */
async function controllingTerminal(): Promise<string | undefined> {
  if (Deno.build.os === "windows") return undefined;
  const path = psPath();
  if (path === undefined) return undefined;
  const out = await runPs(path, ["-o", "tty=", "-p", String(Deno.pid)]);
  const name = out?.trim() ?? "";
  // `?` (or `??` on macOS): no controlling terminal.
  return /^[A-Za-z0-9/._-]{1,64}$/.test(name) ? name : undefined;
}

/** Whether a standard stream says it is a terminal; false when it cannot be asked. */
function isTerminal(stream: { isTerminal(): boolean }): boolean {
  try {
    return stream.isTerminal();
  } catch {
    return false;
  }
}

/**
 * How this process gives an answer through `via`; `treeChecked` when the
 * governed-caller check said whether it read the process tree.
 */
export async function answerGiven(
  via: AnswerGiven["via"],
  treeChecked?: boolean,
): Promise<AnswerGiven> {
  const terminal = isTerminal(Deno.stdin) && isTerminal(Deno.stdout);
  const tty = await controllingTerminal();
  const facts = await chain();
  return {
    via,
    terminal,
    ...(tty === undefined ? {} : { tty }),
    ...(treeChecked === undefined ? {} : { treeChecked }),
    ...(facts ?? {}),
  };
}
