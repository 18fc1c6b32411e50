import { execTool } from './exec.js';
import { listDirTool } from './list-dir.js';
import { readFileTool } from './read-file.js';
import type { ToolContext, ToolResult } from './types.js';

type Run = (context: ToolContext, args: Record<string, unknown>) => ToolResult | Promise<ToolResult>;

interface BuiltIn {
  description: string;
  parameters: Record<string, unknown>;
  run: Run;
}

const PATH_PARAMETERS = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: { path: { type: 'string', description: 'relative to the workspace' } },
};

/** The tools this gateway runs itself. Every other tool name is refused as unavailable, even when the policy allows it. */
const BUILT_IN: Readonly<Record<string, BuiltIn>> = {
  read_file: { description: 'Read a text file in the workspace (size-capped).', parameters: PATH_PARAMETERS, run: readFileTool },
  list_dir: { description: 'List a directory in the workspace.', parameters: PATH_PARAMETERS, run: listDirTool },
  exec: {
    description: 'Run one allow-listed program (git, ls, cat, pwd, rg, grep, sed, head, tail, wc, echo) without a shell, inside the workspace.',
    parameters: {
      type: 'object',
      additionalProperties: false,
      required: ['argv'],
      properties: {
        argv: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'program and arguments; no shell syntax' },
        working_dir: { type: 'string', description: 'relative to the workspace' },
      },
    },
    run: execTool,
  },
};

export function isBuiltInTool(tool: string): boolean {
  return Object.hasOwn(BUILT_IN, tool);
}

/** Runs an allowed call. Never throws: a tool that breaks is a `failed` result. */
export async function executeTool(context: ToolContext, tool: string, args: Record<string, unknown>): Promise<ToolResult> {
  const started = Date.now();
  if (!isBuiltInTool(tool)) {
    return { status: 'failed', output: '', truncated: false, error: `${tool} is not available in this gateway`, durationMs: 0 };
  }
  try {
    return await BUILT_IN[tool]!.run(context, args);
  } catch (error) {
    return { status: 'failed', output: '', truncated: false, error: `${tool} failed unexpectedly (${(error as NodeJS.ErrnoException).code ?? 'error'})`, durationMs: Date.now() - started };
  }
}

/** Chat-completions function declarations for the built-in tools. */
export function toolDeclarations(): unknown[] {
  return Object.entries(BUILT_IN).map(([name, tool]) => ({
    type: 'function',
    function: { name, description: tool.description, parameters: tool.parameters },
  }));
}
