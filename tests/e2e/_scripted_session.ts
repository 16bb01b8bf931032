/**
 * A session of `thoth run` in block mode over the scripted fixture server
 * (`tests/fixtures/proxy/scripted_server.ts`), for the stateless-era tests.
 */
import { RawPeer, testEnv, thothArgv } from "./_harness.ts";
import { auditRecords, fixtureArgv, profileWithRules } from "./_governed.ts";

/** A policy rule that blocks every tool the server calls destructive. */
export const NO_DESTRUCTIVE = {
  id: "no-destructive",
  match: { annotations: { destructiveHint: true } },
  decision: "block",
  reason: "nothing destructive",
};

/** What a session gave: the profile, the lines the server got and the audit records. */
export interface ScriptedSession {
  home: string;
  received: string;
  records: Record<string, unknown>[];
}

/**
 * Runs `steps` against thoth in block mode over the scripted server that answers
 * with `script`, under a profile whose policy holds `rules`.
 */
export async function scriptedSession(
  dir: string,
  script: unknown[],
  steps: (peer: RawPeer) => Promise<void>,
  rules: unknown[] = [NO_DESTRUCTIVE],
): Promise<ScriptedSession> {
  const home = await profileWithRules(dir, rules as never);
  const log = `${dir}/server.log`;
  await Deno.writeTextFile(`${dir}/script.json`, JSON.stringify(script));
  const peer = new RawPeer(
    thothArgv([
      "run",
      "--agent-id",
      "agent",
      "--enforcement-mode",
      "block",
      "--",
      ...fixtureArgv("scripted_server.ts", ["--script", `${dir}/script.json`, "--log", log]),
    ]),
    testEnv({ THOTH_HOME: home }),
  );
  try {
    await steps(peer);
  } finally {
    await peer.finish();
  }
  return {
    home,
    received: await Deno.readTextFile(log).catch(() => ""),
    records: await auditRecords(home),
  };
}
