/**
 * Governance end to end through the real `thoth run`: policy rules, session
 * intents, each enforcement mode, approvals, and the audit evidence they leave,
 * against real MCP servers and the official SDK client.
 */
import { SOFT_BREAK } from "../../src/approval/soft_breaks.ts";
import assert from "node:assert/strict";
import { ElicitRequestSchema, ListRootsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  connect,
  DENO,
  everythingArgv,
  faultArgv,
  filesystemArgv,
  initializeRequest,
  RawPeer,
  tempDir,
  testEnv,
  thothArgv,
  throughThoth,
} from "./_harness.ts";

const SUM_POLICY = JSON.stringify({
  version: 1,
  default: "allow",
  intents: { echo_only: { tools: ["echo"] } },
  rules: [{
    id: "no-sum",
    match: { tool: "get-sum" },
    decision: "block",
    reason: "sums are off limits",
  }],
  detectors: { secrets: "block", phi: "off", pii: "off" },
  progressive: { window: "1h", stepUpAfter: 1, blockAfter: 2 },
});

/** A fresh THOTH_HOME under `dir`, with `policy` (text) as its policy file when given. */
async function profile(dir: string, policy?: string): Promise<string> {
  const home = `${dir}/home`;
  await Deno.mkdir(home, { recursive: true });
  if (policy !== undefined) await Deno.writeTextFile(`${home}/policy.jsonc`, policy);
  return home;
}

/**
 * The fault server behind `thoth run` in block mode, with one rule; the
 * server's own log proves what reached it.
 */
async function faultBehindThoth(dir: string, rule: Record<string, unknown>) {
  const log = `${dir}/server.log`;
  const home = await profile(dir, JSON.stringify({ version: 1, default: "allow", rules: [rule] }));
  const peer = new RawPeer(
    throughThoth(faultArgv(["--log", log]), ["--agent-id", "fault", "--enforcement-mode", "block"]),
    testEnv({ THOTH_HOME: home }),
  );
  return { log, home, peer };
}

function text(result: unknown): string {
  return JSON.stringify(result);
}

function isError(result: unknown): boolean {
  return (result as { isError?: boolean }).isError === true;
}

async function session<T>(
  home: string,
  server: string[],
  flags: string[],
  work: (client: Client) => Promise<T>,
  options: {
    elicit?: (message: string) => Record<string, unknown>;
    env?: Record<string, string>;
  } = {},
): Promise<{ value: T; stderr: string }> {
  const connected = await connect(
    throughThoth(server, flags),
    options.elicit ? { elicitation: {} } : {},
    { THOTH_HOME: home, ...options.env },
    (client) => {
      if (options.elicit) {
        const answer = options.elicit;
        client.setRequestHandler(
          ElicitRequestSchema,
          (request: { params: { message: string } }) => answer(request.params.message),
        );
      }
    },
  );
  let value: T;
  try {
    value = await work(connected.client);
  } finally {
    await connected.close();
  }
  // Read after the close: thoth's notes may arrive after the answer they are about.
  return { value, stderr: connected.stderr() };
}

async function cli(
  home: string,
  args: string[],
): Promise<{ code: number; out: string; err: string }> {
  const [command, ...rest] = thothArgv(args);
  const output = await new Deno.Command(command!, {
    args: rest,
    env: testEnv({ THOTH_HOME: home }),
    stdin: "null",
  }).output();
  return {
    code: output.code,
    out: new TextDecoder().decode(output.stdout),
    err: new TextDecoder().decode(output.stderr),
  };
}

Deno.test("server-filesystem: a write outside the allowed folder is blocked and never created; reads pass", async () => {
  await using dir = await tempDir();
  const data = `${dir.path}/data`;
  const home = `${dir.path}/home`;
  await Deno.mkdir(data);
  await Deno.writeTextFile(`${data}/notes.txt`, "hello");
  const policy = `${dir.path}/policy.jsonc`;
  await Deno.writeTextFile(
    policy,
    `// writes stay inside data/
{ "version": 1, "default": "allow",
  "rules": [{ "id": "fs-outside-data", "match": { "server": "filesystem", "tool": "write_file",
              "args": { "path": { "notGlob": "${data}/**" } } }, "decision": "block",
              "reason": "writes must stay inside the data folder" }] }`,
  );
  const { value } = await session(
    home,
    filesystemArgv(dir.path),
    ["--agent-id", "filesystem", "--enforcement-mode", "block", "--policy", policy],
    async (client) => ({
      read: await client.callTool({
        name: "read_text_file",
        arguments: { path: `${data}/notes.txt` },
      }),
      inside: await client.callTool({
        name: "write_file",
        arguments: { path: `${data}/ok.txt`, content: "in" },
      }),
      outside: await client.callTool({
        name: "write_file",
        arguments: { path: `${dir.path}/escape.txt`, content: "PATIENT-SECRET" },
      }),
    }),
  );
  assert.match(text(value.read), /hello/);
  assert.equal(await Deno.readTextFile(`${data}/ok.txt`), "in");
  assert.equal(value.outside.isError, true);
  assert.match(
    text(value.outside),
    /rule \\"fs-outside-data\\".*writes must stay inside the data folder/,
  );
  assert.doesNotMatch(text(value.outside), /PATIENT-SECRET/);
  await assert.rejects(Deno.stat(`${dir.path}/escape.txt`), Deno.errors.NotFound);
});

