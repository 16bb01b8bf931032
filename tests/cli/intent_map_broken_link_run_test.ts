/**
 * A managed `intent_map.json` linked into the profile whose target is gone
 * (the MDM case: the map is a link onto a volume that is then unmounted) is a
 * broken map, never "no map": while the target is there the real `thoth run`
 * in front of the real server-everything keeps a server to its intent; once
 * it is gone, `thoth run` answers the client's first request with an error
 * and starts no server, saying on stderr which link, where it points and what
 * to do, and `thoth policy explain` and `thoth status --check` refuse alike.
 * Read as no map, the same session would run every tool.
 */
import assert from "node:assert/strict";
import {
  connect,
  everythingArgv,
  faultArgv,
  initializeRequest,
  RawPeer,
  testEnv,
  thothArgv,
  throughThoth,
} from "../e2e/_harness.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { runThoth } from "./_thoth_process.ts";
import { shellQuote } from "../../src/doctor/shell_quote.ts";

const POSIX = Deno.build.os !== "windows";

const POLICY = JSON.stringify({
  version: 1,
  default: "allow",
  intents: { cal: { tools: ["echo"] } },
  detectors: { secrets: "block", phi: "off", pii: "off" },
});

/**
 * A HOME with a private profile whose intent_map.json is a link to a managed
 * map (`{"probe": "cal"}`) in a folder of its own, which a test removes as an
 * unmount would.
 */
async function managedProfile(prefix: string) {
  const dir = await tempFolder(prefix);
  const home = `${dir}/profile`;
  await Deno.mkdir(home, { mode: 0o700 });
  await Deno.writeTextFile(`${home}/policy.jsonc`, POLICY, { mode: 0o600 });
  const volume = `${dir}/managed`;
  await Deno.mkdir(volume);
  const target = `${volume}/intent_map.json`;
  await Deno.writeTextFile(target, JSON.stringify({ probe: "cal" }), { mode: 0o600 });
  const map = `${home}/intent_map.json`;
  await Deno.symlink(target, map);
  return { dir, home, volume, target, map, env: { HOME: dir, THOTH_HOME: home } };
}

/** What thoth says of the link, on stderr, as one error line. */
function brokenLine(map: string, target: string): string {
  return `thoth: error: cannot read intent map "${map}": it is a symbolic link that leads to ` +
    `no file (it points to "${target}")\n`;
}

Deno.test({
  name: "thoth run refuses a server whose intent_map.json links to a managed map that is gone",
  ignore: !POSIX,
  fn: async () => {
    const { dir, volume, target, map, env } = await managedProfile("thoth-map-link-run-");

    // Mounted: the map is in force, and a tool outside the intent is blocked.
    const connected = await connect(
      throughThoth(everythingArgv(), ["--agent-id", "probe", "--enforcement-mode", "block"]),
      {},
      env,
      undefined,
      dir,
    );
    try {
      const image = await connected.client.callTool({ name: "get-tiny-image", arguments: {} });
      assert.equal(image.isError, true);
      assert.match(JSON.stringify(image), /intent\.out_of_scope/);
    } finally {
      await connected.close();
    }

    // Unmounted: the same server is refused, never run without its intent.
    await Deno.remove(volume, { recursive: true });
    const log = `${dir}/server.log`;
    const peer = new RawPeer(
      thothArgv([
        "run",
        "--agent-id",
        "probe",
        "--enforcement-mode",
        "block",
        "--",
        ...faultArgv(["--log", log]),
      ]),
      testEnv(env),
    );
    try {
      await peer.send(initializeRequest(1));
      const reply = await peer.next();
      assert.equal(reply["id"], 1);
      const message = (reply["error"] as { message: string }).message;
      assert.match(message, /^thoth cannot govern this server: the intent map cannot be read/);
      assert.doesNotMatch(message, new RegExp(dir), "the wire error leaks no path");
      assert.equal((await peer.finish()).code, 1);
      const errors = peer.stderr.split("\n").filter((line) => line.startsWith("thoth: error:"));
      assert.equal(errors.length, 1, peer.stderr);
      assert.ok(peer.stderr.includes(brokenLine(map, target)), peer.stderr);
      assert.match(peer.stderr, /^thoth: hint: restore the file it points to; .*rm /m);
      assert.ok(peer.stderr.includes(`rm ${shellQuote(map)}`), peer.stderr);
      await assert.rejects(Deno.stat(log), Deno.errors.NotFound, "no server ran");
      await assert.rejects(Deno.lstat(target), Deno.errors.NotFound, "nothing written through");
      assert.ok((await Deno.lstat(map)).isSymlink, "the link is left as it was");
    } finally {
      await peer.finish();
    }
  },
});

Deno.test({
  name: "thoth policy explain and status --check refuse a dangling intent_map.json link, " +
    "as thoth run does",
  ignore: !POSIX,
  fn: async () => {
    const { dir, volume, target, map, env } = await managedProfile("thoth-map-link-explain-");
    const explain = ["policy", "explain", "--server", "probe", "--tool", "get-tiny-image"];
    const mounted = await runThoth(explain, { env, cwd: dir });
    assert.equal(mounted.code, 0, mounted.err);
    assert.match(mounted.out, /intent: cal \(intent map entry for "probe"\)/);

    await Deno.remove(volume, { recursive: true });
    const gone = await runThoth(explain, { env, cwd: dir });
    assert.equal(gone.code, 1, gone.out + gone.err);
    assert.doesNotMatch(gone.out, /intent: none/);
    assert.equal(gone.out, "");
    assert.ok(gone.err.startsWith(brokenLine(map, target)), gone.err);

    // A client config with the server: status --check reports it refused.
    await Deno.mkdir(`${dir}/bin`);
    const thothBinary = `${dir}/bin/thoth`;
    await Deno.writeTextFile(
      thothBinary,
      "#!/bin/sh\necho 'thoth 0.1.0 (x86_64-unknown-linux-gnu; commit abc123)'\n",
      { mode: 0o755 },
    );
    const config = `${dir}/claude_desktop_config.json`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        mcpServers: {
          probe: {
            command: thothBinary,
            args: ["run", "--agent-id", "probe", "--enforcement-mode", "block", "--", "node"],
          },
        },
      }),
    );
    const status = await runThoth(["status", "--check", "--json", "--config", config], {
      env,
      cwd: dir,
    });
    assert.equal(status.code, 1, status.out + status.err);
    const report = JSON.parse(status.out);
    assert.equal(report.summary.refused, 1, status.out);
    assert.ok(
      status.out.includes("it is a symbolic link that leads to no file"),
      status.out,
    );
    await assert.rejects(Deno.lstat(target), Deno.errors.NotFound, "nothing written through");
  },
});
