/**
 * An administrator reading `thoth audit show` learns what thoth did with each
 * call, not only what the policy said: in a real progressive session the
 * same `step_up` verdict is forwarded with a warning, then asked about, then
 * blocked, and the EFFECT column says so in the table, in `--effect`'s
 * selection and under `--decision-id` (the id the model was told to hand to
 * an administrator). `--decision` keeps meaning the policy's verdict, and in
 * observe mode a call the policy would block shows as forwarded. `--json`
 * prints the stored lines as they are.
 */
import assert from "node:assert/strict";
import { GovernedPeer, type Json, thothCli, toolCall } from "../approval/_governed_peer.ts";
import { thothAudit } from "../audit/_audit_cli.ts";
import { tableCells, type TableRow } from "../audit/_table_cells.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { readLogLines } from "../../src/audit/read_records.ts";

const POLICY = {
  version: 1,
  default: "allow",
  rules: [
    { id: "del", match: { tool: "delete_*" }, decision: "step_up", reason: "destructive" },
    { id: "no-secrets", match: { tool: "read_secret" }, decision: "block", reason: "stay put" },
  ],
  // Violation 1 is forwarded with a warning, 2 needs approval, 3 and later are blocked.
  progressive: { window: "1h", stepUpAfter: 1, blockAfter: 2 },
};

interface Session {
  home: string;
  /** What the client was told for each call, in order. */
  answers: string[];
}

/** One real `thoth run` session in `mode` making each call of `tools` in turn. */
async function runSession(mode: string, tools: string[]): Promise<Session> {
  const peer = await GovernedPeer.start(POLICY, {
    flags: ["--enforcement-mode", mode, "--approval-timeout", "1"],
    capabilities: {},
  });
  const answers: string[] = [];
  try {
    for (const [i, tool] of tools.entries()) {
      await peer.send(toolCall(i + 1, tool, {}));
      const answer = await peer.wait((m: Json) => m.id === i + 1, 20_000);
      answers.push(String(answer.result?.content?.[0]?.text ?? JSON.stringify(answer)));
    }
    return { home: peer.home, answers };
  } finally {
    await peer.finish();
  }
}

let progressive: Promise<Session> | undefined;
/** Four calls of delete_everything in progressive mode. */
const progressiveSession = (): Promise<Session> =>
  progressive ??= runSession("progressive", Array(4).fill("delete_everything"));

/** Every stored record, in order. */
async function stored(home: string): Promise<Record<string, unknown>[]> {
  return (await readLogLines(auditPaths(home).dir)).flatMap((l) => l.record ? [l.record] : []);
}

/** The table `thoth audit show ARGS` prints, by cell. */
async function shown(home: string, ...args: string[]): Promise<TableRow[]> {
  const result = await thothAudit(home, "show", ...args);
  assert.equal(result.code, 0, result.err);
  return tableCells(result.out);
}

/** The id a refusal names. */
function refusalId(answer: string): string {
  const found = answer.match(/Decision (d-[0-9a-f]{16})\./);
  assert.ok(found, answer);
  return found[1]!;
}

Deno.test("thoth audit show: a progressive session's step_up calls show forwarded with a warning, approval requested, blocked", async () => {
  const { home } = await progressiveSession();
  const decisions = (await stored(home)).filter((r) => r["type"] === "decision");
  assert.deepEqual(decisions.map((r) => [r["verdict"], r["effect"]]), [
    ["step_up", "forwarded"],
    ["step_up", "approval_requested"],
    ["step_up", "blocked"],
    ["step_up", "blocked"],
  ], "the session the review reproduced");
  const rows = await shown(home);
  const decisionRows = rows.filter((r) => r.TYPE === "decision");
  assert.deepEqual(decisionRows.map((r) => [r.DECISION, r.VERDICT, r.EFFECT]), [
    [decisions[0]!["decisionId"], "step_up", "forwarded with a warning"],
    [decisions[1]!["decisionId"], "step_up", "approval requested"],
    [decisions[2]!["decisionId"], "step_up", "blocked"],
    [decisions[3]!["decisionId"], "step_up", "blocked"],
  ]);
  for (const row of rows.filter((r) => r.TYPE !== "decision")) {
    assert.equal(row.EFFECT, "", JSON.stringify(row));
  }
  // tail prints the same table.
  const tail = await thothCli(home, ["audit", "tail", "-n", "50"]);
  assert.equal(tail.code, 0, tail.stderr);
  assert.deepEqual(
    tableCells(tail.stdout).filter((r) => r.TYPE === "decision").map((r) => r.EFFECT),
    ["forwarded with a warning", "approval requested", "blocked", "blocked"],
  );
});

