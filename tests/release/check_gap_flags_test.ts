/**
 * Deno flags and calls that passed the permission check although they loosen
 * what the program may do whatever its set says: trusting another TLS
 * authority or none, an origin's shared storage, V8 flags beyond thoth's own,
 * a task that rewrites the manifest or the sources, a release program run
 * with a set other than the one it ships with, and code run past deno.lock
 * (`--no-lock`, a manual node_modules, a vendor folder) or with `__proto__`.
 */
import assert from "node:assert/strict";
import { checkPermissions } from "../../src/release/permission_check.ts";
import { v8FlagsProblem } from "../../src/release/deno_flag_check.ts";
import { THOTH_V8_FLAGS } from "../../src/platform/v8_flags.ts";

const SETS = {
  thoth: { read: true, write: true, env: true, run: true, net: true },
  thothctl: { read: true, write: true, env: true },
  test: { read: true, write: true, run: true, net: ["127.0.0.1", "localhost"] },
};

function check(task: string) {
  return checkPermissions({ permissions: SETS, tasks: { t: task } }, []);
}

const RUN = "deno run -P=test --no-prompt";

const refused: { task: string; code: string; names: RegExp }[] = [
  {
    task: `${RUN} --cert=ca.pem x.ts`,
    code: "weakened_tls",
    names: /"--cert=ca\.pem".*drop --cert/,
  },
  { task: `${RUN} --cert ca.pem x.ts`, code: "weakened_tls", names: /"--cert=ca\.pem"/ },
  {
    task: `deno test -P=test --no-prompt --cert=/etc/ca.pem`,
    code: "weakened_tls",
    names: /--cert/,
  },
  {
    task: `${RUN} --unsafely-ignore-certificate-errors x.ts`,
    code: "weakened_tls",
    names: /"--unsafely-ignore-certificate-errors".*every host.*drop the flag/,
  },
  {
    task: `${RUN} --unsafely-ignore-certificate-errors=a.example,b.example x.ts`,
    code: "weakened_tls",
    names: /the hosts a\.example,b\.example/,
  },
  {
    task: `deno cache --unsafely-ignore-certificate-errors x.ts`,
    code: "weakened_tls",
    names: /certificate/,
  },
  {
    task: `${RUN} --location=https://a.example x.ts`,
    code: "runtime_flag",
    names: /"--location=https:\/\/a\.example".*localStorage.*drop --location/,
  },
  {
    task: `${RUN} --location https://a.example x.ts`,
    code: "runtime_flag",
    names: /--location/,
  },
  {
    task: `${RUN} --v8-flags=--allow-natives-syntax x.ts`,
    code: "runtime_flag",
    names: /"--allow-natives-syntax".*src\/platform\/v8_flags\.ts/,
  },
  {
    task: `${RUN} --v8-flags=--max-semi-space-size=2,--allow_natives_syntax x.ts`,
    code: "runtime_flag",
    names: /"--allow_natives_syntax"/,
  },
  {
    // Turning thoth's own protection off is loosening too.
    task: `${RUN} --v8-flags=--no-enable-experimental-regexp-engine-on-excessive-backtracks x.ts`,
    code: "runtime_flag",
    names: /--no-enable-experimental/,
  },
  {
    task: `${RUN} --v8-flags=--max-semi-space-size=2 --v8-flags=--expose-gc x.ts`,
    code: "runtime_flag",
    names: /"--expose-gc"/,
  },
  { task: "deno fmt deno.json", code: "rewrites_files", names: /"deno fmt" on "deno\.json"/ },
  { task: "deno fmt src ./deno.lock", code: "rewrites_files", names: /"\.\/deno\.lock"/ },
  { task: "deno fmt package.json", code: "rewrites_files", names: /--check/ },
  { task: "deno lint --fix", code: "rewrites_files", names: /"deno lint --fix".*keep the task/ },
  { task: "deno lint --fix src", code: "rewrites_files", names: /deno lint --fix/ },
  {
    task: "deno run -P=thothctl --no-prompt src/cli/thoth.ts",
    code: "wrong_set",
    names: /"src\/cli\/thoth\.ts", the thoth program, with permission set "thothctl".*-P=thoth$/,
  },
  {
    task: "deno run -P=test --no-prompt ./src/cli/thoth.ts",
    code: "wrong_set",
    names: /set "test"/,
  },
  {
    task: "deno run -P=thoth --no-prompt src/cli/thothctl.ts",
    code: "wrong_set",
    names: /the thothctl program, with permission set "thoth".*-P=thothctl$/,
  },
  {
    task: "deno run -P=thoth -P=test --no-prompt src/cli/thoth.ts",
    code: "wrong_set",
    names: /"thoth", "test"/,
  },
  {
    task: "deno run -P=thothctl --no-prompt src//cli/Thoth.ts",
    code: "wrong_set",
    names: /thoth program/,
  },
  { task: "deno src/cli/thoth.ts -P=test", code: "wrong_set", names: /thoth program/ },
  { task: `${RUN} --no-lock x.ts`, code: "runtime_flag", names: /integrity check.*drop --no-lock/ },
  {
    task: `${RUN} --unstable-unsafe-proto x.ts`,
    code: "runtime_flag",
    names: /__proto__ back on/,
  },
  {
    task: `${RUN} --node-modules-dir=manual x.ts`,
    code: "runtime_flag",
    names: /as they are on disk, not as deno\.lock records them/,
  },
  { task: `${RUN} --vendor x.ts`, code: "runtime_flag", names: /vendor folder/ },
  { task: `${RUN} --vendor=true x.ts`, code: "runtime_flag", names: /vendor folder/ },
];

