/**
 * A tool name is the server's or the model's text: in the desktop dialog it
 * is quoted with its quotes escaped, so `a" on server "b` cannot close the
 * quotes and name a server of its own, and a look-alike letter shows as a
 * `\u` escape. Run against the real `thoth run` with a stand-in zenity that
 * records its argv and standard input (the question) and denies.
 */
import { SOFT_BREAK } from "../../src/approval/soft_breaks.ts";
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { GovernedPeer, type Json, toolCall } from "./_governed_peer.ts";

/** Calls `tool` through thoth, which asks a stand-in zenity; returns the text it read on stdin. */
async function dialogText(tool: string): Promise<{ text: string; reply: Json }> {
  const dir = await tempFolder("thoth-dialog-name-");
  const bin = `${dir}/bin`;
  await Deno.mkdir(bin);
  const record = `${dir}/shown`;
  // Records its argv (NUL-separated) and its stdin, and answers nothing: a denial.
  await Deno.writeTextFile(
    `${bin}/zenity`,
    `#!/bin/sh\nprintf '%s\\0' "$@" > '${record}'\n` +
      `while IFS= read -r line || [ -n "$line" ]; do printf '%s\\n' "$line"; done > '${record}.in'\n` +
      "exit 1\n",
    { mode: 0o755 },
  );
  const peer = await GovernedPeer.start({
    version: 1,
    default: "allow",
    rules: [{ id: "ask-all", match: {}, decision: "step_up", reason: "every call needs a person" }],
  }, {
    flags: ["--enforcement-mode", "block", "--approval-timeout", "30"],
    env: { PATH: `${bin}:${Deno.env.get("PATH") ?? ""}`, DISPLAY: ":99" },
  });
  let reply: Json;
  try {
    await peer.send(toolCall(1, tool, { path: "/tmp/a" }));
    reply = await peer.wait((m: Json) => m.id === 1);
  } finally {
    await peer.finish();
  }
  const shown = (await Deno.readTextFile(record)).split("\0");
  assert.ok(!shown.some((a) => a.includes("on server")), shown.join(" "));
  // Without the places the text window may wrap a long run (drawn as nothing).
  const text = (await Deno.readTextFile(`${record}.in`)).replaceAll(SOFT_BREAK, "");
  return { text, reply };
}

// zenity's text view shows its input as it is: a backslash stays a backslash.
const BACKSLASH = "\\";

Deno.test({
  name: "dialog: a quote in a tool name is escaped, so the name cannot fake the server",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const { text, reply } = await dialogText('a" on server "b');
    assert.ok(
      text.includes(`Allow tool "a${BACKSLASH}" on server ${BACKSLASH}"b" on server "fault"?`),
      text,
    );
    assert.ok(!text.includes('Allow tool "a" on server "b"'), text);
    assert.equal(reply.result?.isError, true, JSON.stringify(reply));
  },
});

Deno.test({
  name: "dialog: a look-alike letter in a tool name shows as a \\u escape, and the text says why",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const { text } = await dialogText("wr\u0456te_file");
    assert.ok(!text.includes("wr\u0456te_file"), text);
    assert.ok(text.includes(`"wr${BACKSLASH}u0456te_file"`), text);
    assert.match(text, /not a plain MCP tool name/);
  },
});
