// Stop, checkpoint and resume on the wasm backend: the resumed run ends where the uninterrupted one does.
import { resumeTests } from './resume-fixture.js';

resumeTests('wasm');
