/**
 * The audit log is append-only: what a `session_start` record names stays
 * there for good, and goes into every export bundle. Through the real
 * `thoth run` and server-everything, an ordinary tenant id (`acme-prod`, a
 * UUID) is recorded; a key given as `THOTH_TENANT_ID`, `--tenant-id` or
 * `--agent-id` is refused before anything is recorded, and the audit log
 * holds no trace of it.
 */
import assert from "node:assert/strict";
import { runThoth } from "../cli/_thoth_process.ts";
import { everythingArgv, initializeLine, tempDir } from "./_harness.ts";
import { oneSession, sessionStarts } from "./_session_start_audit.ts";

const KEY = "sk-proj-a1b2c3d4e5f6a7b8c9d0e1f2";

const INITIALIZE = initializeLine();

/** Every file under `dir`, read as text; empty when `dir` does not exist. */
async function allText(dir: string): Promise<string> {
  let text = "";
  try {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${dir}/${entry.name}`;
      text += entry.isDirectory ? await allText(path) : await Deno.readTextFile(path);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return text;
}

Deno.test("ordinary tenant ids are recorded in session_start", async () => {
  for (const tenant of ["acme-prod", "123e4567-e89b-12d3-a456-426614174000"]) {
    await using dir = await tempDir();
    const thothHome = `${dir.path}/thoth`;
    await oneSession({
      THOTH_HOME: thothHome,
      HOME: dir.path,
      THOTH_TENANT_ID: tenant,
      THOTH_USER_ID: "ana@example.com",
    });
    const starts = await sessionStarts(thothHome);
    assert.equal(starts.length, 1);
    assert.equal(starts[0]?.["tenantId"], tenant);
  }
});

Deno.test("a key as tenant or agent id is refused before the audit log records it", async () => {
  const cases: { flags: string[]; env: Record<string, string> }[] = [
    { flags: ["--agent-id", "everything"], env: { THOTH_TENANT_ID: KEY } },
    { flags: ["--agent-id", "everything", "--tenant-id", KEY], env: {} },
    { flags: ["--agent-id", "sk_live_SECRETSECRET0123456789"], env: {} },
  ];
  for (const { flags, env } of cases) {
    await using dir = await tempDir();
    const thothHome = `${dir.path}/thoth`;
    const { code, out, err } = await runThoth(["run", ...flags, "--", ...everythingArgv()], {
      env: { THOTH_HOME: thothHome, HOME: dir.path, THOTH_USER_ID: "ana@example.com", ...env },
      cwd: dir.path,
      stdin: INITIALIZE,
    });
    assert.notEqual(code, 0, err);
    assert.match(JSON.parse(out.split("\n")[0]!).error.message, /thoth/);
    assert.ok(!err.includes(KEY) && !err.includes("SECRETSECRET"), err);
    assert.deepEqual(await sessionStarts(thothHome).catch(() => []), []);
    const audit = await allText(`${thothHome}/audit`);
    assert.ok(!audit.includes(KEY) && !audit.includes("SECRETSECRET"), "the key is in the log");
  }
});
