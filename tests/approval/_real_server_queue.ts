/**
 * A step-up through the approval queue with a real MCP server: `thoth run`
 * (from source) around an npm server, in block mode, under a fresh temp
 * THOTH_HOME with `policy`, no desktop (so approvals go to the queue), and
 * the official SDK client, which knows no elicitation. A test starts a call,
 * finds its request with the real `thoth approvals list --json`, and then
 * answers, rewrites or lists it as a person or an attacker would.
 *
 * @example
 * ```ts
 * const session = await queueSession(policy, everythingArgv());
 * const call = session.call("echo", { message: "hi" });
 * const id = await session.queuedId();
 * ```
 */
import { connect, type Connected, throughThoth } from "../e2e/_harness.ts";
import { thothCli } from "./_governed_peer.ts";
import { tempFolder } from "../_temp_dirs.ts";

/** What a call through thoth returned: the tool result, or the error it threw. */
// deno-lint-ignore no-explicit-any
export type CallResult = { result?: any; error?: unknown };

/** One `thoth run` session whose step-ups wait in the queue. */
export interface QueueSession {
  home: string;
  /** A folder of this test's own, for a server's files. */
  dir: string;
  connected: Connected;
  /** Starts a `tools/call`; settles with its result once thoth answers it. */
  call(name: string, args: Record<string, unknown>): Promise<CallResult>;
  /** The id of the request `thoth approvals list --json` shows waiting (the first one). */
  queuedId(): Promise<string>;
  /** Runs the real `thoth approvals …` CLI against this session's profile. */
  approvals(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

/** Starts `thoth run` around `server(dir)` with `policy`, a person given 50 s to answer. */
export async function queueSession(
  policy: unknown,
  server: (dir: string) => string[],
  agentId: string,
): Promise<QueueSession> {
  const root = await tempFolder("thoth-queue-real-");
  const home = `${root}/home`;
  const dir = `${root}/data`;
  await Deno.mkdir(home);
  await Deno.mkdir(dir);
  await Deno.writeTextFile(`${home}/policy.jsonc`, JSON.stringify(policy));
  const connected = await connect(
    throughThoth(server(dir), [
      "--agent-id",
      agentId,
      "--enforcement-mode",
      "block",
      "--approval-timeout",
      "50",
    ]),
    {},
    { THOTH_HOME: home, DISPLAY: "", WAYLAND_DISPLAY: "" },
  );
  const approvals = (args: readonly string[]) => thothCli(home, ["approvals", ...args]);
  return {
    home,
    dir,
    connected,
    call: (name, args) =>
      connected.client.callTool({ name, arguments: args }, undefined, { timeout: 90_000 })
        .then((result: unknown): CallResult => ({ result }), (error: unknown) => ({ error })),
    approvals,
    queuedId: async () => {
      for (let tries = 0; tries < 300; tries++) {
        const listed = await approvals(["list", "--json"]);
        const id = JSON.parse(listed.stdout || "[]")[0]?.id;
        if (typeof id === "string") return id;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`no request was queued; thoth said:\n${connected.stderr()}`);
    },
    close: () => connected.close(),
  };
}
