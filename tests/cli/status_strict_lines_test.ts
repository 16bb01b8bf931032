/**
 * `thoth status --check --strict` says what fails in the form of every other
 * line it writes: each line starts with `thoth:` and a level (`error:`,
 * `hint:`), the closing count included, so that a script can grep the
 * errors. The real CLI, in a temp HOME and THOTH_HOME.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";

Deno.test("thoth status --check --strict gives its closing line a level and a hint", async () => {
  const dir = await tempFolder("thoth-strict-lines-");
  const env = { HOME: `${dir}/home`, THOTH_HOME: `${dir}/home/.thoth` };
  await Deno.mkdir(env.THOTH_HOME, { recursive: true });
  const config = `${dir}/c.json`;
  await Deno.writeTextFile(
    config,
    JSON.stringify({ mcpServers: { fs: { command: "/bin/cat", args: ["-u"] } } }, null, 2),
  );
  const wrap = await runThoth(["wrap-config", config], { env, cwd: dir });
  assert.equal(wrap.code, 0, wrap.err);
  const doc = JSON.parse(await Deno.readTextFile(config));
  doc.mcpServers.local = { type: "http", url: "http://127.0.0.1:8931/mcp" };
  doc.mcpServers.docs = { url: "https://mcp.example.com/sse" };
  await Deno.writeTextFile(config, JSON.stringify(doc, null, 2));

  const run = await runThoth(["status", "--check", "--strict", "--config", config], {
    env,
    cwd: dir,
  });
  assert.equal(run.code, 1, run.out + run.err);
  const lines = run.err.split("\n").filter((line) => line !== "");
  assert.ok(lines.length > 0, run.err);
  for (const line of lines) {
    assert.match(line, /^thoth: (error|warning|hint|note): /, run.err);
  }
  assert.ok(lines.includes("thoth: error: 2 server(s) fail --strict"), run.err);
  assert.ok(
    lines.includes('thoth: hint: run "thoth doctor" to see how each entry\'s command was checked'),
    run.err,
  );
});
