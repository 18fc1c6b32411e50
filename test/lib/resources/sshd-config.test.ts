import { suite } from 'uvu';
import { registerGoldens } from './golden.js';

const test = suite('sshd_config');

registerGoldens(test, 'sshd_config');

test.run();
