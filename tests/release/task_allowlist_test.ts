/**
 * The task allowlist: a task may run the literal word `deno` (each call
 * checked) and `deno task` built-ins that run no program, nothing else. The
 * first cases are a reviewer's bypasses on Deno 2.9.6 (a scratch project),
 * each of which ran its probe with every permission.
 */
import assert from "node:assert/strict";
import { checkPermissions } from "../../src/release/permission_check.ts";
import { parseTaskScript } from "../../src/release/task_script.ts";

const SETS = {
  test: { read: true, write: true, run: true, net: ["127.0.0.1"] },
  s: { read: true },
  A: { read: true },
};

function check(tasks: Record<string, unknown>) {
  return checkPermissions({ permissions: SETS, tasks }, []);
}

const refused: { name: string; task: unknown; want: string; names?: string }[] = [
  // 1. deno under another name.
  {
    name: "deno run as /proc/self/exe",
    task: "/proc/self/exe run -A probe.ts",
    want: "unlisted_command",
    names: "/proc/self/exe",
  },
  {
    name: "a copy of deno made by a glob",
    task: "cp /usr/bin/den? ./rt && ./rt run -A probe.ts",
    want: "unlisted_command",
    names: "./rt",
  },
  {
    name: "deno by its full path",
    task: "/usr/bin/deno run -A probe.ts",
    want: "unlisted_command",
    names: "/usr/bin/deno",
  },
  {
    name: "deno.exe",
    task: "deno.exe run -A probe.ts",
    want: "unlisted_command",
    names: "deno.exe",
  },
  // 2. Unicode spaces deno task splits at.
  {
    name: "U+00A0 before -A",
    task: "deno run --quiet\u00a0-A probe.ts",
    want: "unreadable_task",
    names: "U+00A0",
  },
  {
    name: "U+2003 before -A",
    task: "deno run --quiet\u2003-A probe.ts",
    want: "unreadable_task",
    names: "U+2003",
  },
  {
    name: "U+3000 before -A",
    task: "deno run --quiet\u3000-A probe.ts",
    want: "unreadable_task",
    names: "U+3000",
  },
  {
    name: "U+0085 before -A",
    task: "deno run --quiet\u0085-A probe.ts",
    want: "unreadable_task",
    names: "U+0085",
  },
  {
    name: "U+2028 before -A",
    task: "deno run --quiet\u2028-A probe.ts",
    want: "unreadable_task",
    names: "U+2028",
  },
  {
    name: "a vertical tab",
    task: "deno run -P=s probe.ts\u000b-A",
    want: "unreadable_task",
    names: "U+000B",
  },
  {
    name: "a zero-width space",
    task: "deno run -P=s\u200b probe.ts",
    want: "unreadable_task",
    names: "U+200B",
  },
  // 3. npm package commands, which deno task runs with deno run -A.
  {
    name: "an npm dependency's command",
    task: "mcp-server-memory",
    want: "unlisted_command",
    names: "mcp-server-memory",
  },
  {
    name: "a node_modules/.bin program",
    task: "node_modules/.bin/x --y",
    want: "unlisted_command",
    names: "node_modules/.bin/x",
  },
  { name: "npm run", task: "npm run evil", want: "unlisted_command", names: '"npm"' },
  { name: "npx", task: "npx probebin", want: "unlisted_command", names: '"npx"' },
  {
    name: "node (deno run -A in deno task)",
    task: "node probe.ts",
    want: "unlisted_command",
    names: '"node"',
  },
  // 4. package.json scripts, reached by name.
  {
    name: "deno task naming no task here",
    task: "deno task evil",
    want: "unknown_task",
    names: '"evil"',
  },
  {
    name: "a dependency naming no task here",
    task: { command: "echo", dependencies: ["evil"] },
    want: "unknown_task",
    names: '"evil"',
  },
  {
    name: "deno run naming a script by a bare word",
    task: "deno run -P=s evil",
    want: "unknown_task",
    names: "./evil",
  },
  { name: "deno task with a wildcard", task: "deno task 'ev*'", want: "unknown_task" },
  { name: "deno task with arguments", task: "deno task ok -A probe.ts", want: "config_override" },
  // 6, 7. Short-flag bundles.
  { name: "-PA (-P -A to Deno)", task: "deno run -PA probe.ts", want: "allow_all" },
  {
    name: "-PA read as a bundle",
    task: "deno run -PA probe.ts",
    want: "unreadable_task",
    names: '"-PA"',
  },
  {
    name: "deno install -gfA",
    task: "deno install -gfA -q --root ./inst -n probe ./probe.ts",
    want: "allow_all",
  },
  {
    name: "-gfA read as a bundle",
    task: "deno install -gfA -q --root ./inst -n probe ./probe.ts",
    want: "unreadable_task",
    names: '"-gfA"',
  },
  {
    name: "deno install at all",
    task: "deno install",
    want: "unreadable_task",
    names: "deno install",
  },
  { name: "-qP=s", task: "deno run -qP=s probe.ts", want: "unreadable_task", names: '"-qP=s"' },
  { name: "-Ps (a set glued on)", task: "deno run -Ps probe.ts", want: "unreadable_task" },
  // A bare deno is a REPL with every permission, running what is piped in.
  { name: "code piped into a bare deno", task: "echo 'Deno.exit(0)' | deno", want: "allow_all" },
  { name: "deno -q with no subcommand", task: "deno -q", want: "allow_all" },
  { name: "deno -- run", task: "deno -- run -P=s probe.ts", want: "allow_all" },
  { name: "-A before deno task", task: "deno -A task ok", want: "allow_all" },
  // Built-ins that run programs, or change what deno reads.
  {
    name: "xargs",
    task: "echo probe.ts | xargs deno run -A",
    want: "unlisted_command",
    names: '"xargs"',
  },
  { name: "test (not needed)", task: "test -f x && deno fmt", want: "unlisted_command" },
  { name: "cd", task: "cd sub && deno fmt", want: "config_override" },
  {
    name: "a file written over deno.json",
    task: "cp evil.json deno.json && deno run -P=s probe.ts",
    want: "protected_path",
    names: "deno.json",
  },
  {
    name: "a redirect into a nested deno.json",
    task: "echo x > sub/deno.json",
    want: "protected_path",
  },
  {
    name: "a program put in node_modules/.bin",
    task: "mkdir -p node_modules/.bin",
    want: "protected_path",
  },
  { name: "rm of the project folder", task: "rm -rf ./", want: "protected_path" },
  { name: "mv out of the project", task: "mv x.ts ../x.ts", want: "protected_path" },
  { name: "cp from an absolute path", task: "cp /tmp/x.ts x.ts", want: "protected_path" },
  { name: "a variable in cp's arguments", task: "cp $SRC x.ts", want: "unreadable_task" },
  { name: "a glob in mv's arguments", task: "mv sub/* .", want: "unreadable_task" },
  // Variables that change which program or permissions deno ends up with.
  {
    name: "LD_PRELOAD",
    task: "LD_PRELOAD=./x.so deno run -P=s probe.ts",
    want: "deno_env",
    names: "LD_PRELOAD",
  },
  { name: "DENO_DIR (another npm cache)", task: "DENO_DIR=./d deno task ok", want: "deno_env" },
  { name: "export HOME", task: "export HOME=/tmp && deno fmt", want: "deno_env" },
  // Subcommands that install, compile or change the setup.
  { name: "deno x", task: "deno x -P=s npm:cowsay", want: "unreadable_task" },
  { name: "deno compile", task: "deno compile -P=s probe.ts", want: "unreadable_task" },
  { name: "deno add", task: "deno add npm:evil && deno task ok", want: "unreadable_task" },
  { name: "deno upgrade", task: "deno upgrade", want: "unreadable_task" },
  // Task objects this check cannot read.
  { name: "a task that is a number", task: 42, want: "unreadable_task" },
  {
    name: "a task object with an unknown key",
    task: { command: "deno fmt", cwd: "sub" },
    want: "unreadable_task",
  },
  {
    name: "a command that is not a string",
    task: { command: ["deno", "fmt"] },
    want: "unreadable_task",
  },
];

