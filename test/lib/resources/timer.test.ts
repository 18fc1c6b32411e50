import { suite } from 'uvu';
import { registerGoldens } from './golden.js';

const test = suite('timer');

registerGoldens(test, 'timer');

test.run();
