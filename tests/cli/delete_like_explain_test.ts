/**
 * The real `thoth policy explain` under the default policy (no policy file in
 * the profile) gives the `delete-like` verdict only to tool names that hold
 * one of its words as a whole word, or start with it run together in lower
 * case: read-only `dropbox_list_folder`, `list_deleted_files`, `removeditems`,
 * `deletedbuckets`, `truncate_text`, `list_trash` or `undelete_file` are allowed,
 * `delete_file`, `bulkDelete`, `DROP_TABLE`, `deletefile`, `deletedbinstance`,
 * `bulkdelete`, `docker_prune` and `truncate_table` still ask, and a name that
 * only mentions deleted things asks when the tool declares `destructiveHint`.
 *
 * The names are judged by the CLI's own code run in this process
 * (`thothInProcess`): what is under test is the verdict, not the process.
 * One real `thoth` process, with its manifest permissions, is the smoke that
 * the command run as users run it gives the same verdict.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { runThoth } from "./_thoth_process.ts";
import { thothInProcess } from "./_thoth_in_process.ts";
import { DELETES, DOES_NOT_DELETE } from "../policy/_delete_like_names.ts";

/** `policy explain --json` of `tool` on server `svc` with `annotations`. */
const explainArgs = (tool: string, annotations: string) => [
  "policy",
  "explain",
  "--server",
  "svc",
  "--tool",
  tool,
  "--annotations",
  annotations,
  "--json",
];

/**
 * What `thoth policy explain` said of `tool` (the verdict and the rules behind it): run
 * in-process, or as a real process (`run`).
 */
async function explain(
  dir: string,
  tool: string,
  annotations: string,
  run: typeof runThoth = thothInProcess,
) {
  const { code, out, err } = await run(explainArgs(tool, annotations), {
    env: { HOME: dir, THOTH_HOME: `${dir}/profile` },
    cwd: dir,
  });
  assert.equal(code, 0, `${tool}: ${out}${err}`);
  const json = JSON.parse(out) as { verdict: string; ruleIds: string[] };
  return { tool, verdict: json.verdict, ruleIds: json.ruleIds };
}

/** `work` over `items`, one after another. */
async function eachOf<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const item of items) out.push(await work(item));
  return out;
}

Deno.test("thoth policy explain: delete-like asks about whole words and names run together, under the default policy", async () => {
  const dir = await tempFolder("thoth-delete-like-");
  const read = '{"readOnlyHint":true}';
  const leaves = [
    ...DOES_NOT_DELETE,
    "removeditems",
    "deletedbuckets",
    "truncate_text",
    "list_trash",
  ];
  const reads = await eachOf(leaves, (tool) => explain(dir, tool, read));
  assert.deepEqual(
    reads,
    leaves.map((tool) => ({ tool, verdict: "allow", ruleIds: ["reads"] })),
  );
  const deletes = [
    ...DELETES,
    "deletefile",
    "rmdir",
    "deletedbinstance",
    "bulkdelete",
    "docker_prune",
    "truncate_table",
  ];
  const asks = await eachOf(deletes, (tool) => explain(dir, tool, read));
  assert.deepEqual(
    asks,
    deletes.map((tool) => ({ tool, verdict: "step_up", ruleIds: ["delete-like"] })),
  );
  // Not loosened: what declares itself destructive asks, whatever its name.
  const destructive = await eachOf(
    ["list_deleted_files", "undelete_file", "restore_deleted", "dropbox_list_folder"],
    (tool) => explain(dir, tool, '{"destructiveHint":true}'),
  );
  for (const d of destructive) assert.deepEqual(d.ruleIds, ["destructive"], d.tool);
  for (const d of destructive) assert.equal(d.verdict, "step_up", d.tool);
  // The real process says the same as the code run here.
  assert.deepEqual(await explain(dir, "bulkDelete", read, runThoth), {
    tool: "bulkDelete",
    verdict: "step_up",
    ruleIds: ["delete-like"],
  });
  assert.deepEqual(await explain(dir, "list_trash", read, runThoth), {
    tool: "list_trash",
    verdict: "allow",
    ruleIds: ["reads"],
  });
  // explain writes nothing: the profile stays as it was (none).
  await assert.rejects(Deno.lstat(`${dir}/profile`), Deno.errors.NotFound);
});
