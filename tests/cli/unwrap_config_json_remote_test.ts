/**
 * `unwrap-config --json` gives each server the `problems` `wrap-config
 * --json` gives it, with the same meaning: a remote server (a `url`, an http
 * or sse `type`) is `config.remote_server`, a note (left alone by design,
 * no remedy), and an entry with no command is `config.invalid_entry`, a
 * warning; neither makes the command fail. A script reading either
 * document reads a server the same way. Real config files in temp folders.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";

interface Server {
  name: string;
  action: string;
  problems: { code: string; severity: string; message: string; remedy: string | null }[];
}

/** The servers of the document's first file, by name. */
function serversOf(out: string): Map<string, Server> {
  const doc = JSON.parse(out);
  return new Map(doc.files[0].servers.map((server: Server) => [server.name, server]));
}

/** Servers neither command changes: remote ones, and entries no client can start. */
const LEFT_ALONE = {
  url: { url: "https://mcp.example.com/mcp" },
  http: { type: "http", url: "https://mcp.example.com/mcp" },
  sse: { type: "sse", url: "https://mcp.example.com/sse" },
  disabledRemote: { url: "https://mcp.example.com/mcp", disabled: true },
  empty: {},
};

Deno.test("unwrap-config --json: remote servers and entries with no command carry wrap-config's problems", async () => {
  await inTempDir(async (dir) => {
    const config = `${dir}/c.json`;
    const write = () =>
      Deno.writeTextFile(
        config,
        JSON.stringify({
          mcpServers: {
            ...LEFT_ALONE,
            done: { command: THOTH, args: ["run", "--agent-id", "done", "--", "node", "s.js"] },
          },
        }),
      );
    await write();
    const wrapped = await thoth(["wrap-config", "--json", "--dry-run", config], { cwd: dir });
    assert.equal(wrapped.code, 0, wrapped.err);
    for (const dryRun of [true, false]) {
      await write();
      const run = await thoth(
        ["unwrap-config", "--json", ...(dryRun ? ["--dry-run"] : []), config],
        { cwd: dir },
      );
      assert.equal(run.code, 0, run.err);
      const doc = JSON.parse(run.out);
      assert.equal(doc.ok, true);
      assert.deepEqual(doc.failures, []);
      const servers = serversOf(run.out);
      const wrapServers = serversOf(wrapped.out);
      for (const name of Object.keys(LEFT_ALONE)) {
        const server = servers.get(name)!;
        assert.equal(server.action, "skipped", name);
        assert.deepEqual(server.problems, wrapServers.get(name)!.problems, name);
      }
      for (const name of ["url", "http", "sse", "disabledRemote"]) {
        assert.deepEqual(
          servers.get(name)!.problems.map((p) => [p.code, p.severity, p.remedy]),
          [["config.remote_server", "note", null]],
          name,
        );
      }
      assert.deepEqual(
        servers.get("empty")!.problems.map((p) => [p.code, p.severity, p.message]),
        [["config.invalid_entry", "warning", 'no "command" string']],
      );
      // A server restored has no problem, in either document.
      assert.equal(servers.get("done")!.action, "unwrapped");
      assert.deepEqual(servers.get("done")!.problems, []);
    }
  });
});