for (const v of refused) {
  Deno.test(`checkPermissions() refuses ${v.name}`, () => {
    const found = check({ t: v.task, ok: "deno fmt" });
    assert.ok(found.length > 0, `${JSON.stringify(v.task)} passed`);
    assert.ok(found.every((f) => f.where === 'task "t"'), JSON.stringify(found));
    const hit = found.find((f) => f.code === v.want);
    assert.ok(hit !== undefined, JSON.stringify(found));
    if (v.names !== undefined) assert.ok(hit.message.includes(v.names), hit.message);
  });
}

Deno.test("checkPermissions() gives a command outside the allowlist a remedy", () => {
  const [finding, ...rest] = check({ bin: "mcp-server-memory --port 1" });
  assert.deepEqual(rest, []);
  assert.equal(finding?.where, 'task "bin"');
  assert.match(finding?.message ?? "", /^runs "mcp-server-memory", which is neither deno nor/);
  assert.match(finding?.message ?? "", /run it through deno run -P=<set> or move it to a script$/);
});

Deno.test("checkPermissions() passes deno, the built-ins and tasks named here", () => {
  assert.deepEqual(
    check({
      a: "deno run -P=s --no-prompt --quiet --v8-flags=--max-semi-space-size=2 src/app.ts",
      b: "deno fmt --check && deno lint && deno task a && deno check mod.ts src",
      c: { command: "deno test -P=test --quiet --no-prompt", dependencies: ["a", "b"] },
      d: "echo ok > dist/out.txt; mkdir -p dist && cp a.txt dist/a.txt && rm -f dist/a.txt",
      e: "deno run -P=s --no-prompt a && deno run -L info -P=s --no-prompt x.ts",
      f: "deno bench -P=test bench/x.ts --no-prompt && deno -q task -q a",
      g: "deno test -P=test --no-prompt --junit-path=- --coverage=coverage/x --reporter dot",
      h: "deno coverage --lcov --output=coverage/lcov.info coverage && deno doc --html --output=dist/doc",
    }),
    [],
  );
});

