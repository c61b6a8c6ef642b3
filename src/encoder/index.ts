// Bi-encoders: a model plus pooling, heads and settings from its config files or a named preset.
export { Encoder, type EncoderLoadOptions, type EncoderSource } from './encoder.js';
export type { EncoderOverrides } from './settings.js';
export { PRESETS, presetByName, type Preset } from './presets.js';
export type { TextEncoder, PassageInput, SideSettings, EncoderSettings, Pooling, PassageFormat, TokenTypes, Similarity } from './types.js';