Deno.test("thoth audit show --effect lists the calls thoth blocked; --decision stays the policy's verdict", async () => {
  const { home } = await progressiveSession();
  const decisions = (await stored(home)).filter((r) => r["type"] === "decision");
  const blockedIds = decisions.slice(2).map((r) => r["decisionId"]);
  const blocked = await shown(home, "--effect", "blocked");
  assert.deepEqual(blocked.map((r) => [r.TYPE, r.DECISION, r.EFFECT]), [
    ["decision", blockedIds[0], "blocked"],
    ["decision", blockedIds[1], "blocked"],
  ]);
  assert.deepEqual(
    (await shown(home, "--effect", "blocked", "--decision", "step_up")).map((r) => r.DECISION),
    blockedIds,
  );
  assert.deepEqual(await shown(home, "--effect", "blocked", "--decision", "block"), []);
  assert.deepEqual(
    (await shown(home, "--effect", "forwarded")).map((r) => r.DECISION),
    [decisions[0]!["decisionId"]],
  );
  assert.deepEqual(await shown(home, "--decision", "block"), [], "no verdict was block");
  assert.equal((await shown(home, "--decision", "step_up")).length, 4);

  // --json prints the stored lines, the --effect selection among them.
  const json = await thothAudit(home, "show", "--json", "--effect", "blocked");
  assert.equal(json.code, 0, json.err);
  assert.deepEqual(
    json.out.trim().split("\n").map((line) => JSON.parse(line)),
    decisions.slice(2),
  );
  const all = await thothAudit(home, "show", "--json");
  const decoder = new TextDecoder();
  const lines = (await readLogLines(auditPaths(home).dir)).map((l) => decoder.decode(l.bytes));
  assert.equal(all.out, lines.map((line) => line + "\n").join(""));
});

Deno.test("thoth audit show --decision-id of the refusal the model was given says blocked", async () => {
  const { home, answers } = await progressiveSession();
  assert.equal(answers[0], "deleted everything", "violation 1 ran");
  const last = refusalId(answers[3]!);
  const rows = await shown(home, "--decision-id", `${last}.`);
  assert.deepEqual(
    rows.filter((r) => r.TYPE === "decision").map((r) => [r.DECISION, r.VERDICT, r.EFFECT]),
    [[last, "step_up", "blocked"]],
  );
  const first = (await stored(home)).find((r) => r["type"] === "decision")!;
  const firstRows = await shown(home, "--decision-id", String(first["decisionId"]));
  assert.deepEqual(
    firstRows.filter((r) => r.TYPE !== "session_start" && r.TYPE !== "handshake")
      .map((r) => [r.TYPE, r.VERDICT, r.EFFECT]),
    [["decision", "step_up", "forwarded with a warning"], ["outcome", "ok", ""]],
  );
  const asked = refusalId(answers[1]!);
  const askedRows = await shown(home, "--decision-id", asked);
  assert.deepEqual(
    askedRows.filter((r) => r.DECISION === asked).map((r) => [r.TYPE, r.VERDICT, r.EFFECT]),
    [["decision", "step_up", "approval requested"], ["approval", "timeout", ""]],
  );
});

Deno.test("thoth audit show refuses an --effect it does not know, naming the ones it does (exit 2)", async () => {
  const { home } = await progressiveSession();
  const cases: [string, RegExp | undefined][] = [
    ["bogus", undefined],
    ["block", /to list decisions by the policy's verdict, use --decision block/],
    ["", undefined],
  ];
  for (const [value, hint] of cases) {
    const bad = await thothAudit(home, "show", "--effect", value);
    assert.equal(bad.code, 2, `${value}: ${bad.err}`);
    assert.equal(bad.out, "");
    assert.match(bad.err, new RegExp(`"${value}" given to --effect is not an effect`));
    assert.match(bad.err, /use forwarded, observed, approval_requested, blocked or refused/);
    if (hint !== undefined) assert.match(bad.err, hint);
  }
  const verdict = await thothAudit(home, "show", "--decision", "blocked");
  assert.equal(verdict.code, 2, verdict.err);
  assert.match(verdict.err, /to list calls by what thoth did with them, use --effect blocked/);
  const help = await thothAudit(home, "show", "--help");
  assert.match(help.out, /--decision <verdict> +only decisions whose policy verdict is this/);
  assert.match(help.out, /--effect <effect>/);
  const withId = await thothAudit(
    home,
    "show",
    "--effect",
    "blocked",
    "--decision-id",
    "d-0000000000000000",
  );
  assert.equal(withId.code, 2, withId.err);
  assert.match(withId.err, /--decision-id .* does not go with --effect/);
});

Deno.test("thoth audit show in observe mode: a call the policy would block shows as forwarded", async () => {
  const { home, answers } = await runSession("observe", ["read_secret"]);
  assert.doesNotMatch(answers[0]!, /thoth blocked/, "observe mode forwards it");
  const byVerdict = await shown(home, "--decision", "block");
  assert.deepEqual(byVerdict.map((r) => [r.TOOL, r.VERDICT, r.EFFECT, r.MODE]), [
    ["read_secret", "block", "forwarded (observe mode)", "observe"],
  ]);
  assert.deepEqual(await shown(home, "--effect", "blocked"), []);
  assert.deepEqual(
    (await shown(home, "--effect", "observed", "--decision", "block")).map((r) => r.TOOL),
    ["read_secret"],
  );
});
