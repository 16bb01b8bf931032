/**
 * `thoth doctor` and `thoth health` on a client config they cannot read as the
 * client reads it: the real CLI, in a profile and HOME of its own, with the
 * Claude Desktop config at its Linux place. Such a config is a failure with
 * the file, the problem and its remedy, never "0 of 0 servers governed".
 */
import assert from "node:assert/strict";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { runThoth } from "./_thoth_process.ts";

const THOTH = "/opt/thoth/bin/thoth";

/** What the reviewer found in place of a config, and how the problem reads. */
const BROKEN: readonly { name: string; make: (path: string) => Promise<void>; problem: RegExp }[] =
  [
    {
      name: 'the key "mcpServers" twice (the client takes the last, an ungoverned npx)',
      make: (path) =>
        Deno.writeTextFile(
          path,
          JSON.stringify({ mcpServers: { a: { command: THOTH, args: ["run", "--", "x"] } } })
            .slice(0, -1) + ', "mcpServers": {"b": {"command": "npx", "args": ["pkg"]}}}',
        ),
      problem: /has the key "mcpServers" twice in one object/,
    },
    {
      name: "a truncated config",
      make: (path) => Deno.writeTextFile(path, '{"mcpServers": {"a": {"command": "npx"'),
      problem: /invalid JSON in config .*claude_desktop_config\.json:1:\d+/,
    },
    {
      name: "a FIFO at the config path",
      make: async (path) => {
        const made = await new Deno.Command("mkfifo", { args: [path] }).output();
        assert.equal(made.code, 0);
      },
      problem: /cannot read config ".*claude_desktop_config\.json": it is not a regular file/,
    },
  ];

async function inHome(fn: (dir: string, config: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "thoth-broken-config-" });
  try {
    await Deno.mkdir(`${dir}/.config/Claude`, { recursive: true });
    await fn(dir, `${dir}/.config/Claude/claude_desktop_config.json`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function envFor(dir: string): Record<string, string> {
  return { HOME: dir, XDG_CONFIG_HOME: `${dir}/.config`, THOTH_HOME: `${dir}/.thoth` };
}

for (const broken of BROKEN) {
  Deno.test({
    name: `thoth doctor fails client_configs on ${broken.name}, naming the file and the remedy`,
    ignore: Deno.build.os === "windows",
    fn: () =>
      inHome(async (dir, config) => {
        await broken.make(config);
        const run = await runThoth(["doctor"], { env: envFor(dir), cwd: dir });
        assert.equal(run.code, 1, run.out);
        const lines = run.out.split("\n");
        const at = lines.findIndex((line) => / client_configs /.test(line));
        const line = lines[at] ?? "";
        assert.match(line, /^✗ client_configs +1 client config, 0 of 0 servers governed; /);
        assert.match(
          line,
          /claude-desktop: its config cannot be used, so its servers are unknown: /,
        );
        assert.match(line, broken.problem);
        assert.match(
          lines[at + 1] ?? "",
          new RegExp(`hint: .*; check it again with: thoth status --config "${config}"$`),
        );
      }),
  });

  Deno.test({
    name: `thoth health --json reports ${broken.name} as the client's problem, with a hint`,
    ignore: Deno.build.os === "windows",
    fn: () =>
      inHome(async (dir, config) => {
        await broken.make(config);
        const run = await runThoth(["health", "--json"], { env: envFor(dir), cwd: dir });
        assert.equal(run.code, 0, run.err);
        const report = HealthReportSchema.parse(JSON.parse(run.out));
        const [client, ...others] = report.clients ?? [];
        assert.deepEqual(others, []);
        assert.equal(client?.client, "claude-desktop");
        assert.equal(client?.config_path, config);
        assert.match(client?.problem ?? "", broken.problem);
        assert.match(client?.hint ?? "", /check it again with: thoth status --config /);
        // Said on stderr too, as the profile's and the audit's problems are.
        assert.match(run.err, /^thoth: clients: .*/m);
        assert.match(run.err, /^thoth: hint: .*check it again with: thoth status --config /m);
        const human = await runThoth(["health"], { env: envFor(dir), cwd: dir });
        assert.match(human.out, /^clients +claude-desktop: servers unknown: /m);
      }),
  });
}

Deno.test({
  name: "thoth health --json leaves problem null for a config it reads",
  ignore: Deno.build.os === "windows",
  fn: () =>
    inHome(async (dir, config) => {
      await Deno.writeTextFile(config, '{"mcpServers": {"b": {"command": "npx"}}}');
      const run = await runThoth(["health", "--json"], { env: envFor(dir), cwd: dir });
      const report = HealthReportSchema.parse(JSON.parse(run.out));
      assert.deepEqual(report.clients?.map((c) => [c.ungoverned, c.problem, c.hint]), [
        [["b"], null, null],
      ]);
      assert.doesNotMatch(run.err, /thoth: clients:/);
    }),
});
