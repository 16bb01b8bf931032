/**
 * A client config this user may not read (mode 000, for a user without root's
 * override): `status`, `doctor` and `health` give the fix wrap-config and
 * unwrap-config give, to let this user read it or run as its owner, not to
 * put a regular file back where one is. Real `thoth` processes as uid 65534.
 */
import assert from "node:assert/strict";
import { CAN_RUN_AS_NOBODY, NOBODY, thothAsNobody } from "./_thoth_as_nobody.ts";
import { tempFolder } from "../_temp_dirs.ts";

/** A home of uid 65534 with a Claude Desktop config it may not read. */
async function unreadableConfig(): Promise<{ env: Record<string, string>; path: string }> {
  const dir = await tempFolder("thoth-unreadable-");
  await Deno.chmod(dir, 0o755);
  const home = `${dir}/home`;
  const folder = `${home}/.config/Claude`;
  await Deno.mkdir(folder, { recursive: true });
  const path = `${folder}/claude_desktop_config.json`;
  await Deno.writeTextFile(path, JSON.stringify({ mcpServers: { fs: { command: "node" } } }));
  for (const each of [home, `${home}/.config`, folder, path]) {
    await Deno.chown(each, NOBODY.uid, NOBODY.gid);
  }
  await Deno.chmod(path, 0o000);
  return { env: { HOME: home, THOTH_HOME: `${home}/.thoth` }, path };
}

Deno.test({
  name:
    "status, doctor and health say to let the user read a config it may not, as wrap-config does",
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const { env, path } = await unreadableConfig();
    const fix = `let this user read "${path}" (its owner and mode: ls -l ${path}), or run thoth ` +
      "as the user the config belongs to";
    const again = `check it again with: thoth status --config "${path}"`;

    const wrap = await thothAsNobody(["wrap-config", "--tenant-id", "acme"], { env });
    assert.equal(wrap.code, 1, wrap.err);
    assert.match(wrap.err, /cannot read config ".*": permission denied/);
    assert.ok(wrap.err.includes(`thoth: hint: ${fix}; nothing was written; then run the command`));

    const status = await thothAsNobody(["status"], { env });
    assert.equal(status.code, 1, status.out + status.err);
    assert.match(status.err, /cannot read config ".*": permission denied/);
    assert.ok(status.err.includes(`thoth: hint: ${fix}; ${again}\n`), status.err);
    assert.doesNotMatch(status.err, /put the client's config back/);

    const doctor = await thothAsNobody(["doctor", "--json"], { env });
    const checks = (JSON.parse(doctor.out) as { checks: { id: string; hint: string | null }[] })
      .checks;
    assert.equal(checks.find((check) => check.id === "client_configs")?.hint, `${fix}; ${again}`);

    const health = await thothAsNobody(["health", "--json"], { env });
    const clients = (JSON.parse(health.out) as { clients: { hint: string | null }[] }).clients;
    assert.deepEqual(clients.map((client) => client.hint), [`${fix}; ${again}`]);
  },
});
