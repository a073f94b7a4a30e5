import { Command } from 'commander';
import { CliContext } from '../cli-context';
import { registerApiKeyCommands } from './api-key.command';
import { registerDlqCommands } from './dlq.command';
import { registerIncidentCommands } from './incident.command';
import { registerIntegrationCommands } from './integration.command';
import { registerSyncCommands } from './sync.command';
import { registerConflictCommands } from './conflict.command';
import { registerBackfillCommands } from './backfill.command';

export type RegisterCommands = (program: Command, ctx: CliContext) => void;

/**
 * Every command group of `im`. To add one: create `commands/<group>.command.ts` exporting
 * `register<Group>Commands(program, ctx)` and add ONE line here. To add a subcommand to an
 * existing group (e.g. `im integration sync-status`), get the group with
 * `integrationGroup(program)` / `groupCommand(program, …)` from ./command-groups — order here
 * does not matter.
 */
export const COMMAND_GROUPS: readonly RegisterCommands[] = [
  registerIntegrationCommands,
  registerApiKeyCommands,
  registerIncidentCommands,
  registerDlqCommands,
  registerSyncCommands, registerConflictCommands,
  registerBackfillCommands,
];
