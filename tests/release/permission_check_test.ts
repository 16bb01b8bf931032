import assert from "node:assert/strict";
import { checkPermissions } from "../../src/release/permission_check.ts";
import { parseTaskScript, splitTaskCommand } from "../../src/release/task_script.ts";
import { broaderKinds, grantOfFlags, grantOfSet } from "../../src/release/permission_grants.ts";
import { planBuild, RELEASE_BINARIES } from "../../src/release/build_plan.ts";
import { RELEASE_TARGETS } from "../../src/release/targets.ts";
import { compileCommandsFor } from "../../scripts/check_permissions.ts";

const SETS = {
  thoth: { read: true, write: true, env: true, run: true, sys: ["hostname"], net: false },
  thothctl: { read: true, env: true },
  test: { read: true, write: true, run: true, net: ["127.0.0.1", "localhost"] },
};

function compiles(sets: Record<string, unknown>, extra: string[] = []) {
  return planBuild({
    root: "/r",
    outDir: "/r/dist",
    deno: "deno",
    importMap: "/r/dist/.stamp/im.json",
    binaries: RELEASE_BINARIES,
    targets: RELEASE_TARGETS.map((t) => t.triple),
    permissionSets: sets,
  }).compiles.map((c) => ({
    label: c.asset,
    set: c.set,
    argv: [...c.argv.slice(0, -1), ...extra, c.argv.at(-1) as string],
  }));
}

function codes(config: unknown, extra: string[] = []): string[] {
  return checkPermissions(config, compiles(SETS, extra)).map((f) => `${f.code} ${f.where}`);
}

Deno.test("splitTaskCommand() splits at && ; | and keeps quoted words", () => {
  assert.deepEqual(
    splitTaskCommand(`deno fmt --check && deno run -P=x "a b.ts"; echo 'x;y' | cat`),
    [
      ["deno", "fmt", "--check"],
      ["deno", "run", "-P=x", "a b.ts"],
      ["echo", "x;y"],
      ["cat"],
    ],
  );
});

Deno.test("grantOfFlags() reads long, short, bundled and set flags", () => {
  const g = grantOfFlags([
    "-P=test",
    "-RE",
    "--allow-net=a.com,b.com",
    "-N=c.com",
    "--quiet",
    "--",
    "-A",
  ]);
  assert.deepEqual(g.sets, ["test"]);
  assert.deepEqual(g.grant, {
    "allow-read": true,
    "allow-env": true,
    "allow-net": ["a.com", "b.com", "c.com"],
  });
  assert.equal(grantOfFlags(["-qA"]).grant["allow-all"], true);
  assert.deepEqual(grantOfFlags(["-P"]).sets, ["default"]);
});

Deno.test("broaderKinds() compares lists exactly, deny never widens", () => {
  const set = grantOfSet({ net: ["127.0.0.1"], read: true });
  assert.deepEqual(broaderKinds(grantOfFlags(["--allow-net=127.0.0.1"]).grant, set), []);
  assert.deepEqual(broaderKinds(grantOfFlags(["--allow-net=127.0.0.10"]).grant, set), ["net"]);
  assert.deepEqual(broaderKinds(grantOfFlags(["--allow-net"]).grant, set), ["net"]);
  assert.deepEqual(broaderKinds(grantOfFlags(["--allow-read=/x", "--deny-net"]).grant, set), []);
});

const passing: { name: string; config: unknown }[] = [
  {
    name: "tasks that only name sets",
    config: {
      permissions: SETS,
      tasks: {
        thoth:
          "deno run -P=thoth --no-prompt --no-remote --cached-only --frozen-lockfile --quiet src/cli/thoth.ts",
        test: "deno test -P=test --no-prompt --quiet",
        fmt: "deno fmt",
        ok: "deno fmt --check && deno lint && deno task test",
      },
    },
  },
  {
    name: "a task flag within its set",
    config: {
      permissions: SETS,
      tasks: { t: "deno test -P=test --no-prompt --allow-net=127.0.0.1" },
    },
  },
  {
    name: "a task object with a command",
    config: {
      permissions: SETS,
      tasks: {
        t: {
          command: "deno run -P=thoth --no-prompt --no-remote --cached-only --frozen-lockfile x.ts",
          dependencies: [],
        },
      },
    },
  },
  {
    name: "a test config naming a set",
    config: { permissions: SETS, test: { permissions: "test" } },
  },
  {
    name: "redirects, comments, deno.json in words, built-ins and harmless variables",
    config: {
      permissions: SETS,
      tasks: {
        a: "deno test -P=test --no-prompt x.ts > out.txt 2>&1 && echo 'see deno.json'",
        b: "deno fmt --check; NO_COLOR=1 deno run -q -P=thoth --no-prompt --no-remote --cached-only --frozen-lockfile x.ts # format first",
        c: "echo $HOME && rm -rf dist && mkdir -p dist/x && cp a.txt dist/x && deno task a",
        d: { command: "echo done > /dev/null", dependencies: ["a", "b"], description: "d" },
        e: { dependencies: ["c"] },
        f: "deno run -P=thoth --no-prompt --no-remote --cached-only --frozen-lockfile a && true || false; sleep 1; pwd; cat a.txt | head -n 1; exit 0",
        g: "export NO_COLOR=1 && unset NO_COLOR && mv dist/a dist/b",
      },
    },
  },
];
for (const v of passing) {
  Deno.test(`checkPermissions() passes ${v.name}`, () => {
    assert.deepEqual(codes(v.config), []);
  });
}

