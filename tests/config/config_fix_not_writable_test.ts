/**
 * A config the user running thoth may not write (a file of root's, mode
 * 0644) in a folder that user owns: the folder lets a new file be renamed over
 * it, which would hand the config to that user. writeConfig refuses it like a
 * 0444 file. Run as a real other user (uid 65534, through setpriv), since root
 * may write any file: only as root, where setpriv is.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";

function hasSetpriv(): boolean {
  try {
    return Deno.statSync("/usr/bin/setpriv").isFile;
  } catch {
    return false;
  }
}

const root = Deno.build.os !== "windows" && Deno.uid() === 0 && hasSetpriv();

/** Runs writeConfig over `path` as uid 65534; returns what it printed. */
async function writeAsNobody(dir: string, path: string, replaceReadOnly: boolean) {
  const src = new URL("../../src/config/", import.meta.url).href;
  const driver = `${dir}/driver.ts`;
  await Deno.writeTextFile(
    driver,
    `import { readConfigFile } from "${src}read_config_file.ts";
import { writeConfig } from "${src}write_config.ts";
const file = await readConfigFile(${JSON.stringify(path)});
try {
  await writeConfig(file.path, '{"mcpServers": {}}\\n', {
    original: file,
    replaceReadOnly: ${replaceReadOnly},
  });
  console.log(JSON.stringify({ ok: true }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, code: error.code, message: error.message, hints: error.hints }));
}
`,
  );
  const output = await new Deno.Command("/usr/bin/setpriv", {
    args: [
      "--reuid=65534",
      "--regid=65534",
      "--clear-groups",
      Deno.execPath(),
      "run",
      "--no-config",
      "--quiet",
      "-A",
      driver,
    ],
    env: { DENO_DIR: `${dir}/deno`, HOME: dir, NO_COLOR: "1" },
    clearEnv: true,
  }).output();
  const text = new TextDecoder().decode(output.stdout);
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  return JSON.parse(text);
}

Deno.test({
  name: "writeConfig() refuses a config its user may not write, in a folder they may",
  ignore: !root,
  fn: async () => {
    const dir = await tempFolder("thoth-not-writable-");
    await Deno.chmod(dir, 0o755);
    await Deno.chown(dir, 65534, 65534);
    const path = `${dir}/config.json`;
    const text = '{"mcpServers": {"a": {"command": "/bin/a"}}}\n';
    await Deno.writeTextFile(path, text, { mode: 0o644 });
    await Deno.chmod(path, 0o644); // root's, readable by all, writable by root only

    const refused = await writeAsNobody(dir, path, false);
    assert.equal(refused.ok, false, JSON.stringify(refused));
    assert.equal(refused.code, "config.read_only");
    assert.match(
      refused.message,
      /belongs to uid 0 \(mode 0644\) and may not be written by this user \(uid 65534\)/,
    );
    assert.match(refused.hints[0], /--replace-read-only/);
    assert.equal(await Deno.readTextFile(path), text, "nothing was written");
    assert.equal((await Deno.stat(path)).uid, 0, "the owner did not change");

    // The same escape hatch as a 0444 file: replaced, and now the user's.
    const replaced = await writeAsNobody(dir, path, true);
    assert.equal(replaced.ok, true, JSON.stringify(replaced));
    assert.equal((await Deno.stat(path)).uid, 65534);
  },
});
