export { fuseRuns, DEFAULT_ALPHA, DEFAULT_FUSED_HITS, DEFAULT_RRF_K, type FuseOptions, type FusionMethod } from './fuse-runs.js';
