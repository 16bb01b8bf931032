/**
 * `thoth run` itself names the approver by the OS user (uid and the password
 * file), with the client's `initialize` name for a form: `USER` set to
 * something else changes nothing. And a call waiting for a person is denied
 * after thoth's default approval timeout, 45 s, before the official SDKs'
 * 60 s request timeout (`--help` says so).
 */
import assert from "node:assert/strict";
import { DEFAULT_APPROVAL_TIMEOUT_MS } from "../../src/approval/create_approver.ts";
import { RUN_DEFAULTS } from "../../src/cli/run_options.ts";
import { osUserName } from "../_os_user.ts";
import { thothArgv } from "../e2e/_harness.ts";
import { auditRecords, GovernedPeer, toolCall } from "./_governed_peer.ts";

const POLICY = {
  version: 1,
  default: "allow",
  rules: [{ id: "ask-del", match: { tool: "delete_everything" }, decision: "step_up" }],
};

Deno.test({
  name:
    "thoth run records the OS user via the client's name as a form's approver, whatever USER says",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const peer = await GovernedPeer.start(POLICY, {
      flags: ["--enforcement-mode", "block"],
      capabilities: { elicitation: {} },
      clientName: "Example Desktop",
      env: { USER: "ceo@example.com", USERNAME: "ceo@example.com" },
    });
    try {
      await peer.send(toolCall(1, "delete_everything", { x: 1 }));
      const form = await peer.wait((m) => m.method === "elicitation/create");
      await peer.send({
        jsonrpc: "2.0",
        id: form.id,
        result: { action: "accept", content: { decision: "approve" } },
      });
      await peer.wait((m) => m.id === 1);
    } finally {
      await peer.finish();
    }
    const approvals = await auditRecords(peer.home, "approval");
    assert.deepEqual(
      approvals.map((r) => [r.channel, r.outcome, r.approver]),
      [["elicitation", "approved", `${osUserName()} via Example Desktop`]],
    );
  },
});

Deno.test("thoth run waits 45 s for a person by default, and --help says so", async () => {
  assert.equal(DEFAULT_APPROVAL_TIMEOUT_MS, 45_000);
  assert.equal(RUN_DEFAULTS.approvalTimeout * 1000, DEFAULT_APPROVAL_TIMEOUT_MS);
  const [command, ...args] = thothArgv(["run", "--help"]);
  const out = await new Deno.Command(command!, { args, stdout: "piped", stderr: "piped" }).output();
  const help = new TextDecoder().decode(out.stdout);
  assert.match(help, /--approval-timeout <seconds>[\s\S]*?\(default: 45\)/);
});
