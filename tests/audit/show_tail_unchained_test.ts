/**
 * `thoth audit show` and `tail` check each record's link to the one before
 * it while they read (one hash per record). With logs real `thoth run`
 * sessions against server-everything wrote: an edited record or a removed
 * one is still printed as stored, but a stderr line names the records whose
 * links do not hold and `thoth audit verify`, and the exit code is 1 (as
 * `verify` exits for a changed log) so a script does not take the output at
 * face value. An intact log prints nothing on stderr and exits 0; `tail`
 * judges only the records it prints and the link to the one before them.
 */
import assert from "node:assert/strict";
import { thothAudit } from "./_audit_cli.ts";
import { everythingSessions, logLines } from "./_everything_sessions.ts";

/** A profile of two real sessions, and its log's lines. */
async function sessions(): Promise<{ home: string; path: string; lines: string[] }> {
  const home = await everythingSessions(2, 3);
  return { home, ...await logLines(home) };
}

const NOTICE = /^thoth: warning: records? (\S+) do(?:es)? not chain .*run "thoth audit verify"/;

Deno.test("audit show and tail of an intact log from real sessions say nothing on stderr", async () => {
  const { home, lines } = await sessions();
  for (const args of [["show"], ["show", "--json"], ["tail", "-n", String(lines.length)]]) {
    const r = await thothAudit(home, ...args);
    assert.equal(r.code, 0, `${args}: ${r.err}`);
    assert.equal(r.err, "", args.join(" "));
  }
});

Deno.test("audit show prints an edited record as stored, names the records that do not chain, and exits 1", async () => {
  const { home, path, lines } = await sessions();
  const at = lines.findIndex((l) => l.includes('"type":"decision"'));
  lines[at] = lines[at]!.replace('"tool":"echo"', '"tool":"get-sum"');
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  for (const args of [["show"], ["show", "--json"], ["show", "--since", "1h"]]) {
    const r = await thothAudit(home, ...args);
    assert.equal(r.code, 1, args.join(" "));
    assert.equal(NOTICE.exec(r.err)?.[1], `${at}..${at + 1}`, r.err);
    assert.match(r.out, /get-sum/, "the record is shown as stored");
  }
});

Deno.test("audit show names a removed record's neighbours; tail judges the records it prints", async () => {
  const { home, path, lines } = await sessions();
  const removed = 5;
  await Deno.writeTextFile(path, lines.filter((_, i) => i !== removed).join("\n") + "\n");
  const shown = await thothAudit(home, "show");
  assert.equal(shown.code, 1);
  assert.equal(NOTICE.exec(shown.err)?.[1], `${removed - 1}..${removed + 1}`, shown.err);

  // The newest records, after the gap: they chain, and the one before them too.
  const newest = await thothAudit(home, "tail", "-n", "3");
  assert.equal(newest.code, 0, newest.err);
  assert.equal(newest.err, "");
  // The first record printed follows the gap: its link to the one before it is checked.
  const across = lines.length - 1 - removed;
  const tail = await thothAudit(home, "tail", "-n", String(across), "--json");
  assert.equal(tail.code, 1);
  assert.equal(NOTICE.exec(tail.err)?.[1], `${removed - 1}..${removed + 1}`, tail.err);
  assert.equal(tail.out.trim().split("\n").length, across);
});
