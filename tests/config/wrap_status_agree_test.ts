/**
 * wrap-config and status agree: thoth started through a POSIX shell or `env`
 * is not understood by both (never wrapped a second time), an entry with a
 * stray THOTH_WRAP key gets the fix wrap-config asks for, and one server name
 * starting different commands in two Claude Code projects gets two agent ids,
 * so that wrap-config never writes what its own status calls drift.
 */
import assert from "node:assert/strict";
import { planStatus } from "../../src/config/plan_status.ts";
import { planWrap } from "../../src/config/plan_wrap.ts";
import { planUnwrap } from "../../src/config/plan_unwrap.ts";
import { readThothInvocation } from "../../src/config/thoth_invocation.ts";
import { AgentIds } from "../../src/config/agent_id_for.ts";

const THOTH = "/opt/thoth/bin/thoth";
const isFile = (path: string) => path === THOTH;
const WRAP = { thothCommand: [THOTH] };

function entries(servers: Record<string, { command: string; args?: string[] }>): string {
  return JSON.stringify({ mcpServers: servers }, null, 2);
}

Deno.test("thoth started through a POSIX shell or env is not understood, never wrapped again", () => {
  const forms: [string, string[]][] = [
    ["sh", ["-c", `exec ${THOTH} run --agent-id x -- npx foo`]],
    ["/bin/bash", ["-lc", "thoth run --agent-id x -- npx foo"]],
    ["zsh", ["-c", `"${THOTH}" run -- npx foo`]],
    ["/usr/bin/dash", ["-e", "-c", "FOO=1 exec thoth run --agent-id x -- npx foo"]],
    ["bash.exe", ["-c", "cd /srv && thoth-linux-x86_64 run -- npx foo"]],
    ["/bin/busybox", ["sh", "-c", "thoth run -- npx foo"]],
    ["sh", ["-c", 'exec "$0" "$@"', THOTH, "run", "--", "npx", "foo"]],
    ["sh", ["-c", "deno run -A /src/thoth/src/cli/thoth.ts run --agent-id x -- npx foo"]],
    ["/usr/bin/env", ["thoth", "run", "--", "npx", "foo"]],
    ["env", ["VAR=1", THOTH, "run", "--agent-id", "x", "--", "npx", "foo"]],
    ["env", ["-S", `${THOTH} run -- npx foo`]],
  ];
  for (const [command, args] of forms) {
    const what = `${command} ${args.join(" ")}`;
    const found = readThothInvocation(command, args, [THOTH]);
    assert.equal(found?.kind, "not_understood", what);
    const text = entries({ w: { command, args }, plain: { command: "npx", args: ["foo"] } });
    const status = planStatus(text, { isFile });
    assert.deepEqual(status.servers.map((s) => s.state), ["not_understood", "ungoverned"], what);
    const note = status.servers[0]!.note ?? "";
    assert.match(note, /it starts thoth \(".+"\) through "(sh|bash|zsh|dash|busybox|env)"/, what);
    assert.match(note, /write thoth's absolute path as "command"/, what);
    const plan = planWrap(text, WRAP);
    assert.equal(plan.servers[0]!.action, "skipped", what);
    assert.deepEqual(plan.ungoverned?.map((s) => s.name), ["w"], what);
    const wrapped = JSON.parse(plan.text).mcpServers;
    assert.equal(wrapped.w.command, command, `${what}: left as it is`);
    assert.deepEqual(wrapped.w.args, args, `${what}: left as it is`);
    assert.equal(wrapped.plain.command, THOTH);
    assert.deepEqual(planUnwrap(text).notRestored.map((s) => s.name), ["w"], what);
  }
});

Deno.test("a thoth started under another name through sh is recognised by its path", () => {
  const governor = "/opt/acme/governor";
  const args = ["-c", `exec ${governor} run --agent-id x -- npx foo`];
  assert.equal(readThothInvocation("sh", args, [governor])?.kind, "not_understood");
  assert.equal(readThothInvocation("sh", args, [THOTH]), undefined, "not this thoth: not thoth's");
  assert.equal(
    readThothInvocation("sh", args, [], { wrapRecord: `v1;thoth=${governor}` })?.kind,
    "not_understood",
  );
  // This thoth run from source: deno, its launch words, its script, then run.
  const self = ["/usr/bin/deno", "run", "-A", "/src/x/mod.ts"];
  assert.equal(
    readThothInvocation("sh", ["-c", `${self.join(" ")} run --agent-id x -- npx foo`], self)
      ?.kind,
    "not_understood",
  );
  assert.equal(
    readThothInvocation("sh", ["-c", "deno run -A /src/x/mod.ts run"], [THOTH]),
    undefined,
    "some other mod.ts is not thoth",
  );
});

Deno.test("a shell or env that starts no thoth stays ungoverned and is wrapped", () => {
  const plain: [string, string[]][] = [
    ["sh", ["-c", "npx foo"]],
    ["bash", ["-lc", "cd /opt/thoth && npx foo"]],
    ["sh", ["-c", "npx thoth-mcp run"]],
    ["/usr/bin/env", ["npx", "foo"]],
    ["env", ["THOTH_HOME=/x", "node", "server.js"]],
    ["sh", []],
  ];
  for (const [command, args] of plain) {
    const what = `${command} ${args.join(" ")}`;
    assert.equal(readThothInvocation(command, args, [THOTH]), undefined, what);
    const text = entries({ s: { command, args } });
    assert.equal(planStatus(text, { isFile }).servers[0]!.state, "ungoverned", what);
    const plan = planWrap(text, WRAP);
    assert.equal(plan.servers[0]!.action, "wrapped", what);
    // Wrapped, it is governed, and the shell line is its upstream command.
    const after = planStatus(plan.text, { isFile }).servers[0]!;
    assert.equal(after.state, "governed", what);
    assert.equal(after.upstreamCommand, command, what);
  }
});

Deno.test("thoth run where a command stands in a shell line is asked about; a mere mention is not", () => {
  const text = entries({ e: { command: "sh", args: ["-c", "echo hi; thoth run -- npx foo"] } });
  const status = planStatus(text, { isFile });
  assert.equal(status.servers[0]!.state, "not_understood");
  assert.match(status.servers[0]!.note ?? "", /if it does not start thoth, put thoth in front/);
  assert.equal(planWrap(text, WRAP).servers[0]!.action, "skipped");
  // "thoth run" as echo's arguments starts no thoth: the server is wrapped.
  const mention = entries({ e: { command: "sh", args: ["-c", "echo thoth run; npx foo"] } });
  assert.equal(planStatus(mention, { isFile }).servers[0]!.state, "ungoverned");
  assert.equal(planWrap(mention, WRAP).servers[0]!.action, "wrapped");
});

Deno.test("status gives the fix wrap-config asks for an entry with a stray THOTH_WRAP key", () => {
  for (const disabled of [false, true]) {
    const text = JSON.stringify({
      mcpServers: { w: { command: "node", env: { THOTH_WRAP: "garbage" }, disabled } },
    });
    const row = planStatus(text, { isFile }).servers[0]!;
    assert.equal(row.state, "ungoverned");
    const plan = planWrap(text, WRAP);
    assert.equal(plan.servers[0]!.action, "skipped");
    const [refusal] = plan.servers[0]!.reasons;
    assert.match(refusal ?? "", /has a THOTH_WRAP env key; remove it by hand first$/);
    // The same fix, in the same words, before "run thoth wrap-config".
    const fix = refusal!.replace(/^not wrapped but /, "");
    assert.ok(row.note?.includes(`runs without thoth: it ${fix}, then run "thoth wrap-config"`));
    assert.doesNotMatch(row.note ?? "", /runs without thoth; run/);
  }
  // Without the key, the note is as before.
  const plain = planStatus(JSON.stringify({ mcpServers: { n: { command: "node" } } }), { isFile });
  assert.equal(plain.servers[0]!.note, 'runs without thoth; run "thoth wrap-config"');
});

const id = (entry: { args: string[] }) => entry.args[entry.args.indexOf("--agent-id") + 1];

Deno.test("wrap-config gives one name starting other commands in two projects two ids", () => {
  const text = JSON.stringify(
    {
      projects: {
        "/home/ana/app": { mcpServers: { git: { command: "uvx", args: ["mcp-server-git"] } } },
        "/home/ana/web/": { mcpServers: { git: { command: "npx", args: ["-y", "git-mcp"] } } },
        "/home/ana/docs": { mcpServers: { git: { command: "uvx", args: ["mcp-server-git"] } } },
      },
    },
    null,
    2,
  );
  const options = { ...WRAP, client: "claude-code" as const };
  const plan = planWrap(text, options);
  const wrapped = JSON.parse(plan.text).projects;
  assert.deepEqual(
    ["/home/ana/app", "/home/ana/web/", "/home/ana/docs"].map((p) => id(wrapped[p].mcpServers.git)),
    ["git", "git-web", "git"],
  );
  assert.ok(plan.servers[1]!.reasons.some((r) => r.startsWith('agent id "git-web" (')));
  // What wrap-config writes is what its status calls clean.
  const status = planStatus(plan.text, { isFile, client: "claude-code" });
  assert.equal(status.summary.drifted, 0, JSON.stringify(status.servers.map((s) => s.drift)));
  // Wrapped again: byte for byte the same.
  const again = planWrap(plan.text, options);
  assert.equal(again.changed, false);
  assert.equal(again.text, plan.text);
});

Deno.test("a server wrapped earlier keeps its id; another command of its name gets its own", () => {
  const text = JSON.stringify({
    mcpServers: { git: { command: "npx", args: ["-y", "git-mcp"] } },
    projects: {
      "/home/ana/app": {
        mcpServers: {
          git: {
            command: THOTH,
            args: ["run", "--agent-id", "git", "--enforcement-mode", "block", "--", "uvx", "g"],
          },
        },
      },
      "/srv/app": { mcpServers: { git: { command: "node", args: ["git.js"] } } },
      "/srv/tools": { mcpServers: { "git-2": { command: "node", args: ["other.js"] } } },
    },
  });
  const options = { ...WRAP, client: "claude-code" as const };
  const plan = planWrap(text, options);
  const wrapped = JSON.parse(plan.text);
  assert.deepEqual(
    [
      id(wrapped.mcpServers.git),
      id(wrapped.projects["/home/ana/app"].mcpServers.git),
      id(wrapped.projects["/srv/app"].mcpServers.git),
      id(wrapped.projects["/srv/tools"].mcpServers["git-2"]),
    ],
    ["git-3", "git", "git-app", "git-2"],
  );
  assert.equal(planStatus(plan.text, { isFile, client: "claude-code" }).summary.drifted, 0);
  assert.equal(planWrap(plan.text, options).changed, false);
});

Deno.test("AgentIds: one id per name and command; another command of the name is told apart", () => {
  const ids = new AgentIds();
  const a = { upstream: ["uvx", "a"], project: "/p/app" };
  const b = { upstream: ["npx", "b"], project: "C:\\Users\\ana\\web" };
  assert.equal(ids.for("git", a), "git");
  assert.equal(ids.for("git", { upstream: ["uvx", "a"], project: "/p/docs" }), "git");
  assert.equal(ids.for("git", b), "git-web");
  assert.equal(ids.for("git", { upstream: ["x"], project: "/q/web" }), "git-web-2");
  assert.equal(ids.for("git", { upstream: ["y"] }), "git-2");
  assert.equal(ids.whyNotPlain("git", a), undefined);
  assert.match(ids.whyNotPlain("git", b) ?? "", /starts another command/);
  assert.equal(ids.for("git"), "git", "without a command: the name's id");
});
