/**
 * A server of one name in two Claude Code projects runs under two agent ids
 * (`git`, `git-web`): the intent map entry under the name reaches only one.
 * `thoth status` reports the other as drift with the fix, and wrap-config
 * writes the intent as `--intent` on it, rather than let it run, silently,
 * with no intent. A key that only shares a prefix (`fs` for `fs-prod`) or is
 * another server's agent id is never taken.
 */
import assert from "node:assert/strict";
import { parseTree } from "jsonc-parser";
import { planStatus } from "../../src/config/plan_status.ts";
import { classifyEntry } from "../../src/config/classify_entry.ts";
import { wrapEntry } from "../../src/config/wrap_entry.ts";
import { planWrap } from "../../src/config/plan_wrap.ts";
import { AgentIds } from "../../src/config/agent_id_for.ts";
import { thothRunReaders } from "../../src/cli/run_readers.ts";
import { tempFolder } from "../_temp_dirs.ts";

const THOTH = "/opt/thoth/bin/thoth";
const isFile = (path: string) => path === THOTH;
const MAP = {
  "notes café": "calendar_management",
  git: "calendar_management",
  fs: "calendar_management",
};

async function profile(map: Record<string, string>): Promise<string> {
  const home = await tempFolder("thoth-intent-name-");
  await Deno.writeTextFile(`${home}/intent_map.json`, JSON.stringify(map));
  return home;
}

function wrapped(id: string, upstream: string[]): { command: string; args: string[] } {
  return {
    command: THOTH,
    args: ["run", "--agent-id", id, "--enforcement-mode", "block", "--", ...upstream],
  };
}

Deno.test("status: a server whose name has an intent map entry its agent id misses is drift", async () => {
  const home = await profile(MAP);
  const text = JSON.stringify({
    projects: {
      "/home/ana/app": {
        mcpServers: {
          git: wrapped("git", ["git-mcp"]),
          "notes café": wrapped("notes-cafe", ["notes-a"]),
          fs: wrapped("fs", ["fs-mcp"]),
        },
      },
      "/home/ana/web": {
        mcpServers: {
          git: wrapped("git-web", ["uvx", "mcp-git"]),
          "notes café": wrapped("notes-cafe-web", ["notes-b"]),
          "fs-prod": wrapped("fs-prod", ["fs-mcp", "--prod"]),
        },
      },
    },
  });
  const status = planStatus(text, { isFile, run: thothRunReaders(home) });
  const row = (id: string) => status.servers.find((server) => server.agentId === id)!;
  const intentDrift = (id: string) => row(id).drift.filter((d) => d.includes("intent map"));

  assert.equal(row("git").intent, "calendar_management");
  assert.deepEqual(intentDrift("git"), []);
  assert.equal(row("fs").intent, "calendar_management");

  assert.equal(row("git-web").intent, null);
  assert.equal(intentDrift("git-web").length, 1);
  assert.match(
    intentDrift("git-web")[0]!,
    /gives "git" the intent "calendar_management", but this server runs as "git-web" with none/,
  );
  assert.match(
    intentDrift("git-web")[0]!,
    /add "git-web" to the intent map, or run "thoth wrap-config" again/,
  );

  assert.equal(row("notes-cafe-web").intent, null);
  assert.match(intentDrift("notes-cafe-web").join("\n"), /gives "notes café" the intent/);

  // Refused as before (a server name that may stand for it): no second report.
  assert.equal(row("notes-cafe").refusals.length, 1);
  assert.deepEqual(
    intentDrift("notes-cafe").filter((d) => d.includes("with none")),
    [],
  );
  // "fs" is another server's id, and only shares a prefix with "fs-prod".
  assert.equal(row("fs-prod").intent, null);
  assert.deepEqual(intentDrift("fs-prod"), []);
});

Deno.test("status: a key that is the agent id of a server of another name is not taken", async () => {
  const home = await profile({ git: "calendar_management" });
  const text = JSON.stringify({
    mcpServers: {
      // Named "tools", given the id "git" by hand: the entry "git" is this server's.
      tools: wrapped("git", ["git-mcp"]),
      git: wrapped("git-2", ["uvx", "mcp-git"]),
    },
  });
  const status = planStatus(text, { isFile, run: thothRunReaders(home) });
  assert.equal(status.servers[0]!.intent, "calendar_management");
  assert.deepEqual(status.servers[1]!.drift.filter((d) => d.includes("intent map")), []);
});