Deno.test("server-filesystem: the default policy reads the tool's annotations though the client never listed the tools", async () => {
  await using dir = await tempDir();
  const data = `${dir.path}/data`;
  await Deno.mkdir(data);
  await Deno.writeTextFile(`${data}/notes.txt`, "hello");
  // The SDK client does not list tools on connect: thoth asks the server itself.
  const { value } = await session(
    await profile(dir.path),
    filesystemArgv(dir.path),
    ["--agent-id", "filesystem", "--enforcement-mode", "block", "--approval-timeout", "1"],
    async (client) => ({
      read: await client.callTool({
        name: "read_text_file",
        arguments: { path: `${data}/notes.txt` },
      }),
      write: await client.callTool({
        name: "write_file",
        arguments: { path: `${data}/new.txt`, content: "x" },
      }),
    }),
  );
  assert.match(text(value.read), /hello/);
  assert.equal(isError(value.write), true, text(value.write));
  assert.match(text(value.write), /destructive/);
  await assert.rejects(Deno.stat(`${data}/new.txt`), Deno.errors.NotFound);
});

/** A policy file under `dir` whose rule `id` blocks `glob` for server-filesystem's `path`. */
async function pathBlockPolicy(dir: string, id: string, glob: string): Promise<string> {
  const policy = `${dir}/policy.jsonc`;
  await Deno.writeTextFile(
    policy,
    JSON.stringify({
      version: 1,
      default: "allow",
      rules: [{
        id,
        match: { server: "filesystem", args: { path: { glob } } },
        decision: "block",
        reason: "that folder stays closed",
      }],
    }),
  );
  return policy;
}

Deno.test("server-filesystem: a ~/ path meets the rules for the home folder it means", async () => {
  await using dir = await tempDir();
  const user = `${dir.path}/user`;
  await Deno.mkdir(`${user}/.ssh`, { recursive: true });
  await Deno.writeTextFile(`${user}/.ssh/id_rsa`, "PRIVATE-KEY");
  await Deno.writeTextFile(`${user}/notes.txt`, "hello");
  const policy = await pathBlockPolicy(dir.path, "no-ssh", `${user}/.ssh/**`);
  // The server expands "~" with the HOME it inherits from thoth; the module cache stays put.
  const info = await new Deno.Command(DENO, { args: ["info", "--json"], stdout: "piped" }).output();
  const denoDir = JSON.parse(new TextDecoder().decode(info.stdout)).denoDir as string;
  const { value } = await session(
    await profile(dir.path),
    filesystemArgv(dir.path),
    ["--agent-id", "filesystem", "--enforcement-mode", "block", "--policy", policy],
    async (client) => ({
      key: await client.callTool({ name: "read_text_file", arguments: { path: "~/.ssh/id_rsa" } }),
      notes: await client.callTool({ name: "read_text_file", arguments: { path: "~/notes.txt" } }),
    }),
    { env: { HOME: user, DENO_DIR: denoDir } },
  );
  assert.equal(value.key.isError, true);
  assert.match(text(value.key), /rule \\"no-ssh\\"/);
  assert.doesNotMatch(text(value.key), /PRIVATE-KEY/);
  assert.match(text(value.notes), /hello/, "the server reads ~/ as that home folder");
});

Deno.test("server-filesystem: a relative path meets the rules for the folder the server resolves it in", async () => {
  await using dir = await tempDir();
  const data = `${dir.path}/data`;
  await Deno.mkdir(`${data}/secret`, { recursive: true });
  await Deno.mkdir(`${data}/public`);
  await Deno.writeTextFile(`${data}/secret/plan.txt`, "SECRET-PLAN");
  await Deno.writeTextFile(`${data}/public/a.txt`, "open");
  const policy = await pathBlockPolicy(dir.path, "no-secret", `${data}/secret/**`);
  const { value } = await session(
    await profile(dir.path),
    filesystemArgv(data),
    ["--agent-id", "filesystem", "--enforcement-mode", "block", "--policy", policy],
    async (client) => {
      const read = (path: string) =>
        client.callTool({ name: "read_text_file", arguments: { path } });
      return {
        plain: await read("secret/plan.txt"),
        dotted: await read("public/../secret/plan.txt"),
        open: await read("public/a.txt"),
      };
    },
  );
  for (const blocked of [value.plain, value.dotted]) {
    assert.equal(blocked.isError, true);
    assert.match(text(blocked), /rule \\"no-secret\\"/);
    assert.doesNotMatch(text(blocked), /SECRET-PLAN/);
  }
  assert.match(text(value.open), /open/, "the server resolves relative paths in its folder");
});

Deno.test("server-filesystem: a relative path meets the rules when the server's folder is relative too", async () => {
  await using dir = await tempDir();
  const data = `${dir.path}/data`;
  await Deno.mkdir(`${data}/secret`, { recursive: true });
  await Deno.writeTextFile(`${data}/secret/plan.txt`, "SECRET-PLAN");
  await Deno.writeTextFile(`${data}/a.txt`, "open");
  const policy = await pathBlockPolicy(dir.path, "no-secret", `${data}/secret/**`);
  // As a project's .mcp.json may start it: "data", in the folder the client starts thoth in.
  const connected = await connect(
    throughThoth(filesystemArgv("data"), [
      "--agent-id",
      "filesystem",
      "--enforcement-mode",
      "block",
      "--policy",
      policy,
    ]),
    {},
    { THOTH_HOME: await profile(dir.path) },
    undefined,
    dir.path,
  );
  try {
    const read = (path: string) =>
      connected.client.callTool({ name: "read_text_file", arguments: { path } });
    const secret = await read("secret/plan.txt");
    assert.equal(secret.isError, true);
    assert.match(text(secret), /rule \\"no-secret\\"/);
    assert.doesNotMatch(text(secret), /SECRET-PLAN/);
    assert.match(text(await read("a.txt")), /open/, "the server reads in its relative folder");
  } finally {
    await connected.close();
  }
});

