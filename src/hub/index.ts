// The hub resolver's public surface; the rest of src/hub is internal.
export { resolveModel, type ResolveModelOptions } from './resolve-model.js';
export { HubError, type HubErrorKind } from './hub-error.js';
export { hubSettingsFromEnv, type HubSettings } from './hub-settings.js';
export { repoFolderName } from './repo-cache.js';
