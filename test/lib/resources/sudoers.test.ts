import { suite } from 'uvu';
import { registerGoldens } from './golden.js';

const test = suite('sudoers');

registerGoldens(test, 'sudoers');

test.run();
