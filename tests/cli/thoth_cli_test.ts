/** The real `thoth` and `thothctl` entry points as subprocesses: version, help, usage errors. */
import assert from "node:assert/strict";
import { CONFIG, DENO, ROOT, testEnv, V8_FLAGS } from "../e2e/_harness.ts";
import { passwdHomeOfUser } from "../_os_user.ts";
import { THOTH_COMMAND_NAMES } from "../../src/cli/thoth_command_names.ts";

async function cli(entry: string, args: string[]) {
  const output = await new Deno.Command(DENO, {
    args: [
      "run",
      `-P=${entry}`,
      "--quiet",
      V8_FLAGS,
      `--config=${CONFIG}`,
      `${ROOT}/src/cli/${entry}.ts`,
      ...args,
    ],
    env: testEnv(),
    stdin: "null",
  }).output();
  const dec = new TextDecoder();
  return { code: output.code, out: dec.decode(output.stdout), err: dec.decode(output.stderr) };
}

Deno.test("thoth --version prints the version, the build target and the commit, then how it runs", async () => {
  const source = `from source (Deno ${Deno.version.deno}), permissions from its flags: ` +
    'see "thoth doctor"\n';
  const run = await cli("thoth", ["--version"]);
  assert.equal(run.code, 0);
  assert.equal(run.out, `thoth 0.1.0 (${Deno.build.target}; commit source)\n${source}`);
  const ctl = await cli("thothctl", ["--version"]);
  assert.equal(ctl.out, `thothctl 0.1.0 (${Deno.build.target}; commit source)\n${source}`);
});

Deno.test("thoth --help lists every command, and thoth run --help teaches its flags", async () => {
  const help = await cli("thoth", ["--help"]);
  assert.equal(help.code, 0);
  assert.equal(THOTH_COMMAND_NAMES.length, 12);
  for (const command of THOTH_COMMAND_NAMES) {
    assert.match(help.out, new RegExp(`^  ${command}\\b`, "m"), `thoth --help lists ${command}`);
  }
  const run = await cli("thoth", ["run", "--help"]);
  for (
    const flag of [
      "--agent-id",
      "--tenant-id",
      "--enforcement-mode",
      "--intent",
      "--policy",
      "--api-key",
      "--max-line-bytes",
      "--audit-sync",
      "--approval-timeout",
    ]
  ) {
    assert.match(run.out, new RegExp(flag), `run --help shows ${flag}`);
  }
  // The deprecated flag is still taken (and ignored), so the help lists it as such.
  assert.match(
    run.out.replace(/\s+/g, " "),
    /--enforcer-url <url> deprecated and ignored: the enforcer URL is derived from THOTH_TENANT_ID and THOTH_APEX_DOMAIN/,
  );
});

Deno.test("thoth rejects an unknown command with exit 2 and a hint", async () => {
  const run = await cli("thoth", ["frobnicate"]);
  assert.equal(run.code, 2);
  assert.match(run.err, /^thoth: error: unknown command 'frobnicate'/m);
  assert.match(run.err, /^thoth: hint: run "thoth --help"/m);
});

Deno.test("thoth run refuses a flag given twice instead of keeping the last value", async () => {
  for (
    const flags of [
      ["--enforcement-mode", "block", "--enforcement-mode", "observe"],
      ["--enforcement-mode=block", "--enforcement-mode", "observe"],
      ["--policy", "a.jsonc", "--agent-id", "x", "--policy=b.jsonc"],
    ]
  ) {
    const run = await cli("thoth", ["run", ...flags, "--", "true", "--policy", "c"]);
    assert.equal(run.code, 2, run.err);
    assert.match(
      run.err,
      /^thoth: error: --(enforcement-mode|policy) is given more than once; give it once$/m,
    );
    assert.equal(run.out, "", "nothing on the protocol channel");
  }
});

/**
 * `thoth [--verbose] wrap-config [--dry-run] CONFIG` over 150 long servers (a report of some
 * 240 KB: more than a pipe holds, so thoth is still writing when its reader
 * goes away, however fast it starts), with stdout piped to `read`; returns
 * the exit code, stderr and the config path.
 */
