/**
 * In every command's help (thoth and thothctl, at the 80 columns help has
 * without a terminal), an example's comment stays with its own command: no
 * comment is moved off a command line too long for the layout, so no
 * comment's first words print above one command while the rest hangs under
 * the next ("# also exit 1 …" above `thoth status --check --strict`), and no
 * comment breaks off after a word or two ("proven to").
 */
import assert from "node:assert/strict";
import type { Command } from "@commander-js/extra-typings";
import { buildThothProgram, runThothProgram } from "../../src/cli/thoth_program.ts";
import { thothctlMain } from "../../src/cli/thothctl.ts";
import { buildThothctlProgram } from "../../src/cli/thothctl_program.ts";
import { fakeCliIo } from "./_fake_cli_io.ts";
import { tempFolder } from "../_temp_dirs.ts";

type AnyCommand = Command<unknown[], Record<string, unknown>>;

function paths(command: AnyCommand, before: string[] = []): string[][] {
  return [
    before,
    ...command.commands.flatMap((sub) =>
      paths(sub as unknown as AnyCommand, [...before, sub.name()])
    ),
  ];
}

/** Each command's "Examples:" section, by the command line that shows it. */
async function examples(): Promise<Map<string, string[]>> {
  const home = await tempFolder("thoth-help-comments-");
  const env = { HOME: home, THOTH_HOME: `${home}/.thoth` };
  const found = new Map<string, string[]>();
  const programs = [
    {
      name: "thoth",
      build: () => buildThothProgram(fakeCliIo(`${home}/.thoth`, env)),
      main: runThothProgram,
    },
    {
      name: "thothctl",
      build: () => Promise.resolve(buildThothctlProgram(fakeCliIo(`${home}/.thoth`, env))),
      main: thothctlMain,
    },
  ];
  for (const program of programs) {
    const root = await program.build() as unknown as AnyCommand;
    for (const path of paths(root)) {
      const io = fakeCliIo(`${home}/.thoth`, env);
      assert.equal(await program.main([...path, "--help"], io), 0, io.stderr);
      const lines = io.stdout.split("\n");
      const start = lines.indexOf("Examples:");
      if (start < 0) continue;
      const end = lines.findIndex((line, i) => i > start && /^\S/.test(line));
      found.set(
        [program.name, ...path].join(" "),
        lines.slice(start + 1, end < 0 ? undefined : end),
      );
    }
  }
  return found;
}

Deno.test("every help example's comment stays beside or above its own command", async () => {
  const all = await examples();
  assert.ok(all.has("thoth status"));
  const faults: string[] = [];
  for (const [command, lines] of all) {
    for (const [i, line] of lines.entries()) {
      const before = lines[i - 1] ?? "";
      // A comment under a column, right after a command line with no comment of its own:
      // the start of that comment went elsewhere.
      if (
        /^ {4,}# /.test(line) && /^ +(?:thoth|thothctl)\b/.test(before) && !before.includes("#")
      ) {
        faults.push(`${command}: "${before.trim()}" is followed by "${line.trim()}"`);
      }
      // A comment line of a word or two that goes on in the next: broken off.
      const next = lines[i + 1] ?? "";
      const words = /^ +# (.*)$/.exec(line)?.[1]?.split(" ") ?? [];
      if (words.length > 0 && words.length <= 2 && /^ +# /.test(next)) {
        faults.push(`${command}: "${line.trim()}" is broken off before "${next.trim()}"`);
      }
    }
  }
  assert.deepEqual(faults, []);
});
