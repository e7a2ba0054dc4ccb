// Start-up of the DEMAND.* cell functions in Excel's shared runtime: one batcher over the same settings and API
// client as the pane (so a new service URL or API key saved in Settings applies to the next recalculation), then
// each metadata id bound to its code.
import { createApiClient, type ClientOptions } from '../api/client';
import { normaliseServiceUrl, type Settings, type SettingsStore } from '../settings/settings';
import { QueryBatcher, type BatchConnection, type BatcherOptions } from './batcher';
import { FUNCTIONS, useBatcher } from './functions';
import { associateFunctions } from './runtime';

/** A batcher connection that reads the settings at each flush. */
export function settingsConnection(load: () => Promise<Settings>, clientOptions: ClientOptions = {}): () => Promise<BatchConnection> {
  return async () => {
    const settings = await load();
    const client = createApiClient(settings, clientOptions);
    return { key: `${normaliseServiceUrl(settings.serviceUrl)}\n${settings.apiKey}`, send: (request) => client.batch(request) };
  };
}

/** Wires the functions to the settings store; returns the batcher, or null outside Excel (nothing to register with). */
export function startCustomFunctions(
  settingsStore: Pick<SettingsStore, 'load'>,
  options: Omit<BatcherOptions, 'connect'> = {},
): QueryBatcher | null {
  const batcher = new QueryBatcher({ ...options, connect: settingsConnection(() => settingsStore.load()) });
  useBatcher(batcher);
  return associateFunctions(FUNCTIONS) ? batcher : null;
}
