// deno-lint-ignore-file no-console -- a script: printing is its job
/**
 * The baseline for `deno task bench`: the least a stdio relay can do in this
 * runtime. Spawns the command after `--` and pipes bytes both ways, with no
 * framing, parsing or policy.
 */
const separator = Deno.args.indexOf("--");
const [command, ...args] = Deno.args.slice(separator + 1);
if (command === undefined) {
  console.error("usage: minimal_relay.ts -- <command> [args...]");
  Deno.exit(2);
}
const child = new Deno.Command(command, {
  args,
  stdin: "piped",
  stdout: "piped",
  stderr: "inherit",
}).spawn();
const up = Deno.stdin.readable.pipeTo(child.stdin).catch(() => {});
const down = child.stdout.pipeTo(Deno.stdout.writable, { preventClose: true }).catch(() => {});
const status = await child.status;
await Promise.race([down, new Promise((r) => setTimeout(r, 200))]);
void up;
Deno.exit(status.code);
