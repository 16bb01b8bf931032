/**
 * `wrap-config --json` carries, on each server whose tenant needs a user id
 * that its `env` does not set, the `config.will_not_start` problem the human
 * warning words: a warning, not an error (only the client's own environment
 * could still supply THOTH_USER_ID, and no check can see it), so the command
 * still exits 0 and `ok` stays true. Before, the JSON listed no problem for
 * such a server while stderr warned that `thoth run` refuses to start it.
 * Real config files in temp folders.
 */
import assert from "node:assert/strict";
import { inTempDir, thoth } from "./_config_cli.ts";

interface Problem {
  code: string;
  severity: string;
  message: string;
  remedy: string | null;
}

/** The problems of each server of the document's first file, by name. */
function problemsOf(out: string): Map<string, Problem[]> {
  const doc = JSON.parse(out);
  return new Map(
    doc.files[0].servers.map((server: { name: string; problems: Problem[] }) => [
      server.name,
      server.problems,
    ]),
  );
}

Deno.test("wrap-config --json: a tenant's server with no THOTH_USER_ID in its env carries a will_not_start warning", async () => {
  await inTempDir(async (dir) => {
    const config = `${dir}/c.json`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        mcpServers: {
          gh: { command: "/usr/bin/mcp-clock", env: { THOTH_TENANT_ID: "acme" } },
          plain: { command: "/usr/bin/mcp-clock" },
          named: {
            command: "/usr/bin/mcp-clock",
            env: { THOTH_TENANT_ID: "acme", THOTH_USER_ID: "ana@example.com" },
          },
        },
      }),
    );
    for (const dryRun of [true, false]) {
      const run = await thoth(
        ["wrap-config", "--json", ...(dryRun ? ["--dry-run"] : []), config],
        { cwd: dir },
      );
      assert.equal(run.code, 0, run.err);
      assert.match(
        run.err,
        /no THOTH_USER_ID written for tenant "acme": thoth run refuses to start "gh"/,
      );
      const doc = JSON.parse(run.out);
      assert.equal(doc.ok, true);
      assert.deepEqual(doc.failures, []);
      const problems = problemsOf(run.out);
      const gh = problems.get("gh") ?? [];
      assert.deepEqual(gh.map((p) => `${p.code}/${p.severity}`), ["config.will_not_start/warning"]);
      assert.match(
        gh[0]!.message,
        /^thoth run will refuse to start it unless the client's own environment sets THOTH_USER_ID: THOTH_USER_ID is not set, and governed runs for tenant "acme" need it/,
      );
      assert.match(gh[0]!.remedy ?? "", /--env THOTH_USER_ID=you@company\.com/);
      assert.deepEqual(problems.get("plain"), []);
      assert.deepEqual(problems.get("named"), []);
    }
    // Wrapped again (the entry now thoth's), it still carries the warning; with the user id, none.
    const again = await thoth(["wrap-config", "--json", config], { cwd: dir });
    assert.deepEqual(
      (problemsOf(again.out).get("gh") ?? []).map((p) => p.code),
      ["config.will_not_start"],
    );
    const fixed = await thoth(
      ["wrap-config", "--json", "--env", "THOTH_USER_ID=ana@example.com", config],
      { cwd: dir },
    );
    assert.equal(fixed.code, 0, fixed.err);
    assert.deepEqual(problemsOf(fixed.out).get("gh"), []);
  });
});
