import { listRegisteredModels, listShippedModels, type ZooEntry } from '../../models/zoo.js';
import type { Command, CommandContext } from '../command.js';

/** Registered models live in the store; under --no-record a store that cannot be read hides them, with a warning. */
async function registeredModels(ctx: CommandContext): Promise<ZooEntry[]> {
  try {
    return await listRegisteredModels();
  } catch (err) {
    if (ctx.values['no-record'] !== true) throw err;
    ctx.log(`warning: registered models not listed: ${(err as Error).message}`);
    return [];
  }
}

export const modelsCommand: Command = {
  name: 'models',
  summary: 'list the model zoo (shipped and registered models)',
  usage: `Usage: calibra models [--json]

Lists the zoo: the models Calibra ships in pretrained/, then those registered with
'calibra models pull NAME' or 'calibra models add PATH'. Any of their ids works wherever a
command takes --model M; so does a path to a tfjs layers model.json or its folder.

  --json   {"models":[{"id","origin","path","classes","inputShape","bnLayers","description"}]};
           origin is shipped, pull or add`,
  options: {},
  async run(ctx) {
    const models = [...listShippedModels(), ...(await registeredModels(ctx))]
      .map(({ id, origin, path, classes, inputShape, bnLayers, description }) => ({ id, origin, path, classes, inputShape, bnLayers, description }));
    const text = models.length === 0 ? 'no models in the zoo'
      : models.map((m) => `${m.id.padEnd(20)} ${m.inputShape.join('×')}  ${m.classes.length} classes  ${m.bnLayers} BN layers  ${m.origin === 'shipped' ? '' : `(${m.origin}) `}${m.description}`).join('\n');
    return { json: { models }, text };
  },
};
