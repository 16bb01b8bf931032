// deno-lint-ignore-file no-console -- a script: printing is its job
/**
 * `deno task demo`: the main job, end to end, for a newcomer. A real MCP
 * client (the official SDK) talks to the real server-everything through
 * `thoth run`, and each step prints what passed.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const DENO = Deno.execPath();
const home = await Deno.makeTempDir({ prefix: "thoth-demo-" });
const green = (s: string) => Deno.stdout.isTerminal() ? `\x1b[32m${s}\x1b[0m` : s;
const red = (s: string) => Deno.stdout.isTerminal() ? `\x1b[31m${s}\x1b[0m` : s;

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
const thoth = [
  "run",
  "-P=thoth",
  "--quiet",
  `--config=${ROOT}/deno.json`,
  `${ROOT}/src/cli/thoth.ts`,
  "run",
  "--agent-id",
  "everything",
  "--",
  DENO,
  ...server,
];

console.log("thoth demo: an MCP client → thoth run → @modelcontextprotocol/server-everything\n");
console.log(
  `  command: thoth ${thoth.slice(5, 8).join(" ")} -- deno run … server-everything stdio`,
);
console.log(`  profile: THOTH_HOME=${home} (a temp dir, removed at the end)\n`);

const transport = new StdioClientTransport({
  command: DENO,
  args: thoth,
  env: { ...Deno.env.toObject(), THOTH_HOME: home },
  stderr: "pipe",
});
let stderr = "";
transport.stderr?.on("data", (chunk: Uint8Array | string) => {
  stderr += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
});
const client = new Client({ name: "thoth-demo", version: "1.0.0" }, { capabilities: {} });
let failures = 0;

async function step(title: string, work: () => Promise<string>): Promise<void> {
  try {
    console.log(`${green("✓")} ${title}: ${await work()}`);
  } catch (error) {
    failures++;
    console.log(`${red("✗")} ${title}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function text(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? `[${c.type}]`).join(" ").slice(0, 160);
}

try {
  await step("initialize through thoth", async () => {
    await client.connect(transport);
    const info = client.getServerVersion();
    return `${info?.name} ${info?.version}`;
  });
  await step("tools/list passes unchanged", async () => {
    const { tools } = await client.listTools();
    return `${tools.length} tools, e.g. ${
      tools.slice(0, 4).map((t: { name: string }) => t.name).join(", ")
    }`;
  });
  await step(
    "ALLOW: tools/call echo",
    async () =>
      text(await client.callTool({ name: "echo", arguments: { message: "hello through thoth" } })),
  );
  await step(
    "ALLOW: tools/call get-sum",
    async () => text(await client.callTool({ name: "get-sum", arguments: { a: 19, b: 23 } })),
  );
} finally {
  await client.close().catch(() => {});
  await Deno.remove(home, { recursive: true }).catch(() => {});
}
if (stderr.trim() !== "") console.log(`\nthoth's stderr:\n${stderr.trim().replace(/^/gm, "  ")}`);
console.log(
  failures === 0 ? `\n${green("demo passed")}` : `\n${red(`${failures} step(s) failed`)}`,
);
Deno.exit(failures === 0 ? 0 : 1);
