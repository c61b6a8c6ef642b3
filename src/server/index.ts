export { startServer, type StartServerOptions, type RunningServer, type ServerStats } from './start-server.js';
export { DEFAULT_LIMITS, resolveLimits, type ServerLimits } from './limits.js';
export { indexBackend, denseIndexBackend, bm25Backend } from './opened-index-backend.js';
export type { SearchBackend, BackendInfo, ServedHit } from './types.js';
export type { ErrorBody } from './http-error.js';
