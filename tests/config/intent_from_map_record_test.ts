/**
 * The `--intent` wrap-config writes on a renamed server from the intent map's
 * entry under its name (`git` in a second project runs as `git-web`) is noted
 * in its THOTH_WRAP record (`intent=…`): when the map changes, status reports
 * drift and the next wrap-config takes the intent from the map again, or
 * removes it. An intent the admin gave (`--intent-map`, or an `--intent`
 * without the note, as earlier releases wrote) is never replaced.
 */
import assert from "node:assert/strict";
import { planStatus } from "../../src/config/plan_status.ts";
import { planWrap } from "../../src/config/plan_wrap.ts";
import { formatWrapRecord, parseWrapRecord } from "../../src/config/wrap_record.ts";
import { thothRunReaders } from "../../src/cli/run_readers.ts";
import { tempFolder } from "../_temp_dirs.ts";

const THOTH = "/opt/thoth/bin/thoth";
const isFile = (path: string) => path === THOTH;

const TWO_PROJECTS = JSON.stringify({
  projects: {
    "/home/ana/app": { mcpServers: { git: { command: "git-mcp", args: [] } } },
    "/home/ana/web": { mcpServers: { git: { command: "uvx", args: ["mcp-git"] } } },
  },
});

async function profile(map: Record<string, string>): Promise<string> {
  const home = await tempFolder("thoth-intent-record-");
  await Deno.writeTextFile(
    `${home}/policy.jsonc`,
    JSON.stringify({
      version: 1,
      default: "block",
      intents: {
        calendar_management: { tools: ["list_events"] },
        code_review: { tools: ["git_diff"] },
      },
    }),
  );
  await setMap(home, map);
  return home;
}

async function setMap(home: string, map: Record<string, string>): Promise<void> {
  await Deno.writeTextFile(`${home}/intent_map.json`, JSON.stringify(map));
}

function wrap(text: string, home: string, intents?: Record<string, string>) {
  return planWrap(text, {
    thothCommand: [THOTH],
    run: thothRunReaders(home),
    ...(intents === undefined ? {} : { intents }),
  });
}

function web(text: string) {
  return JSON.parse(text).projects["/home/ana/web"].mcpServers.git;
}

function flag(entry: { args: string[] }, name: string): string | undefined {
  const at = entry.args.indexOf(name);
  return at < 0 || at > entry.args.indexOf("--") ? undefined : entry.args[at + 1];
}

function status(text: string, home: string) {
  const report = planStatus(text, { isFile, run: thothRunReaders(home), client: "claude-code" });
  const row = report.servers.find((server) => server.agentId === "git-web")!;
  return { report, row };
}