Deno.test("checkPermissions() passes the lock-keeping forms of those flags", () => {
  for (const flag of ["--node-modules-dir=auto", "--node-modules-dir=none", "--vendor=false"]) {
    const found = check(`${RUN} ${flag} x.ts`).filter((f) => f.code === "runtime_flag");
    assert.deepEqual(found, [], flag);
  }
});

for (const v of refused) {
  Deno.test(`checkPermissions() refuses ${v.task}`, () => {
    const found = check(v.task);
    const hit = found.find((f) => f.code === v.code);
    assert.ok(hit !== undefined, JSON.stringify(found));
    assert.equal(hit.where, 'task "t"');
    assert.match(hit.message, v.names);
  });
}

Deno.test("checkPermissions() passes thoth's own v8 flags, formatting and entries", () => {
  for (
    const task of [
      `deno run -P=thoth --no-prompt --no-remote --cached-only --frozen-lockfile ${THOTH_V8_FLAGS} src/cli/thoth.ts`,
      `deno run -P=thothctl --no-prompt --no-remote --cached-only --frozen-lockfile ${THOTH_V8_FLAGS} ./src/cli/thothctl.ts`,
      `deno test -P=test --no-prompt --v8-flags=--max-semi-space-size=4,--max-old-space-size=512`,
      `${RUN} --v8-flags x.ts`,
      "deno fmt",
      "deno fmt src tests scripts",
      "deno fmt --check deno.json",
      "deno lint && deno lint src",
      `${RUN} --seed=1 --lock=deno.lock x.ts`,
      "deno check src/cli/thoth.ts",
    ]
  ) {
    assert.deepEqual(check(task), [], task);
  }
});

Deno.test("v8FlagsProblem() allows only thoth's flags and size caps", () => {
  const own = THOTH_V8_FLAGS.slice("--v8-flags=".length);
  assert.equal(v8FlagsProblem(own), undefined);
  assert.equal(v8FlagsProblem("--heap-growing-percent=50"), undefined);
  assert.equal(v8FlagsProblem(undefined), undefined);
  for (const bad of ["--allow-natives-syntax", "--max-old-space-size=1e9", "--jitless", "--help"]) {
    assert.match(v8FlagsProblem(bad) ?? "", /which this check does not allow/, bad);
  }
});

Deno.test("checkPermissions() reads --lock FILE as the lock deno writes", () => {
  const found = check(`${RUN} --lock package.json x.ts`);
  assert.deepEqual(found.map((f) => f.code), ["protected_path"]);
});
