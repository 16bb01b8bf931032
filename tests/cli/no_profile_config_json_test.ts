/**
 * With no profile folder to be found (`identity.no_profile`), `thoth
 * wrap-config --json` and `thoth unwrap-config --json` print their own
 * documented document on stdout, with the error's code and remedy in
 * `error`, as for any other failure of theirs, not the CLI's generic
 * `{"ok":false,…}` line; the error and hint go to stderr as ever. Every
 * command that registers such a document is covered, with the very
 * document it registers.
 */
import assert from "node:assert/strict";
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { withoutProfile } from "./_without_profile.ts";
import { fakeIo } from "../doctor/_helpers.ts";
import { buildThothProgram } from "../../src/cli/thoth_program.ts";
import { jsonFailureDocument } from "../../src/cli/json_failure_document.ts";
import { describeError } from "../../src/cli/report_error.ts";
import { CONFIG_RUN_COMMANDS, profileProblemJson } from "../../src/cli/profile_problem_json.ts";
import { AppError } from "../../src/errors.ts";
import { tempFolder } from "../_temp_dirs.ts";

Deno.test({
  name: "thoth wrap-config/unwrap-config --json without a profile print their own document",
  ignore: Deno.build.os === "windows",
  async fn() {
    const cwd = await tempFolder("thoth-no-home-config-json-");
    const cases: [string[], string, boolean][] = [
      [["wrap-config", "--json", "--dry-run"], "wrap-config", true],
      [["--verbose", "unwrap-config", "--client", "cursor", "--json"], "unwrap-config", false],
    ];
    for (const [args, command, dryRun] of cases) {
      const output = await withoutProfile("thoth", args, cwd).output();
      const out = new TextDecoder().decode(output.stdout);
      const err = new TextDecoder().decode(output.stderr);
      assert.equal(output.code, 1, err);
      assert.match(err, /^thoth: error: cannot find a folder for the thoth profile/);
      const document = JSON.parse(out);
      assert.deepEqual(Object.keys(document), [
        "schemaVersion",
        "command",
        "ok",
        "exitCode",
        "dryRun",
        "error",
        "failures",
        "files",
        "profile",
      ], out);
      assert.equal(document.schemaVersion, 1);
      assert.equal(document.command, command);
      assert.equal(document.ok, false);
      assert.equal(document.exitCode, 1);
      assert.equal(document.dryRun, dryRun);
      assert.equal(document.error.code, "identity.no_profile");
      assert.match(document.error.message, /^cannot find a folder for the thoth profile: /);
      assert.match(document.error.hints[0], /^set THOTH_HOME to an absolute path/);
      assert.equal(document.error.exitCode, 1);
      assert.deepEqual([document.failures, document.files, document.profile], [[], [], null]);
    }
    assert.deepEqual([...Deno.readDirSync(cwd)], [], "nothing in the current folder");
  },
});

Deno.test("profileProblemJson() gives each command that registers a failure document that document", async () => {
  const io = fakeIo(await tempFolder("thoth-failure-documents-"));
  const program = await buildThothProgram(io, []);
  const problem = new AppError("identity.no_profile", "no home", { hints: ["set THOTH_HOME"] });
  const registered: string[] = [];
  for (const command of program.commands as CommandUnknownOpts[]) {
    const document = jsonFailureDocument(command, describeError(problem, false));
    if (document === undefined) continue;
    registered.push(command.name());
    assert.equal(await profileProblemJson([command.name(), "--json"], problem), document);
  }
  assert.deepEqual(registered.sort(), [...CONFIG_RUN_COMMANDS].sort());
  // The others: the generic line; none without --json.
  assert.match(
    await profileProblemJson(["status", "--json"], problem) ?? "",
    /^\{"ok":false,"error":\{"code":"identity.no_profile"/,
  );
  assert.equal(await profileProblemJson(["wrap-config"], problem), undefined);
  assert.equal(
    await profileProblemJson(["wrap-config", "--output", "--dry-run", "--json"], problem)
      .then((text) => JSON.parse(text ?? "null").dryRun),
    false,
    "--dry-run as --output's value is no dry run",
  );
});
