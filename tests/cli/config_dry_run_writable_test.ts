/**
 * `wrap-config --dry-run` and `unwrap-config --dry-run` check the write they
 * stand for without making it: a config the real run refuses (read-only,
 * mode 0444) or a folder it cannot make the new file in (thoth writes it
 * beside the config and renames it over it) fails the dry run with the real
 * run's error, code and hint, in text and in `--json` (the file "failed",
 * those before it "not_written"), and the same exit status; nothing is
 * written either way. The real run finds a folder that refuses the write
 * before its first write too: a client's second file no longer leaves the
 * first one written.
 *
 * The folder cases act as a user who is not root (uid 65534, through
 * /usr/bin/setpriv, as root may write any folder): skipped otherwise.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";
import {
  CAN_RUN_AS_NOBODY,
  NEEDS_ONE_USER,
  NOBODY,
  sharedRoot,
  thothAsNobody,
} from "./_thoth_as_nobody.ts";

/** A config with one stdio server, as a user writes it. */
const PLAIN =
  JSON.stringify({ mcpServers: { fs: { command: "/bin/cat", args: ["-u"] } } }, null, 2) +
  "\n";

/** The `thoth: error:` and `thoth: hint:` lines of `err`. */
function errorLines(err: string): string[] {
  return err.split("\n").filter((line) => /^thoth: (?:error|hint): /.test(line));
}

interface FileDoc {
  path: string;
  outcome: string;
  error: { code: string; message: string; hints: string[]; exitCode: number } | null;
}

/** The parts of a `--json` document a script acts on after a failure. */
function failureOf(out: string) {
  const doc = JSON.parse(out) as {
    ok: boolean;
    exitCode: number;
    dryRun: boolean;
    error: FileDoc["error"];
    files: FileDoc[];
  };
  return {
    ok: doc.ok,
    exitCode: doc.exitCode,
    error: doc.error,
    files: doc.files.map(({ path, outcome, error }) => ({ path, outcome, error })),
  };
}

Deno.test("wrap-config --dry-run and unwrap-config --dry-run refuse a read-only config as the write does, and show the diff with --replace-read-only", async () => {
  const dir = await tempFolder("thoth-dry-run-read-only-");
  const env = { HOME: `${dir}/home`, THOTH_HOME: `${dir}/home/.thoth` };
  await Deno.mkdir(env.THOTH_HOME, { recursive: true });
  const config = `${dir}/c.json`;
  const wrapped = `${dir}/wrapped.json`;
  await Deno.writeTextFile(config, PLAIN);
  await Deno.writeTextFile(wrapped, PLAIN);
  const wrap = await runThoth(["wrap-config", wrapped], { env, cwd: dir });
  assert.equal(wrap.code, 0, wrap.err);
  const wrappedText = await Deno.readTextFile(wrapped);
  for (const path of [config, wrapped]) await Deno.chmod(path, 0o444);

  for (
    const [command, path, text] of [
      ["wrap-config", config, PLAIN],
      ["unwrap-config", wrapped, wrappedText],
    ] as const
  ) {
    const real = await runThoth([command, path], { env, cwd: dir });
    assert.equal(real.code, 1, real.out + real.err);
    const dry = await runThoth([command, "--dry-run", path], { env, cwd: dir });
    assert.equal(dry.code, real.code, `${command}: ${dry.out}${dry.err}`);
    assert.deepEqual(errorLines(dry.err), errorLines(real.err), command);
    assert.match(
      errorLines(dry.err)[0] ?? "",
      /^thoth: error: config ".*" is read-only \(mode 0444\)/,
    );
    assert.doesNotMatch(dry.out, /Dry run: nothing was written/, command);

    const realJson = await runThoth([command, "--json", path], { env, cwd: dir });
    const dryJson = await runThoth([command, "--json", "--dry-run", path], { env, cwd: dir });
    assert.equal(dryJson.code, 1, dryJson.err);
    assert.equal(JSON.parse(dryJson.out).dryRun, true);
    assert.deepEqual(failureOf(dryJson.out), failureOf(realJson.out), command);
    assert.equal(failureOf(dryJson.out).files[0]?.outcome, "failed");
    assert.equal(failureOf(dryJson.out).error?.code, "config.read_only");

    // The flag the hint names lets the dry run show what the write would do.
    const replaced = await runThoth([command, "--dry-run", "--replace-read-only", path], {
      env,
      cwd: dir,
    });
    assert.equal(replaced.code, 0, replaced.out + replaced.err);
    assert.match(replaced.out, /^@@ /m);
    assert.match(replaced.out, /Dry run: nothing was written\./);
    assert.equal(await Deno.readTextFile(path), text, `${command} wrote nothing`);
  }
});

