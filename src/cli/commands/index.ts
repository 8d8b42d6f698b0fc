// The command table: every command Calibra has, in the order help lists them.
import type { Command } from '../command.js';
import { modelsCommand } from './models.js';
import { modelsShowCommand } from './models-show.js';
import { modelsPullCommand } from './models-pull.js';
import { modelsAddCommand } from './models-add.js';
import { dataSynthCommand } from './data-synth.js';
import { evalCommand } from './eval.js';
import { trainCommand } from './train.js';
import { adaptCommand } from './adapt.js';
import { benchCommand } from './bench.js';
import { runCommand } from './run.js';
import { runsCommand } from './runs.js';
import { predictCommand } from './predict.js';
import { recalibrateCommand } from './recalibrate.js';
import { inspectCommand } from './inspect.js';

export const commands: readonly Command[] = [
  modelsCommand, modelsShowCommand, modelsPullCommand, modelsAddCommand, dataSynthCommand, evalCommand, predictCommand, trainCommand, recalibrateCommand, adaptCommand, inspectCommand, runCommand, runsCommand, benchCommand,
];