Deno.test("the intent taken from the map under the name is noted, and taken again when the map changes", async () => {
  const home = await profile({ git: "calendar_management" });
  const first = wrap(TWO_PROJECTS, home);
  assert.equal(flag(web(first.text), "--intent"), "calendar_management");
  assert.equal(web(first.text).env.THOTH_WRAP, "v1;intent=calendar_management;created=env");
  assert.equal(status(first.text, home).report.summary.drifted, 0);
  // Unchanged while the map is.
  const again = wrap(first.text, home);
  assert.equal(again.text, first.text);

  // The map now gives "git" another intent: status says so, wrap-config takes it.
  await setMap(home, { git: "code_review" });
  const drifted = status(first.text, home);
  assert.equal(drifted.report.summary.drifted, 1);
  assert.match(
    drifted.row.drift.join("\n"),
    /--intent "calendar_management" was taken from the intent map under this server's name, and the intent map ".*intent_map\.json" now gives "git" the intent "code_review": run "thoth wrap-config --client claude-code" again/,
  );
  const second = wrap(first.text, home);
  const server = second.servers.find((s) => s.project === "/home/ana/web")!;
  assert.equal(server.action, "updated");
  assert.match(
    server.reasons.join("\n"),
    /intent "calendar_management" → "code_review" \(the intent map ".*" now gives "git" that intent\)/,
  );
  assert.equal(flag(web(second.text), "--intent"), "code_review");
  assert.equal(web(second.text).env.THOTH_WRAP, "v1;intent=code_review;created=env");
  assert.equal(status(second.text, home).report.summary.drifted, 0);

  // The map no longer names "git": drift, then the --intent goes (thoth run reads the map).
  await setMap(home, { other: "code_review" });
  assert.match(
    status(second.text, home).row.drift.join("\n"),
    /which no longer gives that name an intent/,
  );
  const third = wrap(second.text, home);
  assert.match(
    third.servers.find((s) => s.project === "/home/ana/web")!.reasons.join("\n"),
    /intent "code_review" → none \(the intent map no longer gives this server's name an intent\)/,
  );
  assert.equal(flag(web(third.text), "--intent"), undefined);

  // The map gives "git-web" an entry of its own: thoth run reads it, the --intent goes.
  await setMap(home, { git: "code_review", "git-web": "calendar_management" });
  assert.match(
    status(second.text, home).row.drift.join("\n"),
    /an entry under its agent id "git-web"/,
  );
  assert.equal(flag(web(wrap(second.text, home).text), "--intent"), undefined);
});

Deno.test("an intent the admin gave is never replaced by the map", async () => {
  const home = await profile({ git: "calendar_management" });
  // --intent-map names the server: its intent, not noted as the map's.
  const given = wrap(TWO_PROJECTS, home, { git: "calendar_management" });
  assert.equal(flag(web(given.text), "--intent"), "calendar_management");
  assert.equal(web(given.text).env, undefined, "no record: nothing to remember");
  await setMap(home, { git: "code_review" });
  assert.equal(status(given.text, home).report.summary.drifted, 0);
  assert.equal(flag(web(wrap(given.text, home).text), "--intent"), "calendar_management");

  // Taken from the map, then given with --intent-map: the note goes, the intent stays.
  await setMap(home, { git: "calendar_management" });
  const mapped = wrap(TWO_PROJECTS, home);
  const owned = wrap(mapped.text, home, { git: "calendar_management" });
  assert.match(
    owned.servers.find((s) => s.project === "/home/ana/web")!.reasons.join("\n"),
    /intent "calendar_management" is now the one given/,
  );
  assert.doesNotMatch(web(owned.text).env.THOTH_WRAP, /intent=/);
  await setMap(home, { git: "code_review" });
  assert.equal(flag(web(wrap(owned.text, home).text), "--intent"), "calendar_management");
});

Deno.test("an --intent without the note (an earlier release's record) counts as the admin's", async () => {
  const home = await profile({ git: "code_review" });
  const wrapped = (env?: Record<string, string>) =>
    JSON.stringify({
      projects: {
        "/home/ana/app": {
          mcpServers: {
            git: {
              command: THOTH,
              args: ["run", "--agent-id", "git", "--enforcement-mode", "block", "--", "git-mcp"],
            },
          },
        },
        "/home/ana/web": {
          mcpServers: {
            git: {
              command: THOTH,
              args: [
                "run",
                "--agent-id",
                "git-web",
                "--enforcement-mode",
                "block",
                "--intent",
                "calendar_management",
                "--",
                "uvx",
                "mcp-git",
              ],
              ...(env === undefined ? {} : { env }),
            },
          },
        },
      },
    });
  for (const env of [undefined, { THOTH_WRAP: "v1;created=env" }]) {
    const text = wrapped(env);
    assert.equal(status(text, home).report.summary.drifted, 0);
    const plan = wrap(text, home);
    assert.equal(plan.text, text, JSON.stringify(env));
  }
  // Noted, but changed by hand since: the admin's now, and the stale note goes.
  const edited = wrapped({ THOTH_WRAP: "v1;intent=code_review" });
  assert.equal(status(edited, home).report.summary.drifted, 0);
  const plan = wrap(edited, home);
  assert.equal(flag(web(plan.text), "--intent"), "calendar_management");
  assert.match(
    plan.servers.find((s) => s.project === "/home/ana/web")!.reasons.join("\n"),
    /was changed by hand: no longer taken from the intent map/,
  );
  assert.equal(web(plan.text).env.THOTH_WRAP, "v1");
});

Deno.test("parseWrapRecord() reads the intent note formatWrapRecord() writes, and older records", () => {
  const record = parseWrapRecord("v1;intent=code%3Breview;added=A");
  assert.equal(record.intent, "code;review");
  assert.equal(formatWrapRecord(record), "v1;intent=code%3Breview;added=A");
  assert.equal(parseWrapRecord("v1;added=A").intent, undefined);
  assert.throws(() => parseWrapRecord("v1;intent="), /"intent" names no intent/);
});