Deno.test("wrap-config --dry-run --output in a folder that does not exist fails as the write does", async () => {
  const dir = await tempFolder("thoth-dry-run-no-folder-");
  const env = { HOME: `${dir}/home`, THOTH_HOME: `${dir}/home/.thoth` };
  await Deno.mkdir(env.THOTH_HOME, { recursive: true });
  const config = `${dir}/c.json`;
  await Deno.writeTextFile(config, PLAIN);
  const output = `${dir}/missing/out.json`;
  const args = ["wrap-config", "--output", output, config];
  const real = await runThoth(args, { env, cwd: dir });
  const dry = await runThoth([...args, "--dry-run"], { env, cwd: dir });
  assert.equal(real.code, 1, real.out + real.err);
  assert.equal(dry.code, real.code, dry.out + dry.err);
  assert.deepEqual(errorLines(dry.err), [
    `thoth: error: cannot write "${output}": the directory does not exist`,
    `thoth: hint: nothing was changed; the directory "${dir}/missing" does not exist: create ` +
    "it, or pass --output FILE in an existing directory",
  ]);
  assert.deepEqual(errorLines(real.err), errorLines(dry.err));
  assert.equal(await Deno.readTextFile(config), PLAIN);
});

/**
 * A folder root owns (0755) that uid 65534 may read but not write, holding a
 * config of that user's they may write; a home and profile of theirs.
 */
async function nobodysConfigInRootsFolder(prefix: string) {
  const root = await sharedRoot(prefix);
  const home = `${root}/home`;
  await Deno.mkdir(`${home}/.thoth`, { recursive: true });
  for (const folder of [home, `${home}/.thoth`]) {
    await Deno.chown(folder, NOBODY.uid, NOBODY.gid);
  }
  await Deno.chmod(`${home}/.thoth`, 0o700);
  const locked = `${root}/locked`;
  await Deno.mkdir(locked);
  await Deno.chmod(locked, 0o755);
  const config = `${locked}/c.json`;
  await Deno.writeTextFile(config, PLAIN);
  await Deno.chown(config, NOBODY.uid, NOBODY.gid);
  await Deno.chmod(config, 0o644);
  return { root, locked, config, env: { HOME: home, THOTH_HOME: `${home}/.thoth` } };
}

Deno.test({
  name: "wrap-config --dry-run fails as the write does on a config in a folder its user may not " +
    "write, in text and --json" + NEEDS_ONE_USER,
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const { locked, config, env } = await nobodysConfigInRootsFolder("thoth-dry-run-folder-");
    const dry = await thothAsNobody(["wrap-config", "--dry-run", config], { env });
    assert.equal(dry.code, 1, dry.out + dry.err);
    assert.deepEqual(errorLines(dry.err), [
      `thoth: error: cannot write "${config}": permission denied`,
      "thoth: hint: nothing was changed; thoth writes the new file beside the config and " +
      `renames it over it, so the directory "${locked}" must be writable: make it writable, ` +
      "or pass --output FILE in a writable directory",
    ]);
    const real = await thothAsNobody(["wrap-config", config], { env });
    assert.equal(real.code, dry.code, real.out + real.err);
    assert.deepEqual(errorLines(real.err), errorLines(dry.err));

    const dryJson = await thothAsNobody(["wrap-config", "--json", "--dry-run", config], { env });
    const realJson = await thothAsNobody(["wrap-config", "--json", config], { env });
    assert.equal(dryJson.code, 1, dryJson.err);
    assert.equal(JSON.parse(dryJson.out).dryRun, true);
    assert.deepEqual(failureOf(dryJson.out), failureOf(realJson.out));
    assert.deepEqual(failureOf(dryJson.out).files.map((file) => file.outcome), ["failed"]);
    assert.equal(failureOf(dryJson.out).error?.code, "io.write_failed");

    assert.equal(await Deno.readTextFile(config), PLAIN, "nothing was written");
    assert.deepEqual([...Deno.readDirSync(locked)].map((entry) => entry.name), ["c.json"]);
  },
});

