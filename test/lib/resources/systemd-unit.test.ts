import { suite } from 'uvu';
import { registerGoldens } from './golden.js';

const test = suite('systemd_unit');

registerGoldens(test, 'systemd_unit');

test.run();
