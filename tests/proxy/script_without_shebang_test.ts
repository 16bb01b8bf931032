/**
 * A server script that is not executable and has no `#!` line would not run
 * after `chmod +x` either: thoth's hint names its interpreter instead (by the
 * script's extension), and keeps `chmod +x` for a file a `#!` line or a
 * program's binary header makes runnable by itself.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { interpreterHint } from "../../src/proxy/upstream_spawn.ts";
import { resolveUpstream } from "../../src/proxy/start_sandboxed_proxy.ts";
import { readScriptStart } from "../../src/proxy/script_interpreter.ts";
import { runThoth } from "../cli/_thoth_process.ts";

/** Writes `text` to `name` in a new folder, readable but not executable; its path. */
async function notExecutable(name: string, text: string | Uint8Array): Promise<string> {
  const dir = await tempFolder("thoth-no-shebang-");
  const path = `${dir}/${name}`;
  if (typeof text === "string") await Deno.writeTextFile(path, text);
  else await Deno.writeFile(path, text);
  await Deno.chmod(path, 0o644);
  return path;
}

/** The error `thoth run -- <path>` reports for the file. */
async function refusal(path: string) {
  const resolved = await resolveUpstream(path, "/", Deno.env.get("PATH") ?? "", Deno.build.os);
  assert.ok("error" in resolved, `${path} was resolved as runnable`);
  return resolved.error;
}

const UNIX = Deno.build.os !== "windows";

/** The start of a 64-bit ELF program's header, as a Linux binary begins. */
const ELF_HEAD = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

for (
  const [name, interpreter] of [
    ["server.js", "node"],
    ["server.mjs", "node"],
    ["server.cjs", "node"],
    ["server.ts", "deno run"],
    ["server.py", "python3"],
    ["server.sh", "bash"],
  ] as const
) {
  Deno.test({
    name: `a ${name} with no #! line is started with ${interpreter}, not made executable`,
    ignore: !UNIX,
    fn: async () => {
      const path = await notExecutable(name, "console.log('hello');\n");
      const error = await refusal(path);
      assert.equal(error.code, "upstream.not_executable");
      assert.equal(error.exitCode, 126);
      assert.match(error.message, /is not executable, and it has no #! first line/);
      assert.equal(error.hints.length, 1);
      assert.ok(
        error.hints[0]!.startsWith(
          `start it with its interpreter: thoth run … -- ${interpreter} ${path}`,
        ),
        error.hints[0],
      );
      assert.doesNotMatch(error.hints[0]!, /chmod/);
    },
  });
}

Deno.test({
  name: "a script with an unknown extension and no #! line: name its interpreter before it",
  ignore: !UNIX,
  fn: async () => {
    const path = await notExecutable("server.weird", "run the server\n");
    const error = await refusal(path);
    assert.match(error.hints[0]!, /^name its interpreter before it, after "--"/);
    assert.match(error.hints[0]!, new RegExp(`such as "-- node ${path}"`));
  },
});

Deno.test({
  name: "a script with a #! line, or a program's binary, is still told to chmod +x",
  ignore: !UNIX,
  fn: async () => {
    const script = await notExecutable("server.js", "#!/usr/bin/env node\nconsole.log(1);\n");
    const withShebang = await refusal(script);
    assert.equal(withShebang.code, "upstream.not_executable");
    assert.equal(
      withShebang.message,
      `cannot start the MCP server: command "${script}" is not executable`,
    );
    assert.deepEqual(withShebang.hints, [`make it executable: chmod +x "${script}"`]);
    const binary = await notExecutable(
      "server",
      ELF_HEAD,
    );
    assert.deepEqual((await refusal(binary)).hints, [`make it executable: chmod +x "${binary}"`]);
  },
});

Deno.test("readScriptStart() tells a #! line, a binary and plain text apart", async () => {
  assert.equal(readScriptStart(await notExecutable("a", "#!/bin/sh\necho\n")), "shebang");
  assert.equal(
    readScriptStart(await notExecutable("b", ELF_HEAD)),
    "binary",
  );
  assert.equal(readScriptStart(await notExecutable("c", "console.log(1)\n")), "text");
  assert.equal(readScriptStart("/nonexistent-thoth-dir/none.js"), undefined);
});

Deno.test("interpreterHint() names the interpreter and quotes a path a shell would split", () => {
  assert.equal(
    interpreterHint("./server.js"),
    "start it with its interpreter: thoth run … -- node ./server.js",
  );
  assert.match(interpreterHint("./my server.py"), /-- python3 '\.\/my server\.py'$/);
  assert.match(
    interpreterHint("./server.ts"),
    /-- deno run \.\/server\.ts, with the permission flags it needs \(such as --allow-net\) before \.\/server\.ts$/,
  );
});

Deno.test({
  name:
    "thoth run -- ./server.js (no #! line, not executable) tells the person to run it with node",
  ignore: !UNIX,
  fn: async () => {
    const path = await notExecutable("server.js", "console.log('hello');\n");
    const dir = path.slice(0, path.lastIndexOf("/"));
    const run = await runThoth(["run", "--agent-id", "probe", "--", "./server.js"], {
      env: { THOTH_HOME: `${dir}/home`, HOME: dir },
      cwd: dir,
      stdin: "",
    });
    assert.equal(run.code, 126, run.err);
    assert.match(
      run.err,
      /^thoth: error: cannot start the MCP server: command "\.\/server\.js" is not executable, and it has no #! first line naming its interpreter$/m,
    );
    assert.match(
      run.err,
      /^thoth: hint: start it with its interpreter: thoth run … -- node \.\/server\.js$/m,
    );
    assert.doesNotMatch(run.err, /chmod/);
  },
});
