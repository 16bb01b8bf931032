/**
 * `wrap-config`'s flags read into the {@linkcode WrapOptions} `planWrap`
 * takes, refusing before anything is planned what would leave every server
 * unable to start: a `--thoth-path` that is not absolute, or not a file here
 * (unless `--thoth-path-elsewhere`), a tenant `thoth run` would refuse, and
 * one an `--env THOTH_TENANT_ID` contradicts (see `tenant_conflict.ts`).
 * What `thoth run` would refuse to start with is judged by the profile of
 * the config's owner (run as root), as `thoth status` judges it (see
 * `judged_profile.ts`); that profile is returned too, so the command can say
 * which it was.
 *
 * @example
 * ```ts
 * const { wrap, judged } = await wrapOptionsFor(io, options, deps, places, client);
 * planWrap(file.text, { ...wrap, label: file.path });
 * judged.profile.source; // "self", "THOTH_HOME" or "owner"
 * ```
 */
import type { CliIo } from "./cli_io.ts";
import type { ClientId } from "../config/client_id.ts";
import type { ConfigShellDeps } from "../config/config_shell_deps.ts";
import type { EnforcementMode } from "../policy/enforcement_mode.ts";
import type { WrapOptions } from "../config/plan_wrap.ts";
import { AppError } from "../errors.ts";
import { showName } from "../identity/shown_env_value.ts";
import { isAbsolutePath } from "../config/is_absolute_path.ts";
import { parseEnvPair } from "../config/parse_env_pair.ts";
import { resolveConfigPath } from "../config/resolve_config_path.ts";
import { readIntentMapFile } from "../config/read_intent_map_file.ts";
import { pathVariable } from "../platform/path_variable.ts";
import { checkTenantId } from "./check_run_ids.ts";
import { type JudgedProfile, judgedProfile } from "./judged_profile.ts";
import { type KeyStore, keyStoreFor } from "./warn_key_left.ts";
import { checkTenantEnv } from "../config/tenant_conflict.ts";

/** The flags of `wrap-config` that make its {@linkcode WrapOptions}. */
export interface WrapFlags {
  env?: string[] | undefined;
  thothPath?: string | undefined;
  thothPathElsewhere?: boolean | undefined;
  tenantId?: string | undefined;
  enforcementMode?: EnforcementMode | undefined;
  intentMap?: string | undefined;
}

/**
 * The options to plan `places` with, the profile they are judged by, and
 * where the servers' API key belongs (the judged profile's: see
 * `keyStoreFor`).
 */
export async function wrapOptionsFor(
  io: CliIo,
  options: WrapFlags,
  deps: ConfigShellDeps,
  places: readonly { path: string }[],
  client: ClientId | undefined,
): Promise<{ wrap: WrapOptions; judged: JudgedProfile; keyStore: KeyStore }> {
  const env = (options.env ?? []).map(parseEnvPair);
  checkThothPath(options, deps);
  // Judged by the profile of the config's owner (run as root), as thoth status judges it.
  const judged = await judgedProfile(
    io,
    places.map((place) => place.path),
    deps.readPasswd,
    deps.os,
  );
  // The key belongs in the profile the servers are judged by: the owner's, run as root.
  const keyStore = keyStoreFor(io, judged.profile);
  const wrap: WrapOptions = {
    thothCommand: options.thothPath === undefined ? io.selfCommand : [options.thothPath],
    env,
    // Claude Code, a terminal program, gives its servers the user's PATH; the others a GUI's.
    pathCheck: {
      os: deps.os,
      isFile: deps.isFile,
      userPath: pathVariable(io.env, deps.os),
      ...(client === undefined ? {} : { client }),
    },
    run: judged.run,
  };
  if (keyStore.file !== null) wrap.apiKeyFile = keyStore.file;
  if (keyStore.runAs !== null) wrap.apiKeyRunAs = keyStore.runAs;
  if (client !== undefined) wrap.client = client;
  const tenant = options.tenantId ?? io.env["THOTH_TENANT_ID"];
  if (tenant !== undefined && tenant !== "") {
    wrap.tenantId = checkTenant(tenant, options);
    // One tenant: an --env THOTH_TENANT_ID beside it that differs would give every server two.
    checkTenantEnv(
      {
        value: wrap.tenantId,
        source: options.tenantId === undefined ? "THOTH_TENANT_ID" : "--tenant-id",
      },
      env,
    );
  }
  if (options.enforcementMode !== undefined) wrap.enforcementMode = options.enforcementMode;
  if (options.intentMap !== undefined) {
    const mapPath = resolveConfigPath({
      input: options.intentMap,
      cwd: io.cwd,
      os: deps.os,
      env: {},
    });
    wrap.intents = await readIntentMapFile(mapPath, io.cwd);
  }
  return { wrap, judged, keyStore };
}

/** Refuses a `--thoth-path` that is not absolute, or not a file here without `--thoth-path-elsewhere`. */
function checkThothPath(options: WrapFlags, deps: ConfigShellDeps): void {
  if (options.thothPath !== undefined && !isAbsolutePath(options.thothPath)) {
    throw new AppError(
      "usage.bad_thoth_path",
      `--thoth-path ${showName(options.thothPath)} is not an absolute path`,
      {
        hints: [
          "GUI clients start servers with a minimal PATH; pass thoth's absolute path, " +
          'for example "/usr/local/bin/thoth"',
        ],
      },
    );
  }
  if (
    options.thothPath !== undefined && !options.thothPathElsewhere &&
    !deps.isFile(options.thothPath)
  ) {
    throw new AppError(
      "usage.thoth_path_missing",
      `--thoth-path ${
        showName(options.thothPath)
      } is not a file on this machine: every server wrapped with it would fail to start`,
      {
        hints: [
          'check the path for a typo (where is thoth installed? "which thoth" tells)',
          "if the config is for other machines, where thoth is installed at that path, " +
          "pass --thoth-path-elsewhere as well; nothing was written",
        ],
      },
    );
  }
}

/** The tenant to write, read as thoth run reads `--tenant-id`; a usage error names where it came from. */
function checkTenant(tenant: string, options: { tenantId?: string | undefined }): string {
  try {
    return checkTenantId(tenant);
  } catch (error) {
    if (!(error instanceof AppError) || options.tenantId !== undefined) throw error;
    throw new AppError(
      error.code,
      `${error.message} (taken from THOTH_TENANT_ID, the default for --tenant-id)`,
      { hints: [...error.hints, "pass --tenant-id, or fix THOTH_TENANT_ID in this shell"] },
    );
  }
}
