/** Runs `thoth audit …` in-process against a temp profile, capturing its output. */
import { Command } from "@commander-js/extra-typings";
import { auditCommand } from "../../src/cli/audit.ts";
import { runProgram } from "../../src/cli/program.ts";
import { fakeCliIo } from "../cli/_fake_cli_io.ts";

/** `thoth audit <args>` with `THOTH_HOME` set to `home`: its exit code, stdout and stderr. */
export async function thothAudit(
  home: string,
  ...args: string[]
): Promise<{ code: number; out: string; err: string }> {
  const io = fakeCliIo(home, { THOTH_HOME: home });
  const program = new Command("thoth").addCommand(auditCommand(io));
  const code = await runProgram(
    "thoth",
    program as unknown as Command<unknown[], Record<string, unknown>>,
    ["audit", ...args],
    io,
  );
  return { code, out: io.stdout, err: io.stderr };
}
