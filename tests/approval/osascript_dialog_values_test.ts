/**
 * On a Mac with a client that cannot ask (Claude Desktop), the osascript
 * dialog is where a person decides: it shows which file or URL a call
 * names, as the Windows dialog does, because its text travels in the
 * dialog's own environment (read by the AppleScript through Foundation),
 * never on its command line, which any user's `ps` lists. osascript cannot
 * run here: a stand-in `osascript` on the PATH records its argv and the
 * text it was given, and answers, behind a real relay and approver.
 */
import assert from "node:assert/strict";
import { createApprover } from "../../src/approval/create_approver.ts";
import { DIALOG_TEXT_VARIABLE, dialogCommand } from "../../src/approval/dialog_command.ts";
import type { ApprovalOutcome } from "../../src/proxy/relay_session.ts";
import { startRelay, tempHome } from "./_relay_harness.ts";
import { tempFolder } from "../_temp_dirs.ts";

const PATH_VALUE = "/Users/ana/Documents/tax-return.pdf";
const CONTENT = "SSN 078-05-1120";

Deno.test("dialogCommand(osascript) keeps the question off the command line; the script reads it from the environment", () => {
  const text = `Allow "x"?\n  path: "${PATH_VALUE}"\n\u00e9\u65e5`;
  for (const allowSession of [true, false]) {
    const osa = dialogCommand("osascript", text, 59.2, allowSession);
    assert.equal(osa.env[DIALOG_TEXT_VARIABLE], text, "the text, whole, in the environment");
    assert.equal(DIALOG_TEXT_VARIABLE, "THOTH_APPROVAL_TEXT");
    assert.ok(!osa.args.some((a) => a.includes("tax-return") || a.includes('Allow "x"')));
    const script = osa.args.filter((_a, i, all) => all[i - 1] === "-e");
    const rest = osa.args.filter((a, i, all) => a !== "-e" && all[i - 1] !== "-e");
    // What argv carries after the script: the time, then the buttons, Deny first.
    assert.deepEqual(rest, [
      "60",
      "Deny",
      ...(allowSession ? ["Allow for this session"] : []),
      "Allow once",
    ]);
    const source = script.join("\n");
    assert.match(source, /^use framework "Foundation"\nuse scripting additions\non run argv\n/);
    assert.match(
      source,
      /environment\(\)'s objectForKey:"THOTH_APPROVAL_TEXT"\)/,
      "the script reads the question from its own environment",
    );
    assert.match(source, /if question is missing value then error/);
    assert.match(source, /display dialog \(question as text\) with title "thoth: approval needed"/);
    assert.match(source, /buttons \(items 2 thru -1 of argv\)/);
    assert.match(source, /giving up after \(\(item 1 of argv\) as integer\)/);
    assert.match(source, /default button "Deny" cancel button "Deny"/);
  }
});

/** A stand-in `osascript` that records its argv (NUL-separated) and its text, and answers. */
async function standIn(bin: string, stdout: string): Promise<{ argv: string; text: string }> {
  const record = { argv: `${bin}/argv`, text: `${bin}/text` };
  await Deno.writeTextFile(
    `${bin}/osascript`,
    `#!/bin/sh
printf '%s\\0' "$@" > '${record.argv}'
printf '%s' "$${DIALOG_TEXT_VARIABLE}" > '${record.text}'
printf '%s\\n' '${stdout}'
`,
    { mode: 0o755 },
  );
  return record;
}

Deno.test({
  name:
    "dialog channel on macOS: the osascript dialog shows the file a call writes, from its environment, and its Allow once runs the call",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const { home, remove } = await tempHome();
    const bin = await tempFolder("thoth-osascript-");
    const record = await standIn(bin, "Allow once");
    const outcomes: ApprovalOutcome[] = [];
    const approver = createApprover({
      thothHome: home,
      env: { USER: "tester", PATH: bin },
      os: "darwin",
      timeoutMs: 10_000,
    });
    const h = await startRelay({
      approver: async (r) => {
        const o = await approver(r);
        outcomes.push(o);
        return o;
      },
    });
    let result: { isError?: boolean };
    try {
      result = await h.client.callTool({
        name: "write_file",
        arguments: { path: PATH_VALUE, content: CONTENT },
      }) as { isError?: boolean };
      assert.equal(h.ran.length, 1, "Allow once ran the call");
    } finally {
      await h.close();
      await remove();
    }
    assert.equal(result.isError, undefined);
    assert.equal(outcomes[0]?.channel, "dialog");
    const argv = (await Deno.readTextFile(record.argv)).split("\0");
    const text = await Deno.readTextFile(record.text);
    assert.match(text, /tool "write_file" on server "files"/);
    assert.match(text, new RegExp(`path: "${PATH_VALUE.replaceAll("/", "\\/")}"`), text);
    assert.match(text, /content: string \(15 chars\)/);
    assert.ok(!text.includes("078-05-1120"), "only file and URL fields show their values");
    assert.ok(
      !argv.some((a) => a.includes("tax-return") || a.includes("write_file")),
      argv.join("|"),
    );
  },
});
