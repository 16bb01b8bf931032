/** Shared fixtures for the config tests: the golden files and the options they were made with. */
import type { WrapOptions } from "../../src/config/plan_wrap.ts";

/** Every golden pair under tests/fixtures/config. */
export const GOLDEN = [
  "claude-desktop",
  "cursor",
  "vscode",
  "windsurf",
  "claude-code-user",
  "claude-code-project",
] as const;

/** Goldens whose input already holds wrapped entries (they also have NAME.unwrapped.json). */
export const PRE_WRAPPED = new Set<string>(["cursor", "claude-code-project"]);

/** The fake thoth every fixture uses. */
export const THOTH = "/opt/thoth/bin/thoth";

/** The options the *.expected.json files were made with. */
export const GOLDEN_OPTIONS: WrapOptions = {
  thothCommand: [THOTH],
  tenantId: "acme",
  env: [["THOTH_USER_ID", "ana@example.com"]],
  intents: { gdrive: "calendar_management", github: "code_review" },
};

const dir = new URL("../fixtures/config/", import.meta.url);

/** Reads a fixture file as text. */
export function fixture(file: string): string {
  return Deno.readTextFileSync(new URL(file, dir));
}
