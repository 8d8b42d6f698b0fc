import { listShippedModels } from '../../models/zoo.js';
import type { Command } from '../command.js';

export const modelsCommand: Command = {
  name: 'models',
  summary: 'list the model zoo (shipped pretrained models)',
  usage: `Usage: calibra models [--json]

Lists the models Calibra ships in pretrained/. Any of their ids works wherever a command takes
--model M; so does a path to a tfjs layers model.json or its folder.`,
  options: {},
  async run() {
    const models = listShippedModels().map(({ id, path, classes, inputShape, bnLayers, description }) => ({ id, path, classes, inputShape, bnLayers, description }));
    const text = models.length === 0 ? 'no models in the zoo'
      : models.map((m) => `${m.id.padEnd(20)} ${m.inputShape.join('×')}  ${m.classes.length} classes  ${m.bnLayers} BN layers  ${m.description}`).join('\n');
    return { json: { models }, text };
  },
};
