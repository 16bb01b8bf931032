/**
 * `thoth run` started by an MCP client with flags it refuses: the client's
 * first request is answered with a JSON-RPC error naming the flag and what to
 * fix (never the value given), stderr has the usage error, thoth exits 2, and
 * the server never starts. Driven through the real CLI with a raw client.
 */
import assert from "node:assert/strict";
import {
  DENO,
  faultArgv,
  initializeRequest,
  RawPeer,
  tempDir,
  testEnv,
  thothArgv,
} from "./_harness.ts";
import { pathExists } from "../../src/platform/path_exists.ts";

const dec = new TextDecoder();

/** A server command that leaves `marker` behind the moment it starts. */
function markerArgv(marker: string): string[] {
  return [DENO, "eval", "Deno.writeTextFileSync(Deno.args[0], 'started')", marker];
}

const REFUSED: {
  name: string;
  flags: string[];
  /** Before `run` (`thoth --verbose run …`). */
  global?: string[];
  wire: RegExp;
  stderr: RegExp;
  /** Given on the command line; the client must not see it. */
  secret?: string;
}[] = [
  {
    name: "a tenant id that is not a DNS label",
    flags: ["--tenant-id", "Bad_Tenant"],
    wire: /--tenant-id must be a DNS label: lowercase letters, digits and dashes/,
    stderr: /^thoth: error: --tenant-id: "Bad_Tenant" is not a DNS label$/m,
    secret: "Bad_Tenant",
  },
  {
    name: "a bad flag after thoth --verbose",
    global: ["--verbose"],
    flags: ["--tenant-id", "Bad_Tenant"],
    wire: /--tenant-id must be a DNS label/,
    stderr: /^thoth: error: --tenant-id: "Bad_Tenant" is not a DNS label$/m,
    secret: "Bad_Tenant",
  },
  {
    name: "a byte size in hex",
    flags: ["--max-line-bytes", "0x10"],
    wire: /--max-line-bytes must be a size from 1KiB to 2GiB/,
    stderr: /^thoth: error: --max-line-bytes: "0x10" is not a size;/m,
    secret: "0x10",
  },
  {
    name: "an enforcement mode that does not exist",
    flags: ["--enforcement-mode=loudly"],
    wire: /--enforcement-mode must be one of observe, progressive, step_up, block/,
    stderr: /^thoth: error: option '--enforcement-mode <mode>' argument 'loudly' is invalid/m,
    secret: "loudly",
  },
  {
    name: "a grace period with an exponent",
    flags: ["--shutdown-grace-ms", "5e3"],
    wire: /--shutdown-grace-ms must be whole milliseconds from 0 to 600000/,
    stderr: /^thoth: error: --shutdown-grace-ms: "5e3" is not a plain decimal number/m,
    secret: "5e3",
  },
  {
    name: "an approval timeout out of range",
    flags: ["--approval-timeout", "86400"],
    wire: /--approval-timeout must be whole seconds from 1 to 3600/,
    stderr: /^thoth: error: --approval-timeout: "86400" is out of range/m,
    secret: "86400",
  },
  {
    name: "a misspelt flag after an API key",
    flags: ["--api-key", "sk-live-0123456789", "--apikey=sk-live-9876543210"],
    wire: /"--apikey" is not a flag of thoth run/,
    stderr: /^thoth: error: unknown option '--apikey'$/m,
    secret: "sk-live-",
  },
  {
    name: "a flag given twice",
    flags: ["--enforcement-mode", "block", "--enforcement-mode", "observe"],
    wire: /--enforcement-mode is given more than once/,
    stderr: /^thoth: error: --enforcement-mode is given more than once; give it once$/m,
    secret: "observe",
  },
  {
    name: "a flag with no value before --",
    flags: ["--policy"],
    wire: /--policy is given no value/,
    stderr: /^thoth: error: --policy is given no value$/m,
  },
];

