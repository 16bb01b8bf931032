/**
 * `thoth audit show` for a `request` record: EFFECT says whether the request
 * went to the server, DETAIL names its method and the URI or prompt it
 * asked for, then why it was refused; text a client chose never reaches
 * the terminal with its control or invisible characters (`--json` keeps
 * them exact).
 */
import assert from "node:assert/strict";
import { formatRecordTable } from "../../src/audit/format_records.ts";

const base = { seq: 1, ts: "2026-01-01T00:00:00.000Z", type: "request", session: "s" };

/** The EFFECT and DETAIL cells of the one request row. */
function cells(record: Record<string, unknown>): { effect: string; detail: string } {
  const [header, row] = formatRecordTable([{ ...base, server: "fs", ...record }]).split("\n");
  const at = (name: string) => header!.indexOf(name);
  return {
    effect: row!.slice(at("EFFECT"), at("RULE")).trim(),
    detail: row!.slice(at("DETAIL")).trim(),
  };
}

Deno.test("a request's row says what thoth did with it and what it asked for", () => {
  assert.deepEqual(
    cells({ method: "resources/read", uri: "demo://docs/a.md", effect: "forwarded" }),
    { effect: "forwarded", detail: "resources/read demo://docs/a.md" },
  );
  assert.deepEqual(
    cells({ method: "prompts/get", prompt: "greet", effect: "forwarded" }),
    { effect: "forwarded", detail: "prompts/get greet" },
  );
  assert.deepEqual(
    cells({
      method: "resources/read",
      uri: "file:///home/ana/.thoth/keys/audit-hmac.key",
      effect: "refused",
      ruleIds: ["thoth.own_files"],
      reasons: ["its params reach thoth's own profile folder"],
    }),
    {
      effect: "refused",
      detail: "resources/read file:///home/ana/.thoth/keys/audit-hmac.key; its params reach " +
        "thoth's own profile folder",
    },
  );
});

Deno.test("a request's method shows quoted, its invisible characters made visible", () => {
  const { detail } = cells({ method: "tools/call\u200b", effect: "refused" });
  // Escaped, not `?`: a method spelled with another invisible character shows apart.
  assert.equal(detail, '"tools/call\\u200b"');
  const text = cells({ method: "x", uri: "a\u001b[2Kb\u202e", effect: "refused" }).detail;
  // deno-lint-ignore no-control-regex -- what must not reach a terminal
  assert.doesNotMatch(text, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
});
