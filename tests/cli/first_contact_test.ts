/**
 * What a person sees first on a fresh machine: `thoth doctor` on a profile
 * no session has run from passes the audit check (no log yet is how a new
 * profile is) and lists the places it looked for client configs one a line,
 * not as one line of a thousand characters; `thoth run --help` says that a
 * tenant without THOTH_USER_ID is refused, as wrap-config, status and
 * doctor do. The real CLI in a fresh home.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";

async function fresh(args: string[]) {
  const home = await tempFolder("thoth-first-contact-");
  return { home, ...await runThoth(args, { cwd: home, env: { HOME: home } }) };
}

Deno.test("thoth doctor on a fresh profile: no audit log yet passes, with why", async () => {
  const { out } = await fresh(["doctor"]);
  const audit = out.split("\n").find((line) => / audit +/.test(line)) ?? "";
  assert.match(audit, /^✓ audit +no audit log yet: it starts with the first governed session$/);
});

Deno.test("thoth doctor lists each place it looked for client configs on a line of its own", async () => {
  const { home, out } = await fresh(["doctor"]);
  const lines = out.split("\n");
  const at = lines.findIndex((line) => / client_configs +/.test(line));
  assert.equal(lines[at], "! client_configs     no MCP client configs found", out);
  assert.match(lines[at + 1]!, /^ +hint: install Claude Desktop/);
  assert.equal(lines[at + 2]!.trim(), "looked in:");
  assert.equal(
    lines[at + 3]!.trim(),
    `claude-desktop "${home}/.config/Claude/claude_desktop_config.json" (none)`,
  );
  const block = lines.slice(at + 2, lines.findIndex((l, i) => i > at && /^[✓!✗] /.test(l)));
  assert.ok(block.some((line) => line.trim() === `claude-code "${home}/.claude.json" (none)`));
  assert.ok(block.some((line) => line.trim() === "not looked in:"));
  for (const line of block) assert.ok(line.length < 200 + home.length, line);
});

Deno.test("thoth run --help says a tenant without THOTH_USER_ID is refused", async () => {
  const { code, out } = await fresh(["run", "--help"]);
  assert.equal(code, 0);
  const text = out.replace(/\s+/g, " ");
  assert.match(
    text,
    /--tenant-id <id> tenant for .*a tenant needs THOTH_USER_ID set in the server's environment: without it thoth run refuses to start/,
  );
});
