/**
 * Runs the test suite: `deno task test`. Every `tests/**\/*_test.ts` file is
 * loaded through a few group modules (`scripts/test/test_groups.ts`), one
 * isolate per group instead of one per file, two groups at a time
 * (`--parallel`; `DENO_JOBS` sets how many). A file whose text has the line
 * `// thoth-test: own isolate` runs alone. Flags are handed to `deno test`
 * (`--filter`, `--reporter`, `--fail-fast`…); files or folders named on the
 * command line run as they are, each in its own isolate, as `deno test` runs
 * them.
 *
 * Its own flags: `--files-per-group=N` (40 unless given),
 * `--isolate-per-file`, which runs every file in its own isolate, the way
 * `deno test` does, to show that no test leans on another file's, and
 * `--tests-dir=DIR`, the folder to look in (`tests/` of this checkout unless
 * given).
 *
 * @example
 * ```sh
 * deno task test
 * deno task test --filter "wrap-config"
 * deno task test tests/protocol
 * deno task test --isolate-per-file
 * ```
 */
import { groupModuleText, testGroups, wantsOwnIsolate } from "./test/test_groups.ts";

const ROOT = new URL("../", import.meta.url);
let testsDir = new URL("tests/", ROOT);
const TEST_FILE = /(^|[._])test\.(ts|tsx|mts|js|mjs|jsx)$/;
// deno test flags whose value may follow as the next word, so that word is no path.
const VALUE_FLAGS = new Set([
  "--filter",
  "--reporter",
  "--junit-path",
  "--seed",
  "--env-file",
  "--location",
  "--cert",
  "--ext",
]);

function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

const HELP = `Usage: deno task test [options] [deno test flags] [files or folders]

Runs thoth's test suite: the test files under tests/, loaded through group modules (the files of
one folder, at most 40 to a group, in one isolate), two groups at a time (DENO_JOBS sets how many).
A file with the line "// thoth-test: own isolate" runs alone. Files or folders named run as they
are, each in its own isolate, as deno test runs them; any other flag goes to deno test.

Options:
  --files-per-group=N   at most N files of a folder in one group (default 40)
  --isolate-per-file    every file in its own isolate, as plain deno test loads them
  --tests-dir=DIR       the folder to look in (default: tests/ of this checkout)
  -h, --help            this help

Examples:
  deno task test
  deno task test --filter "wrap-config" --fail-fast
  deno task test tests/protocol tests/config/plan_wrap_test.ts
  deno task test --tests-dir=tests/policy
`;

function usage(message: string): never {
  say(`test: error: ${message}`);
  say('test: hint: run "deno task test --help"');
  Deno.exit(2);
}

function filePath(url: URL): string {
  return decodeURIComponent(url.pathname);
}

function folderUrl(path: string): URL {
  const parts = path.split("/").filter((part) => part !== "").map(encodeURIComponent);
  return new URL(`file:///${parts.join("/")}/`);
}

async function testFiles(dir: URL, prefix = ""): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory) {
      found.push(...await testFiles(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`));
    } else if (entry.isFile && TEST_FILE.test(entry.name)) {
      found.push(`${prefix}${entry.name}`);
    }
  }
  return found;
}

let filesPerGroup = 40;
let isolatePerFile = false;
const passed: string[] = [];
let named = false;
for (let i = 0; i < Deno.args.length; i++) {
  const arg = Deno.args[i]!;
  if (arg.startsWith("--files-per-group=")) {
    const given = arg.slice("--files-per-group=".length);
    const value = Number(given);
    if (!Number.isInteger(value) || value < 1) {
      usage(`--files-per-group takes a whole number above 0, not "${given}"`);
    }
    filesPerGroup = value;
  } else if (arg.startsWith("--tests-dir=")) {
    const dir = arg.slice("--tests-dir=".length);
    if (dir === "") usage("--tests-dir takes a folder");
    testsDir = folderUrl(dir.startsWith("/") ? dir : `${Deno.cwd()}/${dir}`);
  } else if (arg === "--help" || arg === "-h") {
    Deno.stdout.writeSync(new TextEncoder().encode(HELP));
    Deno.exit(0);
  } else if (arg === "--isolate-per-file") {
    isolatePerFile = true;
  } else {
    passed.push(arg);
    if (VALUE_FLAGS.has(arg) && i + 1 < Deno.args.length) passed.push(Deno.args[++i]!);
    else if (!arg.startsWith("-")) named = true;
  }
}

const baseArgs = [
  "test",
  `--config=${filePath(new URL("deno.json", ROOT))}`,
  "-P=test",
  "--no-prompt",
  "--quiet",
  "--parallel",
  "--v8-flags=--enable-experimental-regexp-engine-on-excessive-backtracks",
];

let groupDir: string | undefined;
let roots: string[] = [];
if (!named) {
  const files = (await testFiles(testsDir).catch((error) => {
    usage(`cannot read the tests folder ${filePath(testsDir)}: ${(error as Error).message}`);
  })).sort();
  if (files.length === 0) usage(`no test files under ${filePath(testsDir)}`);
  if (isolatePerFile) {
    roots = files.map((file) => filePath(new URL(file, testsDir)));
  } else {
    const alone = new Set<string>();
    for (const file of files) {
      if (wantsOwnIsolate(await Deno.readTextFile(new URL(file, testsDir)))) alone.add(file);
    }
    const groups = testGroups(files, alone, filesPerGroup);
    groupDir = await Deno.makeTempDir({ prefix: "thoth-test-groups-" });
    for (const group of groups) {
      const path = `${groupDir}/${group.name}_test.ts`;
      await Deno.writeTextFile(path, groupModuleText(group, testsDir));
      roots.push(path);
    }
    say(
      `test: ${files.length} test files in ${groups.length} groups, one isolate each ` +
        `(${alone.size} alone: ${[...alone].join(", ") || "none"})`,
    );
  }
}

const child = new Deno.Command(Deno.execPath(), {
  args: [...baseArgs, ...passed, ...roots],
  env: { DENO_NO_UPDATE_CHECK: "1" },
  stdin: "inherit",
  stdout: "inherit",
  stderr: "inherit",
}).spawn();
let signalled: Deno.Signal | undefined;
const forward = (signal: Deno.Signal) => () => {
  signalled = signal;
  try {
    child.kill(signal);
  } catch {
    // the child has already exited
  }
};
const onInt = forward("SIGINT");
const onTerm = forward("SIGTERM");
Deno.addSignalListener("SIGINT", onInt);
Deno.addSignalListener("SIGTERM", onTerm);
const status = await child.status;
Deno.removeSignalListener("SIGINT", onInt);
Deno.removeSignalListener("SIGTERM", onTerm);
if (groupDir !== undefined) await Deno.remove(groupDir, { recursive: true }).catch(() => {});
if (signalled !== undefined) Deno.exit(signalled === "SIGINT" ? 130 : 143);
// A child a signal ended has 128 and the signal's number as its code.
Deno.exit(status.code);