Deno.test("server-filesystem: a relative path meets the rules for the roots the client gave", async () => {
  await using dir = await tempDir();
  const started = `${dir.path}/started`;
  const root = `${dir.path}/root`;
  await Deno.mkdir(started);
  await Deno.mkdir(`${root}/secret`, { recursive: true });
  await Deno.writeTextFile(`${root}/secret/plan.txt`, "SECRET-PLAN");
  await Deno.writeTextFile(`${root}/a.txt`, "from the root");
  const policy = await pathBlockPolicy(dir.path, "no-secret", `${root}/secret/**`);
  let listed!: () => void;
  const rootsListed = new Promise<void>((resolve) => listed = resolve);
  const connected = await connect(
    throughThoth(filesystemArgv(started), [
      "--agent-id",
      "filesystem",
      "--enforcement-mode",
      "block",
      "--policy",
      policy,
    ]),
    { roots: { listChanged: true } },
    { THOTH_HOME: await profile(dir.path) },
    (client) => {
      client.setRequestHandler(ListRootsRequestSchema, () => {
        listed();
        return { roots: [{ uri: new URL(`file://${root}`).href, name: "root" }] };
      });
    },
  );
  try {
    const { client } = connected;
    await rootsListed;
    // The server swaps its allowed folders for the roots once it has their answer.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const dirs = await client.callTool({ name: "list_allowed_directories", arguments: {} });
      if (text(dirs).includes(root)) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const read = (path: string) => client.callTool({ name: "read_text_file", arguments: { path } });
    const secret = await read("secret/plan.txt");
    const open = await read("a.txt");
    assert.equal(secret.isError, true);
    assert.match(text(secret), /rule \\"no-secret\\"/);
    assert.doesNotMatch(text(secret), /SECRET-PLAN/);
    assert.match(text(open), /from the root/, "the server resolves relative paths in the root");
  } finally {
    await connected.close();
  }
});

Deno.test("server-everything: an intent that allows echo only rejects get-sum", async () => {
  await using dir = await tempDir();
  const home = await profile(dir.path, SUM_POLICY);
  await Deno.writeTextFile(`${home}/intent_map.json`, JSON.stringify({ everything: "echo_only" }));
  const { value } = await session(
    home,
    everythingArgv(),
    ["--agent-id", "everything", "--enforcement-mode", "block"],
    async (client) => ({
      echo: await client.callTool({ name: "echo", arguments: { message: "in scope" } }),
      image: await client.callTool({ name: "get-tiny-image", arguments: {} }),
    }),
  );
  assert.match(text(value.echo), /Echo: in scope/);
  assert.equal(value.image.isError, true);
  assert.match(text(value.image), /intent\.out_of_scope/);
});

