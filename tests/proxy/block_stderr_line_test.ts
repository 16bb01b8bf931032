/**
 * Every call thoth blocks gets one line on stderr, whatever blocked it (a
 * policy rule, the session intent, a detector, a failed tool listing), since
 * the MCP client's log is the person's only view: the call, the decision id,
 * the rule and why, and the command that shows the decision, for this
 * profile. The model's refusal names the decision id and leaves the rest to
 * that line. A call blocked because thoth could not list the server's tools
 * is told to the model as a technical failure, not a governance decision.
 * A call blocked by several rules names them all, as "rules", on the line.
 */
import assert from "node:assert/strict";
import {
  DENO,
  faultArgv,
  initializeRequest,
  RawPeer,
  ROOT,
  tempDir,
  testEnv,
  throughThoth,
} from "../e2e/_harness.ts";
import { thothCli } from "../approval/_governed_peer.ts";

const POLICY = {
  version: 1,
  default: "allow",
  intents: { echo_only: { tools: ["echo", "split"], description: "echo only" } },
  rules: [{
    id: "no-split",
    match: { tool: "split" },
    decision: "block",
    reason: "splits are off limits",
  }],
  detectors: { secrets: "block", phi: "off", pii: "off" },
};

function toolCall(id: number, name: string, args: unknown) {
  return { jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } };
}

/** The refusal text of call `id`, and the decision id it names. */
async function refusal(peer: RawPeer, id: number): Promise<{ text: string; decision: string }> {
  const answer = await peer.responseTo(id, 30_000) as {
    result?: { isError?: boolean; content?: { text: string }[] };
  };
  assert.equal(answer.result?.isError, true, JSON.stringify(answer));
  const text = answer.result!.content![0]!.text;
  const decision = /Decision (d-[0-9a-f]+)\./.exec(text)?.[1];
  assert.ok(decision !== undefined, text);
  return { text, decision };
}

/** Lines of `stderr` that name `decision`. */
function linesNaming(stderr: string, decision: string): string[] {
  return stderr.split("\n").filter((line) => line.includes(decision));
}

Deno.test("thoth run writes one stderr line for each blocked call, with the command that shows it", async () => {
  await using dir = await tempDir();
  const home = `${dir.path}/home`;
  await Deno.mkdir(home);
  await Deno.writeTextFile(`${home}/policy.jsonc`, JSON.stringify(POLICY));
  const peer = new RawPeer(
    throughThoth(faultArgv(["--log", `${dir.path}/server.log`]), [
      "--agent-id",
      "fault",
      "--enforcement-mode",
      "block",
      "--intent",
      "echo_only",
    ]),
    testEnv({ THOTH_HOME: home }),
  );
  const refusals: { rule: string; text: string; decision: string }[] = [];
  try {
    await peer.send(initializeRequest(0));
    await peer.responseTo(0, 30_000);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await peer.send(toolCall(1, "split", {}));
    refusals.push({ rule: "no-split", ...await refusal(peer, 1) });
    await peer.send(toolCall(2, "garbage", {}));
    refusals.push({ rule: "intent.out_of_scope", ...await refusal(peer, 2) });
    await peer.send(toolCall(3, "echo", { note: "ghp_R4abcdefghijklmnopqrstuvwxyz0123456789" }));
    refusals.push({ rule: "detector.secret", ...await refusal(peer, 3) });
  } finally {
    await peer.finish();
  }
  for (const { rule, text, decision } of refusals) {
    assert.doesNotMatch(text, /thoth audit|administrator/, text);
    const lines = linesNaming(peer.stderr, decision);
    assert.equal(lines.length, 1, `one line for ${rule}:\n${peer.stderr}`);
    const line = lines[0]!;
    assert.match(line, /^thoth: blocked tool "[a-z]+" on server "fault" \(decision /, line);
    assert.ok(line.includes(`(decision ${decision}, rule ${rule}`), line);
    assert.ok(
      line.endsWith(`thoth audit show --decision-id ${decision}"`),
      `the command that shows it: ${line}`,
    );
    // The profile is not the default one: the command names it, so another terminal finds it.
    assert.ok(line.includes(`"THOTH_HOME='${home}' thoth audit show`), line);
    assert.ok(!line.includes("R4abcdefghijklmnop"), "no argument value on stderr");
  }
  // The command it names works.
  const shown = await thothCli(home, ["audit", "show", "--decision-id", refusals[0]!.decision]);
  assert.equal(shown.code, 0, shown.stderr);
  assert.ok(shown.stdout.includes(refusals[0]!.decision), shown.stdout);
});

Deno.test("a call thoth could not list the tools for is a technical failure to the model, and blocked on stderr", async () => {
  await using dir = await tempDir();
  const home = `${dir.path}/home`;
  await Deno.mkdir(home);
  await Deno.writeTextFile(`${home}/policy.jsonc`, '{ "version": 1, "default": "allow" }');
  const server = [DENO, "run", "--quiet", `${ROOT}/tests/fixtures/proxy/list_error_server.ts`];
  const peer = new RawPeer(
    throughThoth(server, ["--agent-id", "lister", "--enforcement-mode", "block"]),
    testEnv({ THOTH_HOME: home }),
  );
  let refused: { text: string; decision: string };
  try {
    await peer.send(initializeRequest(0));
    await peer.responseTo(0, 30_000);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await peer.send(toolCall(1, "anything", {}));
    refused = await refusal(peer, 1);
  } finally {
    await peer.finish();
  }
  const { text, decision } = refused;
  assert.match(text, /^thoth did not run tool "anything" on server "lister": thoth could not list/);
  assert.match(text, /neither a tool failure nor a policy decision/);
  assert.doesNotMatch(text, /governance decision|backend down|\/srv\//, text);
  const lines = linesNaming(peer.stderr, decision);
  assert.equal(lines.length, 1, peer.stderr);
  assert.match(lines[0]!, /^thoth: blocked tool "anything" on server "lister" \(decision /);
  assert.ok(lines[0]!.includes(`rule thoth.listing_failed): thoth could not list`), lines[0]);
});

Deno.test("a call blocked by several rules gets a stderr line that says rules, and names each", async () => {
  await using dir = await tempDir();
  const home = `${dir.path}/home`;
  await Deno.mkdir(home);
  const rule = (id: string, reason: string) => ({
    id,
    match: { tool: "split" },
    decision: "block",
    reason,
  });
  await Deno.writeTextFile(
    `${home}/policy.jsonc`,
    JSON.stringify({
      version: 1,
      default: "allow",
      rules: [rule("no-split", "splits are off limits"), rule("no-cuts", "cuts are off limits")],
    }),
  );
  const peer = new RawPeer(
    throughThoth(faultArgv(["--log", `${dir.path}/server.log`]), [
      "--agent-id",
      "fault",
      "--enforcement-mode",
      "block",
    ]),
    testEnv({ THOTH_HOME: home }),
  );
  let refused: { text: string; decision: string };
  try {
    await peer.send(initializeRequest(0));
    await peer.responseTo(0, 30_000);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await peer.send(toolCall(1, "split", {}));
    refused = await refusal(peer, 1);
  } finally {
    await peer.finish();
  }
  assert.match(refused.text, / by rules "no-split", "no-cuts" \(/, refused.text);
  const lines = linesNaming(peer.stderr, refused.decision);
  assert.equal(lines.length, 1, peer.stderr);
  assert.ok(
    lines[0]!.includes(
      `(decision ${refused.decision}, rules no-split, no-cuts): splits are off limits; ` +
        "cuts are off limits;",
    ),
    lines[0],
  );
});
