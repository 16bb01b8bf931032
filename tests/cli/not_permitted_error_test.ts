/**
 * thoth started with less than its permission set says which permission,
 * on which path, and how to start it with its set, instead of "internal
 * error"; the operating system refusing is said as such. The real CLI from
 * source with a narrowed --allow-read, and the reports for Deno's errors.
 */
import assert from "node:assert/strict";
import { describeError, formatError } from "../../src/cli/report_error.ts";
import { thothWithFlags } from "./_thoth_with_flags.ts";
import { ROOT } from "../e2e/_harness.ts";

/** Everything thoth's set grants but reading, which `read` gives. */
const grantedBut = (read: readonly string[]) => (home: string) => [
  ...read,
  `--allow-write=${home}`,
  "--allow-env",
  "--allow-net",
  "--allow-run",
  "--allow-sys=hostname,osRelease,uid,gid",
];

// Reading only its own home.
const homeOnly = (home: string) => grantedBut([`--allow-read=${home}`])(home);

function narrowedThoth(args: readonly string[]) {
  return thothWithFlags("thoth-narrow-read-", homeOnly, args);
}

Deno.test("thoth doctor with a narrowed --allow-read names the permission, the path and the remedy", async () => {
  const run = await narrowedThoth(["doctor"]);
  assert.equal(run.code, 1, run.err);
  assert.doesNotMatch(run.err, /internal error/);
  const said =
    /^thoth: error: thoth was not granted read access to "([^"]+)" \(--allow-read\): it runs with less than its permission set$/m
      .exec(run.err);
  assert.ok(said !== null, run.err);
  // A folder above the profile doctor reads, or thoth's own command tree, which
  // thoth from source imports when a command asks for it (src/cli/unlisted_module.ts).
  assert.ok(
    run.home.startsWith(`${said[1]}/`) || (said[1] ?? "").endsWith("/src/cli/thoth_program.ts"),
    `${said[1]} is neither above ${run.home} nor thoth's command tree`,
  );
  assert.match(
    run.err,
    /^thoth: hint: start thoth with its permission set \(deno\.json "permissions" → "thoth"\), as "cd \S+ && deno task thoth …" does, or install a thoth release binary$/m,
  );
});

Deno.test("thoth doctor --json with a narrowed --allow-read reports io.not_permitted", async () => {
  const run = await narrowedThoth(["doctor", "--json"]);
  assert.equal(run.code, 1, run.err);
  const { error } = JSON.parse(run.out.trim().split("\n").at(-1) ?? "");
  assert.equal(error.code, "io.not_permitted");
  assert.match(error.message, /^thoth was not granted read access to "/);
});

Deno.test("describeError() turns Deno's refusals into reports with a remedy", () => {
  const refused = new Deno.errors.NotCapable(
    'Requires env access to "HOME", run again with the --allow-env flag',
  );
  const report = describeError(refused, false, "thothctl");
  assert.equal(report.code, "io.not_permitted");
  assert.equal(
    report.message,
    'thothctl was not granted env access to "HOME" (--allow-env): it runs with less than its ' +
      "permission set",
  );
  assert.match(report.hints[0] ?? "", /"permissions" → "thothctl"/);
  assert.match(report.hints[0] ?? "", /deno task thothctl/);

  // Wrapped by another error, it is still found.
  const wrapped = new Error("the check could not run", { cause: refused });
  assert.equal(describeError(wrapped, false).code, "io.not_permitted");

  const os = new Deno.errors.PermissionDenied(
    "Permission denied (os error 13): open '/h/.thoth/audit/state.json'",
  );
  const osReport = describeError(os, false);
  assert.equal(osReport.code, "io.os_denied");
  assert.equal(
    osReport.message,
    "the operating system refused: Permission denied (os error 13): open " +
      "'/h/.thoth/audit/state.json'",
  );
  assert.match(osReport.hints[0] ?? "", /owner and mode/);

  assert.equal(describeError(new Error("boom"), false).code, "internal.error");
  // --verbose still shows Deno's own words below.
  assert.match(formatError("thoth", refused, true).text, /NotCapable: Requires env access/);
});

// Reading everything but the module of the command it is asked for.
const deniedCommand = (module: string) =>
  grantedBut(["--allow-read", `--deny-read=${ROOT}/src/cli/${module}`]);

for (
  const [entry, args, module] of [
    ["thoth", ["status", "--json"], "status.ts"],
    ["thothctl", ["audit", "verify", "--json"], "audit.ts"],
  ] as const
) {
  Deno.test(`${entry} ${args.join(" ")} refused its command's module says so, on stderr and in its JSON`, async () => {
    const run = await thothWithFlags("thoth-deny-command-", deniedCommand(module), args, entry);
    assert.equal(run.code, 1, run.err);
    assert.doesNotMatch(run.err, /internal error|Uncaught|at file:/);
    assert.match(
      run.err,
      new RegExp(
        `^${entry}: error: ${entry} was not granted read access to "[^"]+/src/cli/${module}" ` +
          `\\(--allow-read\\)`,
        "m",
      ),
    );
    assert.match(
      run.err,
      new RegExp(`^${entry}: hint: start ${entry} with its permission set`, "m"),
    );
    const { ok, error } = JSON.parse(run.out.trim().split("\n").at(-1) ?? "");
    assert.equal(ok, false);
    assert.equal(error.code, "io.not_permitted");
  });
}

Deno.test("thothctl with a narrowed --allow-read says which read it was refused, as thoth does", async () => {
  const run = await thothWithFlags(
    "thoth-narrow-ctl-",
    homeOnly,
    ["approvals", "list"],
    "thothctl",
  );
  assert.equal(run.code, 1, run.err);
  assert.doesNotMatch(run.err, /internal error|Uncaught|at file:/);
  assert.match(run.err, /^thothctl: error: thothctl was not granted read access to "/m);
});
