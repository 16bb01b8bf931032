/**
 * A `prompts/get` whose arguments name thoth's own files or an MCP client's
 * config is refused as a `resources/read` of them is (a server may read a
 * file a prompt argument names): an error that says thoth protects them
 * (no path on the wire), one stderr line, a `request` record that says
 * refused, in every mode; never forwarded. A prompt with harmless arguments
 * still goes. Real `thoth run` sessions with server-everything.
 */
import assert from "node:assert/strict";
import {
  everythingArgv,
  initializeRequest,
  RawPeer,
  tempDir,
  testEnv,
  throughThoth,
} from "../e2e/_harness.ts";
import { auditRecords } from "../e2e/_governed.ts";

type Message = Record<string, unknown>;

const lines = (...messages: unknown[]) => messages.map((m) => JSON.stringify(m) + "\n").join("");

const getPrompt = (id: number, args: Record<string, string>) => ({
  jsonrpc: "2.0",
  id,
  method: "prompts/get",
  params: { name: "args-prompt", arguments: args },
});

for (const mode of ["block", "observe"]) {
  Deno.test(`thoth run (${mode} mode) refuses a prompts/get whose arguments name thoth's key file or a client's config, and records it`, async () => {
    await using dir = await tempDir();
    const home = `${dir.path}/home`;
    const user = `${dir.path}/user`;
    await Deno.mkdir(user, { recursive: true });
    const peer = new RawPeer(
      throughThoth(everythingArgv(), ["--agent-id", "everything", "--enforcement-mode", mode]),
      testEnv({ THOTH_HOME: home, HOME: user }),
    );
    const answers = new Map<unknown, Message>();
    try {
      await peer.sendRaw(lines(
        initializeRequest(0),
        { jsonrpc: "2.0", method: "notifications/initialized" },
        getPrompt(1, { city: `${home}/keys/audit-hmac.key` }),
        getPrompt(2, { city: "Paris", state: `file://${user}/.claude.json` }),
        getPrompt(3, { city: "Paris" }),
      ));
      while (![1, 2, 3].every((id) => answers.has(id))) {
        const message = await peer.next();
        if (!("method" in message)) answers.set(message["id"], message);
      }
    } finally {
      await peer.finish();
    }
    const wire = (id: number) => {
      const error = answers.get(id)!["error"] as { code: number; message: string } | undefined;
      assert.ok(error !== undefined, JSON.stringify(answers.get(id)));
      assert.equal(error.code, -32000);
      assert.ok(!error.message.includes(dir.path), `the wire names no path: ${error.message}`);
      return error.message;
    };
    assert.match(
      wire(1),
      /^thoth refused this prompts\/get: a prompt argument names one of thoth's own files, which thoth protects in every mode \(rule "thoth\.own_files"\)/,
    );
    assert.match(
      wire(2),
      /^thoth refused this prompts\/get: a prompt argument names an MCP client's configuration, which thoth protects in every mode \(rule "thoth\.client_config"\)/,
    );
    assert.match(JSON.stringify(answers.get(3)!["result"]), /Paris/, "a harmless prompt goes");
    for (const [id, rule] of [[1, "thoth.own_files"], [2, "thoth.client_config"]] as const) {
      const said = peer.stderr.split("\n").filter((line) =>
        line.includes(`refused the client's prompts/get request ${id} (rule ${rule})`)
      );
      assert.equal(said.length, 1, peer.stderr);
    }
    const records = (await auditRecords(home)).filter((r) => r["type"] === "request");
    assert.deepEqual(
      records.map((r) => [r["requestId"], r["prompt"], r["effect"], r["ruleIds"]]),
      [
        [1, "args-prompt", "refused", ["thoth.own_files"]],
        [2, "args-prompt", "refused", ["thoth.client_config"]],
        [3, "args-prompt", "forwarded", undefined],
      ],
    );
    // No argument value in clear.
    assert.ok(!JSON.stringify(records).includes("audit-hmac.key"), JSON.stringify(records));
  });
}
