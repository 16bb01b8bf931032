/**
 * `wrap-config --json` and `unwrap-config --json` on a client config that
 * cannot be read or planned (broken JSON): the document lists the file, its
 * "outcome" "failed" with its "error", as --help says, beside the top-level
 * "error" that stopped the command.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";

for (const command of ["wrap-config", "unwrap-config"]) {
  Deno.test(`thoth ${command} --client cursor --json lists a broken config as "failed"`, () =>
    inTempDir(async (dir) => {
      const path = `${dir}/home/.cursor/mcp.json`;
      await Deno.mkdir(`${dir}/home/.cursor`, { recursive: true });
      await Deno.writeTextFile(path, '{"mcpServers": {\n');
      const args = command === "wrap-config" ? ["--thoth-path", THOTH, "--tenant-id", "acme"] : [];
      const run = await thoth([command, "--client", "cursor", "--json", ...args], { cwd: dir });
      assert.equal(run.code, 1, run.out + run.err);
      const doc = JSON.parse(run.out);
      assert.equal(doc.error.code, "config.invalid");
      assert.deepEqual(doc.files, [{
        path,
        output: path,
        outcome: "failed",
        backup: null,
        keyBackup: null,
        reason: null,
        servers: [],
        error: doc.error,
      }]);
      assert.ok(doc.error.message.includes(path), doc.error.message);
      assert.equal(await Deno.readTextFile(path), '{"mcpServers": {\n');
    }));
}

for (const command of ["wrap-config", "unwrap-config"]) {
  Deno.test(`thoth ${command} --client vscode --json lists a broken profile config as "failed", and the one planned before it as "not_written"`, () =>
    inTempDir(async (dir) => {
      const user = `${dir}/home/.config/Code/User`;
      const profile = `${user}/profiles/-6f2a9c1`;
      await Deno.mkdir(profile, { recursive: true });
      await Deno.writeTextFile(
        `${user}/mcp.json`,
        JSON.stringify({ servers: { a: { command: "a" } } }),
      );
      await Deno.writeTextFile(`${profile}/mcp.json`, '{"servers": {"b": {"command": "b"\n');
      const args = command === "wrap-config" ? ["--thoth-path", THOTH, "--tenant-id", "acme"] : [];
      const run = await thoth([command, "--client", "vscode", "--json", ...args], { cwd: dir });
      assert.equal(run.code, 1, run.out + run.err);
      const doc = JSON.parse(run.out);
      assert.deepEqual(
        doc.files.map((file: { path: string; outcome: string }) => [file.path, file.outcome]),
        [[`${user}/mcp.json`, "not_written"], [`${profile}/mcp.json`, "failed"]],
      );
      // The file planned: its servers as planned, nothing written, and why.
      assert.deepEqual(
        doc.files[0].servers.map((server: { name: string }) => server.name),
        ["a"],
      );
      assert.equal(doc.files[0].error, null);
      assert.equal(
        doc.files[0].reason,
        `not written: the command stopped at "${profile}/mcp.json", which could not be read or ` +
          "planned, before it wrote any file",
      );
      assert.equal(doc.files[1].error.code, doc.error.code);
      assert.deepEqual(doc.files[1].error.hints, doc.error.hints);
      assert.equal(
        await Deno.readTextFile(`${user}/mcp.json`),
        JSON.stringify({ servers: { a: { command: "a" } } }),
      );
    }));
}
