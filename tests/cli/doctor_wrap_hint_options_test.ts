/**
 * The real `thoth doctor`'s hint to wrap a project's `.mcp.json` names the
 * command `thoth status --client claude-code --check` names for the same
 * file (`--client` and the file, not `--output FILE FILE`), and says to add
 * the options the other servers were wrapped with, before the command, so
 * that the command ends the hint: pasted with a tenant and a user added, it
 * wraps the file with them, and wrap-config warns of no missing tenant.
 * Real `thoth` processes, a temp HOME.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { runThoth } from "./_thoth_process.ts";

const UNIX = Deno.build.os !== "windows";

Deno.test({
  name: "doctor's wrap hint for a project .mcp.json is status's command, with the options to add",
  ignore: !UNIX,
  fn: async () => {
    const home = await tempFolder("thoth-wrap-hint-");
    const project = `${home}/src/web`;
    await Deno.mkdir(project, { recursive: true });
    const mcpJson = `${project}/.mcp.json`;
    await Deno.writeTextFile(
      mcpJson,
      JSON.stringify({ mcpServers: { fs: { command: "/usr/bin/env", args: ["x"] } } }),
    );
    await Deno.writeTextFile(
      `${home}/.claude.json`,
      JSON.stringify({ mcpServers: {}, projects: { [project]: { history: [] } } }),
    );
    const env = { HOME: home, XDG_CONFIG_HOME: `${home}/.config`, THOTH_HOME: `${home}/.thoth` };

    const doctor = await runThoth(["doctor"], { env, cwd: home });
    assert.equal(doctor.code, 1, doctor.out);
    const lines = doctor.out.split("\n");
    const at = lines.findIndex((l) => /^✗ client_configs /.test(l));
    assert.ok(at >= 0, doctor.out);
    const hint = (lines[at + 1] ?? "").trim();
    assert.match(
      hint,
      /^hint: wrap fs \(adding the options your other servers were wrapped with, such as --tenant-id\) with: /,
    );
    const command = hint.slice(hint.indexOf(" with: ") + " with: ".length);

    const status = await runThoth(["status", "--client", "claude-code", "--check"], {
      env,
      cwd: home,
    });
    assert.equal(status.code, 1, status.err);
    const named = /thoth: hint: run "([^"]+)" to govern them/.exec(status.err)?.[1];
    assert.equal(command, named, status.err);
    assert.equal(command, `thoth wrap-config --client claude-code ${mcpJson}`);

    // Pasted with the options added, it wraps the file with them.
    const [, ...args] = command.split(" ");
    const wrap = await runThoth(
      [...args, "--tenant-id", "acme", "--env", "THOTH_USER_ID=ana@example.com"],
      { env, cwd: home },
    );
    assert.equal(wrap.code, 0, wrap.err);
    assert.doesNotMatch(wrap.err, /no tenant id written/);
    const entry = JSON.parse(await Deno.readTextFile(mcpJson)).mcpServers.fs;
    assert.ok(entry.args.includes("--tenant-id") && entry.args.includes("acme"), entry.args);
    assert.equal(entry.env?.THOTH_USER_ID, "ana@example.com");
  },
});
