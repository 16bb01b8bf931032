/**
 * Who the audit says approved: the OS user by its uid and the password file
 * (as `thoth approvals` names itself), never the `USER` variable, which
 * anyone can set; for a form, with the client's name from `initialize`.
 */
import assert from "node:assert/strict";
import { createApprover } from "../../src/approval/create_approver.ts";
import { buildSessionEnforcer } from "../../src/enforcer/build_session_enforcer.ts";
import { bootstrapProfile } from "../../src/identity/bootstrap_profile.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import type { ApprovalRequest } from "../../src/proxy/relay_session.ts";
import { osUserName } from "../_os_user.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { auditRecords } from "./_governed_peer.ts";
import { ROOT, startRelay, stepUpRequest, tempHome } from "./_relay_harness.ts";

Deno.test("createApprover(): a form's approver is the user given, via the client's initialize name", async () => {
  const { home, remove } = await tempHome();
  const approver = createApprover({
    thothHome: home,
    env: { USER: "ceo@example.com" },
    user: "ana",
    dialog: false,
  });
  const approvers: (string | undefined)[] = [];
  const h = await startRelay({
    approver: async (request) => {
      const outcome = await approver(request);
      approvers.push(outcome.approver);
      return outcome;
    },
    elicit: () => Promise.resolve({ action: "accept", content: { decision: "approve" } }),
  });
  try {
    await h.client.callTool({ name: "write_file", arguments: { path: "/srv/a" } });
    assert.deepEqual(approvers, ["ana via approval-test-client"]);
  } finally {
    await h.close();
    await remove();
  }
});

Deno.test("buildSessionEnforcer() records the approver it was given for a form, not USER", async () => {
  const thothHome = await tempFolder("thoth-identity-");
  await bootstrapProfile(thothHome, Deno.build.os);
  const session = await buildSessionEnforcer(
    {
      kind: "local",
      policy: parsePolicy(JSON.stringify({ version: 1, default: "step_up" }), "p.jsonc"),
      policyHash: "0".repeat(64),
      mode: "block",
      intent: undefined,
      userId: "t",
      thothHome,
      auditSync: "default",
      session: "s-identity",
      approvalTimeoutMs: 5_000,
      approvalEnv: { USER: "ceo@example.com" },
      approver: "ana",
      dialogTools: {},
    },
    "fs",
    () => {},
  );
  await session.audit!.start("fs-server", [], []);
  const request: ApprovalRequest = {
    ...stepUpRequest(
      { server: "fs", tool: "write_file", era: "initialize", protocolVersion: "2025-06-18" },
      { path: "/srv/a" },
      "d-1",
      "default",
    ),
    client: {
      elicitation: true,
      name: "Claude Code",
      request: () =>
        Promise.resolve({
          jsonrpc: "2.0",
          result: { action: "accept", content: { decision: "approve" } },
        }),
      notify: () => {},
    },
  };
  const outcome = await session.approver!(request);
  session.endSession?.();
  await session.audit!.end(0, null);
  assert.equal(outcome.approved, true, outcome.why);
  const approvals = await auditRecords(thothHome, "approval");
  assert.deepEqual(approvals.map((r) => [r.channel, r.approver]), [[
    "elicitation",
    "ana via Claude Code",
  ]]);
});

Deno.test({
  name: "approverName() names the OS user by uid and the password file, whatever USER says",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const script = `import { approverName } from "${ROOT}/src/approval/approver_name.ts";
console.log(approverName(Deno.env.toObject()));`;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", `--config=${ROOT}/deno.json`, "--quiet", script],
      env: { ...Deno.env.toObject(), USER: "ceo@example.com", USERNAME: "ceo@example.com" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.equal(new TextDecoder().decode(out.stdout).trim(), osUserName());
  },
});
