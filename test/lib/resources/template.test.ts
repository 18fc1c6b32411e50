import { suite } from 'uvu';
import { registerGoldens } from './golden.js';

const test = suite('template');

registerGoldens(test, 'template');

test.run();
