/**
 * The real `thoth policy explain` under the default policy (no policy file in
 * the profile) gives the `delete-like` verdict only to tool names that hold
 * one of its words as a whole word, or start with it run together in lower
 * case: read-only `dropbox_list_folder`, `list_deleted_files`, `removeditems`,
 * `deletedbuckets`, `truncate_text`, `list_trash` or `undelete_file` are allowed,
 * `delete_file`, `bulkDelete`, `DROP_TABLE`, `deletefile`, `deletedbinstance`,
 * `bulkdelete`, `docker_prune` and `truncate_table` still ask, and a name that
 * only mentions deleted things asks when the tool declares `destructiveHint`.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { runThoth } from "./_thoth_process.ts";
import { DELETES, DOES_NOT_DELETE } from "../policy/_delete_like_names.ts";

async function explain(dir: string, tool: string, annotations: string) {
  const run = await runThoth(
    [
      "policy",
      "explain",
      "--server",
      "svc",
      "--tool",
      tool,
      "--annotations",
      annotations,
      "--json",
    ],
    { env: { HOME: dir, THOTH_HOME: `${dir}/profile` }, cwd: dir },
  );
  assert.equal(run.code, 0, `${tool}: ${run.out}${run.err}`);
  const json = JSON.parse(run.out) as { verdict: string; ruleIds: string[] };
  return { tool, verdict: json.verdict, ruleIds: json.ruleIds };
}

/** `work` over `items`, three at a time (each is a process). */
async function eachOf<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += 3) {
    out.push(...await Promise.all(items.slice(i, i + 3).map(work)));
  }
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
  // explain writes nothing: the profile stays as it was (none).
  await assert.rejects(Deno.lstat(`${dir}/profile`), Deno.errors.NotFound);
});
