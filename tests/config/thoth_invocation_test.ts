import assert from "node:assert/strict";
import { readThothInvocation } from "../../src/config/thoth_invocation.ts";
import { formatWrapRecord, parseWrapRecord } from "../../src/config/wrap_record.ts";
import { upstreamPathWarning } from "../../src/config/upstream_path_warning.ts";
import { isAppError } from "../../src/errors.ts";

Deno.test("readThothInvocation() reads a compiled thoth entry", () => {
  const found = readThothInvocation("/opt/thoth/bin/thoth", [
    "run",
    "--agent-id",
    "fs",
    "--tenant-id=acme",
    "--enforcement-mode",
    "block",
    "--",
    "npx",
    "--",
    "x",
  ]);
  assert.equal(found?.kind, "wrapped");
  if (found?.kind !== "wrapped") return;
  assert.deepEqual(found.flags, [["--agent-id", "fs"], ["--tenant-id", "acme"], [
    "--enforcement-mode",
    "block",
  ]]);
  assert.deepEqual(found.upstream, ["npx", "--", "x"]);
  assert.deepEqual(found.thothCommand, ["/opt/thoth/bin/thoth"]);
});

Deno.test("readThothInvocation() reads thoth run from source and Windows thoth.exe", () => {
  const source = readThothInvocation("/usr/bin/deno", [
    "run",
    "-P=thoth",
    "/x/src/cli/thoth.ts",
    "run",
    "--agent-id",
    "a",
    "--",
    "/bin/a",
  ]);
  assert.equal(source?.kind === "wrapped" && source.runIndex, 3);
  const exe = readThothInvocation("C:\\Program Files\\thoth\\THOTH.EXE", [
    "run",
    "--agent-id",
    "a",
    "--",
    "a.exe",
  ]);
  assert.equal(exe?.kind, "wrapped");
});

Deno.test("readThothInvocation() ignores servers that are not thoth", () => {
  assert.equal(readThothInvocation("npx", ["-y", "pkg"]), undefined);
  assert.equal(
    readThothInvocation("/usr/bin/deno", ["run", "-A", "server.ts", "run", "--", "x"]),
    undefined,
  );
  assert.equal(
    readThothInvocation("/usr/bin/deno", ["run", "-A", "mod.ts", "run", "--port", "1"]),
    undefined,
  );
});

Deno.test("readThothInvocation() flags unknown flags and malformed thoth entries", () => {
  const old = readThothInvocation("thoth", [
    "run",
    "--agent-id",
    "a",
    "--enforcer-url",
    "https://x",
    "--verbose",
    "--",
    "a",
  ]);
  assert.deepEqual(old?.kind === "wrapped" && old.unknownFlags, ["--enforcer-url", "--verbose"]);
  assert.equal(
    readThothInvocation("thoth", ["run", "--", "a"])?.kind,
    "wrapped",
    "the id is derived",
  );
  assert.equal(
    readThothInvocation("thoth", ["run", "--agent-id", "a", "--"])?.kind,
    "not_understood",
  );
});

Deno.test("readThothInvocation() explains every thoth entry that is not run [flags] -- <command>", () => {
  const cases: [string, string[], string][] = [
    ["/opt/thoth/bin/thoth", [], 'it has no arguments; expected "run [flags] -- <command>"'],
    ["thoth", ["serve", "--port", "1"], 'its arguments start with "serve", not "run"'],
    [
      "thoth",
      ["--verbose", "run", "--agent-id", "a", "--", "x"],
      'its arguments start with "--verbose", not "run"',
    ],
    ["C:\\thoth\\THOTH.EXE", ["status"], 'its arguments start with "status", not "run"'],
    ["thoth", ["run", "--agent-id", "a", "node", "s.js"], 'no "--" before the upstream command'],
    ["thoth", ["run", "--agent-id", "a", "--"], 'nothing after "--": no upstream command'],
    ["thoth", ["run", "--agent-id", "a", "--", ""], 'the upstream command after "--" is empty'],
    ["thoth", ["run", "--agent-id", "a", "node", "--", "x"], '"node" before "--" is not a flag'],
  ];
  for (const [command, args, reason] of cases) {
    assert.deepEqual(
      readThothInvocation(command, args),
      { kind: "not_understood", reason },
      JSON.stringify([command, ...args]),
    );
  }
  // thoth run derives the agent id when none is given: governed all the same.
  const derived = readThothInvocation("thoth", ["run", "--enforcement-mode", "block", "--", "x"]);
  assert.equal(derived?.kind, "wrapped");
  assert.deepEqual(derived?.kind === "wrapped" ? derived.upstream : [], ["x"]);
});

Deno.test("readThothInvocation() leaves other commands alone, also ones merely named like thoth", () => {
  for (const command of ["thothctl", "/usr/bin/thoth-server", "python3", "/opt/thoth/bin/npx"]) {
    assert.equal(readThothInvocation(command, ["run", "--agent-id", "a", "--", "x"]), undefined);
  }
  assert.equal(
    readThothInvocation("/usr/bin/deno", ["run", "-A", "thoth.ts", "run", "--", "x"]),
    undefined,
  );
});

Deno.test("parseWrapRecord() reads what formatWrapRecord() writes", () => {
  const record = {
    added: ["A", "B"],
    replaced: { C: '"old; value=1"' },
    createdEnv: true,
    createdArgs: false,
  };
  const text = formatWrapRecord(record);
  assert.equal(text, "v1;added=A,B;created=env;was.C=%22old%3B%20value%3D1%22");
  assert.deepEqual(parseWrapRecord(text), record);
});

Deno.test("parseWrapRecord() refuses records it cannot trust", () => {
  for (
    const bad of [
      "v2",
      "v1;nope=1",
      "v1;added=1X",
      "v1;was.A=%22x",
      "v1;was.A=%ZZ",
      "v1;created=cmd",
    ]
  ) {
    assert.throws(() => parseWrapRecord(bad), (e) => isAppError(e, "config.bad_wrap_record"), bad);
  }
});

Deno.test("upstreamPathWarning() checks the minimal PATH on Linux", () => {
  const isFile = (p: string) => p === "/usr/bin/python3";
  assert.equal(upstreamPathWarning("python3", { os: "linux", isFile }), undefined);
  assert.match(upstreamPathWarning("uvx", { os: "linux", isFile }) ?? "", /command -v uvx/);
  assert.match(upstreamPathWarning("./s.js", { os: "linux", isFile }) ?? "", /relative path/);
});

Deno.test("readThothInvocation() recognises this thoth's own launch command by any script name", () => {
  const self = ["/usr/bin/deno", "run", "-P=thoth", "/tmp/entry.ts"];
  const args = ["run", "-P=thoth", "/tmp/entry.ts", "run", "--agent-id", "a", "--", "/bin/a"];
  assert.equal(readThothInvocation("/usr/bin/deno", args), undefined);
  const found = readThothInvocation("/usr/bin/deno", args, self);
  assert.equal(found?.kind === "wrapped" && found.runIndex, 3);
});
