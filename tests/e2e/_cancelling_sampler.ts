/**
 * The official SDK client through `thoth run` in front of the cancelling
 * sampler (`tests/fixtures/proxy/cancelling_sampler_server.ts`): its model
 * chooses `tool` in the answer to the one sampling request the server keeps,
 * and the requests the server cancels are left to the SDK, which sends no
 * answer to a cancelled request.
 */
import type { CallToolResult, CreateMessageRequest } from "@modelcontextprotocol/sdk/types.js";
import { CreateMessageRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { connect, throughThoth } from "./_harness.ts";
import { fixtureArgv } from "./_governed.ts";

/** What the research call, thoth's stderr and the server's log show. */
export interface Researched {
  text: string;
  stderr: string;
  log: string;
}

/** Calls "research" with `args` through thoth (block mode), the model choosing `tool`. */
export async function research(
  home: string,
  log: string,
  args: Record<string, unknown>,
  tool: string,
  serverFlags: readonly string[] = [],
): Promise<Researched> {
  const connected = await connect(
    throughThoth(fixtureArgv("cancelling_sampler_server.ts", ["--log", log, ...serverFlags]), [
      "--agent-id",
      "agent",
      "--enforcement-mode",
      "block",
    ]),
    { sampling: { tools: {} } },
    { THOTH_HOME: home },
    (client) => {
      client.setRequestHandler(
        CreateMessageRequestSchema,
        (request: CreateMessageRequest, extra: { signal: AbortSignal }) => {
          const first = request.params.messages[0]?.content;
          const text = first !== undefined && "text" in first ? first.text : "";
          if (text === "never mind") {
            // Left to the SDK: it sends no answer once the server cancels the request.
            return new Promise((_resolve, reject) => {
              extra.signal.addEventListener("abort", () => reject(new Error("cancelled")));
            });
          }
          return {
            role: "assistant" as const,
            model: "test-model",
            stopReason: "toolUse",
            content: [{ type: "tool_use" as const, id: "tu-1", name: tool, input: {} }],
          };
        },
      );
    },
  );
  let result: CallToolResult;
  try {
    await connected.client.listTools();
    result = await connected.client.callTool({
      name: "research",
      arguments: args,
    }) as CallToolResult;
  } finally {
    await connected.close();
  }
  const first = result.content[0];
  return {
    text: first?.type === "text" ? first.text : JSON.stringify(result),
    stderr: connected.stderr(),
    log: await Deno.readTextFile(log).catch(() => ""),
  };
}
