/**
 * thothctl gives the hints thoth gives: `-v` points at -V/--version and
 * --verbose, a command only thoth holds (`thothctl doctor`) points at `thoth
 * doctor`, and a deprecated flag given where it is not taken (`thoth
 * wrap-config --enforcer-url …`) says why it is gone; each still exits 2.
 */
import assert from "node:assert/strict";
import { runThothctlProgram, THOTH_ONLY_COMMANDS } from "../../src/cli/thothctl_program.ts";
import { buildThothctlProgram } from "../../src/cli/thothctl_program.ts";
import { buildThothProgram, runThothProgram } from "../../src/cli/thoth_program.ts";
import { fakeCliIo } from "./_fake_cli_io.ts";

async function withHome(run: (home: string) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "thoth-ctl-hints-" });
  try {
    await run(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

const ioIn = (home: string) =>
  fakeCliIo(`${home}/.thoth`, { HOME: home, THOTH_HOME: `${home}/.thoth` });

Deno.test("thothctl -v is refused with a hint toward -V and --version", () =>
  withHome(async (home) => {
    const io = ioIn(home);
    assert.equal(await runThothctlProgram(["-v"], io), 2, io.stderr);
    assert.match(io.stderr, /^thothctl: error: unknown option '-v'$/m);
    assert.match(
      io.stderr,
      /^thothctl: hint: for the version, run "thothctl -V" or "thothctl --version"; .*--verbose$/m,
    );
    assert.equal(io.stdout, "");
  }));

Deno.test("thothctl points a command only thoth holds at thoth, and --json carries the hint", () =>
  withHome(async (home) => {
    for (const command of ["doctor", "update", "wrap-config", "status", "run"]) {
      const io = ioIn(home);
      assert.equal(await runThothctlProgram([command], io), 2, io.stderr);
      assert.match(io.stderr, new RegExp(`^thothctl: error: unknown command '${command}'$`, "m"));
      assert.match(
        io.stderr,
        new RegExp(
          `^thothctl: hint: "${command}" is a thoth command: run "thoth ${command}"$`,
          "m",
        ),
      );
    }
    const json = ioIn(home);
    assert.equal(await runThothctlProgram(["status", "--json"], json), 2, json.stderr);
    const doc = JSON.parse(json.stdout);
    assert.equal(doc.error.hints[0], '"status" is a thoth command: run "thoth status"');
    // An unknown command thoth lacks too gets no such hint.
    const typo = ioIn(home);
    assert.equal(await runThothctlProgram(["frobnicate"], typo), 2, typo.stderr);
    assert.doesNotMatch(typo.stderr, /is a thoth command/);
  }));

Deno.test("thothctl's list of thoth-only commands is every thoth command thothctl lacks", () =>
  withHome(async (home) => {
    const names = (program: { commands: readonly { name(): string }[] }) =>
      program.commands.map((command) => command.name()).filter((name) => name !== "help");
    const ctl = new Set(names(await buildThothctlProgram(ioIn(home))));
    const thothOnly = names(await buildThothProgram(ioIn(home))).filter((name) => !ctl.has(name));
    assert.deepEqual([...THOTH_ONLY_COMMANDS].sort(), thothOnly.sort());
  }));

Deno.test("wrap-config --enforcer-url is still refused (exit 2), with a hint that it is deprecated", () =>
  withHome(async (home) => {
    for (const args of [["--enforcer-url", "https://x"], ["--enforcer-url=https://x"]]) {
      const io = ioIn(home);
      assert.equal(await runThothProgram(["wrap-config", ...args], io), 2, io.stderr);
      assert.match(io.stderr, /^thoth: error: unknown option '--enforcer-url(=…)?'$/m);
      assert.match(
        io.stderr,
        /^thoth: hint: --enforcer-url is deprecated \(the enforcer URL is derived from THOTH_TENANT_ID and THOTH_APEX_DOMAIN, and this build decides every call with the local policy\); drop it$/m,
      );
      assert.match(io.stderr, /^thoth: hint: run "thoth wrap-config --help" to see its usage$/m);
    }
    // Another unknown option gets no such hint.
    const io = ioIn(home);
    assert.equal(await runThothProgram(["wrap-config", "--enforcer-urls", "x"], io), 2);
    assert.doesNotMatch(io.stderr, /deprecated/);
  }));
