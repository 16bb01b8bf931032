/**
 * The evidence of a queue approval says how it was given: a
 * `thoth approvals approve` with no terminal (a script, a process a tool
 * started) is recorded with `given.terminal: false`, shown as "answered
 * without a terminal" by `audit show` and "approved by … without a
 * terminal" by `approvals list --all`; one run at a terminal (util-linux
 * `script` gives it one) with `terminal: true`, its terminal's name, and a
 * process chain that names script (`underScript`: "under script").
 * `audit verify` accepts both. Real thoth processes, server-everything.
 */
import assert from "node:assert/strict";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { connect, everythingArgv, tempDir, testEnv, thothArgv, throughThoth } from "./_harness.ts";

const POLICY = JSON.stringify({
  version: 1,
  default: "allow",
  rules: [{ id: "ask-sum", match: { tool: "get-sum" }, decision: "step_up" }],
});

type Run = { code: number; out: string; err: string };

/** `thoth args` with `env`, no terminal: standard input from /dev/null, output piped. */
async function cli(env: Record<string, string>, args: string[]): Promise<Run> {
  const [command, ...rest] = thothArgv(args);
  const output = await new Deno.Command(command!, { args: rest, env, stdin: "null" }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, out: decode(output.stdout), err: decode(output.stderr) };
}

/** `thoth args` at a terminal of its own: util-linux `script` runs it on a new pty. */
async function atTerminal(env: Record<string, string>, args: string[]): Promise<Run> {
  const quoted = thothArgv(args).map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(" ");
  const output = await new Deno.Command("script", {
    args: ["-qec", quoted, "/dev/null"],
    env,
    stdin: "null",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, out: decode(output.stdout), err: decode(output.stderr) };
}

function hasScript(): boolean {
  try {
    return new Deno.Command("script", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

/** A get-sum call through thoth, approved by `approve(id)` once it waits in the queue. */
async function approvedCall(
  env: Record<string, string>,
  approve: (id: string) => Promise<Run>,
): Promise<void> {
  const connected = await connect(
    throughThoth(everythingArgv(), [
      "--agent-id",
      "everything",
      "--enforcement-mode",
      "block",
      "--approval-timeout",
      "60",
    ]),
    {},
    env,
  );
  try {
    const client: Client = connected.client;
    const call = client.callTool({ name: "get-sum", arguments: { a: 40, b: 2 } }, undefined, {
      timeout: 70_000,
    });
    let id: string | undefined;
    for (let i = 0; i < 300 && id === undefined; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const listed = await cli(env, ["approvals", "list", "--json"]);
      id = JSON.parse(listed.out || "[]")[0]?.id;
    }
    assert.ok(id, "the request appears in thoth approvals list");
    const approved = await approve(id);
    assert.equal(approved.code, 0, approved.out + approved.err);
    assert.match(JSON.stringify(await call), /The sum of 40 and 2 is 42/);
  } finally {
    await connected.close();
  }
}

/** The approval records of the profile, as `audit show --json` gives them. */
async function approvals(env: Record<string, string>): Promise<Record<string, unknown>[]> {
  const shown = await cli(env, ["audit", "show", "--json"]);
  assert.equal(shown.code, 0, shown.err);
  // One record a line.
  const records = shown.out.split("\n").filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return records.filter((r) => r["type"] === "approval");
}

async function profileEnv(dir: string): Promise<Record<string, string>> {
  const home = `${dir}/home`;
  await Deno.mkdir(`${home}/thoth`, { recursive: true });
  await Deno.writeTextFile(`${home}/thoth/policy.jsonc`, POLICY);
  return testEnv({ HOME: home, THOTH_HOME: `${home}/thoth` });
}

Deno.test("an approve with no terminal is recorded, shown and listed as answered without a terminal", async () => {
  await using dir = await tempDir();
  const env = await profileEnv(dir.path);
  await approvedCall(env, (id) => cli(env, ["approvals", "approve", id]));
  const [approval] = await approvals(env);
  assert.equal(approval?.["outcome"], "approved");
  assert.equal(approval?.["channel"], "queue");
  const given = approval?.["given"] as Record<string, unknown> | undefined;
  assert.equal(given?.["via"], "cli");
  assert.equal(given?.["terminal"], false);
  // It ran past the self-approval check, which read the process tree (only the variable on Windows).
  assert.equal(given?.["treeChecked"], Deno.build.os !== "windows", JSON.stringify(given));
  const verified = await cli(env, ["audit", "verify"]);
  assert.equal(verified.code, 0, verified.out + verified.err);
  const table = await cli(env, ["audit", "show"]);
  assert.match(table.out, /answered without a terminal/);
  const listed = await cli(env, ["approvals", "list", "--all"]);
  assert.match(listed.out, /approved by \S+ without a terminal/);
  const json = JSON.parse((await cli(env, ["approvals", "list", "--all", "--json"])).out);
  assert.equal(json[0]?.answerTerminal, false);
  assert.equal(json[0]?.answer?.given?.terminal, false);
});

Deno.test({
  name: "an approve at a terminal (script) is recorded with terminal true and its name",
  ignore: Deno.build.os === "windows" || !hasScript(),
  fn: async () => {
    await using dir = await tempDir();
    const env = await profileEnv(dir.path);
    await approvedCall(env, (id) => atTerminal(env, ["approvals", "approve", id]));
    const [approval] = await approvals(env);
    assert.equal(approval?.["outcome"], "approved");
    const given = approval?.["given"] as Record<string, unknown> | undefined;
    assert.equal(given?.["via"], "cli");
    assert.equal(given?.["terminal"], true);
    assert.equal(typeof given?.["tty"], "string", JSON.stringify(given));
    // The terminal was script's: its process chain says so (see answer_given.ts).
    assert.ok(
      (given?.["chain"] as string[] | undefined)?.includes("script"),
      JSON.stringify(given),
    );
    assert.equal(given?.["underScript"], true, JSON.stringify(given));
    const table = await cli(env, ["audit", "show"]);
    assert.doesNotMatch(table.out, /without a terminal/);
    assert.match(table.out, /answered under script/);
    assert.match(
      (await cli(env, ["approvals", "list", "--all"])).out,
      // Run from a process that left its parent's tree (a CI job, `cmd &`), the answer is also
      // "from a detached process".
      /approved by \S+ (from a detached process, )?under script/,
    );
    const json = JSON.parse((await cli(env, ["approvals", "list", "--all", "--json"])).out);
    assert.equal(json[0]?.answerTerminal, true);
    assert.equal(json[0]?.answer?.given?.underScript, true);
  },
});
