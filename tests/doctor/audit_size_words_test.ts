/** How the audit check words the log's size and record count. */
import assert from "node:assert/strict";
import { AUDIT_LOG_WARN_BYTES } from "../../src/doctor/check_audit.ts";
import { formatBytes, groupDigits } from "../../src/size_text.ts";

Deno.test("formatBytes() and groupDigits() write sizes and counts as the audit check does", () => {
  assert.equal(formatBytes(512), "512 B");
  assert.equal(formatBytes(1_395_864_371), "1.3 GiB");
  assert.equal(formatBytes(2 * 1024 ** 3), "2.0 GiB");
  assert.equal(groupDigits(1234567), "1,234,567");
  assert.equal(groupDigits(12), "12");
});

Deno.test("the audit check warns over 2 GiB by default", () => {
  assert.equal(AUDIT_LOG_WARN_BYTES, 2 * 1024 ** 3);
});
