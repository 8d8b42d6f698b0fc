import { listRegisteredModels, listShippedModels } from '../../models/zoo.js';
import type { Command } from '../command.js';

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
  async run() {
    const models = [...listShippedModels(), ...(await listRegisteredModels())]
      .map(({ id, origin, path, classes, inputShape, bnLayers, description }) => ({ id, origin, path, classes, inputShape, bnLayers, description }));
    const text = models.length === 0 ? 'no models in the zoo'
      : models.map((m) => `${m.id.padEnd(20)} ${m.inputShape.join('×')}  ${m.classes.length} classes  ${m.bnLayers} BN layers  ${m.origin === 'shipped' ? '' : `(${m.origin}) `}${m.description}`).join('\n');
    return { json: { models }, text };
  },
};
