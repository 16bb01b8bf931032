/**
 * What `thoth status --client` does with the project configs it cannot use:
 * a file it cannot read or parse is named (and fails `--check` only), a
 * listed "folder" that is no folder or that thoth may not read in is said so
 * in plain words, and a long list of gone folders is cut short in the text.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";

/** A governed server, written as wrap-config writes one. */
const GOVERNED = { command: THOTH, args: ["run", "--", "/usr/bin/mcp-clock"] };

/** ~/.claude.json with a governed user server, listing `folders` as projects. */
async function claudeJson(dir: string, folders: string[]): Promise<void> {
  await Deno.mkdir(`${dir}/home/.thoth`, { recursive: true });
  await Deno.writeTextFile(
    `${dir}/home/.claude.json`,
    JSON.stringify({
      mcpServers: { clock: GOVERNED },
      projects: Object.fromEntries(folders.map((folder) => [folder, {}])),
    }),
  );
}

const SUMMARY_FIELDS = [
  "servers",
  "governed",
  "ungoverned",
  "notUnderstood",
  "notApplicable",
  "drifted",
  "refused",
  "cannotStart",
  "notStartable",
];

Deno.test("thoth status --client claude-code --json marks a half-edited project .mcp.json invalid, counts it, and exits 0", async () => {
  await inTempDir(async (dir) => {
    const web = `${dir}/proj/web`;
    await claudeJson(dir, [web]);
    await Deno.mkdir(web, { recursive: true });
    await Deno.writeTextFile(`${web}/.mcp.json`, '{"mcpServers": {');
    const run = await thoth(["status", "--client", "claude-code", "--json"], { cwd: dir });
    assert.equal(run.code, 0, run.err);
    const doc = JSON.parse(run.out);
    assert.deepEqual(doc.projectConfigs.places.map((p: Record<string, unknown>) => p.state), [
      "invalid",
    ]);
    assert.match(doc.projectConfigs.places[0].problem, /^invalid JSON in config /);
    // Every field scripts read is still there, with its meaning; the count is added.
    for (const field of SUMMARY_FIELDS) assert.equal(typeof doc.summary[field], "number", field);
    assert.equal(doc.summary.servers, 1);
    assert.equal(doc.summary.governed, 1);
    assert.equal(doc.summary.projectConfigProblems, 1);
    assert.match(run.err, /^thoth: warning: invalid JSON in config /m);
    // --check fails on it, naming it.
    const check = await thoth(["status", "--client", "claude-code", "--json", "--check"], {
      cwd: dir,
    });
    assert.equal(check.code, 1, check.err);
    assert.equal(JSON.parse(check.out).summary.projectConfigProblems, 1);
    assert.match(check.err, /^thoth: error: invalid JSON in config /m);
  });
});

Deno.test("thoth status --client claude-code lists a project .mcp.json it cannot parse as such, not as found", async () => {
  await inTempDir(async (dir) => {
    const web = `${dir}/proj/web`;
    await claudeJson(dir, [web]);
    await Deno.mkdir(web, { recursive: true });
    await Deno.writeTextFile(`${web}/.mcp.json`, '{"mcpServers": {');
    const run = await thoth(["status", "--client", "claude-code"], { cwd: dir });
    assert.equal(run.code, 0, run.out + run.err);
    assert.match(run.out, new RegExp(`: cannot understand "${web}/\\.mcp\\.json"$`, "m"));
    assert.doesNotMatch(run.out, /\bfound\b/);
  });
});

Deno.test("thoth status --client claude-code names a project .mcp.json it cannot read, exits 0, and fails --check", async () => {
  await inTempDir(async (dir) => {
    const web = `${dir}/proj/web`;
    await claudeJson(dir, [web]);
    // A folder where the file should be: not a regular file, so not read.
    await Deno.mkdir(`${web}/.mcp.json`, { recursive: true });
    const run = await thoth(["status", "--client", "claude-code", "--json"], { cwd: dir });
    assert.equal(run.code, 0, run.err);
    const doc = JSON.parse(run.out);
    assert.equal(doc.projectConfigs.places[0].state, "unreadable");
    assert.notEqual(doc.projectConfigs.places[0].problem, null);
    assert.equal(doc.summary.projectConfigProblems, 1);
    assert.match(
      run.err,
      new RegExp(`^thoth: warning: cannot read config "${web}/\\.mcp\\.json"`, "m"),
    );
    const check = await thoth(["status", "--client", "claude-code", "--check"], { cwd: dir });
    assert.equal(check.code, 1, check.out + check.err);
    assert.match(check.out, new RegExp(`: cannot read "${web}/\\.mcp\\.json"$`, "m"));
    assert.match(check.err, new RegExp(`^thoth: error: cannot read config "${web}/`, "m"));
  });
});

