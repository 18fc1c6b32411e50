/**
 * Gives `zod/mini` what full zod installs on its first schema: the English issue messages (mini ships
 * none) and the memoizer that lets one parse meet the same object twice (YAML aliases) or a cycle.
 * Import it before `zod/mini` in every module that builds a schema: the memoizer is read when a
 * schema is built, the messages when one is parsed.
 */
import { config, memoizer } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

if (!config().localeError) config(en());
if (!config().memoizer) config({ memoizer: memoizer() });
