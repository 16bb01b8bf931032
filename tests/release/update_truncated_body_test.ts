/**
 * `thoth update` against a raw TCP loopback server that stops sending a body
 * before its end: a `Content-Length` not reached (for the asset and for the
 * manifest) and a chunked asset cut off. Each is `release.download_failed`
 * naming what, where and how much arrived, with a remedy, never "internal
 * error"; the installed binary (a shell script answering `--version`) is
 * unchanged.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { runProgram } from "../../src/cli/program.ts";
import { updateCommand } from "../../src/cli/update.ts";
import { formatChecksums } from "../../src/release/checksums.ts";
import { sha256Hex } from "../../src/release/sha256.ts";
import { selfUpdate } from "../../src/release/self_update.ts";
import { signRelease } from "../../src/release/release_signature.ts";
import { newReleaseKey, readReleaseSigner } from "../../src/release/release_signing_key.ts";
import { AppError } from "../../src/errors.ts";
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
const OLD_LINE = "thoth 0.1.0 (test; commit old)";
const encoder = new TextEncoder();

function script(versionLine: string): Uint8Array {
  return encoder.encode(
    `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "${versionLine}"; exit 0; fi\nexit 3\n` +
      "#".repeat(4000) + "\n",
  );
}

/** How the server cuts a body short. */
type Cut = "asset-length" | "asset-chunked" | "manifest-length";

/**
 * A raw HTTP/1.1 server on 127.0.0.1 serving a signed 0.2.0 release; the body
 * `cut` names is sent only in part before the connection is closed.
 */
async function serve(cut: Cut) {
  const asset = script("thoth 0.2.0 (t; commit new)");
  const checksums = formatChecksums([{ name: ASSET, sha256: await sha256Hex(asset) }]);
  const files = new Map<string, Uint8Array>([
    [
      "/release.json",
      encoder.encode(JSON.stringify({
        schema: "thoth.release-manifest/v1",
        version: "0.2.0",
        checksums: "checksums.sha256",
        assets: { [ASSET]: ASSET },
      })),
    ],
    ["/checksums.sha256", encoder.encode(checksums)],
    [
      "/checksums.sha256.sig",
      encoder.encode(await signRelease("0.2.0", checksums, SIGNER, "abc1234def56")),
    ],
    [`/${ASSET}`, asset],
  ]);
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const requests: string[] = [];
  const handle = async (conn: Deno.Conn) => {
    try {
      let head = "";
      const buf = new Uint8Array(4096);
      while (!head.includes("\r\n\r\n")) {
        const n = await conn.read(buf);
        if (n === null) return;
        head += new TextDecoder().decode(buf.subarray(0, n));
      }
      const path = head.split(" ")[1] ?? "";
      requests.push(path);
      const body = files.get(path);
      const write = async (bytes: Uint8Array) => {
        let rest = bytes;
        while (rest.length > 0) rest = rest.subarray(await conn.write(rest));
      };
      if (body === undefined) {
        await write(encoder.encode("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n"));
        return;
      }
      const cutHere = (cut === "manifest-length" && path === "/release.json") ||
        (cut !== "manifest-length" && path === `/${ASSET}`);
      if (cutHere && cut === "asset-chunked") {
        const half = body.subarray(0, 1000);
        await write(encoder.encode("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"));
        await write(encoder.encode(`${half.length.toString(16)}\r\n`));
        await write(half);
        await write(encoder.encode("\r\n"));
        // The next chunk is announced and never finished; no terminating 0-chunk.
        await write(encoder.encode(`${(body.length - 1000).toString(16)}\r\n`));
        await write(body.subarray(1000, 1010));
        return;
      }
      await write(
        encoder.encode(
          `HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`,
        ),
      );
      await write(cutHere ? body.subarray(0, Math.floor(body.length / 2)) : body);
    } catch {
      // The client went away.
    } finally {
      try {
        conn.close();
      } catch { /* closed */ }
    }
  };
  const loop = (async () => {
    for await (const conn of listener) handle(conn);
  })().catch(() => {});
  const port = (listener.addr as Deno.NetAddr).port;
  return {
    url: `http://127.0.0.1:${port}/release.json`,
    requests,
    manifestLength: files.get("/release.json")?.length ?? 0,
    assetLength: asset.length,
    close: async () => {
      listener.close();
      await loop;
    },
  };
}

