import type { Check, CheckContext } from './types.js';
import type { ConfigFact } from './config-fact.js';
import { configEdit } from '../lib/resources/config-edit.js';

const config = (ctx: CheckContext) => ctx.facts.get<ConfigFact>('config');

export const execRestrictWorkspace: Check = {
  id: 'tools.exec-restrict-workspace',
  title: 'The exec tool is confined to the workspace',
  severity: 'critical',
  profiles: ['doctor', 'go-live'],
  rationale: 'An unconfined exec tool lets a prompt run commands anywhere the gateway user can reach.',
  runbook: '§2',
  needs: ['config'],
  fixKind: 'auto',
  fixSummary: 'Set tools.exec.restrictToWorkspace to true.',
  run(ctx) {
    const loaded = config(ctx);
    const value = loaded.config.tools.exec.restrictToWorkspace;
    const source = loaded.sourceOf('tools.exec.restrictToWorkspace');
    const from = source.kind === 'env' ? `env ${source.name}` : source.kind === 'file' ? source.path : 'the default';
    if (value) return { status: 'pass', message: `exec is restricted to the workspace (from ${from})` };
    return { status: 'fail', message: `tools.exec.restrictToWorkspace is false (from ${from})`, evidence: { source: from } };
  },
  fix(ctx) {
    const loaded = config(ctx);
    const source = loaded.sourceOf('tools.exec.restrictToWorkspace');
    if (source.kind === 'env') {
      return { resources: [], steps: [`Set ${source.name}=true (or remove it) where the gateway's environment is defined.`], guidedBecause: `the value comes from the environment (${source.name})` };
    }
    return { resources: [configEdit(ctx.target, loaded.path, [{ keyPath: ['tools', 'exec', 'restrictToWorkspace'], value: true }])], steps: [`Set tools.exec.restrictToWorkspace to true in ${loaded.path}.`] };
  },
};

export const toolsChecks: readonly Check[] = [execRestrictWorkspace];