function wrapOne(entryText: string, name: string, ids: AgentIds, home: string, project: string) {
  const kind = classifyEntry(parseTree(entryText)!);
  assert.equal(kind.kind, "stdio");
  if (kind.kind !== "stdio") throw new Error("not stdio");
  return wrapEntry(entryText, kind, name, {
    thothCommand: [THOTH],
    agentIds: ids,
    project,
    run: thothRunReaders(home),
  });
}

Deno.test("wrap-config writes the intent the map gives a server's name onto its derived id", async () => {
  const home = await profile(MAP);
  // New: "git" in the first project keeps "git"; the one in the second is "git-web".
  const ids = new AgentIds();
  ids.keep("git", "git", ["git-mcp"]);
  const fresh = wrapOne(
    '{"command": "uvx", "args": ["mcp-git"]}',
    "git",
    ids,
    home,
    "/home/ana/web",
  );
  assert.equal(fresh.action, "wrapped");
  const args = fresh.edits.map((edit) => edit.content).join(" ");
  assert.match(args, /"--agent-id", *"git-web"/);
  assert.match(args, /"--intent", *"calendar_management"/);
  assert.match(
    fresh.reasons.join("\n"),
    /intent "calendar_management" written as --intent: the intent map ".*intent_map.json" gives "git" that intent, but this server runs as "git-web"/,
  );

  // Already wrapped as "notes-cafe-web" with no intent (by an earlier wrap-config): updated.
  const ids2 = new AgentIds();
  ids2.keep("notes café", "notes-cafe", ["notes-a"]);
  ids2.keep("notes café", "notes-cafe-web", ["notes-b"]);
  const old = wrapOne(
    JSON.stringify(wrapped("notes-cafe-web", ["notes-b"])),
    "notes café",
    ids2,
    home,
    "/home/ana/web",
  );
  assert.equal(old.action, "updated");
  assert.match(old.edits.map((edit) => edit.content).join(" "), /"--intent","calendar_management"/);
  assert.match(old.reasons.join("\n"), /gives "notes café" that intent/);
});

Deno.test("wrap-config takes no intent from a key that only shares a prefix or is another's id", async () => {
  const home = await profile(MAP);
  const ids = new AgentIds();
  ids.keep("fs", "fs", ["fs-mcp"]);
  const prod = wrapOne('{"command": "fs-mcp", "args": ["--prod"]}', "fs-prod", ids, home, "/p");
  assert.doesNotMatch(prod.edits.map((edit) => edit.content).join(" "), /--intent/);
  // The plain "git" server gets its intent from the map at run time: nothing written.
  const plain = wrapOne('{"command": "git-mcp"}', "git", new AgentIds(), home, "/p");
  assert.doesNotMatch(plain.edits.map((edit) => edit.content).join(" "), /--intent/);
  // "git" is the id of a server named "tools": not this "git"'s entry.
  const ids2 = new AgentIds();
  ids2.keep("tools", "git", ["git-mcp"]);
  const other = wrapOne('{"command": "uvx", "args": ["mcp-git"]}', "git", ids2, home, "/p");
  assert.doesNotMatch(other.edits.map((edit) => edit.content).join(" "), /--intent/);
});

Deno.test("planWrap, as wrap-config runs it, gives the renamed server the intent, and status then agrees", async () => {
  const home = await profile({ git: "calendar_management" });
  const text = JSON.stringify({
    projects: {
      "/home/ana/app": { mcpServers: { git: { command: "git-mcp", args: [] } } },
      "/home/ana/web": { mcpServers: { git: { command: "uvx", args: ["mcp-git"] } } },
    },
  });
  const plan = planWrap(text, { thothCommand: [THOTH], run: thothRunReaders(home) });
  const status = planStatus(plan.text, { isFile, run: thothRunReaders(home) });
  const row = (id: string) => status.servers.find((server) => server.agentId === id);
  assert.equal(row("git")?.intent, "calendar_management");
  assert.equal(row("git-web")?.intent, "calendar_management", plan.text);
  assert.deepEqual(status.servers.flatMap((server) => server.drift), []);
});
