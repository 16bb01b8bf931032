/**
 * `thoth update` against real loopback servers and a real "installed" binary
 * (a shell script answering `--version`) in a temp folder: two overlapping
 * updates never downgrade; a trickling server is given up on at the
 * download deadline and the lock is free again; an older release offered is
 * not "current"; failures carry remedies (no asset, 404, an http asset URL
 * from the manifest, the size cap, a malformed verifier key checked before
 * anything is fetched); the help documents the exit status; files an
 * interrupted update left are cleaned or reported.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { runProgram } from "../../src/cli/program.ts";
import { updateCommand, type UpdateCommandDeps } from "../../src/cli/update.ts";
import { formatChecksums } from "../../src/release/checksums.ts";
import { sha256Hex } from "../../src/release/sha256.ts";
import { selfUpdate, type UpdateDeps } from "../../src/release/self_update.ts";
import { signRelease } from "../../src/release/release_signature.ts";
import { newReleaseKey, readReleaseSigner } from "../../src/release/release_signing_key.ts";
import { isAppError } from "../../src/errors.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { captureIo } from "./_capture_io.ts";

const OS = Deno.build.os;
const ARCH = Deno.build.arch;
const ASSET = OS === "darwin"
  ? "thoth-macos-universal"
  : ARCH === "aarch64"
  ? "thoth-linux-arm64"
  : "thoth-linux-x86_64";
const KEY = await newReleaseKey("thoth-test-release");
const SIGNER = await readReleaseSigner(JSON.stringify(KEY.file), "test key");
const TRUSTED = [KEY.verifierKey];
const onWindows = OS === "windows";

function script(versionLine: string, pad = 0): Uint8Array {
  return new TextEncoder().encode(
    `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "${versionLine}"; exit 0; fi\nexit 3\n` +
      "#".repeat(pad) + "\n",
  );
}

interface Release {
  version: string;
  asset: Uint8Array;
  /** Resolves when the manifest may be answered. */
  manifestGate?: Promise<void>;
  /** Milliseconds between the asset's bytes, sent one at a time. */
  trickleMs?: number;
  /** The asset's URL in the manifest; defaults to a relative one. */
  assetUrl?: string;
  /** The assets the manifest lists; defaults to this platform's. */
  assetName?: string;
  /** More assets, by name (thothctl's, say). */
  more?: Record<string, Uint8Array>;
}

async function serve(release: Release) {
  const name = release.assetName ?? ASSET;
  const more = Object.entries(release.more ?? {});
  const checksums = formatChecksums([
    { name, sha256: await sha256Hex(release.asset) },
    ...await Promise.all(more.map(async ([n, b]) => ({ name: n, sha256: await sha256Hex(b) }))),
  ]);
  const signature = await signRelease(release.version, checksums, SIGNER, "abc1234def56");
  const manifest = JSON.stringify({
    schema: "thoth.release-manifest/v1",
    version: release.version,
    checksums: "checksums.sha256",
    assets: {
      [name]: release.assetUrl ?? name,
      ...Object.fromEntries(more.map(([n]) => [n, n])),
    },
  });
  const requests: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const path = new URL(req.url).pathname;
    requests.push(path);
    if (path === "/release.json") {
      await release.manifestGate;
      return new Response(manifest);
    }
    if (path === "/checksums.sha256") return new Response(checksums);
    if (path === "/checksums.sha256.sig") return new Response(signature);
    const extra = release.more?.[path.slice(1)];
    if (extra !== undefined) return new Response(extra.slice());
    if (path === `/${name}`) {
      if (release.trickleMs === undefined) return new Response(release.asset.slice());
      let i = 0;
      let timer: ReturnType<typeof setTimeout> | undefined;
      return new Response(
        new ReadableStream<Uint8Array>({
          async pull(controller) {
            await new Promise((r) => timer = setTimeout(r, release.trickleMs));
            if (i >= release.asset.length) return controller.close();
            controller.enqueue(release.asset.slice(i, i + 1));
            i++;
          },
          cancel() {
            clearTimeout(timer);
          },
        }),
      );
    }
    return new Response("no", { status: 404 });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/release.json`,
    base: `http://127.0.0.1:${server.addr.port}`,
    requests,
    close: () => server.shutdown(),
  };
}

