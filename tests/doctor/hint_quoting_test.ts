/**
 * The commands doctor and health hints ask to paste keep a config path (a
 * project folder's name comes from a cloned repository) and a config's
 * command a single word: nothing in it runs when the hint is pasted.
 */
import assert from "node:assert/strict";
import { checkClientConfigs } from "../../src/doctor/check_client_configs.ts";
import { checkUpstreamPath } from "../../src/doctor/check_upstream_path.ts";
import { clientConfigRemedy } from "../../src/doctor/client_config_remedy.ts";
import { testContext } from "./_helpers.ts";

const HOSTILE = "/src/x$(touch pwned)`id`/.mcp.json";

/** What `sh` makes of the word after `marker` in `hint`: its first word, read by a real shell. */
async function pastedWord(hint: string, marker: string): Promise<string> {
  const rest = hint.slice(hint.indexOf(marker) + marker.length);
  // Run in a temp folder: were anything expanded, it would run there, not here.
  const cwd = await Deno.makeTempDir({ prefix: "thoth_test_" });
  try {
    const out = await new Deno.Command("/bin/sh", {
      args: ["-c", `printf '%s\\n' ${rest}`],
      cwd,
      stdout: "piped",
      stderr: "null",
    }).output();
    assert.deepEqual([...Deno.readDirSync(cwd)], [], "the pasted hint ran a command");
    return new TextDecoder().decode(out.stdout).split("\n")[0] ?? "";
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
}

Deno.test("checkClientConfigs() hints quote a config path so that pasting them runs nothing", async () => {
  if (Deno.build.os === "windows") return;
  const check = checkClientConfigs([{
    client: "claude-code",
    configPath: HOSTILE,
    scope: "project",
    servers: [{ name: "gh", governed: false, command: "npx", upstreamCommand: null }],
  }]);
  assert.equal(check.status, "fail");
  assert.equal(
    await pastedWord(check.hint ?? "", "thoth wrap-config --client claude-code "),
    HOSTILE,
  );
  const remedy = clientConfigRemedy({ configPath: HOSTILE, problemHint: null });
  assert.equal(await pastedWord(remedy, "thoth status --config "), HOSTILE);
  // A plain path reads as it always did.
  assert.match(
    clientConfigRemedy({ configPath: "/c.json", problemHint: null }),
    /thoth status --config "\/c\.json"$/,
  );
});

Deno.test("checkUpstreamPath() hint quotes a config's command in its command -v", async () => {
  if (Deno.build.os === "windows") return;
  const command = "npx;touch pwned";
  const check = await checkUpstreamPath(testContext("/nowhere"), [{
    client: "claude-desktop",
    configPath: "/c.json",
    servers: [{ name: "fs", governed: false, command, upstreamCommand: null }],
  }]);
  assert.equal(check.status, "fail");
  const hint = check.hint ?? "";
  assert.equal(await pastedWord(hint.slice(0, hint.indexOf("), ")), "command -v "), command);
});
