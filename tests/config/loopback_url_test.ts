/** Which server URLs name this machine, for `thoth status --check --strict`'s words. */
import assert from "node:assert/strict";
import { isLoopbackUrl } from "../../src/config/loopback_url.ts";

Deno.test("isLoopbackUrl() knows loopback names and addresses in their URL forms", () => {
  for (
    const url of [
      "http://localhost:3000/mcp",
      "http://LOCALHOST./sse",
      "http://api.localhost/mcp",
      "http://127.0.0.1:8931/mcp",
      "http://127.1/mcp",
      "http://0x7f.1/mcp",
      "http://[::1]:9000/mcp",
      "http://[::ffff:127.0.0.1]/mcp",
      "http://0.0.0.0:8080/",
    ]
  ) {
    assert.equal(isLoopbackUrl(url), true, url);
  }
  for (const url of ["https://mcp.example.com/mcp", "http://10.0.0.1/", "not a url", ""]) {
    assert.equal(isLoopbackUrl(url), false, url);
  }
});