Deno.test({
  name: "unwrap-config --dry-run fails as the write does on a wrapped config in a folder its " +
    "owner made read-only (0555)" + NEEDS_ONE_USER,
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const { locked, config, env } = await nobodysConfigInRootsFolder("thoth-dry-run-unwrap-");
    await Deno.chown(locked, NOBODY.uid, NOBODY.gid);
    const wrap = await thothAsNobody(["wrap-config", config], { env });
    assert.equal(wrap.code, 0, wrap.out + wrap.err);
    await Deno.remove(`${config}.thoth-backup`);
    const wrapped = await Deno.readTextFile(config);
    await Deno.chmod(locked, 0o555);

    const dry = await thothAsNobody(["unwrap-config", "--dry-run", config], { env });
    assert.equal(dry.code, 1, dry.out + dry.err);
    assert.match(
      errorLines(dry.err).join("\n"),
      new RegExp(
        `^thoth: error: cannot write "${RegExp.escape(config)}": permission denied\n` +
          `thoth: hint: .*the directory "${RegExp.escape(locked)}" must be writable`,
      ),
    );
    const real = await thothAsNobody(["unwrap-config", config], { env });
    assert.equal(real.code, dry.code, real.out + real.err);
    assert.deepEqual(errorLines(real.err), errorLines(dry.err));

    const dryJson = await thothAsNobody(["unwrap-config", "--json", "--dry-run", config], { env });
    const realJson = await thothAsNobody(["unwrap-config", "--json", config], { env });
    assert.deepEqual(failureOf(dryJson.out), failureOf(realJson.out));
    assert.equal(failureOf(dryJson.out).files[0]?.outcome, "failed");
    assert.equal(await Deno.readTextFile(config), wrapped, "nothing was written");
  },
});

Deno.test({
  name: "wrap-config --client vscode writes no file when a profile's folder refuses its write, " +
    "and --dry-run says so the same way (not_written, failed)" + NEEDS_ONE_USER,
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const { env } = await nobodysConfigInRootsFolder("thoth-dry-run-vscode-");
    const user = `${env.HOME}/.config/Code/User`;
    const profile = `${user}/profiles/-1a2b3c`;
    await Deno.mkdir(profile, { recursive: true });
    for (const folder of [`${env.HOME}/.config`, `${env.HOME}/.config/Code`, user]) {
      await Deno.chown(folder, NOBODY.uid, NOBODY.gid);
    }
    const servers = (name: string) =>
      JSON.stringify({ servers: { [name]: { command: "/bin/cat", args: ["-u"] } } }, null, 2) +
      "\n";
    await Deno.writeTextFile(`${user}/mcp.json`, servers("a"));
    await Deno.writeTextFile(`${profile}/mcp.json`, servers("b"));
    for (const file of [`${user}/mcp.json`, `${profile}/mcp.json`]) {
      await Deno.chown(file, NOBODY.uid, NOBODY.gid);
    }
    // The profiles folder and the profile's own: root's, 0755.
    await Deno.chmod(profile, 0o755);
    const expected = [
      { path: `${user}/mcp.json`, outcome: "not_written" },
      { path: `${profile}/mcp.json`, outcome: "failed" },
    ];

    const dryJson = await thothAsNobody([
      "wrap-config",
      "--client",
      "vscode",
      "--json",
      "--dry-run",
    ], {
      env: { ...env, XDG_CONFIG_HOME: `${env.HOME}/.config` },
    });
    assert.equal(dryJson.code, 1, dryJson.out + dryJson.err);
    const dry = failureOf(dryJson.out);
    assert.deepEqual(dry.files.map(({ path, outcome }) => ({ path, outcome })), expected);
    assert.equal(dry.error?.code, "io.write_failed");
    assert.equal(dry.error?.message, `cannot write "${profile}/mcp.json": permission denied`);

    const realJson = await thothAsNobody(["wrap-config", "--client", "vscode", "--json"], {
      env: { ...env, XDG_CONFIG_HOME: `${env.HOME}/.config` },
    });
    assert.equal(realJson.code, 1, realJson.out + realJson.err);
    assert.deepEqual(failureOf(realJson.out), dry);
    assert.equal(await Deno.readTextFile(`${user}/mcp.json`), servers("a"), "nothing was written");
    assert.equal(await Deno.readTextFile(`${profile}/mcp.json`), servers("b"));
  },
});
