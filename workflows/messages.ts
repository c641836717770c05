import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CaseState } from '../domain/case';
import type { CommandInput, ProviderEvent } from '../domain/commands';
import { commandNames, type CommandName } from '../domain/vocabulary';

/**
 * The messages a case workflow handles, declared apart from its body so the API can import them.
 * Every command is an update named as the command (domain/commands.ts): the validator answers at
 * once whether it fits the case; the update completes when the change is recorded in Postgres.
 */
export const getState = defineQuery<CaseState>('getState');

export type CommandUpdates = { [N in CommandName]: UpdateDefinition<CaseState, [CommandInput<N>], N> };
export const commandUpdates = Object.fromEntries(
  commandNames.map((n) => [n, defineUpdate(n)]),
) as unknown as CommandUpdates;

/** Answers once every change so far is recorded in Postgres (the API opens a case with it, so the caller can read what it opened). */
export const whenRecorded = defineUpdate<CaseState, []>('whenRecorded');

/** A provider's answer to a referral, from a provider's own system (fire and forget; deduplicated by eventId). */
export const providerEvent = defineSignal<[ProviderEvent]>('providerEvent');
