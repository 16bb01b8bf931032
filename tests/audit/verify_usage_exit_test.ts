/**
 * A command line `thoth audit verify` cannot read exits 3, "could not run",
 * never 2 (its code for "warnings only", which a CI gate may accept), in
 * text and in `--json`; so does an option given twice.
 */
import assert from "node:assert/strict";
import { sampleLog } from "./_log_helpers.ts";
import { thothAudit } from "./_audit_cli.ts";
import { exportSample } from "./_bundle_helpers.ts";

const MISTYPED: [string, string[], RegExp][] = [
  ["an unknown option", ["--ancor", "x"], /unknown option '--ancor'/],
  ["an option without its value", ["--anchor"], /option '--anchor <file>' argument missing/],
  ["a stray argument", ["x"], /too many arguments for 'verify'/],
];

for (const [what, args, message] of MISTYPED) {
  Deno.test(`thoth audit verify with ${what} exits 3, in text and in --json`, async () => {
    const home = await sampleLog(1, 2);
    const text = await thothAudit(home, "verify", ...args);
    assert.equal(text.code, 3, text.err);
    assert.match(text.err, new RegExp(`^thoth: error: ${message.source}`));
    assert.match(text.err, /thoth: hint: run "thoth audit verify --help" to see its usage/);
    const json = await thothAudit(home, "verify", "--json", ...args);
    assert.equal(json.code, 3, json.err);
    const error = JSON.parse(json.out).error;
    assert.equal(error.exitCode, 3);
    assert.match(error.code, /^usage\./);
    assert.match(error.message, message);
  });
}

Deno.test("thoth audit verify suggests the option it took a typo for, and masks a key-like value", async () => {
  const home = await sampleLog(1, 2);
  const r = await thothAudit(home, "verify", "--ancor", "x");
  assert.match(r.err, /thoth: hint: did you mean --anchor\?/);
  const secret = await thothAudit(home, "verify", "--api-key=sk-live-0123456789abcdefghijklmnop");
  assert.equal(secret.code, 3);
  assert.doesNotMatch(secret.err, /0123456789abcdef/);
  assert.match(secret.err, /unknown option '--api-key=…'/);
});

Deno.test("thoth audit verify refuses --bundle or --anchor given twice, exit 3", async () => {
  const home = await sampleLog(2, 4);
  const tampered = await exportSample(home);
  await Deno.writeTextFile(`${tampered}/README.md`, "changed\n");
  const clean = await exportSample(home);
  const twice = await thothAudit(home, "verify", "--bundle", tampered, "--bundle", clean);
  assert.equal(twice.code, 3, twice.out);
  assert.match(twice.err, /--bundle was given twice; give it once/);
  assert.equal(twice.out, "", "nothing was verified");
  const anchors = await thothAudit(home, "verify", "--json", "--anchor", "a", "--anchor", "b");
  assert.equal(anchors.code, 3);
  assert.equal(JSON.parse(anchors.out).error.exitCode, 3);
  assert.match(anchors.err, /--anchor was given twice/);
});
