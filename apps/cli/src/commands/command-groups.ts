import { Command } from 'commander';

/**
 * Finds or creates the group `name` under `parent` (e.g. `integration`), so several files
 * can add subcommands to one group in any registration order: the integration core adds
 * configure/list/…, the sync-engine's file adds `sync-status`, the DLQ's adds `dlq`.
 */
export function groupCommand(parent: Command, name: string, description: string): Command {
  const existing = parent.commands.find((c) => c.name() === name);
  if (existing) {
    if (!existing.description()) existing.description(description);
    return existing;
  }
  return parent.command(name).description(description);
}

/** `im integration …`: the group every integration-scoped command joins. */
export function integrationGroup(program: Command): Command {
  return groupCommand(program, 'integration', 'configure and inspect integrations (PagerDuty)');
}
