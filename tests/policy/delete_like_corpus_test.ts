/**
 * Tool names as public MCP servers name them (GitHub, Slack, AWS, GCP,
 * Kubernetes, Stripe, Notion, Gmail, filesystem, databases, Supabase,
 * Cloudflare, Docker), each with what the default policy's `delete-like`
 * rule should answer: a name that says it deletes is asked, a read-only or
 * non-deleting one is not. Each name is its own test, so a change to the
 * rule's globs names every tool it broke.
 */
import assert from "node:assert/strict";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { toolCall } from "./_call.ts";

const CORPUS: readonly (readonly [string, "asked" | "not asked"])[] = [
  // GitHub
  ["delete_file", "asked"],
  ["delete_branch", "asked"],
  ["delete_workflow_run_logs", "asked"],
  ["remove_sub_issue", "asked"],
  ["delete_pending_pull_request_review", "asked"],
  ["list_issues", "not asked"],
  ["get_file_contents", "not asked"],
  ["search_code", "not asked"],
  ["create_or_update_file", "not asked"],
  ["merge_pull_request", "not asked"],
  ["list_branches", "not asked"],
  // Slack
  ["slack_delete_message", "asked"],
  ["chat.delete", "asked"],
  ["reactions.remove", "asked"],
  ["slack_list_channels", "not asked"],
  ["slack_get_channel_history", "not asked"],
  ["slack_post_message", "not asked"],
  // AWS
  ["terminate_ec2_instances", "asked"],
  ["TerminateInstances", "asked"],
  ["ec2_terminate_instances", "asked"],
  ["s3_deletefile", "asked"],
  ["delete_s3_bucket", "asked"],
  ["DeleteDBInstance", "asked"],
  ["delete_stack", "asked"],
  ["describe_instances", "not asked"],
  ["list_objects_v2", "not asked"],
  ["get_cost_and_usage", "not asked"],
  ["DescribeDBInstances", "not asked"],
  ["list_terminated_instances", "not asked"],
  // GCP
  ["gcs_delete_object", "asked"],
  ["compute_instances_delete", "asked"],
  ["bigquery_drop_table", "asked"],
  ["bigquery_list_datasets", "not asked"],
  ["list_instances", "not asked"],
  // Kubernetes
  ["kubectl_delete", "asked"],
  ["pods_delete", "asked"],
  ["resources_delete", "asked"],
  ["helm_uninstall", "asked"],
  ["uninstall_helm_chart", "asked"],
  ["kubectl_get", "not asked"],
  ["pods_list", "not asked"],
  ["events_list", "not asked"],
  ["kubectl_describe", "not asked"],
  // Stripe
  ["delete_customer", "asked"],
  ["stripe_delete_product", "asked"],
  ["list_customers", "not asked"],
  ["create_refund", "not asked"],
  ["retrieve_balance", "not asked"],
  ["cancel_subscription", "not asked"],
  // Notion
  ["API-delete-a-block", "asked"],
  ["API-post-search", "not asked"],
  ["API-retrieve-a-page", "not asked"],
  ["notion-fetch", "not asked"],
  // Gmail
  ["delete_email", "asked"],
  ["batch_delete_emails", "asked"],
  ["gmail_trashmessage", "asked"],
  ["gmail_trash_message", "asked"],
  ["trash_email", "asked"],
  ["delete_label", "asked"],
  ["read_email", "not asked"],
  ["search_emails", "not asked"],
  ["list_email_labels", "not asked"],
  ["untrash_message", "not asked"],
  ["get_deleted_items", "not asked"],
  // filesystem
  ["move_file_to_trash", "asked"],
  ["rmdir", "asked"],
  ["read_text_file", "not asked"],
  ["list_directory", "not asked"],
  ["directory_tree", "not asked"],
  ["get_file_info", "not asked"],
  ["move_file", "not asked"],
  ["list_deleted_files", "not asked"],
  ["dropbox_list_folder", "not asked"],
  ["list_trash", "not asked"],
  // databases
  ["delete-many", "asked"],
  ["drop-collection", "asked"],
  ["drop-database", "asked"],
  ["drop_database", "asked"],
  ["DROP_TABLE", "asked"],
  ["list-collections", "not asked"],
  ["read_query", "not asked"],
  ["list_tables", "not asked"],
  ["describe_table", "not asked"],
  ["execute_sql", "not asked"],
  // Supabase and Cloudflare
  ["r2_bucket_delete", "asked"],
  ["d1_database_delete", "asked"],
  ["kv_namespace_delete", "asked"],
  ["list_projects", "not asked"],
  ["get_deletion_status", "not asked"],
  // Docker and devices
  ["remove_container", "asked"],
  ["remove_image", "asked"],
  ["docker_prune", "asked"],
  ["prune_unused_images", "asked"],
  ["terminate_workflow", "asked"],
  ["wipe_device_data", "asked"],
  ["erase_all_data", "asked"],
  ["unlink_account", "asked"],
  ["list_containers", "not asked"],
  ["get_wipe_status", "not asked"],
  // a later word's object word in camelCase only as a capitalized word of its own
  ["getTrashMetadata", "not asked"],
  ["getTrashCatalog", "not asked"],
  ["getPruneBacklog", "not asked"],
  ["getTrashDialog", "not asked"],
  ["getEraseProgressLog", "not asked"],
  ["getTrashSettingsKey", "not asked"],
  ["uninstallPreviewMetadata", "not asked"],
  ["pruneOldImages", "asked"],
  ["terminateEC2Instances", "asked"],
  // between a later word and its object, only qualifiers (unused, all, ec2, ...), never a
  // reading word; history, log, event and token after it are its record
  ["trash_get_item", "not asked"],
  ["get_wipe_history", "not asked"],
  ["trash_list_items", "not asked"],
  ["trash_search_messages", "not asked"],
  ["wipe_status_devices", "not asked"],
  ["wipe_get_devices", "not asked"],
  ["list_prune_logs", "not asked"],
  ["prune_report_images", "not asked"],
  ["erase_status_all", "not asked"],
  ["get_erase_token", "not asked"],
  ["terminate_dry_run_instances", "not asked"],
  ["unlink_preview_users", "not asked"],
  ["prune_all_unused_images", "asked"],
  ["PRUNE_ALL_UNUSED_IMAGES", "asked"],
  ["prune_old_backups", "asked"],
  // a word with an "able" ending of its own
  ["get_purgeable_space", "not asked"],
  ["list_purgeable_snapshots", "not asked"],
  ["purgeable", "not asked"],
  ["deletable", "not asked"],
  ["removable_media", "not asked"],
  ["removeable_media", "not asked"],
  ["droppable", "not asked"],
  ["destroyable", "not asked"],
  // Docker, S3, Drive, Slack, Redis, IMAP and the shell
  ["docker_rmi", "asked"],
  ["gdrive_trash", "asked"],
  ["slack_trash", "asked"],
  ["redis_unlink", "asked"],
  ["s3_rb", "asked"],
  ["aws_s3_rb", "asked"],
  ["empty_bucket", "asked"],
  ["emptyBucket", "asked"],
  ["redis_del", "asked"],
  ["hdel", "asked"],
  ["flushdb", "asked"],
  ["flushall", "asked"],
  ["flush_cache", "asked"],
  ["expunge", "asked"],
  ["imap_expunge", "asked"],
  ["shred_file", "asked"],
  ["TRUNCATE", "asked"],
  ["rmi_registry", "not asked"],
  ["is_empty", "not asked"],
  ["empty_state", "not asked"],
  ["list_empty_buckets", "not asked"],
  ["flush_logs", "not asked"],
  ["model_del", "not asked"],
  ["get_delivery_status", "not asked"],
  // named in the README as not asked
  ["get_dropdown_options", "not asked"],
  ["removeditems", "not asked"],
  ["deletedbuckets", "not asked"],
  ["truncate_text", "not asked"],
  ["truncate_file_name", "not asked"],
  ["getWipeStatus", "not asked"],
  ["prune_preview", "not asked"],
];

const policy = compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "policy.jsonc"));

for (const [tool, expected] of CORPUS) {
  Deno.test(`delete-like corpus: ${tool} is ${expected}`, () => {
    const e = evaluate(policy, toolCall("svc", tool, {}, {}), { intent: undefined });
    assert.deepEqual(
      { decision: e.decision, ruleIds: e.ruleIds },
      expected === "asked"
        ? { decision: "step_up", ruleIds: ["delete-like"] }
        : { decision: "allow", ruleIds: ["policy.default"] },
    );
  });
}
