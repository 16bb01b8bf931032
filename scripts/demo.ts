// deno-lint-ignore-file no-console -- a script: printing is its job
/**
 * `deno task demo`: the main job, end to end, for a newcomer. A real MCP
 * client (the official SDK) talks to the real server-everything through
 * `thoth run` with a small policy; each step prints what thoth did: ALLOW,
 * BLOCK by a rule, BLOCK by the secrets detector, a session-intent violation,
 * and finally the audit log verified: the demo fails (exit 1) unless
 * `thoth audit verify --json` reports records and a verified checkpoint, and
 * nothing else. Ctrl-C (SIGINT) or SIGTERM stops its sessions, removes its
 * temp profile and exits 130 or 143.
 *
 * @example
 * ```ts
 * verifyProblem({ status: "clean", records: 0, checkpoints: { verified: 0 } });
 * // "the log holds no records, so nothing was verified"
 * cutDetail("… Decision d-8e5f0a1b2c3d4e5f.", 10); // never ends inside the id
 * ```
 */
import { thothSourceArgs } from "./_thoth_source.ts";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const DENO = Deno.execPath();
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

/** What the demo reads of `thoth audit verify --json`. */
export interface VerifyFacts {
  status?: unknown;
  records?: unknown;
  checkpoints?: { verified?: unknown } | null;
  findings?: readonly { kind?: unknown; message?: unknown }[];
}

/**
 * Why the audit step of the demo failed, or undefined when the report shows
 * a real verification: records were read, at least one signed checkpoint
 * verified, and the status is "clean". The demo's two sessions leave a
 * clean log with no findings, so any warning (exit 2: "no_log", a session
 * without its end…) means something went wrong and fails the demo too.
 */
export function verifyProblem(report: VerifyFacts): string | undefined {
  const records = typeof report.records === "number" ? report.records : 0;
  const verified = typeof report.checkpoints?.verified === "number"
    ? report.checkpoints.verified
    : 0;
  if (records === 0) return "the log holds no records, so nothing was verified";
  if (verified === 0) return `none of its checkpoints verified (${records} record(s) read)`;
  if (report.status !== "clean") {
    const findings = (report.findings ?? [])
      .map((f) => `${String(f.kind)}: ${String(f.message)}`).slice(0, 3);
    return `status ${JSON.stringify(report.status)}, not "clean"` +
      (findings.length > 0 ? ` (${findings.join("; ")})` : "");
  }
  return undefined;
}

/** A decision id as thoth writes it: `d-` and 16 hex digits. */
const DECISION_ID = /\bd-[0-9a-f]{16}\b/g;

/**
 * `text` cut to about `max` characters with "…" at the end, never inside a
 * decision id (`Decision d-8e…` names no decision): an id the cut would fall
 * in is kept whole.
 */
export function cutDetail(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  for (const match of text.matchAll(DECISION_ID)) {
    const from = match.index;
    const to = from + match[0].length;
    if (from < end && end < to) end = to;
  }
  return end >= text.length ? text : `${text.slice(0, end)}…`;
}

/** The sessions and the command running now, stopped on a signal. */
const running = new Set<() => Promise<void>>();
/** Set once a signal arrived: the demo is being stopped, and exits when it is. */
let stopping: Promise<never> | undefined;

async function withSession(
  env: Record<string, string>,
  thothPrefix: readonly string[],
  flags: string[],
  onStderr: (text: string) => void,
  work: (client: Client) => Promise<void>,
): Promise<void> {
  console.log(dim(`\n$ thoth run --agent-id everything ${flags.join(" ")} -- <server-everything>`));
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
  const transport = new StdioClientTransport({
    command: DENO,
    args: [...thothPrefix, "run", "--agent-id", "everything", ...flags, "--", DENO, ...server],
    env,
    stderr: "pipe",
  });
  transport.stderr?.on("data", (chunk: Uint8Array | string) => {
    onStderr(typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk));
  });
  const client = new Client({ name: "thoth-demo", version: "1.0.0" }, { capabilities: {} });
  // Once: a second close() returns before the process has ended.
  let closing: Promise<void> | undefined;
  const stop = () => closing ??= client.close().catch(() => {});
  // Nothing new starts once a signal has arrived (it would write the profile again).
  if (stopping !== undefined) return;
  running.add(stop);
  try {
    await client.connect(transport);
    await work(client);
  } finally {
    // Still awaited by a signal's handler until thoth and its server have ended.
    await stop();
    running.delete(stop);
  }
}

function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? `[${c.type}]`).join(" ");
}

/**
 * On SIGINT or SIGTERM: stop the sessions and the command running, remove
 * the temp profile, exit 130 or 143 (as a shell reports a process the signal
 * ended). `finally` does not run when a signal ends the process.
 */
function stopOnSignal(home: () => string | undefined): void {
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    try {
      Deno.addSignalListener(signal, () => {
        stopping ??= (async () => {
          // Kept alive until it exits, whatever the steps below wait on.
          setInterval(() => {}, 1000);
          console.log(`\n${red(`demo stopped by ${signal}`)}: stopping its sessions`);
          await Promise.all([...running].map((stop) => stop()));
          const profile = home();
          if (profile !== undefined) {
            await Deno.remove(profile, { recursive: true }).catch(() => {});
            console.log(dim(`removed the temp profile ${profile}`));
          }
          Deno.exit(code);
        })();
      });
    } catch {
      // A signal this platform does not have (SIGTERM on Windows).
    }
  }
}