async function wrapLargeConfig(
  dir: string,
  options: { verbose: boolean; dryRun: boolean },
  read: (stdout: ReadableStream<Uint8Array>) => Promise<void>,
): Promise<{ code: number; err: string; config: string }> {
  const servers = Object.fromEntries(
    Array.from(
      { length: 150 },
      (_, i) => [`server-${i}`, { command: DENO, args: ["x".repeat(1000)] }],
    ),
  );
  const config = `${dir}/claude_desktop_config.json`;
  await Deno.writeTextFile(config, JSON.stringify({ mcpServers: servers }, null, 2));
  const child = new Deno.Command(DENO, {
    args: [
      "run",
      "-P=thoth",
      "--quiet",
      V8_FLAGS,
      `--config=${CONFIG}`,
      `${ROOT}/src/cli/thoth.ts`,
      ...(options.verbose ? ["--verbose"] : []),
      "wrap-config",
      ...(options.dryRun ? ["--dry-run"] : []),
      config,
    ],
    env: testEnv({ THOTH_HOME: `${dir}/home` }),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  await read(child.stdout);
  const status = await child.status;
  return { code: status.code, err: await stderr, config };
}

Deno.test("thoth piped into a reader that stops early exits 141 quietly, not as an internal error", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoth-cli-pipe-" });
  try {
    let first: ReadableStreamReadResult<Uint8Array> | undefined;
    const { code, err, config } = await wrapLargeConfig(
      dir,
      { verbose: true, dryRun: true },
      async (stdout) => {
        const reader = stdout.getReader();
        first = await reader.read(); // what `head -1` reads before it exits
        await reader.cancel();
      },
    );
    assert.ok(first !== undefined && !first.done);
    assert.match(new TextDecoder().decode(first.value), new RegExp(`^${config}:\n`));
    assert.equal(code, 141, err);
    assert.doesNotMatch(err, /internal error|BrokenPipe|Broken pipe|^\s+at /m);
    assert.match(err, /^thoth: note: standard output was closed by its reader; stopped there$/m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("thoth wrap-config writes the config before its report, so a reader that goes away cannot stop it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoth-cli-pipe-" });
  try {
    // The reader is gone before thoth writes anything.
    const { code, err, config } = await wrapLargeConfig(
      dir,
      { verbose: false, dryRun: false },
      (stdout) => stdout.cancel(),
    );
    assert.equal(code, 141, err);
    const written = JSON.parse(await Deno.readTextFile(config));
    assert.deepEqual(
      written.mcpServers["server-149"].args.slice(-4, -1),
      ["block", "--", DENO],
      "the last server is wrapped",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test(
  "thoth without HOME or THOTH_HOME keeps its profile in the home the password file gives, not in the current folder",
  {
    ignore: Deno.build.os === "windows",
  },
  async () => {
    const cwd = await Deno.makeTempDir({ prefix: "thoth-cli-nohome-" });
    try {
      const home = passwdHomeOfUser();
      // The help of approvals names the profile's queue folder, and reads and writes nothing.
      const run = await new Deno.Command(DENO, {
        args: [
          "run",
          "-P=thoth",
          "--quiet",
          `--config=${CONFIG}`,
          `${ROOT}/src/cli/thoth.ts`,
          "approvals",
          "--help",
        ],
        clearEnv: true,
        env: { PATH: "/usr/bin:/bin", DENO_DIR: Deno.env.get("DENO_DIR") ?? `${home}/.cache/deno` },
        cwd,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
      assert.ok(
        new TextDecoder().decode(run.stdout).includes(`under ${home}/.thoth/approvals,`),
        new TextDecoder().decode(run.stdout),
      );
      assert.deepEqual([...Deno.readDirSync(cwd)], [], "nothing in the current folder");
    } finally {
      await Deno.remove(cwd, { recursive: true });
    }
  },
);
