/**
 * The proxy core's sandbox against code from the network: started with the
 * command line thoth starts itself with from source (`selfCommandFor`, which
 * runs deno with `--no-remote`, `--cached-only` and `--frozen-lockfile`), a
 * core whose module holds `import("https://…")` or `import("jsr:…")`, or that
 * imports an npm package deno.lock does not list (named by a string or a
 * `data:` module made at run time), gets an error, deno opens no connection
 * for it and deno.lock is not written.
 * Deno fetches such literal specifiers while it loads the module, whatever the
 * Worker's `import: false` says; only `--no-remote` stops that. A loopback
 * listener given as HTTPS_PROXY sees every connection deno would open; none
 * may arrive.
 */
import assert from "node:assert/strict";
import { selfCommandFor } from "../../src/cli/cli_io.ts";
import {
  CONFIG,
  DENO,
  faultArgv,
  initializeRequest,
  RawPeer,
  ROOT,
  tempDir,
  testEnv,
} from "../e2e/_harness.ts";
import { readProbeReport } from "../fixtures/sandbox/probe_report.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { relative } from "node:path";

const SANDBOX_FIXTURES = `${ROOT}/tests/fixtures/sandbox`;

/**
 * Writes a stand-in for the proxy core's worker module that tries `import()`
 * of literal remote specifiers, reports each outcome on stderr (`probe-report
 * remote-import JSON`), then serves the real session. Written at test time, not
 * kept as a fixture: deno fetches such specifiers while it loads a module, so a
 * fixture would make `deno check` and `deno lint` of the tests reach the network.
 */
async function remoteImportWorker(dir: string): Promise<string> {
  const path = `${dir}/remote_import_worker.ts`;
  // A package no cache can hold: were it cached and not in deno.lock, --frozen-lockfile
  // would end the worker instead (deno treats that as fatal), which fails closed too.
  const unlisted = `thoth-probe-${crypto.randomUUID()}@1.0.0`;
  const fixture = (name: string) => JSON.stringify(`file://${SANDBOX_FIXTURES}/${name}`);
  await Deno.writeTextFile(
    path,
    [
      `import ${JSON.stringify(`file://${ROOT}/src/proxy/proxy_worker.ts`)};`,
      `import { writeProbeReport } from ${fixture("probe_report.ts")};`,
      "const results = {};",
      "async function attempt(name, work) {",
      "  try { await work(); results[name] = 'allowed'; }",
      "  catch (error) { results[name] = String(error?.message ?? error); }",
      "}",
      'await attempt("esm.sh", () => import("https://esm.sh/left-pad@1.3.0"));',
      'await attempt("jsr", () => import("jsr:@std/fmt@1.0.0/colors"));',
      'await attempt("deno.land", () => import("https://deno.land/std@0.224.0/fmt/colors.ts"));',
      // A package deno.lock does not list, named in a module made at run time and by a string
      // built at run time: no Worker permission stops an npm: import, only --cached-only.
      `await attempt("npm-data", () => import("data:text/javascript,import 'npm:${unlisted}';"));`,
      `await attempt("npm-built", () => import(["npm:", ${JSON.stringify(unlisted)}].join("")));`,
      'writeProbeReport("remote-import", results);',
      "",
    ].join("\n"),
  );
  return path;
}

/** A loopback HTTP proxy that records the first line of each request, then hangs up. */
function recordingProxy(): { url: string; requests: string[]; close(): Promise<void> } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const requests: string[] = [];
  const served = (async () => {
    for await (const conn of listener) {
      const buffer = new Uint8Array(1024);
      const n = await conn.read(buffer).catch(() => null);
      requests.push(new TextDecoder().decode(buffer.subarray(0, n ?? 0)).split("\r\n")[0]!);
      conn.close();
    }
  })();
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    requests,
    close: async () => {
      listener.close();
      await served.catch(() => {});
    },
  };
}

Deno.test("the sandboxed proxy core, started as thoth starts itself from source, opens no connection for a remote import()", async () => {
  await using home = await tempDir("thoth-home-");
  const lockBefore = await Deno.readTextFile(`${ROOT}/deno.lock`);
  const proxy = recordingProxy();
  // thoth's own source command line, with the probing entry in place of src/cli/thoth.ts:
  // session_probe_main.ts prepares the session as thoth run does, then starts the worker.
  const self = selfCommandFor(
    DENO,
    new URL("../fixtures/sandbox/session_probe_main.ts", import.meta.url).href,
    CONFIG,
  );
  assert.equal(self.at(-1), `${ROOT}/tests/fixtures/sandbox/session_probe_main.ts`);
  // session_probe_main.ts takes the worker by its path from its own folder.
  const worker = relative(SANDBOX_FIXTURES, await remoteImportWorker(await tempFolder("thoth-w-")));
  const probe = { worker, thothHome: home.path };
  const peer = new RawPeer(
    [...self, JSON.stringify(probe), "--", ...faultArgv()],
    testEnv({
      THOTH_HOME: home.path,
      HTTPS_PROXY: proxy.url,
      HTTP_PROXY: proxy.url,
      https_proxy: proxy.url,
      http_proxy: proxy.url,
      NO_PROXY: "",
      no_proxy: "",
      // deno's own check for a newer release would connect too; it is not the core's doing.
      DENO_NO_UPDATE_CHECK: "1",
    }),
  );
  try {
    await peer.send(initializeRequest(1));
    const init = await peer.next();
    assert.equal(
      (init["result"] as { serverInfo: { name: string } }).serverInfo.name,
      "fault-server",
      peer.stderr,
    );
    assert.equal((await peer.finish()).code, 0, peer.stderr);
    const report = readProbeReport(peer.stderr, "remote-import");
    assert.deepEqual(
      proxy.requests,
      [],
      "deno connected to the network for the sandboxed core's imports (run thoth with " +
        `--no-remote and --cached-only); it reported ${JSON.stringify(report)}`,
    );
    for (const name of ["esm.sh", "jsr", "deno.land"]) {
      assert.ok(report[name] !== undefined, `no outcome for ${name}: ${peer.stderr}`);
      assert.match(report[name]!, /--no-remote/, `the import from ${name} must fail`);
    }
    for (const name of ["npm-data", "npm-built"]) {
      assert.ok(report[name] !== undefined, `no outcome for ${name}: ${peer.stderr}`);
      assert.match(report[name]!, /--cached-only/, `the import of ${name} must fail`);
    }
    assert.equal(await Deno.readTextFile(`${ROOT}/deno.lock`), lockBefore, "deno.lock was written");
  } finally {
    await peer.finish();
    await proxy.close();
  }
});
