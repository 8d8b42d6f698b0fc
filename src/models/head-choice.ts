// Which head a fine-tune trains, decided once: the loaded model's own when it already knows the
// data's classes; a head started from the old classifier's rows under a class map; else a fresh
// head at the cut. The choice carries the classes and output kind the model then has.
import type { tf } from '../engine/tf.js';
import { InputError } from '../errors.js';
import { readClassMap, resolveClassMap } from './class-map.js';
import { defaultCut, headFromClassifier, replaceHead } from './head.js';
import type { Manifest } from './manifest.js';

export interface HeadOptions {
  cut?: string;
  classMap?: string | Record<string, string>;
  /** Draws the rows that start fresh, so that a run's seed reproduces them. */
  seed: number;
}

export interface HeadChoice {
  model: tf.LayersModel;
  classes: string[];
  output: Manifest['output'];
  /** A head was put on: fresh, or from the classifier's rows. */
  newHead: boolean;
  /** What was put on (the HeadCreated event's facts); null when the head was kept. */
  created: HeadCreatedFacts | null;
}

export interface HeadCreatedFacts {
  classes: string[];
  /** The layer the new head reads; null when it starts from the classifier's rows. */
  after: string | null;
  mapped: { newClass: string; oldClass: string }[];
  /** The same in one line, for a person. */
  note: string;
}

const list = (cs: readonly string[]) => `${cs.slice(0, 8).join(', ')}${cs.length > 8 ? ', …' : ''}`;

/** The model to train on data of `dataClasses` (class folders with images), and what its head answers. */
export async function chooseHead(model: tf.LayersModel, manifest: Manifest, dataClasses: string[], o: HeadOptions): Promise<HeadChoice> {
  if (o.classMap !== undefined) {
    if (o.cut !== undefined) throw new InputError('--class-map: the new head reads what the old classifier read; drop --cut');
    const mapping = resolveClassMap(await readClassMap(o.classMap), manifest.classes);
    const stray = mapping.find((m) => !dataClasses.includes(m.newClass));
    if (stray) throw new InputError(`--class-map: '${stray.newClass}' is not a class folder of --data (${list(dataClasses)})`);
    const fresh = dataClasses.filter((c) => !mapping.some((m) => m.newClass === c));
    const note = `new head: ${dataClasses.length} classes from the classifier's rows ${mapping.map((m) => `${m.newClass}←${m.oldClass}`).join(', ')}${fresh.length ? `; fresh: ${list(fresh)}` : ''}`;
    const mapped = mapping.map((m) => ({ newClass: m.newClass, oldClass: m.oldClass }));
    return { model: headFromClassifier(model, dataClasses, mapping, o.seed), classes: dataClasses, output: 'logits', newHead: true, created: { classes: dataClasses, after: null, mapped, note } };
  }
  if (o.cut === undefined && dataClasses.every((c) => manifest.classes.includes(c))) {
    return { model, classes: manifest.classes, output: manifest.output, newHead: false, created: null };
  }
  const after = o.cut ?? defaultCut(model);
  const note = `new head: ${dataClasses.length} classes (${list(dataClasses)}) after '${after}'`;
  return { model: replaceHead(model, dataClasses.length, o.cut, o.seed), classes: dataClasses, output: 'logits', newHead: true, created: { classes: dataClasses, after, mapped: [], note } };
}
