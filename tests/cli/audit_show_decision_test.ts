/**
 * An administrator handed the decision id of a refusal finds it:
 * `thoth audit show --decision-id` takes the id as the refusal prints it and
 * shows that decision with every record tied to it (table and `--json`), the
 * table has a DECISION column so a plain `grep` finds the id, and the table
 * says what happened to each call (an outcome's tool and ok/error, a
 * cancellation's reason, a decision's reason, no one for a timed-out
 * approval). All from one real `thoth run` session.
 */
import assert from "node:assert/strict";
import { GovernedPeer, type Json, toolCall } from "../approval/_governed_peer.ts";
import { thothAudit } from "../audit/_audit_cli.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { readLogLines } from "../../src/audit/read_records.ts";

const POLICY = {
  version: 1,
  default: "allow",
  rules: [
    {
      id: "no-secrets",
      match: { tool: "read_secret" },
      decision: "block",
      reason: "secrets stay put",
    },
    { id: "del", match: { tool: "delete_*" }, decision: "step_up", reason: "destructive" },
  ],
};

/** An argument value that must never reach the table. */
const SECRET_VALUE = "VALUE-7731-do-not-show";

interface Session {
  home: string;
  /** The text of the refusal of the BLOCK and of the timed-out STEP_UP. */
  blocked: string;
  timedOut: string;
}

