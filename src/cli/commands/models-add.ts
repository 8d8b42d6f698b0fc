import { InputError } from '../../errors.js';
import { addModel } from '../../zoo/add.js';
import type { Command } from '../command.js';
import { flag, str } from '../flags.js';

export const modelsAddCommand: Command = {
  name: 'models add',
  summary: 'register a local tfjs model in the zoo under a name',
  usage: `Usage: calibra models add PATH [--name N] [--overwrite] [--json]

Registers the tfjs layers model at PATH (its model.json or its folder) as N, so --model N finds
it and 'calibra models' lists it. The model must load, as strictly as every load.

Its files (model.json, the weight files it names, and metadata.json, classes.json or
manifest.json where present) are copied into CALIBRA_HOME/models/N/ rather than referenced: the
name then keeps working, and keeps being checked against the content hash in the copy's manifest,
when the original is moved, changed or deleted. Models are a few MB; the copy costs that much disk.

  --name N       the name (default: the model's folder name); letters, digits, '.', '_', '-'
  --overwrite    replace a model already registered under N
  --json         {"name","path","source","files":[{"path","bytes","sha256"}],"contentHash"}`,
  options: {
    name: { type: 'string' },
    overwrite: { type: 'boolean' },
  },
  positionals: true,
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new InputError('models add: give one PATH (a model.json or its folder)');
    const record = await addModel({ path: ctx.positionals[0]!, name: str(ctx.values, 'name'), overwrite: flag(ctx.values, 'overwrite'), log: ctx.log, engine: ctx.engine });
    return {
      json: { name: record.name, path: record.path, source: record.source, files: record.files, contentHash: record.contentHash },
      text: `registered ${record.name}: ${record.path} (copied from ${record.source})\nuse it with --model ${record.name}`,
    };
  },
};
