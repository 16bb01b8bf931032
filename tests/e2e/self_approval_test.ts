/**
 * A model that can run commands through one governed server must not answer
 * its own approval request waiting in another: the reviewer's scenario, with
 * real processes. server-filesystem's `write_file` waits in the queue (the
 * default policy asks a person for a write, and the client cannot ask);
 * through a shell server the policy allows (its admin disabled the default's
 * command-runners rule), the "model" tries
 * `thoth approvals list`, then `approve` built past the policy's reading, and
 * with the marker variable removed, through `thothctl`, and with a `PATH`
 * that holds a fake `ps` or none. The write never runs until the person
 * answers from outside.
 */
import assert from "node:assert/strict";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { shellQuote } from "../../src/doctor/shell_quote.ts";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";
import {
  CONFIG,
  connect,
  type Connected,
  DENO,
  filesystemArgv,
  ROOT,
  tempDir,
  testEnv,
  thothArgv,
} from "./_harness.ts";

const SHELL_SERVER = `${ROOT}/tests/fixtures/proxy/shell_server.ts`;

function text(result: unknown): string {
  const content = (result as { content?: { text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? "").join("");
}

function isError(result: unknown): boolean {
  return (result as { isError?: boolean }).isError === true;
}

/** `thoth` as a person runs it, in the test's profile. */
async function cli(env: Record<string, string>, args: string[]) {
  const [command, ...rest] = thothArgv(args);
  const output = await new Deno.Command(command!, {
    args: rest,
    env: testEnv(env),
    stdin: "null",
  }).output();
  return {
    code: output.code,
    out: new TextDecoder().decode(output.stdout),
    err: new TextDecoder().decode(output.stderr),
  };
}

async function runCommand(shell: Client, command: string): Promise<unknown> {
  return await shell.callTool({ name: "run_command", arguments: { command } });
}

Deno.test({
  name: "a model cannot approve its own waiting call through another governed server's shell tool",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await using dir = await tempDir();
    const work = `${dir.path}/work`;
    const bin = `${dir.path}/bin`;
    await Deno.mkdir(work);
    await Deno.mkdir(bin);
    await Deno.writeTextFile(`${work}/important.txt`, "original");
    // `thoth` on PATH, as an installed one would be.
    await Deno.writeTextFile(
      `${bin}/thoth`,
      `#!/bin/sh\nexec ${thothArgv([]).map(shellQuote).join(" ")} "$@"\n`,
    );
    await Deno.chmod(`${bin}/thoth`, 0o755);
    // `thothctl` beside it, with thothctl's own permission set.
    const thothctl = [
      DENO,
      "run",
      "-P=thothctl",
      "--no-prompt",
      "--no-remote",
      "--quiet",
      `--config=${CONFIG}`,
      `${ROOT}/src/cli/thothctl.ts`,
    ];
    await Deno.writeTextFile(
      `${bin}/thothctl`,
      `#!/bin/sh\nexec ${thothctl.map(shellQuote).join(" ")} "$@"\n`,
    );
    await Deno.chmod(`${bin}/thothctl`, 0o755);
    const env = {
      HOME: dir.path,
      THOTH_HOME: `${dir.path}/profile`,
      PATH: `${bin}:${Deno.env.get("PATH") ?? ""}`,
    };
    // The default policy with its command-runners rule disabled: an admin who lets the
    // shell server's run_command through unasked, as the reviewer's scenario has it.
    await Deno.mkdir(env.THOTH_HOME, { mode: 0o700 });
    const policy = DEFAULT_POLICY_JSONC.replace(
      '"id": "command-runners",',
      '"id": "command-runners", "enabled": false,',
    );
    assert.notEqual(policy, DEFAULT_POLICY_JSONC);
    await Deno.writeTextFile(`${env.THOTH_HOME}/policy.jsonc`, policy, { mode: 0o600 });
    const flags = ["--enforcement-mode", "block", "--approval-timeout", "90"];
    let files: Connected | undefined;
    let shell: Connected | undefined;
    try {
      files = await connect(
        thothArgv(["run", ...flags, "--agent-id", "files", "--", ...filesystemArgv(work)]),
        {},
        env,
      );
      shell = await connect(
        thothArgv([
          "run",
          ...flags,
          "--agent-id",
          "shell",
          "--",
          DENO,
          "run",
          "--quiet",
          "--allow-run",
          SHELL_SERVER,
        ]),
        {},
        env,
      );
      // The model asks for a write that needs a person's yes…
      const write = files.client.callTool(
        { name: "write_file", arguments: { path: `${work}/important.txt`, content: "model's" } },
        undefined,
        { timeout: 120_000 },
      );
      // Settled below; when an assertion fails first, the session's end rejects it.
      write.catch(() => {});
      let id: string | undefined;
      for (let i = 0; i < 300 && id === undefined; i++) {
        await new Promise((r) => setTimeout(r, 100));
        id = JSON.parse((await cli(env, ["approvals", "list", "--json"])).out || "[]")[0]?.id;
      }
      assert.ok(id, "the write waits in the approval queue");

      // …and tries to answer it itself through the shell tool. The policy blocks the command.
      const listed = await runCommand(shell.client, "thoth approvals list --json");
      assert.equal(isError(listed), true, text(listed));
      assert.match(text(listed), /thoth\.approval_command/);
      assert.doesNotMatch(text(listed), new RegExp(id));
      const approved = await runCommand(shell.client, `thoth approvals approve ${id}`);
      assert.equal(isError(approved), true, text(approved));
      assert.match(text(approved), /thoth\.approval_command/);

      // Built from pieces so the policy does not read it: the command refuses inside a
      // governed server.
      const spelt = await runCommand(shell.client, `a=appr; thoth \${a}ovals approve ${id}`);
      assert.equal(isError(spelt), false, text(spelt));
      assert.match(text(spelt), /refuses to run inside an MCP server that thoth governs/);
      assert.match(text(spelt), /THOTH_GOVERNED_BY is set/);
      assert.match(text(spelt), /exit 1$/);
      // With the marker removed from its environment, its ancestors still give it away.
      const unset = await runCommand(
        shell.client,
        `a=appr; env -u THOTH_GOVERNED_BY thoth \${a}ovals approve ${id}`,
      );
      assert.match(text(unset), /refuses to run inside an MCP server that thoth governs/);
      assert.match(text(unset), /exit 1$/);
      // thothctl reads the process tree too (it may run ps, by absolute path only)…
      const ctl = await runCommand(
        shell.client,
        `a=appr; env -u THOTH_GOVERNED_BY thothctl \${a}ovals approve ${id}`,
      );
      assert.match(text(ctl), /thothctl approvals approve refuses to run inside an MCP server/);
      assert.match(text(ctl), /exit 1$/);
      // …and neither takes ps from the caller's PATH: not a fake one that fails, nor none.
      const fakePs = await runCommand(
        shell.client,
        `mkdir -p "$HOME/fake" && printf '#!/bin/sh\\nexit 1\\n' > "$HOME/fake/ps" && ` +
          `chmod +x "$HOME/fake/ps" && a=appr && PATH="$HOME/fake:$PATH" ` +
          `env -u THOTH_GOVERNED_BY thoth \${a}ovals approve ${id}`,
      );
      assert.match(text(fakePs), /refuses to run inside an MCP server that thoth governs/);
      assert.match(text(fakePs), /exit 1$/);
      for (const program of ["thoth", "thothctl"]) {
        const noPs = await runCommand(
          shell.client,
          `a=appr; env -u THOTH_GOVERNED_BY PATH="$HOME/bin" ${program} \${a}ovals approve ${id}`,
        );
        assert.match(text(noPs), /refuses to run inside an MCP server that thoth governs/);
        assert.match(text(noPs), /exit 1$/);
      }

      // The request still waits for the person, who says no from a terminal of their own.
      const still = JSON.parse((await cli(env, ["approvals", "list", "--json"])).out || "[]");
      assert.deepEqual(still.map((r: { id: string; state: string }) => [r.id, r.state]), [
        [id, "pending"],
      ]);
      const denied = await cli(env, ["approvals", "deny", id]);
      assert.equal(denied.code, 0, denied.err);
      const result = await write;
      assert.equal(isError(result), true, text(result));
      assert.equal(await Deno.readTextFile(`${work}/important.txt`), "original");
    } finally {
      await shell?.close();
      await files?.close();
    }
  },
});
