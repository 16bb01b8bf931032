/**
 * The proxy core's sandbox and the profile: a core subverted by what it
 * relays cannot read or rewrite what governs later sessions (the policy, the
 * intent map), read the credentials or the audit keys, or connect to the
 * tenant's hosts. Only its session's folders are its own; the thread that
 * starts it makes what is missing (the keys, with their modes) and hands the
 * keys over, and the evidence it writes still verifies, on a first run and
 * after.
 */
import assert from "node:assert/strict";
import { faultArgv, initializeRequest, sandboxProbe, tempDir } from "./_harness.ts";
import { readProbeReport } from "../fixtures/sandbox/probe_report.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";

const NOT_CAPABLE = /^NotCapable: Requires (read|write) access/;

/** One session through the probing core: initialize, one governed call, EOF. */
async function probedSession(home: string): Promise<Record<string, string>> {
  const probe = {
    worker: "profile_worker.ts",
    thothHome: home,
    mode: "block",
    env: {
      THOTH_TENANT_ID: "acme",
      THOTH_APEX_DOMAIN: "example.com",
      THOTH_USER_ID: "ana@example.com",
    },
  };
  const peer = sandboxProbe(probe, faultArgv());
  try {
    await peer.send(initializeRequest(1));
    await peer.responseTo(1);
    await peer.send({
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "echo", arguments: { x: 1 } },
    });
    assert.match(JSON.stringify(await peer.responseTo(2)), /echo: \{\\"x\\":1\}/, peer.stderr);
    assert.equal((await peer.finish()).code, 0, peer.stderr);
    return readProbeReport(peer.stderr, "profile");
  } finally {
    await peer.finish();
  }
}

Deno.test("a sandboxed core reaches only its session's folders of THOTH_HOME, and its evidence verifies", async () => {
  await using home = await tempDir("thoth-home-");
  const secret = { mode: 0o600 };
  await Deno.writeTextFile(`${home.path}/intent_map.json`, "{}\n", secret);
  await Deno.writeTextFile(`${home.path}/proxy_api_key.json`, '{"key":"bait"}\n', secret);
  await Deno.mkdir(`${home.path}/sessions`, { mode: 0o700 });
  await Deno.writeTextFile(
    `${home.path}/sessions/acme--govapi.example.com--admin-token.jwt`,
    "bait",
    secret,
  );

  // A first run: no policy, no audit folder, no keys yet.
  const first = await probedSession(home.path);
  for (
    const name of [
      "readPolicy",
      "writePolicy",
      "writePolicyThroughAudit",
      "readIntentMap",
      "writeIntentMap",
      "readApiKey",
      "readSession",
      "readHmacKey",
      "readSigningKey",
      "readPublicKeys",
      "writeSigningKey",
      "listHome",
      "newFileInHome",
    ]
  ) {
    assert.match(first[name] ?? "", NOT_CAPABLE, `${name}: ${first[name]}`);
  }
  assert.equal(first["listAudit"], "allowed", "the audit folder is the session's");
  assert.equal(first["listApprovals"], "allowed", "block mode may queue a question");
  assert.notEqual(first["netEnforcer"], "granted", "no network for the unused enforcer");
  assert.notEqual(first["netGrid"], "granted", "no network for the unused fleet host");
  await assert.rejects(Deno.stat(`${home.path}/planted.json`), Deno.errors.NotFound);
  assert.equal(await Deno.readTextFile(`${home.path}/intent_map.json`), "{}\n");

  // The keys were made outside the core, with the modes thoth always gave them.
  if (Deno.build.os !== "windows") {
    for (const [path, mode] of [["keys", 0o700], ["audit", 0o700]] as const) {
      assert.equal((await Deno.stat(`${home.path}/${path}`)).mode! & 0o777, mode, path);
    }
    for (const file of ["audit-hmac.key", "audit-signing.key", "audit-signing-keys.json"]) {
      assert.equal((await Deno.stat(`${home.path}/keys/${file}`)).mode! & 0o777, 0o600, file);
    }
  }
  const once = await verifyLocalLog(home.path);
  assert.notEqual(once.status, "tampered", JSON.stringify(once.findings));
  assert.ok(once.checkpoints.verified >= 1, "the core signed with the key it was handed");
  assert.deepEqual(once.findings.filter((f) => f.severity !== "info"), []);

  // A later run takes the same keys and continues the same log.
  await probedSession(home.path);
  const twice = await verifyLocalLog(home.path);
  assert.deepEqual(twice.findings.filter((f) => f.severity !== "info"), []);
  assert.ok(twice.records > once.records);
  assert.ok(twice.checkpoints.verified > once.checkpoints.verified);
  const keys = JSON.parse(await Deno.readTextFile(`${home.path}/keys/audit-signing-keys.json`));
  assert.equal(keys.length, 1, "no new key was made");
});
