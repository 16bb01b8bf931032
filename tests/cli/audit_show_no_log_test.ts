/**
 * `thoth audit show` and `tail` on a profile with no audit log (no thoth
 * session has written a record under it) say so on stderr, naming the audit
 * folder they read and how a log written under another THOTH_HOME is read,
 * with or without filters, and exit 0 (an empty answer, as a filter that
 * matches nothing is); a filter is not blamed for it. `tail -f` says it waits
 * for the first record, and prints it when it comes. `--decision-id` still
 * exits 1, saying there is no log. Temp THOTH_HOME only.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { noLogNote } from "../../src/cli/audit_show_empty.ts";
import { thothAudit } from "../audit/_audit_cli.ts";
import { sampleLog, steppingClock } from "../audit/_log_helpers.ts";
import { CLEAN_ENV } from "./_thoth_process.ts";
import { CONFIG, DENO, ROOT, V8_FLAGS } from "../e2e/_harness.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { Command } from "@commander-js/extra-typings";
import { auditCommand } from "../../src/cli/audit.ts";
import { runProgram } from "../../src/cli/program.ts";
import { fakeCliIo } from "./_fake_cli_io.ts";

/** The two stderr lines of the note for the profile `home`, THOTH_HOME set to it. */
function noLog(home: string): RegExp {
  const dir = JSON.stringify(`${home}/audit`).replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return new RegExp(
    `^thoth: there is no audit log in ${dir} yet: no thoth session has written a record ` +
      `under this profile\nthoth: hint: THOTH_HOME is set to .* here; a session run under ` +
      `another profile writes its records in that profile's audit folder: read them with the ` +
      `same THOTH_HOME\n$`,
  );
}

Deno.test("audit show and tail on a profile with no audit log name its folder and THOTH_HOME, filters or not, and exit 0", async () => {
  const home = await tempFolder("thoth-show-no-log-");
  for (
    const args of [
      ["show"],
      ["show", "--json"],
      ["show", "--since", "1m"],
      ["show", "--server", "fs", "--effect", "blocked"],
      ["tail"],
      ["tail", "-n", "0", "--json"],
    ]
  ) {
    const run = await thothAudit(home, ...args);
    assert.equal(run.code, 0, `${args.join(" ")}: ${run.err}`);
    assert.match(run.err, noLog(home), args.join(" "));
    assert.doesNotMatch(run.err, /no records match/, args.join(" "));
    // stdout: the table's header alone, or nothing.
    assert.match(run.out, /^(?:TIME \(UTC\) .*\n)?$/, args.join(" "));
  }
});

Deno.test("audit show --decision-id on a profile with no audit log exits 1 saying there is none", async () => {
  const home = await tempFolder("thoth-show-no-log-id-");
  const run = await thothAudit(home, "show", "--decision-id", "d-9f2c41aa07e35b18");
  assert.equal(run.code, 1, run.err);
  assert.match(
    run.err,
    /^thoth: error: no record names decision d-9f2c41aa07e35b18: there is no audit log in ".*\/audit" yet\n/,
  );
  assert.match(run.err, /another THOTH_HOME/);
});

Deno.test("audit show over a log whose records match no filter still names the filters", async () => {
  const home = await sampleLog(1, 2);
  const run = await thothAudit(home, "show", "--server", "nowhere");
  assert.equal(run.code, 0, run.err);
  assert.match(run.err, /^thoth: no records match --server "nowhere"\n/);
  assert.doesNotMatch(run.err, /no audit log/);
});

Deno.test("under thothctl, show's notes are thothctl's: no log, then no record matching", async () => {
  const home = await tempFolder("thoth-show-ctl-");
  const show = async (...args: string[]) => {
    const io = fakeCliIo(home, { THOTH_HOME: home });
    const program = new Command("thothctl").addCommand(auditCommand(io));
    const code = await runProgram(
      "thothctl",
      program as unknown as Command<unknown[], Record<string, unknown>>,
      ["audit", "show", ...args],
      io,
    );
    return { code, err: io.stderr };
  };
  const none = await show("--since", "1h");
  assert.equal(none.code, 0, none.err);
  assert.match(
    none.err,
    /^thothctl: there is no audit log in .*\nthothctl: hint: THOTH_HOME is set/,
  );
  const log = await openAuditLog({ thothHome: home, now: steppingClock() });
  await log.append({
    type: "session_start",
    session: "s-1",
    server: "fs",
    commandDigest: "ab".repeat(32),
    envKeys: [],
  });
  await log.close();
  const other = await show("--server", "FS");
  assert.equal(other.code, 0, other.err);
  assert.match(
    other.err,
    /^thothctl: no records match --server "FS"\nthothctl: hint: .*did you mean fs\?/,
  );
});

Deno.test("noLogNote() points to THOTH_HOME whether it is set or not, under the program's name", () => {
  assert.equal(
    noLogNote("thothctl", "/home/ana/.thoth/audit", {}, true),
    'thothctl: there is no audit log in "/home/ana/.thoth/audit" yet: waiting for the first ' +
      "record (Ctrl-C stops)\n" +
      "thothctl: hint: THOTH_HOME is not set here; a session run with THOTH_HOME set (a " +
      "client's config may set it) writes its records in that profile's audit folder: read " +
      "them with the same THOTH_HOME\n",
  );
  assert.match(
    noLogNote("thoth", "/srv/p/audit", { THOTH_HOME: "/srv/p" }),
    /: no thoth session has written a record under this profile\nthoth: hint: THOTH_HOME is set to "\/srv\/p" here; /,
  );
});

Deno.test("audit tail -f on a profile with no audit log says it waits, then prints the first record", async () => {
  const home = await tempFolder("thoth-tail-f-no-log-");
  const child = new Deno.Command(DENO, {
    args: [
      "run",
      "-P=thoth",
      "--quiet",
      V8_FLAGS,
      `--config=${CONFIG}`,
      `${ROOT}/src/cli/thoth.ts`,
      "audit",
      "tail",
      "-f",
    ],
    cwd: home,
    clearEnv: true,
    env: { ...CLEAN_ENV, THOTH_HOME: home, HOME: home },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const decoder = new TextDecoder();
  const text = { out: "", err: "" };
  const readers = { out: child.stdout.getReader(), err: child.stderr.getReader() };
  const waitFor = async (from: "out" | "err", done: (text: string) => boolean, what: string) => {
    const deadline = setTimeout(() => child.kill("SIGKILL"), 60_000);
    try {
      while (!done(text[from])) {
        const { value, done: ended } = await readers[from].read();
        if (ended) throw new Error(`tail ended before ${what}: ${JSON.stringify(text)}`);
        text[from] += decoder.decode(value, { stream: true });
      }
    } finally {
      clearTimeout(deadline);
    }
  };
  try {
    await waitFor("err", (err) => err.includes("(Ctrl-C stops)\n"), "its note");
    assert.match(
      text.err,
      /^thoth: there is no audit log in ".*\/audit" yet: waiting for the first record \(Ctrl-C stops\)\nthoth: hint: THOTH_HOME is set to /,
    );
    const log = await openAuditLog({ thothHome: home, now: steppingClock() });
    await log.append({
      type: "session_start",
      session: "s-first",
      server: "fs",
      commandDigest: "ab".repeat(32),
      envKeys: [],
    });
    await log.close();
    await waitFor("out", (out) => / session_start\b.* fs\b/.test(out), "the first record");
  } finally {
    try {
      child.kill("SIGTERM");
    } catch {
      // It ended already (killed at its deadline).
    }
    await readers.out.cancel();
    await readers.err.cancel();
    await child.status;
  }
});
