import { InputError } from '../../errors.js';
import { BUILT_IN_CATALOG, catalog } from '../../zoo/catalog.js';
import { pullModel } from '../../zoo/pull.js';
import type { Command } from '../command.js';
import { byteSize, downloadProgress } from '../download-progress.js';
import { flag, str } from '../flags.js';

export const modelsPullCommand: Command = {
  name: 'models pull',
  summary: 'download a known public tfjs model into the zoo',
  usage: `Usage: calibra models pull NAME [--from URL] [--overwrite] [--json]

Downloads a known public tfjs layers model into the zoo (CALIBRA_HOME/models/NAME/) and
registers it, so --model NAME finds it. Known models:
${BUILT_IN_CATALOG.map((e) => `  ${e.name.padEnd(26)} ${e.description}`).join('\n')}

Progress (bytes, %, rate) goes to stderr. A pull that was stopped continues where it stopped
(HTTP Range); from a server without Range support the broken-off file starts over. The model
enters the zoo only when complete and checked: every file as long as the server said, every
weights group as long as model.json's weight specs need, the catalog's sha256 where it has one
(the public models publish none), and a strict load. The sha256 of every file is recorded in the
store, and the zoo copy's manifest holds a content hash that every later load checks.

Offline or unreachable: exit 1, saying what to do; for instance fetch model.json and the files
it names by hand and run 'calibra models add DIR --name NAME'.

  --from URL     a mirror: fetch BASE/NAME/model.json and the files beside it (or CALIBRA_ZOO_URL)
  --overwrite    pull again a model already in the zoo
  --json         {"name","path","url","files":[{"path","bytes","sha256"}],"resumed":[{"path","from"}],
                 "contentHash"}

CALIBRA_ZOO_CATALOG=FILE adds entries to the catalog, or replaces them by name:
  {"models":[{"name","url","description","extraFiles":[…],"sha256":{"model.json":"<hex>",…}}]}`,
  options: {
    from: { type: 'string' },
    overwrite: { type: 'boolean' },
  },
  positionals: true,
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new InputError(`models pull: give one model name (known: ${catalog().map((e) => e.name).join(', ')})`);
    const name = ctx.positionals[0]!;
    const fromFlag = str(ctx.values, 'from');
    const progress = downloadProgress(name);
    let result;
    try {
      result = await pullModel({
        name, entries: catalog(), overwrite: flag(ctx.values, 'overwrite'),
        mirror: fromFlag ?? process.env.CALIBRA_ZOO_URL, mirrorFlag: fromFlag !== undefined ? '--from' : 'CALIBRA_ZOO_URL=',
        progress: (p) => progress.update(p.done, p.total, p.received), log: ctx.log, engine: ctx.engine,
      });
    } finally {
      progress.end();
    }
    const { record, url, resumed } = result;
    for (const r of resumed) ctx.log(`resumed ${r.path} from byte ${r.from}`);
    const bytes = record.files.reduce((n, f) => n + f.bytes, 0);
    return {
      json: { name: record.name, path: record.path, url, files: record.files, resumed, contentHash: record.contentHash },
      text: `pulled ${record.name} (${byteSize(bytes)}, ${record.files.length} files) into ${record.path}\nuse it with --model ${record.name}`,
    };
  },
};