async function installed(versionLine = "thoth 0.1.0 (test; commit old)") {
  const dir = await tempFolder("thoth-fix-update-");
  const path = `${dir}/thoth`;
  await Deno.writeFile(path, script(versionLine), { mode: 0o755 });
  return { dir, path };
}

async function versionOf(path: string): Promise<string> {
  const out = await new Deno.Command(path, { args: ["--version"], stdout: "piped" }).output();
  return new TextDecoder().decode(out.stdout).trim();
}

function deps(path: string, extra: Partial<UpdateDeps> = {}): UpdateDeps {
  return {
    execPath: path,
    os: OS,
    arch: ARCH,
    currentVersion: "0.1.0",
    verifierKeys: TRUSTED,
    ...extra,
  };
}

async function runUpdate(args: string[], extra: UpdateCommandDeps) {
  const io = captureIo();
  const program = new Command("thoth").exitOverride().addCommand(
    updateCommand(io, { currentVersion: "0.1.0", verifierKeys: TRUSTED, ...extra }),
  );
  const code = await runProgram(
    "thoth",
    program as unknown as Command<unknown[], Record<string, unknown>>,
    args,
    io,
  );
  return { code, out: io.stdout.join(""), err: io.stderr.join("") };
}

Deno.test({
  name:
    "an update that read an older manifest before another installed a newer one does not downgrade",
  ignore: onWindows,
  async fn() {
    const bin = await installed();
    let open = () => {};
    const gate = new Promise<void>((resolve) => open = resolve);
    const newer = await serve({ version: "0.3.0", asset: script("thoth 0.3.0 (t; commit c)") });
    const older = await serve({
      version: "0.2.0",
      asset: script("thoth 0.2.0 (t; commit b)"),
      manifestGate: gate,
    });
    try {
      // B asks a slow mirror first; A installs the fleet's current release meanwhile.
      const b = selfUpdate(
        { manifestUrl: older.url, force: false, checkOnly: false },
        deps(bin.path),
      ).then((r) => r, (e: unknown) => e);
      while (!older.requests.includes("/release.json")) {
        await new Promise((r) => setTimeout(r, 10));
      }
      const a = await selfUpdate(
        { manifestUrl: newer.url, force: false, checkOnly: false },
        deps(bin.path),
      );
      assert.equal(a.status, "updated");
      open();
      const rb = await b;
      assert.ok(
        isAppError(rb, "release.downgrade") && /is now thoth 0\.3\.0/.test(rb.message) &&
          rb.hints.length > 0,
        String(rb),
      );
      assert.equal(await versionOf(bin.path), "thoth 0.3.0 (t; commit c)");
      assert.ok(!older.requests.includes(`/${ASSET}`), "the older asset was never downloaded");

      // The same version installed meanwhile: current, nothing downloaded.
      const same = await selfUpdate(
        { manifestUrl: newer.url, force: false, checkOnly: false },
        deps(bin.path),
      );
      assert.equal(same.status, "current");
      assert.equal(same.current, "0.3.0");
    } finally {
      open();
      await newer.close();
      await older.close();
    }
  },
});