Deno.test("each enforcement mode treats the same violation as DESIGN.md says", async () => {
  await using dir = await tempDir();
  const home = await profile(dir.path, SUM_POLICY);
  const sum = (client: Client) => client.callTool({ name: "get-sum", arguments: { a: 2, b: 40 } });
  const run = (mode: string) =>
    session(home, everythingArgv(), [
      "--agent-id",
      "everything",
      "--enforcement-mode",
      mode,
      "--approval-timeout",
      "1",
    ], sum);

  const observe = await run("observe");
  assert.match(text(observe.value), /42/, "observe forwards");

  const block = await run("block");
  assert.equal(isError(block.value), true);
  assert.match(text(block.value), /thoth blocked this call .*rule \\"no-sum\\"/);

  const stepUp = await run("step_up");
  assert.equal(isError(stepUp.value), true, "step_up asks; nobody answers within 1 s");
  assert.match(text(stepUp.value), /requires a person's approval/);

  // The audit says what each mode did.
  const shown = await cli(home, ["audit", "show", "--json"]);
  assert.equal(shown.code, 0, shown.err);
  const decisions = shown.out.trim().split("\n").map((l) => JSON.parse(l)).filter((r) =>
    r.type === "decision"
  );
  assert.deepEqual(decisions.map((d) => [d.mode, d.verdict, d.effect]), [
    ["observe", "block", "observed"],
    ["block", "block", "blocked"],
    ["step_up", "block", "approval_requested"],
  ]);
  const verified = await cli(home, ["audit", "verify", "--json"]);
  assert.ok([0, 2].includes(verified.code), verified.out + verified.err);
  assert.doesNotMatch(verified.out, /"(modified|deleted|inserted|reordered)"/);
});

Deno.test("progressive mode escalates warn → step-up → block across separate thoth processes", async () => {
  await using dir = await tempDir();
  const home = await profile(dir.path, SUM_POLICY);
  const outcomes: string[] = [];
  for (let i = 0; i < 3; i++) {
    // A new thoth process each time: the counts live under THOTH_HOME/state.
    const { value, stderr } = await session(
      home,
      everythingArgv(),
      ["--agent-id", "everything", "--enforcement-mode", "progressive", "--approval-timeout", "1"],
      (client) => client.callTool({ name: "get-sum", arguments: { a: 1, b: 1 } }),
    );
    outcomes.push(
      /The sum of 1 and 1 is 2/.test(text(value))
        ? (/warning/.test(stderr) ? "warn" : "forwarded")
        : /requires a person's approval/.test(text(value))
        ? "step_up"
        : /thoth blocked/.test(text(value))
        ? "block"
        : text(value),
    );
  }
  assert.deepEqual(outcomes, ["warn", "step_up", "block"]);
});

Deno.test("a STEP_UP is approved through MCP elicitation when the client supports it, and denied on decline", async () => {
  await using dir = await tempDir();
  const home = await profile(
    dir.path,
    JSON.stringify({
      version: 1,
      default: "allow",
      rules: [{
        id: "ask-sum",
        match: { tool: "get-sum" },
        decision: "step_up",
        reason: "a person checks sums",
      }],
    }),
  );
  const asked: string[] = [];
  const flags = [
    "--agent-id",
    "everything",
    "--enforcement-mode",
    "block",
    "--approval-timeout",
    "20",
  ];
  const sum = (client: Client) => client.callTool({ name: "get-sum", arguments: { a: 20, b: 22 } });
  const accepted = await session(home, everythingArgv(), flags, sum, {
    elicit: (message) => {
      asked.push(message);
      return { action: "accept", content: { decision: "approve", approve: true } };
    },
  });
  assert.match(text(accepted.value), /42/, text(accepted.value));
  assert.match(asked[0] ?? "", /get-sum/);
  assert.match(asked[0] ?? "", /ask-sum|a person checks sums/);

  const declined = await session(home, everythingArgv(), flags, sum, {
    elicit: () => ({ action: "decline" }),
  });
  assert.equal(isError(declined.value), true);
  assert.match(text(declined.value), /requires a person's approval/);

  const shown = await cli(home, ["audit", "show", "--json"]);
  const approvals = shown.out.trim().split("\n").map((l) => JSON.parse(l)).filter((r) =>
    r.type === "approval"
  );
  assert.deepEqual(approvals.map((a) => [a.channel, a.outcome]), [["elicitation", "approved"], [
    "elicitation",
    "denied",
  ]]);
});

Deno.test("a client without elicitation falls through to the queue, and another process approves by id", async () => {
  await using dir = await tempDir();
  const home = await profile(
    dir.path,
    JSON.stringify({
      version: 1,
      default: "allow",
      rules: [{ id: "ask-sum", match: { tool: "get-sum" }, decision: "step_up" }],
    }),
  );
  const { value } = await session(
    home,
    everythingArgv(),
    ["--agent-id", "everything", "--enforcement-mode", "block", "--approval-timeout", "30"],
    async (client) => {
      const call = client.callTool({ name: "get-sum", arguments: { a: 40, b: 2 } }, undefined, {
        timeout: 40_000,
      });
      let id: string | undefined;
      for (let i = 0; i < 100 && id === undefined; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const listed = await cli(home, ["approvals", "list", "--json"]);
        id = JSON.parse(listed.out || "[]")[0]?.id;
      }
      assert.ok(id, "the request appears in thoth approvals list");
      const approved = await cli(home, ["approvals", "approve", id]);
      assert.equal(approved.code, 0, approved.err);
      return await call;
    },
  );
  assert.match(text(value), /The sum of 40 and 2 is 42/);
});

Deno.test("an unwritable audit log blocks calls in block mode and only warns in observe mode", async () => {
  await using dir = await tempDir();
  const home = await profile(dir.path);
  await Deno.writeTextFile(`${home}/audit`, "not a folder");
  const echo = (client: Client) => client.callTool({ name: "echo", arguments: { message: "hi" } });
  const blocked = await session(home, everythingArgv(), ["--enforcement-mode", "block"], echo);
  assert.equal(isError(blocked.value), true);
  assert.match(text(blocked.value), /thoth cannot record this call in its audit log/);
  assert.match(blocked.stderr, /cannot write the audit log/);
  const observed = await session(home, everythingArgv(), ["--enforcement-mode", "observe"], echo);
  assert.match(text(observed.value), /Echo: hi/);
  assert.match(observed.stderr, /forwarded anyway in observe mode/);
});

for (const file of ["audit/.state.json", "keys/audit-signing.key", "keys/audit-hmac.key"]) {
  Deno.test({
    name: `a FIFO in place of ${file} blocks calls at once instead of holding the client`,
    ignore: Deno.build.os === "windows",
    fn: async () => {
      await using dir = await tempDir();
      const home = await profile(dir.path);
      const path = `${home}/${file}`;
      await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true, mode: 0o700 });
      await Deno.remove(path).catch(() => {});
      const made = await new Deno.Command("mkfifo", { args: [path] }).output();
      assert.ok(made.success, "mkfifo");
      const echo = (client: Client) =>
        client.callTool({ name: "echo", arguments: { message: "hi" } }, undefined, {
          timeout: 20_000,
        });
      const blocked = await session(home, everythingArgv(), ["--enforcement-mode", "block"], echo);
      assert.equal(isError(blocked.value), true);
      assert.match(text(blocked.value), /thoth cannot record this call in its audit log/);
      assert.match(blocked.stderr, /not a regular file/);
    },
  });
}

