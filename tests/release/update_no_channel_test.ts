/**
 * A build with no default release channel (no manifest URL, no release key
 * built in) says so when `thoth update` lacks either, and names both
 * variables, each with what it holds, in one hint; `--help` says the same.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { updateCommand, type UpdateCommandDeps } from "../../src/cli/update.ts";
import { runProgram } from "../../src/cli/program.ts";
import { releaseChannelHint } from "../../src/release/release_manifest.ts";
import { captureIo } from "./_capture_io.ts";

async function runUpdate(args: string[], deps: UpdateCommandDeps) {
  const io = captureIo();
  const command = updateCommand(io, { currentVersion: "0.1.0", verifierKeys: [], ...deps });
  let help = "";
  command.configureOutput({ writeOut: (t) => help += t, writeErr: (t) => help += t });
  const program = new Command("thoth").addCommand(command);
  const code = await runProgram(
    "thoth",
    program as unknown as Command<unknown[], Record<string, unknown>>,
    args,
    io,
  );
  return { code, out: io.stdout.join("") + help, err: io.stderr.join("") };
}

/** The one hint line, checked for what it must say. */
function assertChannelHint(err: string): void {
  const hints = err.split("\n").filter((line) => line.startsWith("thoth: hint: "));
  const channel = hints.filter((line) => /no default release channel/.test(line));
  assert.equal(channel.length, 1, err);
  const [hint] = channel;
  assert.match(
    hint!,
    /THOTH_RELEASE_MANIFEST_URL \(or pass --manifest-url\) to the https URL of your release manifest/,
  );
  assert.match(hint!, /THOTH_RELEASE_VERIFIER_KEY to the verifier key \(name\+hash\+base64\)/);
}

async function withBinaryDir<T>(fn: (path: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "thoth-update-channel-" });
  try {
    const path = `${dir}/thoth`;
    await Deno.writeTextFile(path, "#!/bin/sh\necho 'thoth 0.1.0'\n", { mode: 0o755 });
    return await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("thoth update with no manifest URL says this build has no default release channel", () =>
  withBinaryDir(async (execPath) => {
    const r = await runUpdate(["update"], { execPath });
    assert.equal(r.code, 2);
    assert.match(r.err, /^thoth: error: no release manifest URL is configured/m);
    assertChannelHint(r.err);
    assert.doesNotMatch(r.err, /pass --manifest-url https:\/\/… or set/);
  }));

Deno.test("thoth update with no trusted key gives the same hint, both variables named", () =>
  withBinaryDir(async (execPath) => {
    const manifest = JSON.stringify({
      schema: "thoth.release-manifest/v1",
      version: "0.3.0",
      checksums: "checksums.sha256",
      assets: { "thoth-linux-x86_64": "thoth-linux-x86_64" },
    });
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      () => new Response(manifest),
    );
    try {
      const url = `http://127.0.0.1:${server.addr.port}/release.json`;
      const r = await runUpdate(["update", "--manifest-url", url], {
        execPath,
        os: "linux",
        arch: "x86_64",
        progress: () => {},
      });
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /trusts no release signing key/);
      assertChannelHint(r.err);
      assert.match(r.err, /^thoth: hint: or install the new release by hand/m);
    } finally {
      await server.shutdown();
    }
  }));

Deno.test("thoth update --help says this build has no default release channel", async () => {
  const r = await runUpdate(["update", "--help"], {});
  const text = r.out.replace(/\s+/g, " ");
  assert.match(text, /Release channel: this build has no default release channel/);
  assert.match(text, /set THOTH_RELEASE_MANIFEST_URL \(or pass --manifest-url\)/);
  assert.match(text, /THOTH_RELEASE_VERIFIER_KEY to the verifier key/);
  assert.match(text, /--manifest-url <url> .*else none: see Release channel below/);
});

Deno.test("releaseChannelHint says only what a build lacks", () => {
  const key = "acme-release+1a2b3c4d+AQ";
  assert.match(
    releaseChannelHint({ manifestUrl: "", keys: [] }),
    /^this build has no default release channel \(no release manifest URL and no release key built in\): set THOTH_RELEASE_MANIFEST_URL .* and THOTH_RELEASE_VERIFIER_KEY /,
  );
  assert.match(
    releaseChannelHint({ manifestUrl: "", keys: [key] }),
    /^this build has no release manifest URL built in: /,
  );
  assert.match(
    releaseChannelHint({ manifestUrl: "https://releases.example/latest.json", keys: [] }),
    /^this build has no release key built in: /,
  );
  assert.doesNotMatch(
    releaseChannelHint({ manifestUrl: "https://releases.example/latest.json", keys: [key] }),
    /no default/,
  );
});
