// deno-lint-ignore-file no-console -- a script: printing is its job
/**
 * `deno task demo`: the main job, end to end, for a newcomer. A real MCP
 * client (the official SDK) talks to the real server-everything through
 * `thoth run` with a small policy; each step prints what thoth did: ALLOW,
 * BLOCK by a rule, BLOCK by the secrets detector, a session-intent violation,
 * and finally the audit log verified.
 */
import { THOTH_V8_FLAGS } from "../src/platform/v8_flags.ts";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const DENO = Deno.execPath();
const home = await Deno.makeTempDir({ prefix: "thoth-demo-" });
const tty = Deno.stdout.isTerminal();
const green = (s: string) => tty ? `\x1b[32m${s}\x1b[0m` : s;
const red = (s: string) => tty ? `\x1b[31m${s}\x1b[0m` : s;
const dim = (s: string) => tty ? `\x1b[2m${s}\x1b[0m` : s;

const POLICY = `// the demo's policy: everything is allowed except what a rule or a detector refuses
{
  "version": 1,
  "default": "allow",
  "intents": { "echo_only": { "tools": ["echo"], "description": "repeat text, nothing else" } },
  "rules": [
    { "id": "no-env", "match": { "tool": "get-env" }, "decision": "block",
      "reason": "the environment may hold credentials" }
  ],
  "detectors": { "secrets": "block", "phi": "step_up", "pii": "allow" }
}
`;
await Deno.writeTextFile(`${home}/policy.jsonc`, POLICY);

const server = [
  "run",
  "--quiet",
  `--config=${ROOT}/deno.json`,
  "--allow-read",
  "--allow-env",
  "--allow-sys",
  "npm:@modelcontextprotocol/server-everything@2026.8.31",
  "stdio",
];
const thothPrefix = [
  "run",
  "-P=thoth",
  "--no-remote",
  THOTH_V8_FLAGS,
  "--quiet",
  `--config=${ROOT}/deno.json`,
  `${ROOT}/src/cli/thoth.ts`,
];
const env = { ...Deno.env.toObject(), THOTH_HOME: home };
let failures = 0;
let stderr = "";

async function withSession(
  flags: string[],
  work: (client: Client) => Promise<void>,
): Promise<void> {
  console.log(dim(`\n$ thoth run --agent-id everything ${flags.join(" ")} -- <server-everything>`));
  const transport = new StdioClientTransport({
    command: DENO,
    args: [...thothPrefix, "run", "--agent-id", "everything", ...flags, "--", DENO, ...server],
    env,
    stderr: "pipe",
  });
  transport.stderr?.on("data", (chunk: Uint8Array | string) => {
    stderr += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
  });
  const client = new Client({ name: "thoth-demo", version: "1.0.0" }, { capabilities: {} });
  try {
    await client.connect(transport);
    await work(client);
  } finally {
    await client.close().catch(() => {});
  }
}

function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? `[${c.type}]`).join(" ");
}

async function expect(
  title: string,
  want: "ALLOW" | "BLOCK",
  call: () => Promise<unknown>,
): Promise<void> {
  try {
    const result = await call();
    const refused = (result as { isError?: boolean }).isError === true &&
      /^thoth /.test(textOf(result));
    const got = refused ? "BLOCK" : "ALLOW";
    const ok = got === want;
    if (!ok) failures++;
    const detail = textOf(result).replace(/\s+/g, " ").slice(0, 150);
    console.log(`${ok ? green("✓") : red("✗")} ${got.padEnd(5)} ${title}\n        ${dim(detail)}`);
  } catch (error) {
    failures++;
    console.log(`${red("✗")} ${title}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

console.log(
  "thoth demo: the official MCP client → thoth run → @modelcontextprotocol/server-everything",
);
console.log(dim(`profile: THOTH_HOME=${home} (a temp dir, removed at the end)`));
try {
  await withSession(["--enforcement-mode", "block"], async (client) => {
    const { tools } = await client.listTools();
    console.log(`${green("✓")} tools/list passes unchanged: ${tools.length} tools`);
    await expect(
      "echo: nothing in the policy objects",
      "ALLOW",
      () => client.callTool({ name: "echo", arguments: { message: "hello through thoth" } }),
    );
    await expect(
      'get-env: rule "no-env" blocks it, and the server never sees the call',
      "BLOCK",
      () => client.callTool({ name: "get-env", arguments: {} }),
    );
    await expect(
      "echo with an AWS key in its arguments: the secrets detector blocks it",
      "BLOCK",
      () =>
        client.callTool({
          name: "echo",
          arguments: { message: "deploy with AKIAIOSFODNN7EXAMPLE please" },
        }),
    );
  });
  await withSession(["--enforcement-mode", "block", "--intent", "echo_only"], async (client) => {
    await expect(
      "echo: inside the session intent echo_only",
      "ALLOW",
      () => client.callTool({ name: "echo", arguments: { message: "in scope" } }),
    );
    await expect(
      "get-sum: outside the intent (HIPAA minimum necessary)",
      "BLOCK",
      () => client.callTool({ name: "get-sum", arguments: { a: 19, b: 23 } }),
    );
  });
  const verify = await new Deno.Command(DENO, {
    args: [...thothPrefix, "audit", "verify"],
    env,
    stdin: "null",
  }).output();
  const report = new TextDecoder().decode(verify.stdout).trim().split("\n").slice(0, 3).join(
    "\n  ",
  );
  const clean = verify.code === 0 || verify.code === 2;
  if (!clean) failures++;
  console.log(
    `\n${clean ? green("✓") : red("✗")} thoth audit verify (exit ${verify.code}):\n  ${report}`,
  );
} finally {
  await Deno.remove(home, { recursive: true }).catch(() => {});
}
const notes = stderr.split("\n").filter((l) => l.startsWith("thoth:")).slice(0, 6);
if (notes.length > 0) console.log(dim(`\nthoth's stderr (first lines):\n  ${notes.join("\n  ")}`));
console.log(
  failures === 0 ? `\n${green("demo passed")}` : `\n${red(`${failures} step(s) failed`)}`,
);
Deno.exit(failures === 0 ? 0 : 1);
