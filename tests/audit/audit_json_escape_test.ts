/**
 * `thoth audit show --json`, `audit tail --json` (and `prove`, `verify
 * --json`) print JSON whose bytes a terminal cannot act on: JSON escapes
 * only U+0000–U+001F, so DEL, the C1 controls (U+009B is a CSI), the bidi
 * marks, embeddings, overrides and isolates, and the line and paragraph
 * separators are written as `\uXXXX` escapes too, while every line still
 * parses to the stored record.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { escapeJsonForDisplay } from "../../src/audit/escape_json_for_display.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { readLogLines } from "../../src/audit/read_records.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { thothAudit } from "./_audit_cli.ts";
import { steppingClock } from "./_log_helpers.ts";

/** Every character the output must not hold raw, one of each kind. */
const EVIL = [
  "\u007f",
  "\u0085",
  "\u009b",
  "\u061c",
  "\u200b",
  "\u200e",
  "\u200f",
  "\u2028",
  "\u2029",
  "\u202a",
  "\u202e",
  "\u2066",
  "\u2069",
  "\ufeff",
  "\u{e0001}",
];
const EVIL_TOOL = `echo${EVIL.join("x")}txt.exe\u009b2J`;

/** What must not reach a terminal raw (the C0 controls apart from the newlines between lines). */
const UNSAFE =
  // deno-lint-ignore no-control-regex -- what must not reach a terminal
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff\u{e0000}-\u{e007f}]/u;

Deno.test("escapeJsonForDisplay(): escapes what a terminal acts on, and parses to the same value", () => {
  const value = { tool: EVIL_TOOL, nested: [{ "k\u202e": "\u2028\ttab\\\u202e" }], n: 1 };
  for (const json of [JSON.stringify(value), JSON.stringify(value, null, 2)]) {
    const escaped = escapeJsonForDisplay(json);
    assert.doesNotMatch(escaped.replace(/\n/g, ""), UNSAFE);
    assert.deepEqual(JSON.parse(escaped), value);
  }
  assert.equal(escapeJsonForDisplay('"a\u202eb"'), '"a\\u202eb"');
  assert.equal(escapeJsonForDisplay('"\u{e0001}"'), '"\\udb40\\udc01"');
  // Text a person reads as it is stays as it is.
  const plain = JSON.stringify({ name: "Ana Müller", city: "東京", emoji: "🙂" });
  assert.equal(escapeJsonForDisplay(plain), plain);
});

Deno.test("thoth audit show/tail --json, prove and verify --json print the stored records inert", async () => {
  const home = await tempFolder("thoth-audit-json-");
  const log = await openAuditLog({ thothHome: home, now: steppingClock(), checkpointEvery: 2 });
  await log.append({
    type: "session_start",
    session: "s",
    server: `fs${EVIL.join("")}`,
    commandDigest: "ab".repeat(32),
    envKeys: [],
  });
  await log.append({
    type: "decision",
    session: "s",
    server: "fs",
    tool: EVIL_TOOL,
    decisionId: "d-1",
    verdict: "block",
    ruleIds: [`r${EVIL.join("")}`],
    mode: "block",
    policyHash: "cd".repeat(32),
    intent: null,
    args: await log.redact({ path: "/x" }),
  });
  await log.append({ type: "session_end", session: "s", exitCode: 0, signal: null });
  await log.close();

  const decoder = new TextDecoder();
  const lines = await readLogLines(auditPaths(home).dir);
  const storedText = lines.map((l) => decoder.decode(l.bytes)).join("\n");
  assert.match(storedText, /\u202e/, "the stored line holds the character raw");
  const stored = lines.map((l) => JSON.parse(decoder.decode(l.bytes)));

  for (const args of [["show", "--json"], ["tail", "-n", "50", "--json"]]) {
    const out = await thothAudit(home, ...args);
    assert.equal(out.code, 0, out.err);
    assert.doesNotMatch(out.out.replace(/\n/g, ""), UNSAFE, `audit ${args.join(" ")} printed raw`);
    const printed = out.out.trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(printed, stored, `audit ${args.join(" ")} changed a record`);
  }
  const prove = await thothAudit(home, "prove", "--seq", "1");
  assert.equal(prove.code, 0, prove.err);
  assert.doesNotMatch(prove.out.replace(/\n/g, ""), UNSAFE, "audit prove printed raw");
  assert.equal(JSON.parse(prove.out).record, decoder.decode(lines[1]!.bytes), "the stored line");
  const verify = await thothAudit(home, "verify", "--json");
  assert.doesNotMatch(verify.out.replace(/\n/g, ""), UNSAFE, "audit verify --json printed raw");
  JSON.parse(verify.out);
});