Deno.test({
  name:
    "a FIFO in place of the current audit segment blocks calls at once instead of holding the client",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await using dir = await tempDir();
    const home = await profile(dir.path);
    const echo = (client: Client) =>
      client.callTool({ name: "echo", arguments: { message: "hi" } }, undefined, {
        timeout: 20_000,
      });
    // A first session leaves a log; its state names the segment the next one appends to.
    const first = await session(home, everythingArgv(), ["--enforcement-mode", "block"], echo);
    assert.match(text(first.value), /Echo: hi/);
    const state = JSON.parse(await Deno.readTextFile(`${home}/audit/.state.json`));
    const segment = `${home}/audit/${state.segment}`;
    await Deno.remove(segment);
    const made = await new Deno.Command("mkfifo", { args: [segment] }).output();
    assert.ok(made.success, "mkfifo");
    const blocked = await session(home, everythingArgv(), ["--enforcement-mode", "block"], echo);
    assert.equal(isError(blocked.value), true);
    assert.match(text(blocked.value), /thoth cannot record this call in its audit log/);
    assert.match(blocked.stderr, /not a regular file/);
  },
});

const REFUSALS: {
  name: string;
  policy?: string;
  intentMap?: string;
  env?: Record<string, string>;
  wire: RegExp;
  stderr: RegExp;
}[] = [
  {
    name: "a policy it cannot read",
    policy: '{ "version": 1, "default": "allwo" }',
    wire: /thoth cannot govern this server: its policy cannot be read/,
    stderr: /policy ".*policy.jsonc" line 1 column \d+: default/,
  },
  {
    name: "an intent map it cannot read",
    intentMap: '{"fault": "two words"}',
    wire: /thoth cannot govern this server: the intent map cannot be read/,
    stderr: /the intent of "fault" is not an intent name/,
  },
  {
    name: "an intent map that names it by a server name, not its agent id",
    intentMap: '{"fault ": "echo_only"}',
    wire: /thoth cannot govern this server: its intent map does not name it by its exact agent id/,
    stderr: /has no entry for agent id "fault", but its entry "fault " is a server name/,
  },
  {
    name: "a session intent the policy does not define",
    intentMap: '{"fault": "billing_lookup"}',
    wire: /thoth cannot govern this server: its session intent is not one the policy defines/,
    stderr: /intent "billing_lookup" is not in the policy\n.*hint: use one of: calendar_management/,
  },
  {
    name: "an environment it cannot accept (checked by the full validator)",
    env: { THOTH_TENANT_ID: "Not A Label" },
    wire: /thoth cannot govern this server: its identity or credentials are not set up correctly/,
    stderr: /THOTH_TENANT_ID "Not A Label" is not valid: it must be a DNS label/,
  },
];

for (const refusal of REFUSALS) {
  Deno.test(`thoth run refuses to govern with ${refusal.name}: a clear error, no server`, async () => {
    await using dir = await tempDir();
    const home = await profile(dir.path, refusal.policy);
    if (refusal.intentMap !== undefined) {
      await Deno.writeTextFile(`${home}/intent_map.json`, refusal.intentMap);
    }
    const peer = new RawPeer(
      thothArgv([
        "run",
        "--agent-id",
        "fault",
        "--",
        ...faultArgv(["--log", `${dir.path}/server.log`]),
      ]),
      testEnv({ THOTH_HOME: home, ...refusal.env }),
    );
    try {
      await peer.send(initializeRequest(1));
      const reply = await peer.next();
      const message = (reply["error"] as { message: string }).message;
      assert.match(message, refusal.wire);
      assert.match(message, /run "thoth doctor"$/, "one pointer to stderr, not two");
      assert.doesNotMatch(JSON.stringify(reply), new RegExp(home), "the wire error leaks no path");
      assert.equal((await peer.finish()).code, 1);
      assert.match(peer.stderr, refusal.stderr);
      await assert.rejects(
        Deno.stat(`${dir.path}/server.log`),
        Deno.errors.NotFound,
        "no server ran",
      );
    } finally {
      await peer.finish();
    }
  });
}

