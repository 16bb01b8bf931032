import assert from "node:assert/strict";
import { deriveAgentId } from "../../src/proxy/derive_agent_id.ts";

/** Commands whose derived ids are already in policies and audit logs: these must not change. */
const pinned: [string, string[], string][] = [
  ["npx", ["-y", "@modelcontextprotocol/server-gdrive"], "server-gdrive"],
  [
    "npx",
    ["-y", "@modelcontextprotocol/server-filesystem@2026.8.31", "/data"],
    "server-filesystem",
  ],
  [
    "deno",
    ["run", "-A", "npm:@modelcontextprotocol/server-everything@2026.8.31", "stdio"],
    "server-everything",
  ],
  ["uvx", ["mcp-server-git==1.2", "--repository", "."], "mcp-server-git"],
  ["node", ["/home/ana/servers/slack.js"], "slack"],
  ["/usr/local/bin/Jira MCP", [], "jira-mcp"],
  ["C:\\tools\\weather.exe", ["--port", "1"], "weather"],
  ["python3", ["-m"], "python3"],
];

/** Launcher options whose values are not the server, and options that name it. */
const launchers: [string, string[], string][] = [
  // deno: --config, --import-map, --lock, --cert and --location take a value; = forms never do
  [
    "deno",
    [
      "run",
      "-A",
      "--config",
      "/x/deno.json",
      "npm:@modelcontextprotocol/server-everything@2026.8.31",
      "stdio",
    ],
    "server-everything",
  ],
  [
    "deno",
    ["run", "-c", "deno.jsonc", "--lock", "deno.lock", "jsr:@ana/mcp-notes@1.2.0"],
    "mcp-notes",
  ],
  ["deno", ["run", "--import-map", "map.json", "--cert", "ca.pem", "./server.ts"], "server"],
  ["deno", [
    "run",
    "--location",
    "https://x.test",
    "--v8-flags=--max-old-space-size=512",
    "main.ts",
  ], "main"],
  ["deno", ["run", "--env-file", "--cert", "ca.pem", "npm:@ana/weather-mcp"], "weather-mcp"],
  [
    "deno",
    ["run", "--env-file=.env", "--config=deno.json", "--seed", "7", "npm:@ana/weather-mcp"],
    "weather-mcp",
  ],
  ["deno", ["run", "--a-new-option", "./settings.jsonc", "npm:@ana/weather-mcp"], "weather-mcp"],
  ["deno", ["x", "--package=npm:@ana/tools-mcp", "tools"], "tools-mcp"],
  // docker: -e, -v, --name, -p, --network, --entrypoint, -w and -u take a value; tags are dropped
  ["docker", ["run", "-e", "GITHUB_TOKEN", "mcp/github"], "github"],
  [
    "docker",
    ["run", "-i", "--rm", "-e", "GITHUB_TOKEN", "-v", "/data:/data", "--name", "gh", "mcp/github"],
    "github",
  ],
  [
    "docker",
    ["run", "-p", "8080:80", "--network", "host", "ghcr.io/ana/search-mcp:1.4"],
    "search-mcp",
  ],
  ["docker", ["run", "--entrypoint", "node", "-w", "/app", "-u", "1000", "mcp/fetch"], "fetch"],
  ["docker", [
    "container",
    "run",
    "--env=TOKEN=x",
    "--mount",
    "type=bind,src=/a,dst=/a",
    "mcp/time",
  ], "time"],
  ["docker", ["run", "--memory-swappiness", "10", "--unknown", "FOO=bar", "mcp/github"], "github"],
  // npx: the package -p installs is the server, not the binary it runs
  [
    "npx",
    ["--yes", "--cache", "/tmp/npm", "-p", "@ana/mcp-tools@2.0.0", "mcp-tools-stdio"],
    "mcp-tools",
  ],
  ["npx", ["--package=@ana/mcp-tools", "mcp-tools-stdio"], "mcp-tools"],
  ["npx", ["--registry", "https://npm.test", "-y", "server-x"], "server-x"],
  ["npx", ["-c", "echo hi"], "npx"],
  ["npm", ["exec", "--workspace", "api", "--", "@ana/mcp-tools"], "mcp-tools"],
  ["pnpm", ["-C", "/srv", "dlx", "server-y@1"], "server-y"],
  // node: -r, --require, --import and --loader take a module; -e is inline code
  ["node", ["-r", "dotenv/config", "--import", "tsx", "server.mjs"], "server"],
  ["node", ["--require=./trace.cjs", "--loader", "ts-node/esm", "/srv/mail.ts"], "mail"],
  ["node", ["--env-file", ".env", "dist/index.js"], "index"],
  ["node", ["-e", "require('x')"], "node"],
  // python: -m names the module, which is the server; -X and -W take a value
  ["python", ["-X", "utf8", "-m", "mcp_server_fetch", "--user-agent", "x"], "mcp_server_fetch"],
  ["python3", ["-W", "ignore", "server.py"], "server"],
  ["python3", ["-u", "-c", "import x"], "python3"],
  // uv, uvx and pipx: --from and --spec name the package; --with and --python take a value
  [
    "uvx",
    ["--python", "3.12", "--from", "git+https://github.com/ana/mcp-notes", "notes-server"],
    "mcp-notes",
  ],
  ["uvx", ["--with", "httpx", "mcp-server-fetch"], "mcp-server-fetch"],
  ["uvx", ["--from=mcp-server-time[cli]>=1.0", "time-server"], "mcp-server-time"],
  ["uv", ["run", "--with", "mcp", "--directory", "/srv/app", "server.py"], "server"],
  ["uv", ["run", "--project", "/srv/app", "-m", "notes_mcp"], "notes_mcp"],
  ["uv", ["tool", "run", "-p", "3.11", "mcp-server-git"], "mcp-server-git"],
  [
    "pipx",
    ["run", "--python", "3.12", "--spec", "mcp-server-sqlite==0.6", "mcp-server-sqlite"],
    "mcp-server-sqlite",
  ],
  // bun
  ["bun", ["run", "--preload", "./setup.ts", "--cwd", "/srv", "index.ts"], "index"],
  ["bunx", ["--package=@ana/bun-mcp", "bun-mcp-cli"], "bun-mcp"],
  ["uvx", ["--from=", "mcp-server-git"], "uvx"],
  // Found by review: docker exec, versioned launchers, cmd /c, role-named scripts, odd names.
  ["docker", ["exec", "-i", "mycontainer", "node", "server.js"], "mycontainer"],
  ["docker", ["run", "--memory-swap", "1g", "mcp/fetch"], "fetch"],
  ["python3.12", ["-m", "mcp_server_time"], "mcp_server_time"],
  ["node22", ["/srv/weather/build/index.js"], "weather"],
  ["cmd", ["/c", "npx", "-y", "@ana/notes-mcp"], "notes-mcp"],
  ["npx", ["--loglevel", "silent", "@ana/notes-mcp"], "notes-mcp"],
  ["node", ["/home/ana/github-mcp/dist/index.js"], "github-mcp"],
  ["python", ["/srv/mcp/tools/__main__.py"], "tools"],
  ["node", ["_server.js"], "server"],
  // A package named like a role is that package, not its scope.
  ["npx", ["-y", "@acme/server"], "server"],
  ["npx", ["-y", "@acme/cli"], "cli"],
  ["deno", ["run", "-A", "jsr:@scope/server"], "server"],
];

for (const [command, args, expected] of [...pinned, ...launchers]) {
  Deno.test(`deriveAgentId() names ${JSON.stringify([command, ...args].join(" "))} "${expected}"`, () => {
    assert.equal(deriveAgentId(command, args), expected);
  });
}

Deno.test("deriveAgentId() always returns a non-empty [a-z0-9._-] id", () => {
  const commands: [string, string[]][] = [
    ["deno", ["run", "--config"]],
    ["docker", ["run", "-e"]],
    ["npx", ["-p"]],
    ["npx", ["--", "!!!"]],
    ["node", ["-"]],
    ["uvx", ["--from=", "x"]],
    ["", []],
    ["docker", ["run", "-i", "--rm", `${"a".repeat(100)}/${"B".repeat(100)}:latest`]],
  ];
  for (const [command, args] of commands) {
    const id = deriveAgentId(command, args);
    assert.match(id, /^[a-z0-9._-]{1,64}$/, `${command} ${args.join(" ")} gave "${id}"`);
  }
});
