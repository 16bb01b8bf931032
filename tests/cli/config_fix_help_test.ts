/**
 * The examples of the config commands' help, as a person pastes them from an
 * 80-column terminal: every line is a whole command, a comment, or the
 * continuation of a command that ended in " \". A line that is only half a
 * command (`thoth wrap-config … ` without its `--dry-run`) would write for real.
 */
import assert from "node:assert/strict";
import { fitToWidth } from "../../src/cli/help_layout.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { runThoth } from "./_thoth_process.ts";

async function examples(command: string): Promise<string[]> {
  const home = await tempFolder("thoth-help-");
  const run = await runThoth([command, "--help"], {
    env: { HOME: home, THOTH_HOME: `${home}/.thoth` },
    cwd: home,
  });
  assert.equal(run.code, 0, run.err);
  const from = run.out.indexOf("\nExamples:\n");
  assert.ok(from >= 0, run.out);
  const block = run.out.slice(from + "\nExamples:\n".length);
  return block.slice(0, block.search(/\n\S/)).split("\n");
}

for (const command of ["wrap-config", "unwrap-config", "status"]) {
  Deno.test(`thoth ${command} --help: each example line is a whole command, a comment, or a continuation`, async () => {
    const lines = await examples(command);
    lines.forEach((line, i) => {
      assert.ok(line.length <= 80, `${line.length}: ${line}`);
      if (line.trim() === "") return;
      const continued = lines[i - 1]?.endsWith(" \\") === true;
      assert.ok(
        continued || /^\s+(thoth \S|#)/.test(line),
        `line ${i + 1} is half of something: ${JSON.stringify(line)}`,
      );
    });
  });
}

Deno.test("thoth wrap-config --help: the dry-run example says --dry-run on its first line", async () => {
  const lines = await examples("wrap-config");
  const at = lines.findIndex((line) => line.includes("without writing"));
  assert.match(lines[at + 1] ?? "", /^ {2}thoth wrap-config --dry-run /);
});

Deno.test("fitToWidth() breaks a long example command with \\ and never inside quotes", () => {
  const line = '  thoth wrap-config --tenant-id acme --env "A=one two three" --dry-run  # a note';
  assert.equal(
    fitToWidth(line, 40),
    [
      "  # a note",
      "  thoth wrap-config --tenant-id acme \\",
      '    --env "A=one two three" --dry-run',
    ].join("\n"),
  );
  assert.equal(fitToWidth("  thoth a b", 40), "  thoth a b", "a line that fits stays");
});
