/**
 * A key pasted into a flag that takes a name or a time is hidden in the
 * message that names it: `policy explain --server` (no intent map entry for
 * it) and `audit show --since`/`--until` (a time that cannot be read).
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { fakeCliIo } from "./_fake_cli_io.ts";
import { runProgram } from "../../src/cli/program.ts";
import { policyCommand } from "../../src/cli/policy.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { thothAudit } from "../audit/_audit_cli.ts";

const KEY = "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789";
const HIDDEN = /\(value hidden: it looks like a key or token, fingerprint [0-9a-f]+\)/;

Deno.test("thoth policy explain hides a key given as --server when no intent map entry names it", async () => {
  const home = await tempFolder("thoth-policy-");
  const file = `${home}/p.jsonc`;
  await Deno.writeTextFile(file, JSON.stringify({ version: 1, default: "allow", rules: [] }));
  const io = fakeCliIo(home, { THOTH_HOME: home });
  const program = new Command("thoth").addCommand(policyCommand(io));
  const args = ["policy", "explain", "--server", KEY, "--tool", "read_file", "--policy", file];
  const code = await runProgram("thoth", program, args, io);
  assert.equal(code, 0, io.stderr);
  assert.match(io.stdout, /no intent map entry for \(value hidden: /);
  assert.ok(!(io.stdout + io.stderr).includes(KEY), io.stdout);
  const named = fakeCliIo(home, { THOTH_HOME: home });
  const again = new Command("thoth").addCommand(policyCommand(named));
  const fs = [
    "policy",
    "explain",
    "--server",
    "fs-2026.12",
    "--tool",
    "read_file",
    "--policy",
    file,
  ];
  assert.equal(await runProgram("thoth", again, fs, named), 0, named.stderr);
  assert.match(named.stdout, /no intent map entry for "fs-2026\.12"/);
});

Deno.test("thoth audit show hides a key given as --since or --until, also in its JSON error", async () => {
  const home = await tempFolder("thoth-audit-");
  for (const flag of ["--since", "--until"]) {
    for (const json of [[], ["--json"]]) {
      const run = await thothAudit(home, "show", ...json, flag, KEY);
      assert.equal(run.code, 2, run.err);
      assert.match(run.err, new RegExp(`cannot read the time ${HIDDEN.source} given to ${flag}`));
      assert.ok(!(run.out + run.err).includes(KEY), run.out + run.err);
    }
  }
  const plain = await thothAudit(home, "show", "--since", "yesterday");
  assert.match(plain.err, /cannot read the time "yesterday" given to --since/);
});