async function main(): Promise<number> {
  // The listener is there before the profile is: a signal never leaves it behind.
  const made: { home?: string } = {};
  stopOnSignal(() => made.home);
  const home = made.home = await Deno.makeTempDir({ prefix: "thoth-demo-" });
  await Deno.writeTextFile(`${home}/policy.jsonc`, POLICY);
  const thothPrefix = thothSourceArgs(ROOT);
  const env = { ...Deno.env.toObject(), THOTH_HOME: home };
  let failures = 0;
  let stderr = "";
  const onStderr = (text: string) => {
    stderr += text;
  };

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
      const detail = cutDetail(textOf(result).replace(/\s+/g, " "), 150);
      console.log(
        `${ok ? green("✓") : red("✗")} ${got.padEnd(5)} ${title}\n        ${dim(detail)}`,
      );
    } catch (error) {
      // A call cut short by a signal is not a failure of the demo.
      if (stopping !== undefined) return;
      failures++;
      console.log(
        `${red("✗")} ${title}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  console.log(
    "thoth demo: the official MCP client → thoth run → @modelcontextprotocol/server-everything",
  );
  console.log(dim(`profile: THOTH_HOME=${home} (a temp dir, removed at the end)`));
  console.log(
    'policy: the demo\'s own (its rule "no-env" blocks get-env; the secrets detector blocks ' +
      "keys; intent echo_only). A real first run writes the default policy to " +
      'THOTH_HOME/policy.jsonc, which lets get-env through: see "thoth policy explain" and the README.',
  );
  try {
    await withSession(
      env,
      thothPrefix,
      ["--enforcement-mode", "block"],
      onStderr,
      async (client) => {
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
              arguments: { message: "deploy with AKIAQ3EGRBPSXLYH7TNU please" },
            }),
        );
      },
    );
    await withSession(
      env,
      thothPrefix,
      ["--enforcement-mode", "block", "--intent", "echo_only"],
      onStderr,
      async (client) => {
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
      },
    );
    failures += await verifyAudit(env, thothPrefix) ? 0 : 1;
  } finally {
    await Deno.remove(home, { recursive: true }).catch(() => {});
  }
  // Stopped by a signal: its handler says so and exits.
  if (stopping !== undefined) return await stopping;
  const notes = stderr.split("\n").filter((l) => l.startsWith("thoth:")).slice(0, 6);
  if (notes.length > 0) {
    console.log(dim(`\nthoth's stderr (first lines):\n  ${notes.join("\n  ")}`));
  }
  console.log(
    failures === 0 ? `\n${green("demo passed")}` : `\n${red(`${failures} step(s) failed`)}`,
  );
  console.log(
    "\nnext: put your MCP client's servers behind thoth and check the result:\n" +
      "  thoth wrap-config --dry-run, then thoth wrap-config\n" +
      "  thoth status\n" +
      "  thoth doctor\n" +
      'from a checkout, run each as "deno task thoth wrap-config", "deno task thoth status", …',
  );
  return failures === 0 ? 0 : 1;
}

/**
 * Runs `thoth audit verify --json` on the demo's profile and prints what it
 * found; true only when it verified something (see {@linkcode verifyProblem}).
 */
async function verifyAudit(
  env: Record<string, string>,
  thothPrefix: readonly string[],
): Promise<boolean> {
  if (stopping !== undefined) return false;
  const child = new Deno.Command(DENO, {
    args: [...thothPrefix, "audit", "verify", "--json"],
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // Already ended.
    }
    await child.status.catch(() => {});
  };
  running.add(stop);
  const verify = await child.output();
  running.delete(stop);
  let report: VerifyFacts | undefined;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(verify.stdout));
    // A report has a status; a failure printed as JSON ({"ok":false,…}) has none.
    const isReport = typeof parsed === "object" && parsed !== null && "status" in parsed;
    report = isReport ? parsed as VerifyFacts : undefined;
  } catch {
    report = undefined;
  }
  const problem = report === undefined
    ? `no report: ${new TextDecoder().decode(verify.stderr).trim().split("\n")[0] ?? ""}`
    : verifyProblem(report);
  if (problem !== undefined) {
    console.log(`\n${red("✗")} thoth audit verify (exit ${verify.code}): ${problem}`);
    return false;
  }
  const checkpoints = (report!.checkpoints as { verified: number }).verified;
  console.log(
    `\n${green("✓")} thoth audit verify (exit ${verify.code}): the audit log is intact: ` +
      `${report!.records} records, ${checkpoints} signed checkpoint(s) verified`,
  );
  return true;
}

if (import.meta.main) {
  // Once a signal has arrived, what the steps still do (a session closed under
  // them fails) is left to the signal's handler, which exits.
  const code = await main().catch((error) => stopping ?? Promise.reject(error));
  Deno.exit(stopping === undefined ? code : await stopping);
}