Deno.test({
  name:
    "a server that trickles the asset is given up on at the download deadline, and the lock is freed",
  ignore: onWindows,
  async fn() {
    const bin = await installed();
    const asset = script("thoth 0.3.0 (t; commit c)", 300);
    const server = await serve({ version: "0.3.0", asset, trickleMs: 20 });
    try {
      let received = Infinity;
      await assert.rejects(
        selfUpdate(
          { manifestUrl: server.url, force: false, checkOnly: false },
          deps(bin.path, { stallMs: 5_000, downloadTimeoutMs: 600 }),
        ),
        (e: unknown) => {
          if (!isAppError(e, "release.download_too_slow")) return false;
          const bytes = /did not finish within 1 s \((\d+) bytes received\)/.exec(e.message);
          received = Number(bytes?.[1] ?? Infinity);
          return bytes !== null && e.hints.some((h) => h.includes("--download-timeout"));
        },
      );
      // Counted, not timed (a busy machine stretches the time): given up before the trickle of
      // one byte each 20 ms ended.
      assert.ok(received < asset.length, `${received} of ${asset.length} bytes received`);
      assert.equal(await versionOf(bin.path), "thoth 0.1.0 (test; commit old)");
      // The lock was given back: the next update may run.
      const fast = await serve({ version: "0.3.0", asset });
      try {
        const r = await selfUpdate(
          { manifestUrl: fast.url, force: false, checkOnly: false },
          deps(bin.path),
        );
        assert.equal(r.status, "updated");
      } finally {
        await fast.close();
      }
    } finally {
      await server.close();
    }
  },
});

Deno.test({
  name: "thoth update reports a manifest offering an older release, warns and exits 1",
  ignore: onWindows,
  async fn() {
    const bin = await installed("thoth 0.5.0 (test; commit now)");
    const server = await serve({ version: "0.4.0", asset: script("thoth 0.4.0") });
    try {
      for (const args of [["update"], ["update", "--check"]]) {
        const r = await runUpdate([...args, "--manifest-url", server.url, "--json"], {
          execPath: bin.path,
          currentVersion: "0.5.0",
        });
        assert.equal(r.code, 1, r.err);
        const result = JSON.parse(r.out);
        assert.equal(result.status, "older_offered");
        assert.equal(result.latest, "0.4.0");
        assert.match(
          r.err,
          /offers thoth 0\.4\.0, older than the installed 0\.5\.0: the mirror may be stale or rolled back/,
        );
      }
      const plain = await runUpdate(["update", "--manifest-url", server.url], {
        execPath: bin.path,
        currentVersion: "0.5.0",
      });
      assert.equal(plain.code, 1);
      assert.match(plain.out, /offers the older 0\.4\.0: nothing was changed/);
      assert.equal(await versionOf(bin.path), "thoth 0.5.0 (test; commit now)");
    } finally {
      await server.close();
    }
  },
});

Deno.test({
  name: "thoth update failures say what to do: no asset, HTTP 404, an http asset URL, the size cap",
  ignore: onWindows,
  async fn() {
    const bin = await installed();
    const noAsset = await serve({
      version: "0.2.0",
      asset: script("x"),
      assetName: "thoth-plan9-mips",
    });
    const insecure = await serve({
      version: "0.2.0",
      asset: script("x"),
      assetUrl: `http://example.com/${ASSET}`,
    });
    const big = await serve({
      version: "0.2.0",
      asset: script("thoth 0.2.0 (t)", 3 * 1024 * 1024),
    });
    try {
      const a = await runUpdate(["update", "--manifest-url", noAsset.url], { execPath: bin.path });
      assert.equal(a.code, 1);
      assert.match(a.err, /error: release 0\.2\.0 has no thoth binary/);
      assert.match(a.err, /hint: it offers thoth-plan9-mips/);

      const b = await runUpdate(["update", "--manifest-url", `${noAsset.base}/nothing.json`], {
        execPath: bin.path,
      });
      assert.equal(b.code, 1);
      assert.match(b.err, /HTTP 404\n.*hint: the server has no such file: check the URL/);

      const c = await runUpdate(["update", "--manifest-url", insecure.url], { execPath: bin.path });
      assert.equal(c.code, 1);
      assert.match(c.err, /hint: this URL comes from the release manifest/);
      assert.doesNotMatch(c.err, /use an https:\/\/ release manifest URL/);

      const d = await runUpdate(["update", "--manifest-url", big.url], {
        execPath: bin.path,
        maxAssetBytes: 1024 * 1024,
      });
      assert.equal(d.code, 1);
      assert.match(d.err, /over the 1048576-byte cap\n.*--max-asset-size/);
      const e = await runUpdate(
        ["update", "--manifest-url", big.url, "--max-asset-size", "4"],
        { execPath: bin.path, maxAssetBytes: 1024 * 1024 },
      );
      assert.equal(e.code, 0, e.err);
      assert.equal(await versionOf(bin.path), "thoth 0.2.0 (t)");

      const f = await runUpdate(["update", "--manifest-url", big.url, "--max-asset-size", "lots"], {
        execPath: bin.path,
      });
      assert.equal(f.code, 2);
    } finally {
      await noAsset.close();
      await insecure.close();
      await big.close();
    }
  },
});

