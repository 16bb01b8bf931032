/**
 * `thoth update` end to end against a real loopback HTTP server and a real
 * "installed" binary in a temp dir: the assets are small shell scripts that
 * answer `--version` like thoth does.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { runProgram } from "../../src/cli/program.ts";
import { updateCommand, type UpdateCommandDeps } from "../../src/cli/update.ts";
import { formatChecksums } from "../../src/release/checksums.ts";
import { sha256Hex } from "../../src/release/sha256.ts";
import { selfUpdate } from "../../src/release/self_update.ts";
import { signRelease } from "../../src/release/release_signature.ts";
import { newReleaseKey, readReleaseSigner } from "../../src/release/release_signing_key.ts";
import { isAppError } from "../../src/errors.ts";
import { captureIo } from "./_capture_io.ts";

const OS = Deno.build.os;
const ARCH = Deno.build.arch;
const ASSET = OS === "darwin"
  ? "thoth-macos-universal"
  : OS === "windows"
  ? "thoth-windows-x86_64.exe"
  : ARCH === "aarch64"
  ? "thoth-linux-arm64"
  : "thoth-linux-x86_64";

function script(versionLine: string, exitCode = 0): Uint8Array {
  return new TextEncoder().encode(
    `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "${versionLine}"; exit ${exitCode}; fi\nexit 3\n`,
  );
}

/** The release key these tests trust, and one they do not. */
const RELEASE_KEY = await newReleaseKey("thoth-test-release");
const OTHER_KEY = await newReleaseKey("thoth-test-release");
const TRUSTED = [RELEASE_KEY.verifierKey];

interface Release {
  version: string;
  asset: Uint8Array;
  /** What checksums.sha256 claims; defaults to the asset's real digest. */
  claimed?: Uint8Array;
  /** Who signs the checksums, for which version; "none" serves no signature. */
  signedBy?: typeof RELEASE_KEY | "none";
  signedVersion?: string;
  /** A query the manifest puts on the asset's URL (a signed-URL token, say). */
  assetQuery?: string;
  /** A query the manifest puts on the checksums URL. */
  checksumsQuery?: string;
}

async function serve(release: Release) {
  const files = new Map<string, Uint8Array>();
  files.set(`/dl/${ASSET}`, release.asset);
  const checksums = formatChecksums([
    { name: ASSET, sha256: await sha256Hex(release.claimed ?? release.asset) },
  ]);
  files.set("/dl/checksums.sha256", new TextEncoder().encode(checksums));
  const key = release.signedBy ?? RELEASE_KEY;
  if (key !== "none") {
    const signer = await readReleaseSigner(JSON.stringify(key.file), "test key");
    files.set(
      "/dl/checksums.sha256.sig",
      new TextEncoder().encode(
        await signRelease(
          release.signedVersion ?? release.version,
          checksums,
          signer,
          "abc1234def56",
        ),
      ),
    );
  }
  files.set(
    "/release.json",
    new TextEncoder().encode(JSON.stringify({
      schema: "thoth.release-manifest/v1",
      version: release.version,
      checksums: `dl/checksums.sha256${release.checksumsQuery ?? ""}`,
      assets: { [ASSET]: `/redirect/${ASSET}${release.assetQuery ?? ""}` },
    })),
  );
  const requests: string[] = [];
  /** Each request's path and query. */
  const queried: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const { pathname: path, search } = new URL(req.url);
    requests.push(path);
    queried.push(path + search);
    if (path.startsWith("/redirect/")) {
      return new Response(null, { status: 302, headers: { location: `/dl/${path.slice(10)}` } });
    }
    if (path === "/insecure-redirect") {
      return new Response(null, { status: 302, headers: { location: "http://example.com/x" } });
    }
    const body = files.get(path);
    return body === undefined ? new Response("no", { status: 404 }) : new Response(body.slice());
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/release.json`,
    base: `http://127.0.0.1:${server.addr.port}`,
    requests,
    queried,
    close: () => server.shutdown(),
  };
}

