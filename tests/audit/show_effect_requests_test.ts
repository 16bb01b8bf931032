/**
 * `thoth audit show --effect` lists what thoth did with everything the client
 * asked for, not only with tool calls: in a real `thoth run` session with
 * server-everything, a resource read of thoth's own key file and a method
 * variant are refused, and show under `--effect blocked` (and its synonym
 * `refused`) beside the blocked call; the resource read and the prompt that
 * went to the server show under `--effect forwarded` beside the forwarded
 * call. `observed` and `approval_requested` stay decisions' alone, and
 * `--decision` (a policy verdict, which no request has) keeps decisions only.
 * `--json` prints the stored lines, whose `type` says which kind each is.
 */
import assert from "node:assert/strict";
import {
  everythingArgv,
  initializeRequest,
  RawPeer,
  testEnv,
  throughThoth,
} from "../e2e/_harness.ts";
import { profileWithRules } from "../e2e/_governed.ts";
import { thothAudit } from "./_audit_cli.ts";
import { tableCells, type TableRow } from "./_table_cells.ts";

const request = (id: number, method: string, params: unknown) => ({
  jsonrpc: "2.0",
  id,
  method,
  params,
});

/** The profile after one block-mode session in which `echo` is blocked, run once. */
let session: Promise<string> | undefined;
const sessionHome = (): Promise<string> => session ??= runSession();

async function runSession(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "thoth-show-effect-" });
  globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
  const home = await profileWithRules(dir, [
    { id: "no-echo", match: { tool: "echo" }, decision: "block", reason: "not here" },
  ]);
  const peer = new RawPeer(
    throughThoth(everythingArgv(), ["--agent-id", "everything", "--enforcement-mode", "block"]),
    testEnv({ THOTH_HOME: home }),
  );
  try {
    await peer.send(initializeRequest(0));
    await peer.responseTo(0);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    const asked = [
      request(1, "tools/call", { name: "echo", arguments: { message: "hi" } }),
      request(2, "tools/call", { name: "get-sum", arguments: { a: 2, b: 40 } }),
      request(3, "resources/read", { uri: "demo://resource/static/document/architecture.md" }),
      request(4, "resources/read", { uri: `file://${home}/keys/audit-hmac.key` }),
      request(5, "prompts/get", { name: "simple-prompt" }),
      request(6, "Prompts/Get", { name: "simple-prompt" }),
    ];
    // One at a time: the log holds them in this order.
    for (const message of asked) {
      await peer.send(message);
      await peer.responseTo(message.id, 30_000);
    }
  } finally {
    await peer.finish();
  }
  return home;
}

/** The table `thoth audit show ARGS` prints, by cell. */
async function shown(home: string, ...args: string[]): Promise<TableRow[]> {
  const result = await thothAudit(home, "show", ...args);
  assert.equal(result.code, 0, result.err);
  return tableCells(result.out);
}

/** A row as [type, tool, effect, rule, detail's first word]: enough to tell each apart. */
const brief = (rows: TableRow[]) =>
  rows.map((r) => [r.TYPE, r.TOOL, r.EFFECT, r.RULE, r.DETAIL!.split(" ")[0]]);

Deno.test("thoth audit show --effect blocked lists the requests thoth refused beside the calls it blocked", async () => {
  const home = await sessionHome();
  const blocked = await shown(home, "--effect", "blocked");
  assert.deepEqual(brief(blocked), [
    ["decision", "echo", "blocked", "no-echo", "not"],
    ["request", "", "refused", "thoth.own_files", "resources/read"],
    ["request", "", "refused", "thoth.method_variant", "Prompts/Get"],
  ]);
  assert.deepEqual(await shown(home, "--effect", "refused"), blocked, "refused is blocked");
  assert.deepEqual(await shown(home, "--effect", "blocked", "--server", "everything"), blocked);
  assert.deepEqual(await shown(home, "--effect", "blocked", "--server", "other"), []);
});

Deno.test("thoth audit show --effect forwarded lists the requests that went to the server beside the calls", async () => {
  const home = await sessionHome();
  assert.deepEqual(brief(await shown(home, "--effect", "forwarded")), [
    ["decision", "get-sum", "forwarded", "policy.default", "no"],
    ["request", "", "forwarded", "", "resources/read"],
    ["request", "", "forwarded", "", "prompts/get"],
  ]);
  // Never decided, a request is neither observed nor waits for an approval.
  assert.deepEqual(await shown(home, "--effect", "observed"), []);
  assert.deepEqual(await shown(home, "--effect", "approval_requested"), []);
});

Deno.test("thoth audit show --decision keeps decisions only, with or without --effect", async () => {
  const home = await sessionHome();
  assert.deepEqual(brief(await shown(home, "--effect", "blocked", "--decision", "block")), [
    ["decision", "echo", "blocked", "no-echo", "not"],
  ]);
  assert.deepEqual(brief(await shown(home, "--decision", "allow")), [
    ["decision", "get-sum", "forwarded", "policy.default", "no"],
  ]);
  assert.deepEqual(await shown(home, "--effect", "forwarded", "--decision", "block"), []);
});

Deno.test("thoth audit show --json --effect prints the stored lines, each saying its kind", async () => {
  const home = await sessionHome();
  const json = await thothAudit(home, "show", "--json", "--effect", "refused");
  assert.equal(json.code, 0, json.err);
  const records = json.out.trim().split("\n").map((line) => JSON.parse(line));
  assert.deepEqual(
    records.map((r) => [r.type, r.tool ?? r.method, r.effect]),
    [["decision", "echo", "blocked"], ["request", "resources/read", "refused"], [
      "request",
      "Prompts/Get",
      "refused",
    ]],
  );
  // Exactly the stored lines, as show --json prints the whole log.
  const all = (await thothAudit(home, "show", "--json")).out.split("\n");
  for (const line of json.out.trim().split("\n")) assert.ok(all.includes(line), line);
});

Deno.test("thoth audit show --help and its refusal of an unknown --effect name the request effects", async () => {
  const home = await sessionHome();
  const help = await thothAudit(home, "show", "--help");
  assert.match(
    help.out.replace(/\s+/g, " "),
    /blocked or refused \(the same: calls blocked and requests refused\)/,
  );
  assert.match(help.out.replace(/\s+/g, " "), /a request's .* EFFECT is forwarded or refused/);
  const bad = await thothAudit(home, "show", "--effect", "denied");
  assert.equal(bad.code, 2, bad.err);
  assert.match(bad.err, /use forwarded, observed, approval_requested, blocked or refused/);
});
