/**
 * In every command's help (thoth and thothctl, at the 80 columns help has
 * without a terminal), an example's comment stays with its own command: no
 * comment is moved off a command line too long for the layout, so no
 * comment's first words print above one command while the rest hangs under
 * the next ("# also exit 1 …" above `thoth status --check --strict`), and no
 * comment breaks off after a word or two ("proven to").
 */
import assert from "node:assert/strict";
import { everyHelp, helpSection } from "./_every_help.ts";

/** Each command's "Examples:" section, by the command line that shows it. */
async function examples(): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  for (const help of await everyHelp("thoth-help-comments-")) {
    const lines = helpSection(help.text, "Examples:");
    if (lines !== undefined) found.set(help.name, lines);
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
