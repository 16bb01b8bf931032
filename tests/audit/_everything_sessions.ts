/**
 * A profile whose audit log was written by real `thoth run` sessions against
 * server-everything: each session calls `echo` a few times through the
 * official SDK client, then closes (the session's end signs a checkpoint).
 * For the tests that tamper with a log and then read, export or verify it.
 */
import { connect, everythingArgv, throughThoth } from "../e2e/_harness.ts";
import { tempFolder } from "../_temp_dirs.ts";

/** A new profile with `sessions` sessions of `calls` `echo` calls each; returns its THOTH_HOME. */
export async function everythingSessions(sessions = 2, calls = 3): Promise<string> {
  const home = `${await tempFolder("thoth-everything-")}/home`;
  await Deno.mkdir(home, { recursive: true });
  await moreSessions(home, sessions, calls);
  return home;
}

/** Runs `sessions` more sessions of `calls` `echo` calls each under `home`. */
export async function moreSessions(home: string, sessions = 1, calls = 3): Promise<void> {
  for (let s = 0; s < sessions; s++) {
    const session = await connect(
      throughThoth(everythingArgv(), ["--agent-id", "everything"]),
      {},
      { THOTH_HOME: home },
    );
    try {
      for (let c = 0; c < calls; c++) {
        await session.client.callTool({ name: "echo", arguments: { message: `hi ${s}.${c}` } });
      }
    } finally {
      await session.close();
    }
  }
}

/** The log's lines, one string each (one segment: a test log is small). */
export async function logLines(home: string): Promise<{ path: string; lines: string[] }> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(`${home}/audit`)) {
    if (entry.isFile && entry.name.endsWith(".jsonl")) names.push(entry.name);
  }
  names.sort();
  if (names.length !== 1) throw new Error(`expected one segment, found ${names.join(", ")}`);
  const path = `${home}/audit/${names[0]}`;
  const text = await Deno.readTextFile(path);
  return { path, lines: text.split("\n").slice(0, -1) };
}
