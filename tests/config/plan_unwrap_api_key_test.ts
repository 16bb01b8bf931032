/**
 * planUnwrap() reports an `--api-key` that goes with the thoth arguments as
 * planWrap() does: the server in `removedApiKeys`, the key in
 * `removedSecrets`, and a line that says so without the key.
 */
import assert from "node:assert/strict";
import { planUnwrap } from "../../src/config/plan_unwrap.ts";

const THOTH = "/opt/thoth/bin/thoth";
const KEY = "aten_thoth_agent_prod_in_unwrapped_args";

function wrapped(args: string[]): string {
  return JSON.stringify({
    mcpServers: {
      db: { command: THOTH, args: ["run", "--agent-id", "db", ...args, "--", "/bin/db"] },
      fs: { command: THOTH, args: ["run", "--agent-id", "fs", "--", "/bin/fs"] },
    },
  });
}

Deno.test("planUnwrap() reports an --api-key taken out with the thoth args, never the key", () => {
  for (const args of [["--api-key", KEY], [`--api-key=${KEY}`]]) {
    const plan = planUnwrap(wrapped(args), { apiKeyFile: "/p/proxy_api_key.json" });
    assert.ok(!plan.text.includes(KEY));
    assert.deepEqual(plan.removedApiKeys, ["db"]);
    assert.deepEqual(plan.removedSecrets, [KEY]);
    const db = plan.servers.find((server) => server.name === "db")!;
    assert.equal(db.action, "unwrapped");
    assert.match(
      db.reasons.join("; "),
      /removed --api-key with the thoth args; the key was not saved anywhere: save it with "thoth set-api-key --api-key -" \(it saves it to "\/p\/proxy_api_key\.json"\)/,
    );
    assert.ok(!JSON.stringify(plan.servers).includes(KEY));
  }
});

Deno.test("planUnwrap() reports no key where there is none", () => {
  const plan = planUnwrap(wrapped([]));
  assert.deepEqual(plan.removedApiKeys, []);
  assert.deepEqual(plan.removedSecrets, []);
});
