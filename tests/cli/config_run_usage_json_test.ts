/**
 * `wrap-config --json` and `unwrap-config --json` answer a command line the
 * parser refuses (`--client foo`, an unknown option, an option with no
 * value, an extra argument) with their own document, the shape of every
 * other failure of theirs (`{"schemaVersion": 1, "command", "ok",
 * "exitCode", "dryRun", "error", "failures", "files", "profile"}`), not the
 * CLI's generic `{"ok":false,"error":{…}}` line. `status --json`, whose
 * document has no "error", keeps the generic line.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";

const KEYS = [
  "schemaVersion",
  "command",
  "ok",
  "exitCode",
  "dryRun",
  "error",
  "failures",
  "files",
  "profile",
];

async function inHome(fn: (home: string) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "thoth-config-usage-json-" });
  try {
    await fn(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

function run(home: string, args: string[]) {
  return runThoth(args, { env: { HOME: home, THOTH_HOME: `${home}/.thoth` }, cwd: home });
}

Deno.test("wrap-config and unwrap-config --json: a refused command line is the command's document", async () => {
  await inHome(async (home) => {
    const cases: [string[], string, string, boolean][] = [
      [
        ["wrap-config", "--json", "--client", "foo"],
        "wrap-config",
        "usage.invalid_argument",
        false,
      ],
      [
        ["wrap-config", "--json", "--dry-run", "--bogus"],
        "wrap-config",
        "usage.unknown_option",
        true,
      ],
      [
        ["unwrap-config", "--json", "--client"],
        "unwrap-config",
        "usage.option_missing_argument",
        false,
      ],
      [
        ["unwrap-config", "--json", "a.json", "b.json"],
        "unwrap-config",
        "usage.excess_arguments",
        false,
      ],
    ];
    for (const [args, command, code, dryRun] of cases) {
      const r = await run(home, args);
      assert.equal(r.code, 2, r.err);
      // stderr is as before: one error line and its hints.
      assert.match(r.err, /^thoth: error: /);
      assert.match(r.err, new RegExp(`^thoth: hint: run "thoth ${command} --help"`, "m"));
      const doc = JSON.parse(r.out);
      assert.deepEqual(Object.keys(doc), KEYS, r.out);
      assert.equal(doc.schemaVersion, 1);
      assert.equal(doc.command, command);
      assert.equal(doc.ok, false);
      assert.equal(doc.exitCode, 2);
      assert.equal(doc.dryRun, dryRun, args.join(" "));
      assert.equal(doc.error.code, code, r.out);
      assert.equal(doc.error.exitCode, 2);
      assert.equal(doc.error.message, r.err.split("\n")[0]!.replace(/^thoth: error: /, ""));
      assert.deepEqual(doc.failures, []);
      assert.deepEqual(doc.files, []);
      assert.equal(doc.profile, null);
    }
    // Without --json stdout stays empty.
    const plain = await run(home, ["wrap-config", "--client", "foo"]);
    assert.equal(plain.code, 2);
    assert.equal(plain.out, "");
    // status --json documents no "error": its failures keep the CLI's one JSON line.
    const status = await run(home, ["status", "--json", "--client", "foo"]);
    assert.equal(status.code, 2);
    assert.deepEqual(Object.keys(JSON.parse(status.out)), ["ok", "error"]);
  });
});
