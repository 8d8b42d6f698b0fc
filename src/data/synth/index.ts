// The synthetic digit domains' public face, for the CLI, pretraining and workflows.

export { SYNTH_DEFAULTS } from './defaults.js';
export { DOMAIN_IDS, DOMAINS, SOURCE_DOMAIN_ID, getDomain, type DomainSpec, type Look, type RenderParams } from './domains.js';
export { renderDigit } from './render.js';
export { synthesizeDataset, type SynthesisSummary, type SynthesizeArgs } from './write-dataset.js';
