// A train step's stages as each begins: the freeze spec and BN policy applied to the model, BN
// layers newly set to `reset` re-estimated, and a fresh optimizer and schedule for the stage.
import type { tf } from '../../engine/tf.js';
import { InputError } from '../../errors.js';
import { adaBn } from '../../bn/adabn.js';
import { noisyMicroBatches, SMALL_BN_BATCH } from '../../bn/small-batch.js';
import { isBatchNorm } from '../../bn/batch-norm-layer.js';
import { imageSource } from '../../bn/input-source.js';
import { BadFileReport } from '../../data/bad-files.js';
import type { LabelledDataset } from '../../data/dataset.js';
import { parseFreezeSpec, type LayerGroup } from '../../models/groups.js';
import { leafLayers } from '../../models/layer-walk.js';
import type { Manifest } from '../../models/manifest.js';
import { optimizerFor } from '../../train/optimizers.js';
import { variableOptions } from '../../train/param-options.js';
import { scheduleFor } from '../../train/schedule.js';
import type { StageSetup } from '../../train/staged-run.js';
import { applyStrategy, type AppliedStrategy, type StrategyArgs } from '../../train/strategy.js';
import type { TrainStep } from '../schema.js';
import type { StepEnv } from '../step-env.js';
import type { StagePlanSpec } from './train-recipe.js';

/** The step's fields that say what trains and what BN does. */
export function strategyArgs(o: TrainStep): StrategyArgs {
  return { freeze: parseFreezeSpec(o.freeze)!, bnStats: o.bnStats, bnAffine: o.bnAffine, bnMomentum: o.bnMomentum, bnEpsilon: o.bnEps, bn: o.bn };
}

/**
 * Puts the model in each stage's state as the stage begins: its freeze spec and BN policy, BN
 * layers newly set to `reset` re-estimated, and a fresh optimizer over the variables that train.
 */
export class StageStarter {
  /** The strategy of the stage begun last. */
  last: AppliedStrategy | null = null;
  /** Whether any stage let BN statistics move. */
  movedStatistics = false;
  private readonly reset = new Set<string>();
  /** BN layers the accumulation warning has been given for; a later stage warns only if it adds some. */
  private warnedFor = 0;

  constructor(
    private readonly model: tf.LayersModel, private readonly groups: LayerGroup[], private readonly manifest: Manifest,
    private readonly trainSet: LabelledDataset, private readonly o: TrainStep, private readonly env: StepEnv,
  ) {}

  /**
   * `stage` numbers the stage in notes when the run has several. `resumed`: the stage was under
   * way at the checkpoint a run resumes from, whose weights already hold the statistics that its
   * `reset` layers were re-estimated to, so they are not estimated again.
   */
  async begin(spec: StagePlanSpec, stage: number | null, resumed = false): Promise<StageSetup> {
    const { model, groups, o, env } = this;
    const strategy = this.apply(spec);
    if (strategy.variables.length === 0) throw new InputError(`${spec.where} ${spec.freeze}: leaves nothing to train`);
    this.last = strategy;
    const frozen = groups.map((g) => g.name).filter((name) => !strategy.trainableGroups.includes(name));
    env.emit({ type: 'GroupsChosen', stage, epochs: spec.epochs, lr: spec.lr, trainable: strategy.trainableGroups, frozen, trainableParams: strategy.trainableParams, totalParams: strategy.totalParams });
    const fresh = strategy.resetLayers.filter((name) => !this.reset.has(name));
    if (resumed) for (const name of fresh) this.reset.add(name);
    else await this.resetStatistics(fresh);
    this.warnAccumulation(strategy.batchNormUpdating);
    const optimizer = optimizerFor(o.optimizer, spec.lr, {
      weightDecay: o.weightDecay, nesterov: o.nesterov,
      ...variableOptions(model, groups, strategy.trainableGroups, strategy.variables, o.lrMult),
    });
    return { variables: strategy.variables, optimizer, schedule: scheduleFor(o.schedule, spec.lr, spec.steps, o.warmup) };
  }

  /**
   * A stage that ended before the checkpoint a run resumes from: its settings are applied as
   * when it ran (the next stage's replace them, as they did then) and what later stages depend
   * on is recorded; its optimizer and its re-estimation are in the past.
   */
  passed(spec: StagePlanSpec): void {
    for (const name of this.apply(spec).resetLayers) this.reset.add(name);
  }

  private apply(spec: StagePlanSpec): AppliedStrategy {
    const strategy = applyStrategy(this.model, this.groups, { ...strategyArgs(this.o), freeze: parseFreezeSpec(spec.freeze)! });
    this.movedStatistics ||= strategy.batchNormUpdating > 0;
    return strategy;
  }

  /**
   * BN layers set to `reset` start from the training images' own statistics (AdaBN exact,
   * unaugmented) when they first train, then move by momentum as under `update`.
   */
  private async resetStatistics(names: string[]): Promise<void> {
    if (names.length === 0) return;
    const resetting = leafLayers(this.model).filter(isBatchNorm).filter((l) => names.includes(l.name));
    const files = this.trainSet.items.map((it) => it.path);
    const source = imageSource({ files, manifest: this.manifest, batchSize: this.o.batch, badFiles: new BadFileReport() });
    const r = await adaBn({ model: this.model, layers: resetting, mode: 'exact', expectedImages: files.length, source });
    for (const name of names) this.reset.add(name);
    this.env.log(`--bn-stats reset: re-estimated ${r.layers.length} BN layer(s) on ${r.images} training images (AdaBN exact)`);
  }

  private warnAccumulation(bnUpdating: number): void {
    const { o, env } = this;
    if (bnUpdating <= this.warnedFor || !noisyMicroBatches({ batch: o.batch, accum: o.accum, bnUpdating })) return;
    this.warnedFor = bnUpdating;
    const averages = o.bnAccum === 'merged' ? 'the averages move once per step with the merged statistics' : '--bn-accum merged moves the averages once per step as one batch would';
    const message = `--accum ${o.accum} with --bn-stats update: ${bnUpdating} BN layer(s) normalise each pass of ${o.batch} images with that pass's own statistics (noisy below ${SMALL_BN_BATCH}), so a step is not the same as one batch of ${o.batch * o.accum} (${averages}); --bn-stats freeze makes it exact`;
    env.log(`warning: ${message}`);
    env.emit({ type: 'RunWarning', message });
  }
}
