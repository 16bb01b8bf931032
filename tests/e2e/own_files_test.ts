/**
 * thoth's own files end to end: the real server-filesystem, serving a folder
 * that holds THOTH_HOME, behind the real `thoth run`, driven by the official
 * SDK client. Writing the progressive counters or an approval answer, or
 * listing the profile, is blocked in observe and progressive mode alike
 * (`thoth.own_files`); a file beside the profile is written as usual.
 */
import assert from "node:assert/strict";
import { auditRecords } from "./_governed.ts";
import { connect, DENO, filesystemArgv, tempDir, throughThoth } from "./_harness.ts";

const RESET = '{"version":1,"entries":{}}';

function text(result: unknown): string {
  return JSON.stringify(result);
}

/** The file's text, or undefined when there is none. */
async function contents(path: string): Promise<string | undefined> {
  return await Deno.readTextFile(path).catch(() => undefined);
}

async function denoDir(): Promise<string> {
  const info = await new Deno.Command(DENO, { args: ["info", "--json"], stdout: "piped" }).output();
  return JSON.parse(new TextDecoder().decode(info.stdout)).denoDir as string;
}

for (const mode of ["observe", "progressive"] as const) {
  Deno.test(`server-filesystem in ${mode} mode cannot write or list thoth's own profile folder`, async () => {
    await using dir = await tempDir();
    // The served folder is the user's home; the profile is the default ~/.thoth inside it.
    const user = dir.path;
    const home = `${user}/.thoth`;
    await Deno.mkdir(home);
    await Deno.writeTextFile(
      `${home}/policy.jsonc`,
      JSON.stringify({
        version: 1,
        default: "allow",
        rules: [{ id: "no-moves", match: { tool: "move_file" }, decision: "block" }],
      }),
    );
    // Observe mode keeps no counters: the folder is there for the server to write into.
    await Deno.mkdir(`${home}/state`);
    await Deno.mkdir(`${user}/data`);
    await Deno.writeTextFile(`${user}/data/a.txt`, "a");
    const connected = await connect(
      throughThoth(filesystemArgv(user), [
        "--agent-id",
        "filesystem",
        "--enforcement-mode",
        mode,
        "--approval-timeout",
        "1",
      ]),
      {},
      { THOTH_HOME: home, HOME: user, DENO_DIR: await denoDir() },
    );
    const counters = `${home}/state/progressive.json`;
    let before: string | undefined;
    let calls;
    try {
      // A first violation, forwarded in both modes (with a warning in progressive mode),
      // which progressive mode counts; then an ordinary write, which the policy allows.
      const moved = await connected.client.callTool({
        name: "move_file",
        arguments: { source: `${user}/data/a.txt`, destination: `${user}/data/b.txt` },
      });
      before = await contents(counters);
      calls = {
        moved,
        ordinary: await connected.client.callTool({
          name: "write_file",
          arguments: { path: `${user}/data/notes.txt`, content: "hello" },
        }),
        reset: await connected.client.callTool({
          name: "write_file",
          arguments: { path: "~/.thoth/state/progressive.json", content: RESET },
        }),
        answer: await connected.client.callTool({
          name: "write_file",
          arguments: {
            path: `${home}/approvals/d-0000000000000000.answer.json`,
            content: '{"v":1,"id":"d-0000000000000000","digest":"x","decision":"approve"}',
          },
        }),
        list: await connected.client.callTool({
          name: "list_directory",
          arguments: { path: `${home}/approvals/` },
        }),
        beside: await connected.client.callTool({
          name: "read_text_file",
          arguments: { path: `${user}/data/notes.txt` },
        }),
      };
    } finally {
      await connected.close();
    }
    assert.notEqual(calls.moved.isError, true, text(calls.moved));
    assert.equal(await Deno.readTextFile(`${user}/data/b.txt`), "a");
    assert.notEqual(calls.ordinary.isError, true, text(calls.ordinary));
    assert.equal(await Deno.readTextFile(`${user}/data/notes.txt`), "hello");
    assert.match(text(calls.beside), /hello/);
    for (const [name, result] of [["reset", calls.reset], ["answer", calls.answer]] as const) {
      assert.equal(result.isError, true, `${name}: ${text(result)}`);
      assert.match(text(result), /thoth\.own_files/, name);
      assert.match(text(result), /never forwarded, in any mode/, name);
    }
    assert.equal(calls.list.isError, true, text(calls.list));
    assert.doesNotMatch(text(calls.list), /\[FILE\]|\[DIR\]/);
    assert.equal(await contents(counters), before, "the counters file is as thoth left it");
    if (mode === "progressive") assert.match(before ?? "", /no-moves/, "the move was counted");
    assert.equal(await contents(`${home}/approvals/d-0000000000000000.answer.json`), undefined);
    const blocked = (await auditRecords(home)).filter((r) =>
      r.type === "decision" && (r.ruleIds as string[]).includes("thoth.own_files")
    );
    assert.equal(blocked.length, 3, "each call that reached the profile is in the audit log");
    // Observe mode records what it forwards as "observed"; these were blocked, and say so.
    assert.deepEqual(blocked.map((r) => r.effect), ["blocked", "blocked", "blocked"]);
  });
}