const failing: { name: string; config: unknown; extra?: string[]; want: string[] }[] = [
  {
    name: "-A in a task",
    config: {
      permissions: SETS,
      tasks: {
        dev: "deno run -A --no-prompt --no-remote --cached-only --frozen-lockfile src/cli/thoth.ts",
      },
    },
    want: ['allow_all task "dev"'],
  },
  {
    name: "--allow-all after && in a task",
    config: { permissions: SETS, tasks: { ci: "deno fmt && deno test --no-prompt --allow-all" } },
    want: ['allow_all task "ci"'],
  },
  {
    name: "a grant broader than the named set",
    config: { permissions: SETS, tasks: { test: "deno test -P=test --no-prompt --allow-net" } },
    want: ['broader_than_set task "test"'],
  },
  {
    name: "a grant of a kind the set lacks",
    config: {
      permissions: SETS,
      tasks: {
        ctl:
          "deno run -P=thothctl --no-prompt --no-remote --cached-only --frozen-lockfile --allow-run x.ts",
      },
    },
    want: ['broader_than_set task "ctl"'],
  },
  {
    name: "an unknown set",
    config: { permissions: SETS, tasks: { x: "deno run -P=nope --no-prompt x.ts" } },
    want: ['unknown_set task "x"'],
  },
  {
    name: "a grant without a set",
    config: { permissions: SETS, tasks: { x: "deno run --allow-read --no-prompt x.ts" } },
    want: ['ungoverned_grant task "x"'],
  },
  {
    name: "an all: true set",
    config: { permissions: { ...SETS, dev: { all: true } } },
    want: ['allow_all permission set "dev"'],
  },
  {
    name: "inline test permissions",
    config: { permissions: SETS, test: { permissions: { read: true } } },
    want: ['inline_permissions deno.json "test.permissions"'],
  },
  {
    name: "lint plugins (run with read and env)",
    config: { permissions: SETS, lint: { plugins: ["./plugin.ts"] } },
    want: ['ungoverned_grant deno.json "lint.plugins"'],
  },
  {
    name: "no manifest at all",
    config: { tasks: {} },
    want: ['no_manifest deno.json "permissions"'],
  },
];
for (const v of failing) {
  Deno.test(`checkPermissions() reports ${v.name}`, () => {
    const got = codes(v.config, v.extra).filter((c) => !c.includes("compile "));
    assert.deepEqual(got, v.want);
  });
}

Deno.test("checkPermissions() reports compile flags that differ from the set", () => {
  const config = { permissions: SETS };
  const widened = checkPermissions(config, compiles(SETS, ["--allow-net"]));
  assert.equal(widened.length, 10);
  assert.ok(widened.every((f) => f.code === "compile_mismatch"));
  assert.match(widened[0]?.message ?? "", /--allow-net/);

  const allowAll = checkPermissions(config, compiles(SETS, ["-A"]));
  assert.ok(
    allowAll.some((f) => f.code === "allow_all" && f.where === "compile thoth-linux-x86_64"),
  );

  // Flags planned from another manifest no longer match this one.
  const stale = checkPermissions(
    { permissions: { ...SETS, thoth: { ...SETS.thoth, sys: ["hostname", "uid"] } } },
    compiles(SETS),
  );
  assert.deepEqual(
    stale.map((f) => f.where),
    RELEASE_TARGETS.map((t) => `compile thoth-${t.suffix}`),
  );
});

Deno.test("checkPermissions() reports a binary whose set is missing", () => {
  const { findings } = compileCommandsFor({ permissions: { thoth: SETS.thoth } }, "/r");
  assert.deepEqual(findings.map((f) => `${f.code} ${f.where}`), ["missing_set build thothctl"]);
});

Deno.test("checkPermissions() passes the real deno.json and build plan", async () => {
  const path = new URL("../../deno.json", import.meta.url);
  const config = JSON.parse(await Deno.readTextFile(path)) as Record<string, unknown>;
  const planned = compileCommandsFor(config, "/r");
  assert.deepEqual(planned.findings, []);
  assert.equal(planned.compiles.length, RELEASE_BINARIES.length * RELEASE_TARGETS.length);
  assert.deepEqual(checkPermissions(config, planned.compiles), []);
});

