import assert from "node:assert/strict";
import { checkDenoFlags } from "../../src/release/deno_flag_check.ts";
import { writeProblem } from "../../src/release/protected_path.ts";
import type { Finding } from "../../src/release/permission_finding.ts";

function findings(args: string[]): Finding[] {
  const out: Finding[] = [];
  checkDenoFlags('task "t"', "run", ["run", "-P=test", "--no-prompt", ...args, "main.ts"], 0, out);
  return out;
}

Deno.test("checkDenoFlags() reads --lock as a file deno writes", () => {
  for (const lock of ["/tmp/out.lock", "package.json", "node_modules/x.lock", "../x.lock"]) {
    const found = findings([`--lock=${lock}`]);
    assert.deepEqual(found.map((f) => f.code), ["protected_path"], lock);
  }
  for (const lock of ["deno.lock", "./deno.lock", "locks/ci.lock"]) {
    assert.deepEqual(findings([`--lock=${lock}`]), [], lock);
  }
  assert.deepEqual(findings(["--lock"]), [], "the default lock file");
});

Deno.test("writeProblem() sees a protected name behind the trailing dots and spaces Windows drops", () => {
  for (const path of ["deno.json.", "deno.json. .", "node_modules./x", "deno.lock "]) {
    assert.match(writeProblem(path) ?? "", /later deno calls read/, path);
  }
  assert.equal(writeProblem("dist/deno.json.bak"), undefined);
});
