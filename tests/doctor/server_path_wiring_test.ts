/** `thoth doctor` reads the PATH a real client config's entry sets from its "env" block. */
import assert from "node:assert/strict";
import { doctorWithDiscovery, withTempDir } from "./_helpers.ts";

Deno.test("thoth doctor looks an entry's command up on the PATH its env block sets", () =>
  withTempDir(async (dir) => {
    if (Deno.build.os !== "linux") return;
    const bin = `${dir}/own-bin`;
    await Deno.mkdir(bin);
    await Deno.writeTextFile(`${bin}/my-mcp-server`, "#!/bin/sh\n", { mode: 0o755 });
    await Deno.mkdir(`${dir}/.config/Claude`, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/.config/Claude/claude_desktop_config.json`,
      JSON.stringify({
        mcpServers: { mine: { command: "my-mcp-server", env: { PATH: `${bin}:/usr/bin` } } },
      }),
    );
    const { stdout } = await doctorWithDiscovery(dir);
    const line = stdout.split("\n").find((l) => l.includes("upstream_path")) ?? "";
    assert.match(line, /^✓ upstream_path/, stdout);
    assert.match(line, /on the PATH its server's "env" block sets/);
  }));
