/**
 * Channel 2: a native OS dialog, for GUI clients such as Claude Desktop
 * whose chat has no elicitation and whose sidecar has no terminal. Runs the
 * dialog tool found by `findDialogTool` with the question as data (see
 * `dialogCommand`), kills it at the timeout or on cancellation, and reads its
 * exit code.
 *
 * @example
 * ```ts
 * const channel = dialogChannel({ env: Deno.env.toObject(), os: Deno.build.os, user: "ana" });
 * ```
 */
import { findExecutable } from "../platform/find_executable.ts";
import type { ApprovalChannel, ChannelAnswer } from "./approval_channel.ts";
import { approvalQuestionText } from "./approval_question.ts";
import { dialogCommand, readDialogResult } from "./dialog_command.ts";
import { type DialogToolChoice, findDialogTool } from "./find_dialog_tool.ts";

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
}

/** Builds the dialog channel; the tool is looked up once, on first use. */
export function dialogChannel(options: DialogChannelOptions): ApprovalChannel {
  const lookup = options.lookup ??
    ((name: string) => findExecutable(name, options.env["PATH"] ?? "", options.os));
  let choice: Promise<DialogToolChoice> | undefined;
  const choose = () => choice ??= findDialogTool(options.env, options.os, lookup);
  return {
    name: "dialog",
    available: async () => (await choose()).tool !== null,
    ask: async ({ question, signal, deadline, allowSession }): Promise<ChannelAnswer> => {
      const found = await choose();
      if (found.tool === null) return { kind: "error", message: found.why };
      const text = `thoth: a tool call needs your approval.\n\n${approvalQuestionText(question)}`;
      const seconds = Math.max(1, (deadline - Date.now()) / 1000);
      const command = dialogCommand(found.tool, text, seconds, allowSession);
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(options.env)) if (v !== undefined) env[k] = v;
      let output: Deno.CommandOutput;
      try {
        output = await new Deno.Command(found.path, {
          args: command.args,
          env: { ...env, ...command.env },
          clearEnv: true,
          stdin: "null",
          stdout: "piped",
          stderr: "null",
          signal,
        }).output();
      } catch (error) {
        if (signal.aborted) return { kind: "timeout" };
        return {
          kind: "error",
          message: `cannot show the ${found.tool} dialog (${
            error instanceof Error ? error.message : String(error)
          })`,
        };
      }
      if (signal.aborted) return { kind: "timeout" };
      const reading = readDialogResult(
        found.tool,
        output.code,
        new TextDecoder().decode(output.stdout),
      );
      switch (reading) {
        case "approve":
        case "session":
          return {
            kind: "approve",
            scope: reading === "session" ? "session" : "once",
            approver: options.user,
            digest: question.digest,
          };
        case "deny":
          return { kind: "deny", approver: options.user };
        case "timeout":
          return { kind: "timeout" };
        case "error":
          return {
            kind: "error",
            message: `the ${found.tool} dialog failed (exit ${output.code})`,
          };
      }
    },
  };
}
