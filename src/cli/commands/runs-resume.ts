// `calibra runs resume ID`: continues a stopped or killed train run from its checkpoint.
import { InputError } from '../../errors.js';
import { resumeRequest } from '../../run/resume-request.js';
import type { TrainStepResult } from '../../workflows/steps/train.js';
import type { CommandContext, CommandResult } from '../command.js';
import { trainSummaryText } from './train.js';

export async function resumeRun(ctx: CommandContext, id: string | undefined): Promise<CommandResult> {
  if (!id) throw new InputError('runs resume: give the id of a stopped or killed train run (see calibra runs)');
  const request = await resumeRequest(id, ctx.log);
  const [outcome] = await ctx.runSteps(request.steps);
  const r = outcome!.result as unknown as TrainStepResult;
  return { json: { ...r, resumedFrom: request.resumedFrom }, text: trainSummaryText(r) };
}
