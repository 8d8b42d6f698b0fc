// `recalibrate`'s options: its flags, its --help and the fields of a preset's recalibrate step.
import { DEFAULT_MIN_IMAGES } from '../bn/min-images.js';
import type { OptionSpec } from './option-spec.js';
import { batchOption, modelOption, outOption, overwriteOption, preprocessOption, trustWeightsOption } from './shared.js';

export const RECALIBRATE_OPTIONS = [
  modelOption,
  { field: 'images', flag: 'images', kind: 'path', placeholder: 'DIR', required: true, section: 'Input', help: 'unlabelled target-domain images' },
  {
    field: 'minImages', flag: 'min-images', kind: 'integer', placeholder: 'N', min: 1, default: DEFAULT_MIN_IMAGES, section: 'Input',
    help: 'refuse fewer readable images than this',
    details: `A per-channel mean over fewer images than one ordinary BN training batch
of 32 is noisier than what the network was trained with; BN degrades
below 16 per batch.`,
  },
  {
    ...preprocessOption,
    help: "model input from pixels, overriding what the model says, and saved in --out's manifest (recalibrate with the resize mode you will evaluate with):",
  },
  trustWeightsOption,
  {
    field: 'mode', flag: 'mode', kind: 'choice', choices: ['exact', 'fast'], default: 'exact', section: 'AdaBN',
    help: 'exact measures each BN layer on inputs its recalibrated upstream layers normalised; fast takes one pass',
    details: `exact: BN layers in network order, each measured on inputs that every BN
upstream of it, already recalibrated, has normalised: what the network
sees at inference. Activations are cached (up to 512 MiB), so this costs
about one forward pass when they fit.
fast: one pass, each BN normalising with its own batch's statistics (like
PyTorch's update_bn); equal to exact for the first BN layer only.`,
  },
  {
    ...batchOption, default: 32, section: 'AdaBN',
    details: `Exact mode's result does not depend on it, fast mode's does (through
the batch statistics).`,
  },
  {
    field: 'groups', flag: 'groups', kind: 'text', placeholder: 'G,...', list: true, section: 'AdaBN',
    help: "recalibrate only the BN layers of these groups (see 'calibra models show M')",
    details: 'The others keep their statistics bit for bit.',
  },
  { ...outOption, help: 'where the recalibrated model goes' },
  { ...overwriteOption, help: 'replace --out if it holds a Calibra model' },
] as const satisfies readonly OptionSpec[];
