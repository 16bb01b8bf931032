/**
 * `thoth audit show` and `export` read `--since` and `--until` alike: a bare
 * date as `--until` includes that whole day, a time without a zone is UTC on
 * every machine, and a date that does not exist is refused, naming the flag.
 */
import assert from "node:assert/strict";
import { thothAudit } from "./_audit_cli.ts";
import { sampleLog } from "./_log_helpers.ts";
import { runThoth } from "../cli/_thoth_process.ts";

/** The seq of every record `show --json` printed. */
function seqs(out: string): number[] {
  return out.trim().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l).seq);
}

Deno.test("thoth audit show and export with --since D --until D cover the whole day D", async () => {
  const home = await sampleLog(3, 6); // every record is stamped 2026-03-01, 10:00 to 10:01 UTC
  const all = await thothAudit(home, "show", "--json");
  const day = await thothAudit(
    home,
    "show",
    "--json",
    "--since",
    "2026-03-01",
    "--until",
    "2026-03-01",
  );
  assert.equal(day.code, 0, day.err);
  assert.ok(seqs(all.out).length > 20);
  assert.deepEqual(seqs(day.out), seqs(all.out));
  const before = await thothAudit(home, "show", "--json", "--until", "2026-02-28");
  assert.deepEqual(seqs(before.out), [], "the day before holds none of them");

  const out = `${home}/day-bundle`;
  const r = await thothAudit(
    home,
    "export",
    "--since",
    "2026-03-01",
    "--until",
    "2026-03-01",
    "--output",
    out,
  );
  assert.equal(r.code, 0, r.err);
  const manifest = JSON.parse(await Deno.readTextFile(`${out}/manifest.json`));
  assert.deepEqual(manifest.period, {
    since: "2026-03-01T00:00:00.000Z",
    until: "2026-03-01T23:59:59.999Z",
  });
  assert.deepEqual(manifest.requested, { firstSeq: 0, lastSeq: seqs(all.out).at(-1) });
  assert.equal((await thothAudit(home, "verify", "--bundle", out)).code, 0);
});

Deno.test("thoth audit show reads a time without a zone as UTC whatever the machine's zone", async () => {
  const home = await sampleLog(3, 6);
  const utc = await thothAudit(
    home,
    "show",
    "--json",
    "--since",
    "2026-03-01T10:00:10Z",
    "--until",
    "2026-03-01T10:00:30Z",
  );
  assert.ok(seqs(utc.out).length > 5);
  for (const zone of ["America/New_York", "Asia/Kolkata", "UTC"]) {
    const local = await runThoth(
      [
        "audit",
        "show",
        "--json",
        "--since",
        "2026-03-01T10:00:10",
        "--until",
        "2026-03-01 10:00:30",
      ],
      { env: { THOTH_HOME: home, TZ: zone }, cwd: home },
    );
    assert.equal(local.code, 0, local.err);
    assert.deepEqual(seqs(local.out), seqs(utc.out), `TZ=${zone}`);
  }
  for (const command of ["show", "export"]) {
    const help = await thothAudit(home, command, "--help");
    assert.match(help.out, /every time is UTC unless zoned/, command);
    assert.match(
      help.out,
      /without Z or an offset such as \+02:00 it is\s+2026-03-01 09:00\s+read as UTC/,
    );
    assert.match(
      help.out,
      /2026-03-01 +a whole day, UTC \(as --until: up to the end of that day\)/,
    );
  }
  assert.match((await thothAudit(home, "show", "--help")).out, /its TIME is UTC/);
});

Deno.test("thoth audit show and export refuse a date that does not exist, naming the flag", async () => {
  const home = await sampleLog(1, 2);
  const cases: [string[], RegExp][] = [
    [["show", "--until", "2026-02-31"], /given to --until: February 2026 has no day 31/],
    [["show", "--since", "2026-13-01"], /given to --since: there is no month 13/],
    [["show", "--since", "2026-03-01T25:00:00Z"], /given to --since: there is no hour 25/],
    [
      ["export", "--until", "2026-02-31", "--output", `${home}/never`],
      /given to --until: February 2026 has no day 31/,
    ],
    [
      ["export", "--since", "2026-03-02", "--until", "2026-03-01", "--output", `${home}/never`],
      /--since "2026-03-02" .* is after --until "2026-03-01"/,
    ],
  ];
  for (const [args, why] of cases) {
    const r = await thothAudit(home, ...args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
    assert.match(r.err, why);
    assert.match(r.err, /thoth: hint: /);
  }
  await assert.rejects(Deno.lstat(`${home}/never`), Deno.errors.NotFound);
});
