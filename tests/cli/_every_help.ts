/**
 * Every command's help, thoth's and thothctl's, printed in-process at the
 * width help has without a terminal (80), for the tests that hold all of
 * them to one rule (layout, examples, comments); and the lines of one of a
 * help's sections.
 */
import assert from "node:assert/strict";
import type { Command } from "@commander-js/extra-typings";
import { buildThothProgram, runThothProgram } from "../../src/cli/thoth_program.ts";
import { thothctlMain } from "../../src/cli/thothctl.ts";
import { buildThothctlProgram } from "../../src/cli/thothctl_program.ts";
import { fakeCliIo } from "./_fake_cli_io.ts";
import { tempFolder } from "../_temp_dirs.ts";

type AnyCommand = Command<unknown[], Record<string, unknown>>;

/** One command's help. */
export interface Help {
  program: "thoth" | "thothctl";
  /** The words after the program name, e.g. `["audit", "verify"]`. */
  path: string[];
  /** Whether the command has no subcommands. */
  leaf: boolean;
  /** The command line that shows it, e.g. `thothctl audit verify`. */
  name: string;
  text: string;
}

function paths(command: AnyCommand, before: string[] = []): { path: string[]; leaf: boolean }[] {
  return [
    { path: before, leaf: command.commands.length === 0 },
    ...command.commands.flatMap((sub) =>
      paths(sub as unknown as AnyCommand, [...before, sub.name()])
    ),
  ];
}

/** Every command's help; each must exit 0. `prefix` names the temp profile. */
export async function everyHelp(prefix: string): Promise<Help[]> {
  const home = await tempFolder(prefix);
  const env = { HOME: home, THOTH_HOME: `${home}/.thoth` };
  const programs = [
    {
      name: "thoth" as const,
      build: () => buildThothProgram(fakeCliIo(`${home}/.thoth`, env)),
      main: runThothProgram,
    },
    {
      name: "thothctl" as const,
      build: () => buildThothctlProgram(fakeCliIo(`${home}/.thoth`, env)),
      main: thothctlMain,
    },
  ];
  const helps: Help[] = [];
  for (const program of programs) {
    const root = await program.build() as unknown as AnyCommand;
    for (const { path, leaf } of paths(root)) {
      const io = fakeCliIo(`${home}/.thoth`, env);
      const code = await program.main([...path, "--help"], io);
      assert.equal(code, 0, io.stderr);
      const name = [program.name, ...path].join(" ");
      helps.push({ program: program.name, path, leaf, name, text: io.stdout });
    }
  }
  return helps;
}

/** The lines of the section under `heading` (up to the next unindented line). */
export function helpSection(text: string, heading: string): string[] | undefined {
  const lines = text.split("\n");
  const start = lines.indexOf(heading);
  if (start < 0) return undefined;
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line !== "" && !/^\s/.test(line)) break;
    body.push(line);
  }
  return body;
}