Deno.test("thoth status --client claude-code still fails when the client's own config cannot be parsed", async () => {
  await inTempDir(async (dir) => {
    await Deno.mkdir(`${dir}/home/.thoth`, { recursive: true });
    await Deno.writeTextFile(`${dir}/home/.claude.json`, '{"mcpServers": {');
    const run = await thoth(["status", "--client", "claude-code"], { cwd: dir });
    assert.equal(run.code, 1, run.out + run.err);
    assert.match(run.err, /^thoth: error: invalid JSON in config /m);
  });
});

Deno.test({
  name:
    "thoth status --client claude-code --check passes over /proc/self, /proc/1/root, a file and a FIFO listed as folders, in plain words",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    await inTempDir(async (dir) => {
      const file = `${dir}/proj/file`;
      const fifo = `${dir}/proj/fifo`;
      await Deno.mkdir(`${dir}/proj`, { recursive: true });
      await Deno.writeTextFile(file, "not a folder");
      const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
      assert.ok(made.success, new TextDecoder().decode(made.stderr));
      await claudeJson(dir, ["/proc/self", "/proc/1/root", file, fifo]);
      const run = await thoth(["status", "--client", "claude-code", "--check"], { cwd: dir });
      assert.equal(run.code, 0, run.out + run.err);
      assert.doesNotMatch(run.out + run.err, /allow-all|NotCapable|NotADirectory|os error/);
      assert.equal(run.err, "");
      assert.match(
        run.out,
        new RegExp(`2 folders not there \\(nothing to check\\): "${file}", "${fifo}"$`, "m"),
      );
      assert.match(
        run.out,
        /^Not looked in: \.mcp\.json in 2 listed folders that thoth does not read in \(system folders such as \/proc\/self\): "\/proc\/self", "\/proc\/1\/root"; /m,
      );
      const json = await thoth(["status", "--client", "claude-code", "--json"], { cwd: dir });
      assert.equal(json.code, 0, json.err);
      const doc = JSON.parse(json.out);
      assert.deepEqual(
        doc.projectConfigs.places.map((p: Record<string, unknown>) => [p.state, p.problem]),
        [
          ["not_looked_at", null],
          ["not_looked_at", null],
          ["folder_missing", null],
          ["folder_missing", null],
        ],
      );
      assert.equal(doc.summary.projectConfigProblems, 0);
    });
  },
});

Deno.test("thoth status --config FILE --json keeps the summary it had: no projectConfigProblems", async () => {
  await inTempDir(async (dir) => {
    await claudeJson(dir, [`${dir}/proj/web`]);
    const path = `${dir}/home/.claude.json`;
    const run = await thoth(["status", "--config", path, "--json"], { cwd: dir });
    assert.equal(run.code, 0, run.err);
    const doc = JSON.parse(run.out);
    assert.equal(doc.projectConfigs, null);
    assert.deepEqual(Object.keys(doc.summary), SUMMARY_FIELDS);
  });
});

Deno.test("thoth status --client claude-code names the first 5 listed folders that are gone and counts the rest; --json names all", async () => {
  await inTempDir(async (dir) => {
    const gone = Array.from({ length: 92 }, (_, i) => `${dir}/proj/gone-${i}`);
    const there = Array.from({ length: 8 }, (_, i) => `${dir}/proj/there-${i}`);
    for (const folder of there) await Deno.mkdir(folder, { recursive: true });
    await claudeJson(dir, [...gone, ...there]);
    const run = await thoth(["status", "--client", "claude-code"], { cwd: dir });
    assert.equal(run.code, 0, run.out + run.err);
    const named = gone.slice(0, 5).map((folder) => `"${folder}"`).join(", ");
    assert.match(
      run.out,
      new RegExp(
        `; 92 folders not there \\(nothing to check\\): ${named} and 87 more$`,
        "m",
      ),
    );
    assert.doesNotMatch(run.out, new RegExp(`"${gone[5]}"`));
    const json = await thoth(["status", "--client", "claude-code", "--json"], { cwd: dir });
    const doc = JSON.parse(json.out);
    assert.deepEqual(
      doc.projectConfigs.places.filter((p: Record<string, unknown>) => p.state === "folder_missing")
        .map((p: Record<string, unknown>) => p.folder),
      gone,
    );
  });
});
