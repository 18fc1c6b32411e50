import { suite } from 'uvu';
import { registerGoldens } from './golden.js';

const test = suite('group');

registerGoldens(test, 'group');

test.run();