Deno.test("parseTaskScript() splits at every separator deno task knows", () => {
  const words = (text: string) =>
    parseTaskScript(text).commands.map((c) => c.words.map((w) => w.text));
  assert.deepEqual(words("a & b |& c || d\ne (f) ; g"), [["a"], ["b"], ["c"], ["d"], ["e"], ["f"], [
    "g",
  ]]);
  // A line continuation joins; a comment runs to the end of the line.
  assert.deepEqual(words("deno run \\\n -A x.ts # -P=x\ndeno fmt"), [
    ["deno", "run", "-A", "x.ts"],
    ["deno", "fmt"],
  ]);
  // deno task starts a new command after a redirect's target.
  assert.deepEqual(words("echo a > f deno run -A x.ts"), [["echo", "a"], [
    "deno",
    "run",
    "-A",
    "x.ts",
  ]]);
  assert.deepEqual(words(`"de"'no' run x.ts 2>&1`), [["deno", "run", "x.ts"]]);
  const computed = parseTaskScript("$D run {-A,x} *.ts de\\no").commands[0]?.words.map((w) =>
    w.computed ?? null
  );
  assert.deepEqual(computed, ["a $ expansion", null, "braces", "a glob pattern", "a backslash"]);
  assert.deepEqual(parseTaskScript("echo $(deno run -A x.ts)").problems, [
    "it runs a command substitution $(…), whose command this check does not read",
  ]);
  assert.deepEqual(parseTaskScript("(echo 'a").problems, [
    "a ' quote is not closed",
    "a ( is not closed",
  ]);
});

const bypasses: { name: string; task: string; want: string }[] = [
  // A reviewer's tasks, each of which ran a probe script with -A.
  {
    name: "a VAR=value prefix before deno -A",
    task: "FOO=1 deno run -A probe.ts",
    want: "allow_all",
  },
  { name: "! before deno -A", task: "! deno run -A probe.ts", want: "allow_all" },
  { name: "deno -A after a single &", task: "echo hi & deno run -A probe.ts", want: "allow_all" },
  { name: "deno -A in a subshell", task: "(deno run -A probe.ts)", want: "allow_all" },
  { name: "deno -A after a line break", task: "echo hi\ndeno run -A probe.ts", want: "allow_all" },
  {
    name: "deno behind xargs",
    task: "echo probe.ts | xargs deno run -A",
    want: "unlisted_command",
  },
  {
    name: "--config naming another file",
    task: "deno run --config=other.json -P=test probe.ts",
    want: "config_override",
  },
  // More of the same family.
  { name: "deno -A after |&", task: "echo a |& deno run -A x.ts", want: "allow_all" },
  { name: "deno -A after a redirect", task: "echo a > f deno run -A x.ts", want: "allow_all" },
  { name: "-c bundled with -q", task: "deno run -qc o.json -P=test x.ts", want: "unreadable_task" },
  { name: "deno task --config", task: "deno task --config o.json t", want: "config_override" },
  {
    name: "deno task --eval",
    task: `deno task --eval "deno run -A x.ts"`,
    want: "config_override",
  },
  { name: "a cd before deno", task: "cd sub && deno run -P=test x.ts", want: "config_override" },
  {
    name: "deno eval (every permission, whatever the flags)",
    task: "deno eval -P=test 'Deno.exit()'",
    want: "allow_all",
  },
  { name: "dx without flags", task: "dx npm:cowsay hi", want: "unlisted_command" },
  { name: "a computed deno flag", task: "deno run $FLAGS x.ts", want: "unreadable_task" },
  { name: "brace expansion in deno's words", task: "deno run {-A,x.ts}", want: "unreadable_task" },
  { name: "a computed command name", task: "$D run -A x.ts", want: "unreadable_task" },
  { name: "a command substitution", task: "echo $(${X}no run -A x.ts)", want: "unreadable_task" },
  { name: "deno inside sh -c", task: `sh -c "deno run -A x.ts"`, want: "unlisted_command" },
  { name: "deno stored in a variable", task: "D=deno && $D run x.ts", want: "unreadable_task" },
  {
    name: "a permission broker variable",
    task: "DENO_PERMISSION_BROKER_PATH=/b deno run -P=test x.ts",
    want: "deno_env",
  },
  {
    name: "-P bundled after -q naming no set",
    task: "deno run -qPwide x.ts",
    want: "unreadable_task",
  },
  { name: "an unknown deno subcommand", task: "deno sandbox x.ts", want: "unreadable_task" },
];
for (const v of bypasses) {
  Deno.test(`checkPermissions() refuses a task with ${v.name}`, () => {
    const found = checkPermissions({ permissions: SETS, tasks: { t: v.task } }, []);
    assert.ok(found.length > 0, `"${v.task}" passed`);
    assert.ok(
      found.every((f) => f.where === 'task "t"' && f.message.length > 0),
      JSON.stringify(found),
    );
    assert.ok(found.some((f) => f.code === v.want), JSON.stringify(found));
  });
}
