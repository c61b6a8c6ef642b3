// Bi-encoders: a model plus pooling, heads and settings from its config files or a named preset.
export { Encoder, type EncoderLoadOptions, type EncoderSource } from './encoder.js';
export type { EncoderOverrides } from './settings.js';
export { EncoderPair, refuseOneSidedEncoder, type EncoderPairLoadOptions } from './encoder-pair.js';
export { PRESETS, presetByName, pairedQueryModel, type Preset, type EncoderPairIds } from './presets.js';
export type { TextEncoder, EncoderSide, PassageInput, SideSettings, EncoderSettings, Pooling, PassageFormat, TokenTypes, Similarity } from './types.js';