Deno.test({
  name: "a malformed THOTH_RELEASE_VERIFIER_KEY is reported before anything is fetched",
  ignore: onWindows,
  async fn() {
    const bin = await installed();
    const server = await serve({ version: "0.2.0", asset: script("thoth 0.2.0") });
    try {
      for (const args of [["update"], ["update", "--check"]]) {
        const r = await runUpdate([...args, "--manifest-url", server.url], {
          execPath: bin.path,
          verifierKeys: ["not-a-key"],
        });
        assert.equal(r.code, 2, r.err);
        assert.match(r.err, /"not-a-key" is not a release verifier key/);
        assert.match(r.err, /THOTH_RELEASE_VERIFIER_KEY/);
      }
      assert.deepEqual(server.requests, [], "nothing was fetched");
    } finally {
      await server.close();
    }
  },
});

Deno.test("thoth update --help documents its exit status", async () => {
  const io = captureIo();
  const command = updateCommand(io, {});
  let text = "";
  command.configureOutput({ writeOut: (t) => text += t, writeErr: (t) => text += t });
  command.exitOverride();
  try {
    await command.parseAsync(["--help"], { from: "user" });
  } catch { /* help exits */ }
  assert.match(
    text,
    /Exit status:\n\s+0\s+updated, already current, or \(--check\) a verified update/,
  );
  assert.match(text, /\n\s+1\s+the update failed/);
  assert.match(
    text,
    /\n\s+2\s+configuration to fix: no manifest URL, no trusted release key, a malformed\n\s+THOTH_RELEASE_VERIFIER_KEY/,
  );
});

Deno.test({
  name:
    "thoth update removes what an interrupted update left, but keeps and reports a backup that may be the last copy",
  ignore: onWindows,
  async fn() {
    const bin = await installed();
    const server = await serve({ version: "0.2.0", asset: script("thoth 0.2.0 (t)") });
    try {
      await Deno.writeFile(`${bin.dir}/.thoth.new-aaaaaaaaaaaa`, script("thoth 0.2.0"));
      await Deno.writeFile(`${bin.dir}/thoth.failed-bbbbbbbbbbbb`, script("thoth 0.2.0"));
      await Deno.link(bin.path, `${bin.dir}/thoth.old-cccccccccccc`);
      await Deno.writeFile(`${bin.dir}/thoth.old-dddddddddddd`, script("thoth 0.0.9"));
      await Deno.writeFile(`${bin.dir}/thoth.notes`, script("mine"));
      const r = await runUpdate(["update", "--manifest-url", server.url], { execPath: bin.path });
      assert.equal(r.code, 0, r.err);
      const names: string[] = [];
      for await (const e of Deno.readDir(bin.dir)) names.push(e.name);
      assert.deepEqual(names.sort(), [
        ".thoth.update-lock",
        "thoth",
        "thoth.notes",
        "thoth.old-dddddddddddd",
      ]);
      assert.match(
        r.err,
        /warning: kept .*thoth\.old-dddddddddddd: an earlier update was interrupted/,
      );
      assert.match(r.err, /removed .*\.thoth\.new-aaaaaaaaaaaa, left by an earlier update/);
    } finally {
      await server.close();
    }
  },
});