async function installed(versionLine = "thoth 0.1.0 (test; commit old)") {
  const dir = await Deno.makeTempDir({ prefix: "thoth-update-" });
  const path = `${dir}/thoth`;
  await Deno.writeFile(path, script(versionLine), { mode: 0o755 });
  return { dir, path };
}

async function runUpdate(args: string[], deps: UpdateCommandDeps) {
  const io = captureIo();
  const program = new Command("thoth").addCommand(
    updateCommand(io, { currentVersion: "0.1.0", verifierKeys: TRUSTED, ...deps }),
  );
  const code = await runProgram(
    "thoth",
    program as unknown as Command<unknown[], Record<string, unknown>>,
    args,
    io,
  );
  return { code, out: io.stdout.join(""), err: io.stderr.join("") };
}

/** The update lock `thoth update` leaves beside the binary (empty; it must stay). */
const LOCK = ".thoth.update-lock";

/** The files in `dir`, but the update lock. */
async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) if (e.name !== LOCK) names.push(e.name);
  return names.sort();
}

const onWindows = OS === "windows";

Deno.test({
  name: "thoth update installs a verified newer release and removes the old binary",
  ignore: onWindows,
  async fn() {
    const server = await serve({
      version: "0.2.0",
      asset: script("thoth 0.2.0 (test; commit new)"),
    });
    const bin = await installed();
    try {
      const r = await runUpdate(["update", "--manifest-url", server.url, "--json"], {
        execPath: bin.path,
      });
      assert.equal(r.code, 0, r.err);
      const result = JSON.parse(r.out);
      assert.equal(result.status, "updated");
      assert.equal(result.current, "0.1.0");
      assert.equal(result.latest, "0.2.0");
      assert.equal(result.asset, ASSET);
      const out = await new Deno.Command(bin.path, { args: ["--version"], stdout: "piped" })
        .output();
      assert.equal(new TextDecoder().decode(out.stdout).trim(), "thoth 0.2.0 (test; commit new)");
      assert.equal((await Deno.stat(bin.path)).mode! & 0o777, 0o755);
      assert.deepEqual(await listDir(bin.dir), ["thoth"], "no .old or staged file is left");
      assert.ok(
        server.requests.includes(`/redirect/${ASSET}`),
        "the asset came through a redirect",
      );
      assert.match(r.err, /verified SHA-256/);
    } finally {
      await server.close();
      await Deno.remove(bin.dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "thoth update refuses a tampered asset and leaves the installed binary untouched",
  ignore: onWindows,
  async fn() {
    const good = script("thoth 0.2.0 (test; commit new)");
    const server = await serve({
      version: "0.2.0",
      asset: script("thoth 0.2.0 (evil)"),
      claimed: good,
    });
    const bin = await installed();
    const before = await Deno.readFile(bin.path);
    try {
      const r = await runUpdate(["update", "--manifest-url", server.url], { execPath: bin.path });
      assert.equal(r.code, 1);
      assert.match(
        r.err,
        /^thoth: error: ".+" has SHA-256 [0-9a-f]{64}, but checksums\.sha256 says [0-9a-f]{64}; refusing to install it$/m,
      );
      assert.match(r.err, /thoth: hint: the download was corrupted or tampered with/);
      assert.deepEqual(await Deno.readFile(bin.path), before);
      assert.deepEqual(await listDir(bin.dir), ["thoth"]);
    } finally {
      await server.close();
      await Deno.remove(bin.dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "thoth update does nothing when already current, and --force reinstalls",
  ignore: onWindows,
  async fn() {
    const server = await serve({
      version: "0.1.0",
      asset: script("thoth 0.1.0 (test; commit rebuilt)"),
    });
    const bin = await installed();
    const before = await Deno.readFile(bin.path);
    try {
      const r = await runUpdate(["self-update", "--manifest-url", server.url], {
        execPath: bin.path,
      });
      assert.equal(r.code, 0, r.err);
      assert.equal(r.out, "thoth 0.1.0 is current (latest release 0.1.0)\n");
      assert.deepEqual(await Deno.readFile(bin.path), before);
      assert.deepEqual(server.requests, ["/release.json"], "nothing but the manifest was fetched");

      const forced = await runUpdate(["update", "--force", "--manifest-url", server.url], {
        execPath: bin.path,
      });
      assert.equal(forced.code, 0, forced.err);
      assert.match(forced.out, /^updated .+ from 0\.1\.0 to 0\.1\.0\n$/);
      const out = await new Deno.Command(bin.path, { args: ["--version"], stdout: "piped" })
        .output();
      assert.match(new TextDecoder().decode(out.stdout), /commit rebuilt/);
    } finally {
      await server.close();
      await Deno.remove(bin.dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "thoth update --check reports an available release without changing anything",
  ignore: onWindows,
  async fn() {
    const server = await serve({ version: "0.3.0", asset: script("thoth 0.3.0") });
    const bin = await installed();
    const before = await Deno.readFile(bin.path);
    try {
      const r = await runUpdate(["update", "--check"], { execPath: bin.path });
      assert.equal(r.code, 2, "without a URL it is a usage error");
      assert.match(r.err, /no release manifest URL is configured/);

      // Now the URL and the trusted key come from the environment.
      const io = captureIo();
      (io.env as Record<string, string>)["THOTH_RELEASE_MANIFEST_URL"] = server.url;
      (io.env as Record<string, string>)["THOTH_RELEASE_VERIFIER_KEY"] = RELEASE_KEY.verifierKey;
      const program = new Command("thoth").addCommand(
        updateCommand(io, { execPath: bin.path, currentVersion: "0.1.0" }),
      );
      const code = await runProgram(
        "thoth",
        program as unknown as Command<unknown[], Record<string, unknown>>,
        ["update", "--check"],
        io,
      );
      assert.equal(code, 0, io.stderr.join(""));
      assert.match(
        io.stdout.join(""),
        new RegExp(`^thoth 0\\.3\\.0 is available \\(installed 0\\.1\\.0; asset ${ASSET}\\)`),
      );
      assert.deepEqual(await Deno.readFile(bin.path), before);
      assert.deepEqual(
        server.requests,
        ["/release.json", "/dl/checksums.sha256", "/dl/checksums.sha256.sig"],
        "the signed checksums are checked, the asset is not downloaded",
      );
      assert.deepEqual(await listDir(bin.dir), ["thoth"]);
      await assert.rejects(Deno.stat(`${bin.dir}/${LOCK}`), Deno.errors.NotFound, "no lock");
    } finally {
      await server.close();
      await Deno.remove(bin.dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "thoth update rolls back when the new binary fails --version",
  ignore: onWindows,
  async fn() {
    for (const broken of [script("thoth 0.2.0 (broken)", 1), script("something else 9.9.9")]) {
      const server = await serve({ version: "0.2.0", asset: broken });
      const bin = await installed();
      const before = await Deno.readFile(bin.path);
      try {
        const r = await runUpdate(["update", "--manifest-url", server.url], { execPath: bin.path });
        assert.equal(r.code, 1);
        assert.match(
          r.err,
          /thoth: error: the new thoth 0\.2\.0 did not pass "--version" \(.*\); restored 0\.1\.0/,
        );
        assert.deepEqual(await Deno.readFile(bin.path), before);
        assert.deepEqual(await listDir(bin.dir), ["thoth"]);
        const out = await new Deno.Command(bin.path, { args: ["--version"], stdout: "piped" })
          .output();
        assert.equal(out.code, 0);
      } finally {
        await server.close();
        await Deno.remove(bin.dir, { recursive: true });
      }
    }
  },
});

Deno.test("thoth update refuses to replace the Deno binary when running from source", async () => {
  const r = await runUpdate(["update", "--manifest-url", "https://example.invalid/m.json"], {
    execPath: Deno.execPath(),
  });
  assert.equal(r.code, 1);
  assert.match(r.err, /^thoth: error: thoth update works on a compiled thoth binary$/m);
});

Deno.test("selfUpdate() refuses plain http off loopback, also through a redirect", async () => {
  const server = await serve({ version: "0.2.0", asset: script("thoth 0.2.0") });
  const bin = await installed();
  try {
    await assert.rejects(
      selfUpdate(
        { manifestUrl: "http://example.com/release.json", force: false, checkOnly: true },
        { execPath: bin.path, os: OS, arch: ARCH, currentVersion: "0.1.0" },
      ),
      (e) => isAppError(e, "release.insecure_url"),
    );
    await assert.rejects(
      selfUpdate(
        { manifestUrl: `${server.base}/insecure-redirect`, force: false, checkOnly: true },
        { execPath: bin.path, os: OS, arch: ARCH, currentVersion: "0.1.0" },
      ),
      (e) => isAppError(e, "release.insecure_url"),
    );
    await assert.rejects(
      selfUpdate(
        { manifestUrl: `${server.base}/missing.json`, force: false, checkOnly: true },
        { execPath: bin.path, os: OS, arch: ARCH, currentVersion: "0.1.0" },
      ),
      (e) => isAppError(e, "release.download_failed") && /HTTP 404/.test(e.message),
    );
  } finally {
    await server.close();
    await Deno.remove(bin.dir, { recursive: true });
  }
});

Deno.test({
  name: "thoth update installs nothing, and runs nothing, that a trusted release key did not sign",
  ignore: onWindows,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "thoth-update-forged-" });
    const marker = `${dir}/PWNED`;
    // A forged release: it would leave a marker if it were ever run.
    const forged = new TextEncoder().encode(
      `#!/bin/sh\ntouch '${marker}'\necho "thoth 9.9.9"\n`,
    );
    const cases: { release: Partial<Release>; keys?: string[]; error: RegExp }[] = [
      { release: { signedBy: "none" }, error: /cannot fetch release signature .+ HTTP 404/ },
      {
        release: { signedBy: OTHER_KEY },
        error:
          /signed by thoth-test-release \(key hash [0-9a-f]{8}\), which is not a trusted release key/,
      },
      { release: { signedVersion: "0.1.5" }, error: /covers another version or other checksums/ },
      { release: {}, keys: [], error: /trusts no release signing key/ },
    ];
    try {
      for (const c of cases) {
        const server = await serve({ version: "9.9.9", asset: forged, ...c.release });
        const bin = await installed();
        const before = await Deno.readFile(bin.path);
        try {
          const r = await runUpdate(["update", "--manifest-url", server.url], {
            execPath: bin.path,
            ...(c.keys === undefined ? {} : { verifierKeys: c.keys }),
          });
          assert.notEqual(r.code, 0, r.err);
          assert.match(r.err, c.error);
          assert.deepEqual(await Deno.readFile(bin.path), before);
          assert.deepEqual(await listDir(bin.dir), ["thoth"]);
          assert.ok(
            !server.requests.includes(`/dl/${ASSET}`) &&
              !server.requests.includes(`/redirect/${ASSET}`),
            "the asset is not even downloaded",
          );
          await assert.rejects(Deno.stat(marker), Deno.errors.NotFound);
        } finally {
          await server.close();
          await Deno.remove(bin.dir, { recursive: true });
        }
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "thoth update --force never downgrades",
  ignore: onWindows,
  async fn() {
    const server = await serve({ version: "0.0.9", asset: script("thoth 0.0.9") });
    const bin = await installed();
    const before = await Deno.readFile(bin.path);
    try {
      const r = await runUpdate(["update", "--force", "--manifest-url", server.url], {
        execPath: bin.path,
      });
      assert.equal(r.code, 1);
      assert.match(
        r.err,
        /offers 0\.0\.9, older than the installed 0\.1\.0; thoth update does not downgrade/,
      );
      assert.deepEqual(await Deno.readFile(bin.path), before);
    } finally {
      await server.close();
      await Deno.remove(bin.dir, { recursive: true });
    }
  },
});

Deno.test("selfUpdate() gives up on a server that stops sending", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode("{"));
            // …and nothing more, ever.
          },
        }),
      ),
  );
  const bin = await installed();
  try {
    await assert.rejects(
      selfUpdate(
        {
          manifestUrl: `http://127.0.0.1:${server.addr.port}/release.json`,
          force: false,
          checkOnly: true,
        },
        {
          execPath: bin.path,
          os: OS,
          arch: ARCH,
          currentVersion: "0.1.0",
          stallMs: 300,
        },
      ),
      (e) => isAppError(e, "release.download_failed") && /sent nothing for 0 s/.test(e.message),
    );
  } finally {
    await server.shutdown();
    await Deno.remove(bin.dir, { recursive: true });
  }
});

Deno.test({
  name: "thoth update prints no user, password, query or fragment of any URL",
  ignore: onWindows,
  async fn() {
    const server = await serve({
      version: "0.2.0",
      asset: script("thoth 0.2.0 (test; commit new)"),
      assetQuery: "?X-Amz-Signature=SECRET-asset",
    });
    const bin = await installed();
    const port = new URL(server.base).port;
    try {
      const r = await runUpdate(
        ["update", "--manifest-url", `${server.url}?token=SECRET-manifest#SECRET-fragment`],
        { execPath: bin.path },
      );
      assert.equal(r.code, 0, r.err);
      assert.ok(!r.err.includes("SECRET"), r.err);
      assert.ok(!r.out.includes("SECRET"), r.out);
      assert.match(
        r.err,
        new RegExp(
          `^thoth: fetching release manifest http://127\\.0\\.0\\.1:${port}/release\\.json\\?…#…$`,
          "m",
        ),
      );
      assert.match(
        r.err,
        new RegExp(
          `^thoth: downloading ${ASSET} from http://127\\.0\\.0\\.1:${port}/redirect/${ASSET}\\?…$`,
          "m",
        ),
      );
      assert.ok(
        server.requests.includes(`/redirect/${ASSET}`),
        "what is fetched is unchanged: the query still reaches the server",
      );

      const missing = await runUpdate(
        ["update", "--manifest-url", `${server.base}/missing.json?token=SECRET`],
        { execPath: bin.path },
      );
      assert.equal(
        missing.err.split("\n")[1],
        `thoth: error: cannot fetch release manifest "http://127.0.0.1:${port}/missing.json?…": HTTP 404`,
      );
      assert.ok(!missing.err.includes("SECRET"), missing.err);
    } finally {
      await server.close();
      await Deno.remove(bin.dir, { recursive: true });
    }
  },
});

Deno.test("thoth update errors and hints show URLs without their secrets", async () => {
  const bin = await installed();
  try {
    const failing: typeof fetch = () =>
      Promise.reject(
        new TypeError(
          "error sending request for url (https://r.example/m.json?token=SECRET): connection refused",
        ),
      );
    const cases: [string, UpdateCommandDeps, string][] = [
      [
        "https://r.example/m.json?token=SECRET",
        { fetch: failing },
        'thoth: error: cannot fetch release manifest "https://r.example/m.json?…": ' +
        "error sending request for url (https://r.example/m.json?…): connection refused",
      ],
      [
        "http://example.com/m.json?token=SECRET",
        {},
        'thoth: error: refusing to fetch "http://example.com/m.json?…": updates are fetched over https (plain http only to a loopback address)',
      ],
      [
        "https://ana:SECRET@r.example/m.json",
        {},
        'thoth: error: refusing a URL with credentials in it: "https://…@r.example/m.json"',
      ],
      [
        "ht tp://r.example/m.json?token=SECRET",
        {},
        'thoth: error: not a URL: "ht tp://r.example/m.json?…"',
      ],
    ];
    for (const [url, deps, line] of cases) {
      const r = await runUpdate(["update", "--manifest-url", url], { execPath: bin.path, ...deps });
      assert.notEqual(r.code, 0, url);
      assert.equal(r.err.split("\n").find((l) => l.startsWith("thoth: error:")), line, url);
      assert.ok(!r.err.includes("SECRET"), r.err);
    }
  } finally {
    await Deno.remove(bin.dir, { recursive: true });
  }
});

Deno.test({
  name: "two thoth updates at once: the second fails at once and the first one's rollback holds",
  ignore: onWindows,
  async fn() {
    const bin = await installed();
    const go = `${bin.dir}/go`;
    // A signed but broken release: its --version waits for the test's go-ahead, then fails.
    const broken = new TextEncoder().encode(
      `#!/bin/sh\ni=0\nwhile [ ! -e '${go}' ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done\n` +
        `echo "thoth 0.2.0 (broken)"\nexit 1\n`,
    );
    const server = await serve({ version: "0.2.0", asset: broken });
    const before = await Deno.readFile(bin.path);
    const update = (progress: (line: string) => void) =>
      selfUpdate(
        { manifestUrl: server.url, force: false, checkOnly: false },
        {
          execPath: bin.path,
          os: OS,
          arch: ARCH,
          currentVersion: "0.1.0",
          verifierKeys: TRUSTED,
          progress,
        },
      ).then((r) => `ok ${r.status}`, (e) => isAppError(e) ? e.code : String(e));
    try {
      const checking = Promise.withResolvers<void>();
      const first = update((line) => {
        if (line.startsWith("checking the new binary")) checking.resolve();
      });
      await checking.promise;
      // The first update is inside its --version check: the broken binary is in place.
      const secondChecking = Promise.withResolvers<void>();
      const second = update((line) => {
        if (line.startsWith("checking the new binary")) secondChecking.resolve();
      });
      await Promise.race([second, secondChecking.promise]);
      await Deno.writeFile(go, new Uint8Array());
      const outcomes = [await first, await second];
      assert.deepEqual(outcomes, ["release.new_binary_failed", "release.update_in_progress"]);
      assert.deepEqual(await Deno.readFile(bin.path), before, "the old binary is back");
      await Deno.remove(go);
      assert.deepEqual(await listDir(bin.dir), ["thoth"], "no backup or staged file is left");
      assert.ok((await Deno.stat(`${bin.dir}/${LOCK}`)).isFile, "the lock file stays");

      // The lock was given back: the next update goes ahead.
      const good = await serve({ version: "0.2.0", asset: script("thoth 0.2.0 (good)") });
      try {
        const r = await runUpdate(["update", "--manifest-url", good.url], { execPath: bin.path });
        assert.equal(r.code, 0, r.err);
      } finally {
        await good.close();
      }
    } finally {
      await server.close();
      await Deno.remove(bin.dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "a second thoth update reports the one in progress and how to go on",
  ignore: onWindows,
  async fn() {
    const server = await serve({ version: "0.2.0", asset: script("thoth 0.2.0") });
    const bin = await installed();
    // Another process's update holds the lock beside the binary.
    const held = await Deno.open(`${bin.dir}/${LOCK}`, { write: true, create: true });
    try {
      await held.lock(true);
      const r = await runUpdate(["update", "--manifest-url", server.url, "--json"], {
        execPath: bin.path,
      });
      assert.equal(r.code, 1);
      const error = JSON.parse(r.out.trim().split("\n").at(-1) ?? "").error;
      assert.equal(error.code, "release.update_in_progress");
      assert.equal(
        error.message,
        `another thoth update is replacing "${bin.path}" (it holds "${bin.dir}/${LOCK}")`,
      );
      assert.deepEqual(error.hints, [
        'wait for it to finish, then run "thoth update" again; nothing was changed',
      ]);
      assert.ok(!server.requests.includes("/dl/checksums.sha256"), "nothing but the manifest");
    } finally {
      held.close();
      await server.close();
      await Deno.remove(bin.dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "thoth update deletes no backup it did not make",
  ignore: onWindows,
  async fn() {
    const server = await serve({ version: "0.2.0", asset: script("thoth 0.2.0") });
    const bin = await installed();
    // A backup an older thoth left, one of an update that crashed, and one a
    // finished update marked for deletion (Windows, where a running binary stays).
    const others = ["thoth.old", "thoth.old-0123456789ab"];
    for (const name of others) await Deno.writeFile(`${bin.dir}/${name}`, script("thoth 0.0.1"));
    await Deno.writeFile(`${bin.dir}/.thoth.retired-0123456789ab`, script("thoth 0.0.1"));
    try {
      const r = await runUpdate(["update", "--manifest-url", server.url], { execPath: bin.path });
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(await listDir(bin.dir), ["thoth", ...others]);
    } finally {
      await server.close();
      await Deno.remove(bin.dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "thoth update --check says available only for a release it verified",
  ignore: onWindows,
  async fn() {
    const bin = await installed();
    const before = await Deno.readFile(bin.path);
    const cases: {
      release: Partial<Release>;
      keys: string[];
      code: string;
      message: RegExp;
    }[] = [
      { release: {}, keys: [], code: "release.no_verifier_key", message: /trusts no release/ },
      {
        release: { signedBy: "none" },
        keys: TRUSTED,
        code: "release.download_failed",
        message: /cannot fetch release signature .+ HTTP 404/,
      },
      {
        release: { signedBy: OTHER_KEY },
        keys: TRUSTED,
        code: "release.bad_signature",
        message:
          /signed by thoth-test-release \(key hash [0-9a-f]{8}\), which is not a trusted release key/,
      },
      {
        release: { signedVersion: "0.2.9" },
        keys: TRUSTED,
        code: "release.bad_signature",
        message: /covers another version/,
      },
    ];
    try {
      for (const c of cases) {
        const server = await serve({
          version: "0.3.0",
          asset: script("thoth 0.3.0"),
          ...c.release,
        });
        try {
          const human = await runUpdate(["update", "--check", "--manifest-url", server.url], {
            execPath: bin.path,
            verifierKeys: c.keys,
          });
          assert.equal(human.code, 1, c.code);
          assert.match(
            human.out,
            /^thoth 0\.3\.0 is offered \(installed 0\.1\.0\) but could not be verified: .+\n$/,
          );
          assert.match(human.out, c.message);
          assert.doesNotMatch(human.out, /available/);

          const json = await runUpdate(
            ["update", "--check", "--json", "--manifest-url", server.url],
            { execPath: bin.path, verifierKeys: c.keys },
          );
          assert.equal(json.code, 1);
          const result = JSON.parse(json.out);
          assert.equal(result.status, "unverified");
          assert.equal(result.latest, "0.3.0");
          assert.equal(result.reason.code, c.code);
          assert.match(result.reason.message, c.message);
          assert.ok(!server.requests.includes(`/dl/${ASSET}`), "the asset is not downloaded");
        } finally {
          await server.close();
        }
      }
      const server = await serve({ version: "0.3.0", asset: script("thoth 0.3.0") });
      try {
        const json = await runUpdate(
          ["update", "--check", "--json", "--manifest-url", server.url],
          { execPath: bin.path },
        );
        assert.equal(json.code, 0, json.err);
        const result = JSON.parse(json.out);
        assert.equal(result.status, "available");
        assert.equal(result.sha256, await sha256Hex(script("thoth 0.3.0")));
        assert.equal(result.reason, undefined);
      } finally {
        await server.close();
      }
      assert.deepEqual(await Deno.readFile(bin.path), before);
      assert.deepEqual(await listDir(bin.dir), ["thoth"]);
    } finally {
      await Deno.remove(bin.dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "thoth update fetches the signature beside a checksums URL that carries a query",
  ignore: onWindows,
  async fn() {
    const server = await serve({
      version: "0.2.0",
      asset: script("thoth 0.2.0 (test; commit new)"),
      checksumsQuery: "?X-Amz-Signature=SECRET-sums",
    });
    const bin = await installed();
    try {
      const r = await runUpdate(["update", "--manifest-url", server.url], { execPath: bin.path });
      assert.equal(r.code, 0, r.err);
      assert.ok(
        server.queried.includes("/dl/checksums.sha256.sig?X-Amz-Signature=SECRET-sums"),
        server.queried.join(" "),
      );
      assert.ok(!r.err.includes("SECRET"), r.err);
    } finally {
      await server.close();
      await Deno.remove(bin.dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "thoth update keeps the installed binary's permission bits",
  ignore: onWindows,
  async fn() {
    for (const mode of [0o750, 0o700, 0o755]) {
      const server = await serve({ version: "0.2.0", asset: script("thoth 0.2.0") });
      const bin = await installed();
      await Deno.chmod(bin.path, mode);
      try {
        const r = await runUpdate(["update", "--manifest-url", server.url], { execPath: bin.path });
        assert.equal(r.code, 0, r.err);
        assert.equal((await Deno.stat(bin.path)).mode! & 0o7777, mode, mode.toString(8));
      } finally {
        await server.close();
        await Deno.remove(bin.dir, { recursive: true });
      }
    }
  },
});

Deno.test({
  name: "thoth update run by root keeps the installed binary's owner and group",
  ignore: onWindows || Deno.uid() !== 0,
  async fn() {
    const server = await serve({ version: "0.2.0", asset: script("thoth 0.2.0") });
    const bin = await installed();
    await Deno.chown(bin.path, 65534, 65534);
    try {
      const r = await runUpdate(["update", "--manifest-url", server.url], { execPath: bin.path });
      assert.equal(r.code, 0, r.err);
      const info = await Deno.stat(bin.path);
      assert.deepEqual([info.uid, info.gid], [65534, 65534]);
    } finally {
      await server.close();
      await Deno.remove(bin.dir, { recursive: true });
    }
  },
});

Deno.test("the update lock file is left readable by the binary's owner whatever the umask took", async () => {
  if (Deno.build.os === "windows") return;
  const { UpdateLock } = await import("../../src/release/update_lock.ts");
  const dir = await Deno.makeTempDir({ prefix: "thoth-lock-" });
  const lockPath = `${dir}/${LOCK}`;
  // What root running with umask 027 leaves behind.
  await Deno.writeTextFile(lockPath, "");
  await Deno.chmod(lockPath, 0o640);
  const lock = await UpdateLock.take(lockPath, `${dir}/thoth`, "thoth");
  lock.release();
  assert.equal((await Deno.stat(lockPath)).mode! & 0o777, 0o644);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the update lock is never taken, or created, through a link in its place", async () => {
  if (Deno.build.os === "windows") return;
  const { UpdateLock } = await import("../../src/release/update_lock.ts");
  const dir = await Deno.makeTempDir({ prefix: "thoth-lock-" });
  try {
    const lockPath = `${dir}/${LOCK}`;
    // A user who owns the binary's folder plants a link for root's next update.
    await Deno.symlink(`${dir}/created-by-root`, lockPath);
    await assert.rejects(
      UpdateLock.take(lockPath, `${dir}/thoth`, "thoth"),
      (e) => isAppError(e) && /is not a plain file/.test(e.message),
    );
    await assert.rejects(Deno.lstat(`${dir}/created-by-root`), Deno.errors.NotFound);
    await Deno.writeTextFile(`${dir}/victim`, "x");
    await Deno.remove(lockPath);
    await Deno.symlink(`${dir}/victim`, lockPath);
    await assert.rejects(
      UpdateLock.take(lockPath, `${dir}/thoth`, "thoth"),
      (e) => isAppError(e) && /is not a plain file/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