for (const refused of REFUSED) {
  Deno.test(`thoth run answers the client and starts no server with ${refused.name}`, async () => {
    await using dir = await tempDir();
    const log = `${dir.path}/server.log`;
    const peer = new RawPeer(
      thothArgv([
        ...refused.global ?? [],
        "run",
        ...refused.flags,
        "--",
        ...faultArgv(["--log", log]),
      ]),
      testEnv({ THOTH_HOME: `${dir.path}/home` }),
    );
    try {
      await peer.send(initializeRequest("init-7"));
      const reply = await peer.next();
      assert.equal(reply["id"], "init-7");
      assert.equal("result" in reply, false);
      const error = reply["error"] as { code: number; message: string };
      assert.equal(error.code, -32000);
      assert.match(error.message, /^thoth refused to start this MCP server: /);
      assert.match(error.message, refused.wire);
      assert.match(error.message, /Fix the "thoth run" flags \(before "--"\)/);
      if (refused.secret !== undefined) {
        assert.equal(error.message.includes(refused.secret), false, "the wire echoes no value");
      }
      assert.equal((await peer.finish()).code, 2);
      assert.match(peer.stderr, refused.stderr);
      assert.match(peer.stderr, /^thoth: hint: /m);
      assert.equal(await pathExists(log), false, "nothing reached a server");
    } finally {
      await peer.finish();
    }
  });
}

Deno.test("thoth run with refused flags never runs the server command at all", async () => {
  await using dir = await tempDir();
  const marker = `${dir.path}/started`;
  const peer = new RawPeer(
    thothArgv(["run", "--tenant-id", "Bad_Tenant", "--", ...markerArgv(marker)]),
    testEnv({ THOTH_HOME: `${dir.path}/home` }),
  );
  try {
    await peer.send(initializeRequest(3));
    const reply = await peer.next();
    assert.equal(reply["id"], 3);
    assert.match((reply["error"] as { message: string }).message, /--tenant-id/);
    assert.equal((await peer.finish()).code, 2);
    assert.equal(await pathExists(marker), false, "the server command never ran");
  } finally {
    await peer.finish();
  }
  // Without the refused flag thoth does run it, so the missing marker proves something.
  const good = new RawPeer(
    thothArgv(["run", "--", ...markerArgv(marker)]),
    testEnv({ THOTH_HOME: `${dir.path}/home` }),
  );
  await good.finish();
  assert.equal(await pathExists(marker), true, "the marker server runs when thoth starts it");
});

Deno.test("thoth run with refused flags and no client request exits 2 with only stderr", async () => {
  const [command, ...args] = thothArgv(["run", "--max-line-bytes", "0x10", "--", "node"]);
  const run = await new Deno.Command(command!, {
    args,
    env: testEnv(),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(run.code, 2);
  assert.equal(dec.decode(run.stdout), "", "nothing on the protocol channel without a request");
  assert.match(dec.decode(run.stderr), /^thoth: error: --max-line-bytes: "0x10" is not a size;/m);
});

Deno.test("thoth run without a server command after -- keeps its plain usage errors and help", async () => {
  for (
    const [argv, code, stdout] of [
      [["run", "--tenant-id", "Bad_Tenant"], 2, /^$/],
      [["run", "--tenant-id", "Bad_Tenant", "--"], 2, /^$/],
      [["run", "--help", "--", "node"], 0, /^Usage: thoth run/],
    ] as const
  ) {
    const [command, ...args] = thothArgv(argv);
    const child = new Deno.Command(command!, {
      args,
      env: testEnv(),
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // A client's request is not read: these exit at once, whatever is on stdin.
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(JSON.stringify(initializeRequest(1)) + "\n"))
      .catch(() => {});
    await writer.close().catch(() => {});
    const run = await child.output();
    assert.equal(run.code, code, JSON.stringify(argv));
    assert.match(dec.decode(run.stdout), stdout, JSON.stringify(argv));
  }
});