/** One real session: a block, a call the server fails, a cancelled call, a timed-out approval. */
async function runSession(): Promise<Session> {
  const peer = await GovernedPeer.start(POLICY, {
    flags: ["--enforcement-mode", "block", "--approval-timeout", "1"],
    capabilities: {},
  });
  const text = (m: Json): string => m.result.content[0].text;
  try {
    await peer.send(toolCall(1, "read_secret", { path: `/vault/${SECRET_VALUE}` }));
    const blocked = text(await peer.wait((m: Json) => m.id === 1));
    await peer.send(toolCall(2, "no_such_tool", {}));
    await peer.wait((m: Json) => m.id === 2);
    await peer.send(toolCall(3, "slow", { ms: 2000 }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await peer.send({
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: 3, reason: "stop" },
    });
    await peer.send(toolCall(4, "delete_everything", {}));
    const timedOut = text(await peer.wait((m: Json) => m.id === 4, 20_000));
    return { home: peer.home, blocked, timedOut };
  } finally {
    await peer.finish();
  }
}

let session: Promise<Session> | undefined;
const once = (): Promise<Session> => session ??= runSession();

/** The id a refusal names, with the sentence's final period, as a person copies it. */
function printedId(refusal: string): string {
  const found = refusal.match(/Decision (d-[0-9a-f]{16}\.)/);
  assert.ok(found, refusal);
  return found[1]!;
}

/** Every stored record, in order. */
async function stored(home: string): Promise<Record<string, unknown>[]> {
  return (await readLogLines(auditPaths(home).dir)).flatMap((l) => l.record ? [l.record] : []);
}

Deno.test("thoth audit show --decision-id finds the decision a refusal names, with its approval and session", async () => {
  const { home, timedOut } = await once();
  const given = printedId(timedOut);
  const id = given.slice(0, -1);
  const table = await thothAudit(home, "show", "--decision-id", given);
  assert.equal(table.code, 0, table.err);
  const rows = table.out.trim().split("\n");
  assert.match(
    rows[0]!,
    /^TIME \(UTC\)\s+SEQ\s+TYPE\s+DECISION\s+SERVER\s+TOOL\s+VERDICT\s+EFFECT\s/,
  );
  assert.deepEqual(rows.slice(1).map((r) => r.split(/\s+/)[3]), [
    "session_start",
    "handshake",
    "decision",
    "approval",
  ]);
  for (const row of rows.slice(3)) assert.ok(row.includes(id), row);

  const json = await thothAudit(home, "show", "--json", "--decision-id", given);
  assert.equal(json.code, 0, json.err);
  const records: Record<string, unknown>[] = json.out.trim().split("\n").map((l) => JSON.parse(l));
  const all = await stored(home);
  const decision = all.find((r) => r["decisionId"] === id && r["type"] === "decision")!;
  assert.deepEqual(records, [
    all.find((r) => r["type"] === "session_start" && r["session"] === decision["session"]),
    all.find((r) => r["type"] === "handshake" && r["session"] === decision["session"]),
    ...all.filter((r) => r["decisionId"] === id),
  ]);
  assert.deepEqual(records.map((r) => r["type"]), [
    "session_start",
    "handshake",
    "decision",
    "approval",
  ]);
});

Deno.test("thoth audit show --decision-id shows a cancelled call's cancellation and late outcome", async () => {
  const { home } = await once();
  const all = await stored(home);
  const slow = all.find((r) => r["type"] === "decision" && r["tool"] === "slow")!;
  const id = String(slow["decisionId"]);
  const json = await thothAudit(home, "show", "--json", "--decision-id", id.toUpperCase());
  assert.equal(json.code, 0, json.err);
  const types = json.out.trim().split("\n").map((l) => JSON.parse(l).type);
  assert.deepEqual(types, ["session_start", "handshake", "decision", "cancellation", "outcome"]);
  const blockedOnly = await thothAudit(home, "show", "--decision-id", `"${id}"`);
  assert.equal(blockedOnly.code, 0, blockedOnly.err);
  // The header and one row per record.
  assert.equal(blockedOnly.out.trim().split("\n").length, types.length + 1, blockedOnly.out);
});

Deno.test("thoth audit show prints each record's decision id, so grep finds the id a refusal names", async () => {
  const { home, blocked } = await once();
  const id = printedId(blocked).slice(0, -1);
  const table = await thothAudit(home, "show");
  assert.equal(table.code, 0, table.err);
  const hits = table.out.split("\n").filter((line) => line.includes(id));
  assert.equal(hits.length, 1, table.out);
  assert.match(
    hits[0]!,
    /\bdecision\s+d-[0-9a-f]{16}\s+fault\s+read_secret\s+block\s+blocked\s+no-secrets\b/,
  );
});

Deno.test("thoth audit show --decision-id refuses an unknown or malformed id, and other filters with it", async () => {
  const { home, blocked } = await once();
  const unknown = await thothAudit(home, "show", "--decision-id", "d-0000000000000000");
  assert.equal(unknown.code, 1, unknown.err);
  assert.equal(unknown.out, "");
  assert.match(
    unknown.err,
    /^thoth: error: no record of this profile's audit log names decision d-0{16}$/m,
  );
  assert.match(unknown.err, /^thoth: hint: check the id against the refusal message/m);
  const unknownJson = await thothAudit(
    home,
    "show",
    "--json",
    "--decision-id",
    "d-0000000000000000",
  );
  assert.equal(unknownJson.code, 1);
  assert.equal(JSON.parse(unknownJson.out.trim()).error.code, "audit.decision_not_found");

  const short = printedId(blocked).slice(0, -2);
  const cases: [string, RegExp, RegExp][] = [
    ["xyz", /"xyz"/, /copy the id from the refusal/],
    // A decision id a digit short is no key: the message shows it as given.
    [short, new RegExp(`"${short}"`), /copy the id from the refusal/],
    ["block", /"block"/, /to list decisions by verdict, use --decision block/],
  ];
  for (const [value, shown, hint] of cases) {
    const bad = await thothAudit(home, "show", "--decision-id", value);
    assert.equal(bad.code, 2, `${value}: ${bad.err}`);
    assert.match(
      bad.err,
      new RegExp(`${shown.source} given to --decision-id is not a decision id`),
    );
    assert.match(bad.err, hint);
    assert.equal(bad.out, "");
  }
  // The refusal's own words, and the id's 16 digits alone, find the decision.
  const id = printedId(blocked).slice(0, -1);
  for (const given of [`Decision ${id}.`, id.slice(2)]) {
    const found = await thothAudit(home, "show", "--json", "--decision-id", given);
    assert.equal(found.code, 0, `${given}: ${found.err}`);
    assert.ok(found.out.includes(`"decisionId":"${id}"`), found.out);
  }
  const verdictFlag = await thothAudit(home, "show", "--decision", printedId(blocked));
  assert.equal(verdictFlag.code, 2);
  assert.match(verdictFlag.err, /to look up one decision by its id, use --decision-id/);
  const mixed = await thothAudit(
    home,
    "show",
    "--since",
    "1d",
    "--decision-id",
    printedId(blocked),
  );
  assert.equal(mixed.code, 2);
  assert.match(mixed.err, /--decision-id .* does not go with --since/);
});

Deno.test("thoth audit show says what happened: outcome tool and ok/error, cancellation reason, decision reason, a timed-out approval's no one", async () => {
  const { home } = await once();
  const table = await thothAudit(home, "show");
  assert.equal(table.code, 0, table.err);
  const rows = table.out.split("\n");
  const row = (pattern: RegExp): string => {
    const found = rows.filter((r) => pattern.test(r));
    assert.equal(found.length, 1, `${pattern}\n${table.out}`);
    return found[0]!;
  };
  assert.match(row(/ outcome .* no_such_tool /), /\bfault\s+no_such_tool\s+error\s+in \d+ ms$/);
  assert.match(
    row(/ outcome .* slow /),
    /\bslow\s+ok\s+in \d+ ms; answered after the call was cancelled$/,
  );
  assert.match(row(/ cancellation /), /\bslow\s+the client cancelled the call$/);
  // A decision's reasons, without the rule id the RULE cell names, cut short.
  assert.match(
    row(/ decision .* read_secret /),
    /\bblock\s+blocked\s+no-secrets\s+block\s+secrets stay put; [^;]*…$/,
  );
  assert.match(
    row(/ decision .* delete_everything /),
    /no one \(timeout, queue, \d+ ms\); destructive$/,
  );
  assert.match(
    row(/ approval +d-/),
    /delete_everything\s+timeout\s+no one \(timeout, queue, \d+ ms\)/,
  );
  assert.ok(!table.out.includes(SECRET_VALUE), "an argument value reached the table");
  assert.doesNotMatch(table.out, / \? \(/, "a timed-out approval shows no one, not ?");
});
