/**
 * A THOTH_WRAP record that cannot be read (a hand edit) fails closed: `thoth
 * run` refuses to start with it (`upstreamEnvChanges` throws
 * `config.bad_wrap_record`, naming the part at fault), `thoth status` lists
 * it as a refusal, and a part given twice is no longer read with the last one
 * winning. Every record an earlier release wrote still reads.
 */
import assert from "node:assert/strict";
import { isAppError } from "../../src/errors.ts";
import {
  formatWrapRecord,
  parseWrapRecord,
  unreadableWrapRecord,
  wrapRecordFault,
} from "../../src/config/wrap_record.ts";
import { upstreamEnvChanges } from "../../src/config/upstream_env.ts";
import { planWrap } from "../../src/config/plan_wrap.ts";
import { planStatus } from "../../src/config/plan_status.ts";
import { runRefusals } from "../../src/config/run_refusals.ts";

const THOTH = "/opt/thoth/bin/thoth";
const GOOD = "v1;intent=review;was.LOG=%22debug%22;added=THOTH_USER_ID";

/** Hand edits of GOOD, each with the part its fault must name. */
const UNREADABLE: [string, RegExp][] = [
  [`${GOOD};intent=%E0`, /"intent" is given more than once/],
  ["v1;was.LOG=%22debug%22;intent=%E0", /"intent" is not URI-encoded/],
  ["v1;was.LOG=%22debug%22;intent=", /"intent" names no intent/],
  ["v1;intent=review;intent=other", /"intent" is given more than once/],
  ["v1;was.LOG=%22debug%22;was.LOG=%22trace%22", /"was\.LOG" is given more than once/],
  ["v1;added=A;added=B", /"added" is given more than once/],
  ["v1;created=env;created=args", /"created" is given more than once/],
  ["v1;thoth=/a;thoth=/b", /"thoth" is given more than once/],
  ["v1;added=1X", /"added" lists a key that is not a variable name/],
  ["v1;nope=1", /unknown part "nope"/],
  ["v2", /unknown version "v2"/],
  ["", /unknown version ""/],
];

Deno.test("parseWrapRecord() refuses a part given twice instead of letting the last win", () => {
  for (
    const bad of ["v1;intent=a;intent=b", "v1;added=A;added=B", "v1;was.K=%22x%22;was.K=%22y%22"]
  ) {
    assert.throws(
      () => parseWrapRecord(bad),
      (e) => isAppError(e, "config.bad_wrap_record") && /given more than once/.test(e.message),
      bad,
    );
  }
});

Deno.test("every record an earlier release wrote still reads, as it did", () => {
  const fixtures = new URL("../fixtures/config/", import.meta.url);
  const samples = new Set<string>();
  for (const file of Deno.readDirSync(fixtures)) {
    const text = Deno.readTextFileSync(new URL(file.name, fixtures));
    for (const [, value] of text.matchAll(/"THOTH_WRAP": *"([^"]*)"/g)) samples.add(value!);
  }
  assert.ok(samples.size >= 2, "the fixtures hold records");
  // The shapes each release's formatWrapRecord wrote: added, created and was. since the first;
  // thoth= (escaped % and ;) since the second; intent= since the third.
  for (
    const sample of [
      ...samples,
      "v1",
      "v1;added=A,B;created=env;was.C=%22old%3B%20value%3D1%22",
      "v1;created=env,args",
      "v1;was.__proto__=%22x%22",
      "v1;thoth=/opt/acme%3Bx/100%25/governor;added=THOTH_USER_ID;created=env",
      "v1;thoth=/opt/acme/governor;intent=code%3Breview;added=A;created=args;was.LOG=%22debug%22",
    ]
  ) {
    assert.equal(wrapRecordFault(sample), undefined, sample);
    assert.equal(formatWrapRecord(parseWrapRecord(sample)), sample, sample);
    assert.doesNotThrow(() => upstreamEnvChanges({ THOTH_WRAP: sample }, "linux"), sample);
  }
});

Deno.test("thoth run's env changes refuse an unreadable record, naming the part, quoting none of it", () => {
  for (const [bad, part] of UNREADABLE) {
    assert.throws(
      () =>
        upstreamEnvChanges(
          { THOTH_WRAP: bad, LOG: "info", THOTH_USER_ID: "a@b.co", THOTH_API_KEY: "k-1" },
          "linux",
        ),
      (e) => {
        assert.ok(isAppError(e, "config.bad_wrap_record"), bad);
        assert.match(e.message, /^THOTH_WRAP in the server's "env" cannot be read: /);
        assert.match(e.message, part);
        // The record keeps the server's own originals: only the part's name is shown.
        assert.ok(!e.message.includes("debug"), e.message);
        assert.match(e.hints[0]!, /fix THOTH_WRAP in the server's "env" by hand/);
        assert.match(e.hints[0]!, /run "thoth wrap-config" again/);
        return true;
      },
      bad,
    );
  }
  // The readable record still gives the original back and takes what wrap added away.
  assert.deepEqual(
    upstreamEnvChanges({ THOTH_WRAP: GOOD, LOG: "info", THOTH_USER_ID: "a@b.co" }, "linux"),
    { remove: ["THOTH_USER_ID", "THOTH_WRAP"], set: { LOG: "debug" } },
  );
});

const ORIG = `{
  "mcpServers": {
    "git": { "command": "uvx", "args": ["mcp-git"], "env": { "LOG": "debug" } }
  }
}
`;

Deno.test("thoth status lists an unreadable record as a refusal that fails --check", () => {
  const wrapped = planWrap(ORIG, { thothCommand: [THOTH], env: [["LOG", "info"]] }).text;
  const record = /"THOTH_WRAP": "([^"]*)"/.exec(wrapped)![1]!;
  assert.equal(record, "v1;was.LOG=%22debug%22");
  const before = planStatus(wrapped, { isFile: (p) => p === THOTH });
  assert.deepEqual(before.servers[0]!.refusals, []);
  assert.equal(before.summary.refused, 0);
  for (const [edit, part] of UNREADABLE) {
    const text = wrapped.replace(JSON.stringify(record), JSON.stringify(edit));
    const status = planStatus(text, { isFile: (p) => p === THOTH, client: "claude-desktop" });
    const row = status.servers[0]!;
    assert.equal(row.state, "governed", edit);
    assert.equal(status.summary.refused, 1, edit);
    assert.equal(row.refusals.length, 1, edit);
    assert.match(row.refusals[0]!, /^thoth run will refuse to start: THOTH_WRAP in the server's/);
    assert.match(row.refusals[0]!, part);
    assert.match(row.refusals[0]!, /run "thoth wrap-config --client claude-desktop" again/);
    assert.ok(row.drift.includes(row.refusals[0]!), edit);
  }
});

Deno.test("runRefusals() names THOTH_WRAP as the subject of an unreadable record", () => {
  const entry = (env: Record<string, string>) => ({
    flags: [["--agent-id", "git"]] as [string, string][],
    flagArgs: ["--agent-id", "git"],
    unknownFlags: [],
    env,
  });
  assert.deepEqual(runRefusals(entry({ THOTH_WRAP: GOOD })).refusals, []);
  const check = runRefusals(entry({ THOTH_WRAP: "v1;intent=a;intent=b" }));
  assert.deepEqual(check.refusals.map((r) => r.subject), ["THOTH_WRAP"]);
  assert.equal(
    check.refusals[0]!.message,
    unreadableWrapRecord("v1;intent=a;intent=b")!.message,
    "status and thoth run say the same words",
  );
});
