import { suite } from 'uvu';
import { registerGoldens } from './golden.js';

const test = suite('journald');

registerGoldens(test, 'journald');

test.run();
