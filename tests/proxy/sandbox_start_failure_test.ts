/**
 * When the sandboxed proxy core cannot start, thoth relays nothing and says
 * so to the client: its `initialize` is answered, never left to a pipe that
 * closes. A server command thoth's own run permission does not cover is
 * reported as `upstream.not_permitted` (as a missing command would be), not
 * as a sandbox that cannot start; a sandbox thoth's other permissions cannot
 * grant, and a core module that does not load, are refused with thoth's
 * "cannot govern" error. The hint about `--unstable-worker-options` is given
 * only for Deno's unstable-API error, which none of these is.
 */
import assert from "node:assert/strict";
import {
  CONFIG,
  DENO,
  faultArgv,
  initializeRequest,
  RawPeer,
  ROOT,
  sandboxProbe,
  tempDir,
  testEnv,
} from "../e2e/_harness.ts";
import { bootstrapProfile } from "../../src/identity/bootstrap_profile.ts";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";

const posix = Deno.build.os !== "windows";

/** `thoth run` from source with explicit permission flags in place of the manifest's set. */
function thothWith(flags: readonly string[], args: readonly string[]): string[] {
  return [
    DENO,
    "run",
    "--no-prompt",
    "--no-remote",
    "--quiet",
    `--config=${CONFIG}`,
    "--allow-read",
    "--allow-env",
    "--allow-sys",
    ...flags,
    `${ROOT}/src/cli/thoth.ts`,
    "run",
    "--agent-id",
    "probe",
    "--enforcement-mode",
    "block",
    "--",
    ...args,
  ];
}

/** Sends `initialize`, reads its answer (failing on EOF instead), and ends the session. */
async function initialize(peer: RawPeer): Promise<{
  message: string;
  stderr: string;
  code: number;
}> {
  try {
    await peer.send(initializeRequest(1));
    const line = await peer.nextLine();
    const { code } = await peer.finish();
    assert.ok(line !== undefined, `initialize was never answered (EOF); stderr:\n${peer.stderr}`);
    const answer = JSON.parse(new TextDecoder().decode(line));
    assert.equal(answer.id, 1, JSON.stringify(answer));
    assert.ok(answer.error !== undefined, `not refused: ${JSON.stringify(answer)}`);
    return { message: answer.error.message, stderr: peer.stderr, code };
  } finally {
    await peer.finish();
  }
}

Deno.test({
  name:
    "a server command thoth's run permission does not cover is refused as upstream.not_permitted, and initialize is answered",
  ignore: !posix,
  fn: async () => {
    await using home = await tempDir("thoth-home-");
    // thoth may run deno alone: the server, `ls`, is not covered.
    const peer = new RawPeer(
      thothWith(["--allow-write", "--allow-net=127.0.0.1", `--allow-run=${DENO}`], ["ls"]),
      testEnv({ THOTH_HOME: home.path }),
    );
    const outcome = await initialize(peer);
    assert.equal(
      outcome.message,
      'thoth could not start the MCP server: thoth\'s own permissions do not let it run command "ls" ' +
        "(see thoth's stderr)",
    );
    assert.match(
      outcome.stderr,
      /thoth: error: cannot start the MCP server: thoth's permissions do not allow running "ls"\n/,
    );
    assert.match(outcome.stderr, /thoth: hint: run thoth with its manifest permission set/);
    assert.doesNotMatch(outcome.stderr, /unstable-worker-options|escalate/);
    assert.equal(outcome.code, 126);
  },
});

Deno.test({
  name:
    "a sandbox thoth's own permissions cannot grant is refused, initialize is answered, and no unstable-flag hint is given",
  ignore: !posix,
  fn: async () => {
    await using home = await tempDir("thoth-home-");
    await bootstrapProfile(home.path, Deno.build.os);
    await Deno.writeTextFile(`${home.path}/policy.jsonc`, DEFAULT_POLICY_JSONC, { mode: 0o600 });
    // thoth may write nothing under the profile but sessions/: the core's audit folder is out.
    const peer = new RawPeer(
      thothWith(["--allow-write=" + `${home.path}/sessions`, "--allow-run"], faultArgv()),
      testEnv({ THOTH_HOME: home.path }),
    );
    const outcome = await initialize(peer);
    assert.match(outcome.message, /^thoth cannot govern this server: /);
    assert.match(
      outcome.stderr,
      /thoth: error: cannot start the sandboxed proxy core: Can't escalate parent thread permissions\n/,
    );
    assert.match(outcome.stderr, /thoth: hint: .*its own permissions do not cover .*-P=thoth/);
    assert.doesNotMatch(outcome.stderr, /unstable-worker-options/);
    assert.notEqual(outcome.code, 0);
  },
});

Deno.test({
  name: "a proxy core whose module does not load is refused, and initialize is answered",
  ignore: !posix,
  fn: async () => {
    await using home = await tempDir("thoth-home-");
    const peer = sandboxProbe(
      { worker: "unloadable_worker.ts", thothHome: home.path },
      faultArgv(),
      testEnv({ THOTH_HOME: home.path }),
    );
    const outcome = await initialize(peer);
    assert.match(outcome.message, /^thoth cannot govern this server: /);
    assert.match(
      outcome.stderr,
      /thoth: error: cannot start the sandboxed proxy core: .*this core module does not load/,
    );
    assert.doesNotMatch(outcome.stderr, /unstable-worker-options/);
    assert.notEqual(outcome.code, 0);
  },
});
