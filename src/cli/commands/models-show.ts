import { loadModel } from '../../models/model-io.js';
import { describeLayers } from '../../models/layer-walk.js';
import { describePreprocessing, manifestPreprocessingSource } from '../../models/preprocessing.js';
import { groupOf } from '../../models/model-summary.js';
import { InputError } from '../../errors.js';
import type { LayerInfo } from '../../models/layer-info.js';
import type { Manifest } from '../../models/manifest.js';
import type { Command } from '../command.js';

const WIDTH = 80;

const clip = (s: string, w = WIDTH) => (s.length > w ? `${s.slice(0, w - 1)}…` : s);

const shape = (s: LayerInfo['outputShape']) => (s ? s.slice(1).join('×') : '?');

function layerTable(layers: readonly LayerInfo[], groups: Map<string, string>): string[] {
  const nameWidth = Math.min(28, Math.max(...layers.map((l) => l.name.length)));
  const classWidth = Math.min(18, Math.max(...layers.map((l) => l.className.length)));
  const cell = (s: string, w: number) => clip(s, w).padEnd(w);
  return layers.map((l) => `  ${cell(l.name, nameWidth)} ${cell(l.className, classWidth)} ${shape(l.outputShape).padStart(11)} ${String(l.params ?? '').padStart(7)}  ${groups.get(l.name) ?? ''}`);
}

function groupLine(g: Manifest['groups'][number]): string {
  const span = g.layers.length === 1 ? g.layers[0] : `${g.layers[0]} … ${g.layers[g.layers.length - 1]}`;
  return clip(`  ${g.name.padEnd(8)} ${String(g.layers.length).padStart(3)} layers  ${span}`);
}

export const modelsShowCommand: Command = {
  name: 'models show',
  summary: 'a model\'s layers, groups, BN layers, input, preprocessing and classes',
  usage: `Usage: calibra models show M [--json]

Loads M (a zoo id, or a tfjs model.json or its folder) and describes it: input size, how
pixels become input and where that came from (manifest, Teachable Machine metadata, a
recognised architecture, or a guess), what the output is, its classes, the layer groups that
--freeze and --lr-mult name, and every layer with its output shape and parameter count.

  --json   {"layers":[{"name","type","outputShape","params","group"}],"groups":[{"name","layers"}],
           "bnLayers","inputShape","preprocessing","preprocessingSource","output","classes",…}`,
  options: {},
  positionals: true,
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new InputError('models show: give one model (a zoo id, or a model.json or its folder)');
    const ref = ctx.positionals[0]!;
    const backend = await ctx.engine();
    const { model, manifest, path } = await loadModel(ref);
    const layers = describeLayers(model);
    model.dispose();
    const groups = groupOf(manifest);
    const source = manifest.preprocessingSource ?? 'manifest';
    const recognised = manifest.architecture?.recognised;
    const classes = manifest.classes;
    const head = `output       ${manifest.output}, ${classes.length} classes: `;
    const tail = classes.length > 1 ? ', …' : '';
    let shown = 1;
    while (shown < classes.length && `${head}${classes.slice(0, shown + 1).join(', ')}${shown + 1 < classes.length ? tail : ''}`.length <= WIDTH) shown++;
    const params = layers.reduce((s, l) => s + (l.params ?? 0), 0);
    const text = [
      manifest.id,
      `path         ${path}`,
      ...(typeof recognised === 'string' ? [`architecture ${recognised} (recognised from its layers)`] : []),
      `input        ${manifest.inputShape.join('×')}, resize ${manifest.preprocessing.resize}`,
      `preprocess   ${describePreprocessing(manifest.preprocessing)} from ${manifestPreprocessingSource(manifest)}`,
      ...(source === 'guess' ? ['             a guess: check it, or give --preprocess'] : []),
      `${head}${classes.slice(0, shown).join(', ')}${shown < classes.length ? tail : ''}`,
      `layers       ${layers.length}, ${params.toLocaleString('en-US')} parameters, ${manifest.bnLayers} BatchNormalization`,
      'groups',
      ...manifest.groups.map(groupLine),
      'layers (name, type, output, parameters, group)',
      ...layerTable(layers, groups),
    ].join('\n');
    const json = {
      id: manifest.id, path, backend: backend.name,
      layers: layers.map((l) => ({ name: l.name, type: l.className, outputShape: l.outputShape ?? null, params: l.params ?? null, group: groups.get(l.name) ?? null })),
      groups: manifest.groups, bnLayers: manifest.bnLayers, inputShape: manifest.inputShape,
      preprocessing: manifest.preprocessing, preprocessingSource: source, architecture: manifest.architecture,
      output: manifest.output, classes,
    };
    return { json, text };
  },
};