Deno.test("thoth run checks its flags with the full validators when they are wrong", async () => {
  await using dir = await tempDir();
  const home = await profile(dir.path);
  const [command, ...args] = thothArgv(["run", "--enforcement-mode", "loud", "--", "node"]);
  const bad = await new Deno.Command(command!, {
    args,
    env: testEnv({ THOTH_HOME: home }),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(bad.code, 2);
  assert.equal(new TextDecoder().decode(bad.stdout), "", "nothing on the protocol channel");
  const stderr = new TextDecoder().decode(bad.stderr);
  assert.match(stderr, /--enforcement-mode <mode>' argument 'loud' is invalid/);
  assert.match(stderr, /hint: run "thoth run --help" to see its usage/);
});

Deno.test("a tool call sent as a notification, with a null id, in a nested batch, behind a CR, under a case-variant, repeated or NUL-cut key never reaches the server", async () => {
  await using dir = await tempDir();
  const { log, peer } = await faultBehindThoth(dir.path, {
    id: "no-delete",
    match: { tool: "delete_everything" },
    decision: "block",
  });
  try {
    await peer.send(initializeRequest(1));
    await peer.responseTo(1);
    const smuggled = { name: "delete_everything", arguments: { all: true } };
    await peer.send({ jsonrpc: "2.0", method: "tools/call", params: smuggled });
    await peer.send({ jsonrpc: "2.0", id: null, method: "tools/call", params: smuggled });
    await peer.send([[{ jsonrpc: "2.0", id: 7, method: "tools/call", params: smuggled }]]);
    const lone = await peer.next();
    // The nested batch's refusal answers a batch: an array line (a batch response).
    const batch: unknown = await peer.next();
    assert.ok(Array.isArray(batch) && batch.length === 1, JSON.stringify(batch));
    const refusals = [lone, ...batch];
    for (const refusal of refusals) {
      assert.equal(refusal["id"], null);
      assert.equal((refusal["error"] as { code: number }).code, -32600);
    }
    // A call hidden behind carriage returns, for servers that also break lines at a lone CR.
    const hidden = JSON.stringify({
      jsonrpc: "2.0",
      id: 5,
      method: "tools/call",
      params: smuggled,
    });
    await peer.sendRaw(
      `{"jsonrpc":"2.0","id":6,"method":"ping","params":{"x":\r${hidden}\r}}\n`,
    );
    const crRefusal = await peer.responseTo(6);
    assert.match(JSON.stringify(crRefusal), /a carriage return inside it/);
    // A key only a case-insensitive server reads as the method.
    await peer.send({ jsonrpc: "2.0", id: 4, Method: "tools/call", params: smuggled });
    assert.equal(((await peer.responseTo(4))["error"] as { code: number }).code, -32600);
    // A repeated key: a parser that keeps the first "method" would run the call.
    await peer.sendRaw(
      `{"jsonrpc":"2.0","id":10,"method":"tools/call","params":${
        JSON.stringify(smuggled)
      },"method":"ping"}\n`,
    );
    assert.match(JSON.stringify(await peer.responseTo(10)), /the key \\"method\\" twice/);
    // A key that a C-string parser cuts at its NUL into a second "method".
    await peer.sendRaw(
      `{"jsonrpc":"2.0","id":11,"method":"ping","method\\u0000":"tools/call","params":${
        JSON.stringify(smuggled)
      }}\n`,
    );
    assert.match(JSON.stringify(await peer.responseTo(11)), /a NUL character/);
    await peer.send({ jsonrpc: "2.0", id: 8, method: "tools/call", params: smuggled });
    const blocked = await peer.responseTo(8);
    assert.match(JSON.stringify(blocked), /no-delete/);
    await peer.send({
      jsonrpc: "2.0",
      id: 9,
      method: "tools/call",
      params: { name: "echo", arguments: { note: "legit" } },
    });
    assert.match(JSON.stringify(await peer.responseTo(9)), /legit/);
    const status = await peer.finish();
    assert.equal(status.code, 0);
    const stderr = peer.stderr;
    assert.match(stderr, /dropped a tools\/call sent without an id/);
    assert.match(stderr, /refused a tools\/call whose id is not a string or a number/);
    assert.match(stderr, /refused a batch inside a batch/);
    assert.match(stderr, /refused a line from the client with a carriage return inside it/);
    assert.match(stderr, /refused a message with the key "Method"/);
    assert.match(
      stderr,
      /refused a line from the client with the key "method" twice in one object/,
    );
    const received = await Deno.readTextFile(log);
    assert.ok(!received.includes("delete_everything"), received);
    // Besides the initialize and thoth's own tools/list, asked before the first call (the
    // client listed none).
    const calls = received.trim().split("\n").filter((l) =>
      !l.includes('"tools/list"') && !l.includes('"initialize"')
    );
    assert.equal(calls.length, 1, "only the echo reached the server");
  } finally {
    await peer.finish();
  }
});

Deno.test("a 19-digit card number sent as a JSON number meets the detectors with its digits", async () => {
  await using dir = await tempDir();
  const log = `${dir.path}/server.log`;
  const home = await profile(
    dir.path,
    JSON.stringify({
      version: 1,
      default: "allow",
      rules: [],
      detectors: { secrets: "off", phi: "off", pii: "block" },
    }),
  );
  const peer = new RawPeer(
    throughThoth(faultArgv(["--log", log]), ["--agent-id", "fault", "--enforcement-mode", "block"]),
    testEnv({ THOTH_HOME: home }),
  );
  try {
    await peer.send(initializeRequest(1));
    await peer.responseTo(1);
    // JSON.parse alone reads 6212345678901234569 as ...235000, which fails the Luhn check.
    await peer.sendRaw(
      '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo",' +
        '"arguments":{"note":"pay","card":6212345678901234569}}}\n',
    );
    const blocked = await peer.responseTo(2);
    assert.equal((blocked["result"] as { isError?: boolean }).isError, true);
    assert.match(JSON.stringify(blocked), /payment card number in card/);
    await peer.sendRaw(
      '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo",' +
        '"arguments":{"note":"order","ref":12345678901234567891}}}\n',
    );
    assert.match(
      JSON.stringify(await peer.responseTo(3)),
      /order/,
      "a long number that is no card passes",
    );
    await peer.sendRaw(
      '{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"echo",' +
        '"arguments":{"note":"order","ref":12345678901234567892}}}\n',
    );
    await peer.responseTo(4);
    assert.equal((await peer.finish()).code, 0);
    const received = await Deno.readTextFile(log);
    assert.ok(!received.includes("6212345678901234569"), "the card never reached the server");
    assert.ok(received.includes("12345678901234567891"), "the other call arrived digit for digit");
    // The two calls differ only past a double's precision; their evidence differs too.
    const audit = `${home}/audit`;
    let records = "";
    for await (const entry of Deno.readDir(audit)) {
      if (entry.name.endsWith(".jsonl")) {
        records += await Deno.readTextFile(`${audit}/${entry.name}`);
      }
    }
    const digests = records.trim().split("\n").map((line) => JSON.parse(line))
      .filter((r) => r.type === "decision" && r.effect === "forwarded")
      .map((r) => r.args.digest);
    assert.equal(digests.length, 2);
    assert.notEqual(digests[0], digests[1]);
  } finally {
    await peer.finish();
  }
});

Deno.test("stateless era: a STEP_UP answers input_required, and the approved retry reaches the server once, stripped", async () => {
  await using dir = await tempDir();
  const { log, home, peer } = await faultBehindThoth(dir.path, {
    id: "ask-echo",
    match: { tool: "echo" },
    decision: "step_up",
  });
  const meta = {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientCapabilities": { elicitation: { form: {} } },
  };
  try {
    const call = (id: number, extra: Record<string, unknown> = {}) => ({
      jsonrpc: "2.0",
      id,
      method: "tools/call",
      params: { name: "echo", arguments: { note: "hello" }, _meta: meta, ...extra },
    });
    await peer.send(call(1));
    const first = await peer.next();
    const result = first["result"] as { resultType: string; requestState: string };
    assert.equal(result.resultType, "input_required", JSON.stringify(first));
    const answer = {
      requestState: result.requestState,
      inputResponses: { "thoth-approval": { action: "accept", content: { decision: "approve" } } },
    };
    await peer.send(call(2, answer));
    assert.match(JSON.stringify(await peer.next()), /echo: \{\\"note\\":\\"hello\\"\}/);
    await peer.send(call(3, answer));
    const replay = await peer.next();
    assert.match(
      JSON.stringify(replay),
      /requires a person's approval/,
      "a requestState is single-use",
    );
    // A snowflake id past 2^53, as the bytes the client wrote: refused, never asked about.
    const big = JSON.stringify(call(4)).replace('{"note":"hello"}', '{"id":9007199254740993}');
    await peer.sendRaw(big + "\n");
    assert.match(JSON.stringify(await peer.next()), /send large numbers such as IDs as strings/);
    await peer.finish();
    const lines = (await Deno.readTextFile(log)).trim().split("\n").map((l) => JSON.parse(l));
    // thoth listed the tools first, in the era of the call that needed them (with both
    // _meta keys that era requires; thoth declares no capability of its own).
    const lists = lines.filter((m) => m.method === "tools/list");
    assert.deepEqual(lists.map((m) => m.params?._meta), [
      {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
      },
    ]);
    const received = lines.filter((m) => m.method !== "tools/list");
    assert.equal(received.length, 1, "only the approved retry reached the server");
    assert.equal(received[0].id, 2);
    assert.equal(received[0].params.requestState, undefined);
    assert.equal(received[0].params.inputResponses, undefined);
    // The evidence pairs the approval with the call that asked: verify is clean.
    const verified = await cli(home, ["audit", "verify", "--json"]);
    assert.equal(verified.code, 0, verified.out + verified.err);
    const shown = await cli(home, ["audit", "show", "--json"]);
    const records: Record<string, unknown>[] = shown.out.trim().split("\n").map((l) =>
      JSON.parse(l)
    );
    const asking = records.filter((r) => r["type"] === "decision").map((r) => r["decisionId"]);
    const approvals = records.filter((r) => r["type"] === "approval");
    assert.deepEqual(approvals.map((r) => [r["decisionId"], r["retryDecisionId"], r["outcome"]]), [
      [asking[0], asking[1], "approved"],
      // A reused request state is no person's answer: an error, never a denial.
      [asking[2], undefined, "error"],
      [asking[3], undefined, "denied"],
    ]);
    assert.equal(approvals[0]!["scope"], "once");
    assert.equal(typeof approvals[0]!["latencyMs"], "number");
    const table = await cli(home, ["audit", "show"]);
    assert.match(
      table.out,
      /decision .* via the MCP client \(approved once, elicitation, \d+ ms\)/,
    );
  } finally {
    await peer.finish();
  }
});

Deno.test("the sandboxed core asks for a dialog, which shows no argument values", async () => {
  await using dir = await tempDir();
  const home = `${dir.path}/home`;
  const bin = `${dir.path}/bin`;
  await Deno.mkdir(home, { recursive: true });
  await Deno.mkdir(bin);
  // A stand-in zenity that records its arguments and what it was shown on its standard
  // input, and says yes.
  await Deno.writeTextFile(
    `${bin}/zenity`,
    `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir.path}/argv.txt"\ncat > "${dir.path}/shown.txt"\n` +
      `echo "Allow once"\nexit 1\n`,
    { mode: 0o755 },
  );
  await Deno.writeTextFile(
    `${home}/policy.jsonc`,
    JSON.stringify({
      version: 1,
      default: "allow",
      rules: [{
        id: "ask-sum",
        match: { tool: "get-sum" },
        decision: "step_up",
        reason: "sums need a person",
      }],
    }),
  );
  const { value } = await session(
    home,
    everythingArgv(),
    ["--agent-id", "everything", "--enforcement-mode", "block", "--approval-timeout", "20"],
    (client) => client.callTool({ name: "get-sum", arguments: { a: 31337, b: 1 } }),
    { env: { PATH: `${bin}:${Deno.env.get("PATH") ?? ""}`, DISPLAY: ":99" } },
  );
  assert.match(text(value), /The sum of 31337 and 1 is 31338/);
  // What it was shown, without the places its window may wrap a long run (drawn as nothing).
  const shown = (await Deno.readTextFile(`${dir.path}/shown.txt`)).replaceAll(SOFT_BREAK, "");
  assert.match(shown, /get-sum/);
  assert.match(shown, /everything/);
  assert.match(shown, /ask-sum|sums need a person/);
  assert.doesNotMatch(shown, /31337/, "argument values are not shown");
  // The question travels on standard input, never on a command line any user can list.
  const argv = await Deno.readTextFile(`${dir.path}/argv.txt`);
  assert.doesNotMatch(argv, /get-sum|ask-sum|sums need a person|31337/, argv);
});

Deno.test("a thoth killed right after a call loses no decision: the next session takes it in", async () => {
  await using dir = await tempDir();
  const home = await profile(dir.path);
  const flags = ["--agent-id", "fault", "--enforcement-mode", "block"];
  const peer = new RawPeer(throughThoth(faultArgv(), flags), testEnv({ THOTH_HOME: home }));
  try {
    await peer.send(initializeRequest(1));
    await peer.responseTo(1);
    await peer.send({
      jsonrpc: "2.0",
      id: 7,
      method: "tools/call",
      params: { name: "echo", arguments: { n: 1 } },
    });
    const reply = await peer.next();
    assert.equal(reply["id"], 7);
    peer.child.kill("SIGKILL");
  } finally {
    await peer.finish();
  }
  // Whatever the killed session had not chained yet is in its spool; age it past the
  // orphan limit, as if the next session started a minute later.
  const spool = `${home}/audit/spool`;
  const old = new Date(Date.now() - 120_000);
  for (const entry of Deno.readDirSync(spool)) Deno.utimeSync(`${spool}/${entry.name}`, old, old);
  const next = new RawPeer(throughThoth(faultArgv(), flags), testEnv({ THOTH_HOME: home }));
  await next.send(initializeRequest(1));
  await next.next();
  await next.finish();
  const shown = await cli(home, ["audit", "show", "--json"]);
  const decisions = shown.out.trim().split("\n").map((l) => JSON.parse(l)).filter((r) =>
    r.type === "decision"
  );
  assert.equal(decisions.length, 1, shown.out);
  assert.equal(decisions[0].tool, "echo");
  assert.deepEqual([...Deno.readDirSync(spool)], [], "no spool is left behind");
  const verified = await cli(home, ["audit", "verify", "--json"]);
  assert.notEqual(verified.code, 1, verified.out);
});

Deno.test("a call still waiting for approval when the client leaves is recorded as withdrawn before the session ends", async () => {
  await using dir = await tempDir();
  const home = await profile(
    dir.path,
    JSON.stringify({
      version: 1,
      default: "allow",
      rules: [{ id: "ask-sum", match: { tool: "get-sum" }, decision: "step_up" }],
    }),
  );
  const { stderr } = await session(
    home,
    everythingArgv(),
    ["--agent-id", "everything", "--enforcement-mode", "block", "--approval-timeout", "60"],
    async (client) => {
      const call = client.callTool({ name: "get-sum", arguments: { a: 1, b: 2 } }, undefined, {
        timeout: 70_000,
      }).catch((error: unknown) => error);
      let queued = false;
      for (let i = 0; i < 100 && !queued; i++) {
        await new Promise((r) => setTimeout(r, 100));
        queued = JSON.parse((await cli(home, ["approvals", "list", "--json"])).out || "[]")
          .length > 0;
      }
      assert.ok(queued, "the call waits in the approval queue");
      // The client leaves (closes thoth's stdin) while the call waits.
      return { call };
    },
  );
  assert.doesNotMatch(stderr, /audit log is closed|cannot write the audit log/, stderr);
  const verify = await cli(home, ["audit", "verify", "--json"]);
  const kinds = JSON.parse(verify.out).findings.map((f: { kind: string }) => f.kind);
  assert.ok(!kinds.includes("step_up_without_approval"), verify.out);
  const tail = await cli(home, ["audit", "tail", "-n", "12", "--json"]);
  const records = tail.out.trim().split("\n").map((l) => JSON.parse(l));
  const types = records.map((r: { type: string }) => r.type);
  const approval = records.find((r: { type: string }) => r.type === "approval");
  assert.equal(approval?.outcome, "cancelled", tail.out);
  const cancellation = records.find((r: { type: string }) => r.type === "cancellation");
  // The client closed thoth's input: the call is withdrawn then, not only when the session ends.
  assert.equal(
    cancellation?.reason,
    "the client closed its input while the call waited for a person",
  );
  assert.ok(types.indexOf("approval") < types.indexOf("session_end"), types.join(","));
  const listed = await cli(home, ["approvals", "list", "--all"]);
  assert.match(
    listed.out + listed.err,
    /withdrawn \(the client cancelled the call, or its session ended\)/,
  );
});
