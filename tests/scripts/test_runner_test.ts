/**
 * `deno task test` (scripts/test.ts) on a small tests folder of its own: the
 * files of a folder load into one isolate, a file with the own-isolate mark
 * and every file under `--isolate-per-file` load alone, a failing test fails
 * the run and is named by its own file, and the group modules are removed.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";

const script = new URL("../../scripts/test.ts", import.meta.url).pathname;
const config = new URL("../../deno.json", import.meta.url).pathname;

// Each file counts the test files its isolate has loaded, and its test writes what it saw.
const fixture = (name: string, extra = "") =>
  `${extra}
const seen = globalThis as { loads?: number };
seen.loads = (seen.loads ?? 0) + 1;
Deno.test("${name}", async () => {
  await Deno.writeTextFile(Deno.env.get("SEEN_FILE")!, "${name} " + seen.loads + "\\n", { append: true });
});
`;

async function suite(): Promise<string> {
  const dir = await tempFolder("thoth-test-runner-");
  await Deno.mkdir(`${dir}/tests/a`, { recursive: true });
  await Deno.mkdir(`${dir}/tests/b`);
  await Deno.mkdir(`${dir}/tmp`);
  await Deno.writeTextFile(`${dir}/tests/a/one_test.ts`, fixture("a one"));
  await Deno.writeTextFile(`${dir}/tests/a/two_test.ts`, fixture("a two"));
  await Deno.writeTextFile(`${dir}/tests/a/three_test.ts`, fixture("a three"));
  await Deno.writeTextFile(
    `${dir}/tests/a/alone_test.ts`,
    fixture("a alone", "// thoth-test: own isolate: it keeps count of loads\n"),
  );
  await Deno.writeTextFile(`${dir}/tests/b/four_test.ts`, fixture("b four"));
  await Deno.writeTextFile(`${dir}/tests/a/_helper.ts`, 'throw new Error("not a test file");\n');
  return dir;
}

async function runSuite(dir: string, ...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", `--config=${config}`, "-P=test", "--no-prompt", "--quiet", script, ...args],
    env: { SEEN_FILE: `${dir}/seen.txt`, TMPDIR: `${dir}/tmp`, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seen = await Deno.readTextFile(`${dir}/seen.txt`).catch(() => "");
  await Deno.remove(`${dir}/seen.txt`).catch(() => {});
  const text = new TextDecoder();
  return {
    code: out.code,
    output: text.decode(out.stdout) + text.decode(out.stderr),
    seen: Object.fromEntries(
      seen.trim().split("\n").filter(Boolean).map((l) => {
        const at = l.lastIndexOf(" ");
        return [l.slice(0, at), Number(l.slice(at + 1))];
      }),
    ),
    leftovers: [...Deno.readDirSync(`${dir}/tmp`)].map((e) => e.name),
  };
}

Deno.test("deno task test loads a folder's files in one isolate, and a marked file alone", async () => {
  const dir = await suite();
  const run = await runSuite(dir, `--tests-dir=${dir}/tests`);
  assert.equal(run.code, 0, run.output);
  assert.deepEqual(run.seen, { "a one": 3, "a two": 3, "a three": 3, "a alone": 1, "b four": 1 });
  assert.match(
    run.output,
    /5 test files in 3 groups, one isolate each \(1 alone: a\/alone_test\.ts\)/,
  );
  assert.match(run.output, /ok \| 5 passed \| 0 failed/);
  assert.deepEqual(run.leftovers, [], "the group modules are removed");

  const small = await runSuite(dir, `--tests-dir=${dir}/tests`, "--files-per-group=2");
  assert.equal(small.code, 0, small.output);
  assert.deepEqual(
    Object.values(small.seen).sort(),
    [1, 1, 1, 2, 2],
    "three files of a/ in groups of 2 and 1",
  );
});

Deno.test("deno task test --isolate-per-file loads every file alone, and hands other flags to deno test", async () => {
  const dir = await suite();
  const run = await runSuite(
    dir,
    `--tests-dir=${dir}/tests`,
    "--isolate-per-file",
    "--filter",
    "a t",
  );
  assert.equal(run.code, 0, run.output);
  assert.deepEqual(run.seen, { "a two": 1, "a three": 1 });
});

Deno.test("deno task test fails when a test fails, naming the test's own file", async () => {
  const dir = await suite();
  await Deno.writeTextFile(
    `${dir}/tests/a/broken_test.ts`,
    'Deno.test("a broken", () => { throw new Error("as meant"); });\n',
  );
  const run = await runSuite(dir, `--tests-dir=${dir}/tests`);
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /a broken => \S*tests\/a\/broken_test\.ts:1:6/);
  assert.match(run.output, /5 passed \| 1 failed/);
  assert.deepEqual(run.leftovers, []);
});

Deno.test("deno task test refuses a bad group size or a tests folder it cannot read, with exit 2", async () => {
  const dir = await suite();
  for (
    const [args, said] of [
      [["--files-per-group=0"], /--files-per-group takes a whole number above 0, not "0"/],
      [[`--tests-dir=${dir}/none`], /cannot read the tests folder .*\/none\//],
    ] as const
  ) {
    const run = await runSuite(dir, `--tests-dir=${dir}/tests`, ...args);
    assert.equal(run.code, 2, run.output);
    assert.match(run.output, said);
    assert.match(run.output, /test: hint: /);
    assert.deepEqual(run.seen, {});
  }
});

Deno.test("deno task test --help names its own options and says where the others go", async () => {
  const dir = await suite();
  const run = await runSuite(dir, "--help");
  assert.equal(run.code, 0, run.output);
  for (
    const option of ["--files-per-group=N", "--isolate-per-file", "--tests-dir=DIR", "DENO_JOBS"]
  ) {
    assert.ok(run.output.includes(option), `${option} in:\n${run.output}`);
  }
  assert.match(run.output, /any other flag goes to deno test/);
  assert.deepEqual(run.seen, {}, "no test ran");
});
