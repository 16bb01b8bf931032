/**
 * wrap-config shows the intent it writes for a server it wraps: in the
 * "wrapped" line of its summary, and as "intent" of each server in --json
 * (null for a server without one), as its help documents.
 */
import assert from "node:assert/strict";
import { inTempDir, thoth } from "./_config_cli.ts";

async function baseConfig(dir: string): Promise<void> {
  await Deno.writeTextFile(`${dir}/intent_map.json`, JSON.stringify({ gdrive: "calendar" }));
  await Deno.writeTextFile(
    `${dir}/base.json`,
    JSON.stringify({
      mcpServers: {
        gdrive: { command: "npx", args: ["-y", "@example/gdrive"] },
        plain: { command: "npx", args: ["-y", "@example/plain"] },
      },
    }),
  );
  await Deno.mkdir(`${dir}/home/.thoth`, { recursive: true });
  await Deno.writeTextFile(
    `${dir}/home/.thoth/policy.jsonc`,
    JSON.stringify({ version: 1, default: "allow", intents: { calendar: { tools: ["*"] } } }),
  );
}

Deno.test("wrap-config's summary names the intent it writes for a server it wraps", () =>
  inTempDir(async (dir) => {
    await baseConfig(dir);
    const run = await thoth([
      "wrap-config",
      "--intent-map",
      "intent_map.json",
      "--env",
      "THOTH_USER_ID=ana@example.com",
      "--output",
      "out.json",
      "base.json",
    ], { cwd: dir });
    assert.equal(run.code, 0, run.err);
    assert.match(
      run.out,
      /^ {2}wrapped {2}gdrive {2}now runs through thoth \(enforcement mode block, intent "calendar"\); env THOTH_USER_ID added$/m,
    );
    assert.match(
      run.out,
      /^ {2}wrapped {2}plain {3}now runs through thoth \(enforcement mode block\); env THOTH_USER_ID added$/m,
    );
  }));

Deno.test("wrap-config --json gives each server its intent, null without one", () =>
  inTempDir(async (dir) => {
    await baseConfig(dir);
    const run = await thoth(
      [
        "wrap-config",
        "--json",
        "--intent-map",
        "intent_map.json",
        "--output",
        "out.json",
        "base.json",
      ],
      { cwd: dir },
    );
    assert.equal(run.code, 0, run.err);
    const doc = JSON.parse(run.out);
    const servers: { name: string; intent: string | null }[] = doc.files[0].servers;
    assert.deepEqual(
      servers.map(({ name, intent }) => ({ name, intent })),
      [{ name: "gdrive", intent: "calendar" }, { name: "plain", intent: null }],
    );
    // The help's description of the document names the field.
    const help = await thoth(["wrap-config", "--help"], { cwd: dir });
    assert.match(help.out.replace(/\s+/g, " "), /"tenantId", "intent", "decisions"/);
    assert.match(help.out.replace(/\s+/g, " "), /its "intent" is the session intent/);
  }));
