// The command table: every command Calibra has, in the order help lists them.
import type { Command } from '../command.js';
import { modelsCommand } from './models.js';
import { dataSynthCommand } from './data-synth.js';
import { evalCommand } from './eval.js';
import { trainCommand } from './train.js';
import { adaptCommand } from './adapt.js';
import { benchCommand } from './bench.js';
import { runCommand } from './run.js';
import { runsCommand } from './runs.js';

export const commands: readonly Command[] = [modelsCommand, dataSynthCommand, evalCommand, trainCommand, adaptCommand, runCommand, runsCommand, benchCommand];