const CTL_ASSET = ASSET.replace(/^thoth-/, "thothctl-");

Deno.test({
  name: "thoth update brings a thothctl installed beside it to the same release, and reports it",
  ignore: onWindows,
  async fn() {
    const bin = await installed();
    const ctl = `${bin.dir}/thothctl`;
    await Deno.writeFile(ctl, script("thothctl 0.1.0 (test; commit old)"), { mode: 0o750 });
    const server = await serve({
      version: "0.2.0",
      asset: script("thoth 0.2.0 (t; commit new)"),
      more: { [CTL_ASSET]: script("thothctl 0.2.0 (t; commit new)") },
    });
    try {
      const check = await runUpdate(["update", "--check", "--manifest-url", server.url, "--json"], {
        execPath: bin.path,
      });
      assert.equal(check.code, 0, check.err);
      const checked = JSON.parse(check.out);
      assert.equal(checked.status, "available");
      assert.deepEqual(
        checked.companions.map((c: { binary: string; status: string }) => [c.binary, c.status]),
        [["thothctl", "available"]],
      );
      assert.equal(await versionOf(ctl), "thothctl 0.1.0 (test; commit old)");

      const r = await runUpdate(["update", "--manifest-url", server.url], { execPath: bin.path });
      assert.equal(r.code, 0, r.err);
      assert.match(
        r.out,
        /^updated .*\/thoth from 0\.1\.0 to 0\.2\.0\nupdated .*\/thothctl from 0\.1\.0 to 0\.2\.0\n$/,
      );
      assert.equal(await versionOf(bin.path), "thoth 0.2.0 (t; commit new)");
      assert.equal(await versionOf(ctl), "thothctl 0.2.0 (t; commit new)");
      assert.equal((await Deno.stat(ctl)).mode! & 0o777, 0o750);
      assert.ok(server.requests.includes(`/${CTL_ASSET}`));

      const again = await runUpdate(["update", "--manifest-url", server.url], {
        execPath: bin.path,
      });
      assert.equal(again.code, 0, again.err);
      assert.match(again.out, /thothctl 0\.2\.0 is current/);
    } finally {
      await server.close();
    }
  },
});

Deno.test({
  name: "thoth update says so, and exits 1, when the thothctl beside it cannot be updated",
  ignore: onWindows,
  async fn() {
    const bin = await installed();
    const ctl = `${bin.dir}/thothctl`;
    await Deno.writeFile(ctl, script("thothctl 0.1.0 (test; commit old)"), { mode: 0o755 });
    // The release has no thothctl for this platform.
    const server = await serve({ version: "0.2.0", asset: script("thoth 0.2.0 (t)") });
    try {
      const r = await runUpdate(["update", "--manifest-url", server.url, "--json"], {
        execPath: bin.path,
      });
      assert.equal(r.code, 1, r.err);
      const result = JSON.parse(r.out);
      assert.equal(result.status, "updated");
      assert.equal(result.companions[0].status, "failed");
      assert.equal(result.companions[0].reason.code, "release.no_asset");
      assert.equal(await versionOf(ctl), "thothctl 0.1.0 (test; commit old)");
    } finally {
      await server.close();
    }
  },
});

Deno.test("thothctl --help says that thoth update keeps it up to date", async () => {
  const { buildThothctlProgram } = await import("../../src/cli/thothctl_program.ts");
  let text = "";
  const program = await buildThothctlProgram(captureIo());
  program.configureOutput({ writeOut: (t) => text += t, writeErr: (t) => text += t });
  program.outputHelp();
  assert.match(text, /"thoth update" updates a thothctl installed beside thoth/);
});