Deno.test("parseTaskScript() lists the files output redirects write", () => {
  const script = parseTaskScript("echo a > one 2>&1 && cat < in &> two; echo b >> three | cat");
  assert.deepEqual(script.outputs.map((w) => w.text), ["one", "two", "three"]);
});

Deno.test("deno calls may name no module or file outside the project, in .git, or through serve", () => {
  const cases: [string, string][] = [
    ["deno run -P=s ../outside/probe.ts", "outside_project"],
    ["deno run -P=s /tmp/outside/probe.ts", "outside_project"],
    ["deno run -P=s file:///tmp/outside/probe.ts", "outside_project"],
    ["deno run -P=s .git/hooks/probe.ts", "outside_project"],
    ["deno test -P=s ~/x_test.ts", "outside_project"],
    // deno serve grants net for its listen address whatever the set says.
    ["deno serve -P=s --port=18341 srv.ts", "unreadable_task"],
    // --env is --env-file's alias.
    ["deno run -P=s --env=.env probe.ts", "deno_env"],
  ];
  for (const [task, want] of cases) {
    const codes = check({ t: task }).map((f) => f.code);
    assert.ok(codes.includes(want as never), `${task}: ${codes.join(", ")}`);
  }
  assert.deepEqual(check({ t: "deno run -P=s --no-prompt scripts/probe.ts --out dist/x" }), []);
});
