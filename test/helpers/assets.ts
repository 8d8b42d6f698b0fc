// Real third-party weights and photos live in the steering repo's shared/assets, beside the
// checkout; tests read them there and never copy them in.
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/util/package-root.js';

export const SHARED_ASSETS = process.env.CALIBRA_SHARED_ASSETS ?? join(PACKAGE_ROOT, '..', 'shared', 'assets');
export const TM_MOBILENET = join(SHARED_ASSETS, 'models', 'mobilenet-v2-0.35-tm');
export const DARKNET_TINY = join(SHARED_ASSETS, 'models', 'darknet-tiny');
export const HYMENOPTERA = join(SHARED_ASSETS, 'datasets', 'hymenoptera');