async function installed(): Promise<string> {
  const dir = await tempFolder("thoth-update-cut-");
  const path = `${dir}/thoth`;
  await Deno.writeFile(path, script(OLD_LINE), { mode: 0o755 });
  return path;
}

async function versionOf(path: string): Promise<string> {
  const out = await new Deno.Command(path, { args: ["--version"], stdout: "piped" }).output();
  return new TextDecoder().decode(out.stdout).trim();
}

const CASES: readonly {
  cut: Cut;
  what: RegExp;
  of: (s: Awaited<ReturnType<typeof serve>>) => RegExp;
}[] = [
  {
    cut: "asset-length",
    what: new RegExp(`^${ASSET} "http://127\\.0\\.0\\.1:\\d+/${ASSET}": the connection closed`),
    of: (s) =>
      new RegExp(`closed after ${Math.floor(s.assetLength / 2)} of ${s.assetLength} bytes`),
  },
  {
    cut: "asset-chunked",
    what: new RegExp(`^${ASSET} "http://127\\.0\\.0\\.1:\\d+/${ASSET}": the connection closed`),
    of: () => /closed after \d+ bytes, before the end/,
  },
  {
    cut: "manifest-length",
    what: /^release manifest "http:\/\/127\.0\.0\.1:\d+\/release\.json": the connection closed/,
    of: (s) =>
      new RegExp(`closed after ${Math.floor(s.manifestLength / 2)} of ${s.manifestLength} bytes`),
  },
];

for (const { cut, what, of } of CASES) {
  Deno.test({
    name:
      `thoth update names a body cut short (${cut}) as release.download_failed, binary unchanged`,
    ignore: OS === "windows",
    async fn() {
      const path = await installed();
      const server = await serve(cut);
      try {
        let caught: unknown;
        try {
          await selfUpdate(
            { manifestUrl: server.url, force: false, checkOnly: false },
            {
              execPath: path,
              os: OS,
              arch: ARCH,
              currentVersion: "0.1.0",
              verifierKeys: [KEY.verifierKey],
              stallMs: 10_000,
            },
          );
        } catch (error) {
          caught = error;
        }
        assert.ok(caught instanceof AppError, `not an AppError: ${String(caught)}`);
        assert.equal(caught.code, "release.download_failed", caught.message);
        assert.match(caught.message, what);
        assert.match(caught.message, of(server));
        assert.match(caught.message, /nothing was changed/);
        assert.ok(caught.hints.some((h) => /run the update again/.test(h)), String(caught.hints));
        assert.equal(await versionOf(path), OLD_LINE);

        // What a person sees: the error with its remedy, not "internal error".
        const io = captureIo();
        const program = new Command("thoth").exitOverride().addCommand(
          updateCommand(io, {
            execPath: path,
            currentVersion: "0.1.0",
            verifierKeys: [KEY.verifierKey],
            stallMs: 10_000,
          }),
        );
        const code = await runProgram(
          "thoth",
          program as unknown as Command<unknown[], Record<string, unknown>>,
          ["update", "--manifest-url", server.url],
          io,
        );
        const err = io.stderr.join("");
        assert.equal(code, 1, err);
        assert.doesNotMatch(err, /internal error/);
        assert.match(err, /the connection closed after/);
        assert.match(err, /run the update again/);
        assert.equal(await versionOf(path), OLD_LINE);
      } finally {
        await server.close();
      }
    },
  });
}
