/**
 * Finds each MCP client's config at its standard place on this machine and
 * reports its servers, governed or not: the shell half of `thoth doctor`'s
 * and `thoth health`'s client checks. Missing files are skipped; unreadable
 * or broken ones are reported with no servers and the error text.
 *
 * @example
 * ```ts
 * const reports = await discoverClientConfigs({ env: Deno.env.toObject(), os: Deno.build.os });
 * ```
 */
import { CLIENT_IDS, type ClientId } from "./client_id.ts";
import { defaultConfigPath } from "./default_config_path.ts";
import { planStatus, type ServerStatus } from "./plan_status.ts";
import type { RunReaders } from "./run_refusals.ts";
import { readConfigFile } from "./read_config_file.ts";
import { isFile } from "../platform/is_file.ts";
import { isAppError } from "../errors.ts";

/** One config file found, with its servers. */
export interface DiscoveredConfig {
  client: ClientId;
  path: string;
  servers: ServerStatus[];
  /**
   * Why the file could not be read or parsed (a FIFO or a folder in its
   * place, broken JSON, a key given twice), or null. The client cannot use
   * such a file as thoth reads it: `doctor` and `health` report it.
   */
  error: string | null;
  /** What to do about `error`, when the error says; else null. */
  hint: string | null;
}

/** Looks at every client's standard config place. */
export async function discoverClientConfigs(facts: {
  env: Readonly<Record<string, string | undefined>>;
  os: string;
  thothCommand?: readonly string[];
  /** `thoth run`'s own readers, so that each row lists what it would refuse. */
  run?: RunReaders;
}): Promise<DiscoveredConfig[]> {
  const found: DiscoveredConfig[] = [];
  for (const client of CLIENT_IDS) {
    let path: string;
    try {
      path = defaultConfigPath(client, { os: facts.os, env: facts.env });
    } catch {
      continue;
    }
    let text: string;
    try {
      text = (await readConfigFile(path)).text;
    } catch (error) {
      if (isAppError(error, "config.not_found")) continue;
      found.push({ client, path, servers: [], ...problemOf(error) });
      continue;
    }
    try {
      const report = planStatus(text, {
        client,
        label: path,
        isFile,
        ...(facts.thothCommand ? { thothCommand: facts.thothCommand } : {}),
        ...(facts.run ? { run: facts.run } : {}),
      });
      found.push({ client, path, servers: report.servers, error: null, hint: null });
    } catch (error) {
      found.push({ client, path, servers: [], ...problemOf(error) });
    }
  }
  return found;
}

function problemOf(error: unknown): { error: string; hint: string | null } {
  return {
    error: error instanceof Error ? error.message : String(error),
    hint: isAppError(error) ? error.hints[0] ?? null : null,
  };
}
