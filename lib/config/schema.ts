/**
 * KafClaw's config.json key tree (facts §1.4) with KafClaw's defaults, as a zod 4 schema.
 * Objects are loose: keys KafClaw (or this model) does not know are kept. Durations are integer
 * nanoseconds, as Go's time.Duration unmarshals them; a string there is a type error.
 * Credential fields parse into `Secret`. zod is imported and the schema built on first use, so
 * importing this module (or the CLI) costs nothing until a config is actually loaded.
 */
import type * as Zod from 'zod';
import { Secret } from '../secrets/secret.js';

const SECOND = 1_000_000_000;

export const DEFAULT_WORKSPACE = '~/KafClaw-Workspace';

function build(z: typeof Zod.z) {
  const str = (fallback = '') => z.string().default(fallback);
  const bool = (fallback: boolean) => z.boolean().default(fallback);
  const int = (fallback: number) => z.int().default(fallback);
  const num = (fallback: number) => z.number().default(fallback);
  const duration = (fallback: number) => z.int().default(fallback);
  const list = (fallback: readonly string[] = []) => z.array(z.string()).default(() => [...fallback]);
  const stringMap = () => z.record(z.string(), z.string()).default(() => ({}));
  const secretValue = z.union([z.instanceof(Secret), z.string().transform((value) => new Secret(value, 'file'))]);
  const secret = () => secretValue.default(() => new Secret('', 'default'));
  const optionalSecret = () => secretValue.optional();
  const optionalList = () => z.array(z.string()).optional();

  const provider = () => z.looseObject({ apiKey: secret(), apiBase: str() }).prefault({});

  const subagents = () =>
    z.looseObject({
      maxConcurrent: int(8),
      maxSpawnDepth: int(1),
      maxChildrenPerAgent: int(5),
      archiveAfterMinutes: int(60),
      memoryShareMode: str('handoff'),
      allowAgents: list(),
      model: str(),
      thinking: str(),
      tools: z.looseObject({ allow: list(), deny: list() }).prefault({}),
    });

  const slackAccount = z.looseObject({
    id: z.string().optional(),
    enabled: z.boolean().optional(),
    botToken: optionalSecret(),
    appToken: optionalSecret(),
    inboundToken: optionalSecret(),
    outboundUrl: z.string().optional(),
    nativeStreaming: z.boolean().nullable().optional(),
    streamMode: z.string().optional(),
    streamChunkChars: z.int().optional(),
    sessionScope: z.string().optional(),
    allowFrom: optionalList(),
    dmPolicy: z.string().optional(),
    groupPolicy: z.string().optional(),
    requireMention: z.boolean().optional(),
  });

  const teamsAccount = z.looseObject({
    id: z.string().optional(),
    enabled: z.boolean().optional(),
    appId: z.string().optional(),
    appPassword: optionalSecret(),
    tenantId: z.string().optional(),
    inboundToken: optionalSecret(),
    outboundUrl: z.string().optional(),
    sessionScope: z.string().optional(),
    allowFrom: optionalList(),
    groupAllowFrom: optionalList(),
    dmPolicy: z.string().optional(),
    groupPolicy: z.string().optional(),
    requireMention: z.boolean().optional(),
  });

  const toggled = () => z.looseObject({ enabled: bool(false) }).optional();

  return z.looseObject({
    paths: z
      .looseObject({
        workspace: str(DEFAULT_WORKSPACE),
        workRepoPath: str(DEFAULT_WORKSPACE),
        systemRepoPath: str('/Users/kamir/GITHUB.kamir/KafClaw/kafclaw'),
      })
      .prefault({}),
    model: z
      .looseObject({
        name: str('anthropic/claude-sonnet-4-5'),
        maxTokens: int(8192),
        temperature: num(0.7),
        maxToolIterations: int(20),
        taskRouting: stringMap(),
      })
      .prefault({}),
    agents: z
      .looseObject({
        defaults: z.looseObject({ subagents: subagents().partial().optional() }).optional(),
        list: z
          .array(
            z.looseObject({
              id: z.string().optional(),
              name: z.string().optional(),
              default: z.boolean().optional(),
              model: z.looseObject({ primary: z.string().optional(), fallbacks: optionalList() }).optional(),
              subagents: z.looseObject({ model: z.string().optional() }).optional(),
              cascade: z.looseObject({ enabled: z.boolean().optional() }).optional(),
            }),
          )
          .optional(),
      })
      .optional(),
    channels: z
      .looseObject({
        telegram: z.looseObject({ enabled: bool(false), token: secret(), allowFrom: list(), proxy: str() }).prefault({}),
        discord: z.looseObject({ enabled: bool(false), token: secret(), allowFrom: list() }).prefault({}),
        whatsapp: z
          .looseObject({
            enabled: bool(false),
            bridgeUrl: str(),
            allowFrom: list(),
            dropUnauthorized: bool(false),
            ignoreReactions: bool(false),
            sessionScope: str('room'),
          })
          .prefault({}),
        feishu: z
          .looseObject({
            enabled: bool(false),
            appId: str(),
            appSecret: secret(),
            encryptKey: secret(),
            verificationToken: secret(),
            allowFrom: list(),
          })
          .prefault({}),
        slack: z
          .looseObject({
            enabled: bool(false),
            botToken: secret(),
            appToken: secret(),
            inboundToken: secret(),
            outboundUrl: str(),
            nativeStreaming: bool(true),
            streamMode: str('replace'),
            streamChunkChars: int(320),
            sessionScope: str('room'),
            accounts: z.array(slackAccount).default(() => []),
            allowFrom: list(),
            dmPolicy: str('pairing'),
            groupPolicy: str('allowlist'),
            requireMention: bool(true),
          })
          .prefault({}),
        msteams: z
          .looseObject({
            enabled: bool(false),
            appId: str(),
            appPassword: secret(),
            tenantId: str(),
            inboundToken: secret(),
            outboundUrl: str(),
            sessionScope: str('room'),
            accounts: z.array(teamsAccount).default(() => []),
            allowFrom: list(),
            groupAllowFrom: list(),
            dmPolicy: str('pairing'),
            groupPolicy: str('allowlist'),
            requireMention: bool(true),
          })
          .prefault({}),
      })
      .prefault({}),
    providers: z
      .looseObject({
        anthropic: provider(),
        openai: provider(),
        openrouter: provider(),
        deepseek: provider(),
        groq: provider(),
        gemini: provider(),
        vllm: provider(),
        xai: provider(),
        scalyticsCopilot: provider(),
        localWhisper: z
          .looseObject({ enabled: bool(true), model: str('base'), binaryPath: str('/opt/homebrew/bin/whisper') })
          .prefault({}),
      })
      .prefault({}),
    gateway: z
      .looseObject({
        host: str('127.0.0.1'),
        port: int(18790),
        dashboardPort: int(18791),
        authToken: secret(),
        tlsCert: str(),
        tlsKey: str(),
        daemonRuntime: str('native'),
      })
      .prefault({}),
    node: z
      .looseObject({ clawId: str('claw-local'), instanceId: str('default'), displayName: str('KafClaw Local') })
      .prefault({}),
    memory: z
      .looseObject({
        embedding: z
          .looseObject({
            enabled: bool(true),
            provider: str('local-hf'),
            model: str('BAAI/bge-small-en-v1.5'),
            dimension: int(384),
            normalize: bool(true),
            cacheDir: str('~/.kafclaw/models'),
            autoDownload: bool(true),
            endpoint: str('http://127.0.0.1:8091'),
            startupTimeoutSec: int(45),
          })
          .prefault({}),
        search: z.looseObject({ mode: str('hybrid'), maxResults: int(8), minScore: num(0.22) }).prefault({}),
      })
      .prefault({}),
    knowledge: z
      .looseObject({
        enabled: bool(false),
        governanceEnabled: bool(true),
        group: str('kafclaw'),
        shareMode: str('proposal'),
        topics: z
          .looseObject({
            capabilities: str(),
            presence: str(),
            proposals: str(),
            votes: str(),
            decisions: str(),
            facts: str(),
          })
          .prefault({}),
        publish: z
          .looseObject({
            allowTags: list(['ops', 'security', 'runbook', 'integration']),
            denyTags: list(['pii', 'secrets', 'customer-private']),
          })
          .prefault({}),
        voting: z
          .looseObject({
            enabled: bool(true),
            minPoolSize: int(3),
            quorumYes: int(2),
            quorumNo: int(2),
            timeoutSec: int(120),
            allowSelfVote: bool(false),
          })
          .prefault({}),
      })
      .prefault({}),
    tools: z
      .looseObject({
        exec: z.looseObject({ timeout: duration(60 * SECOND), restrictToWorkspace: bool(true) }).prefault({}),
        web: z
          .looseObject({ search: z.looseObject({ apiKey: secret(), maxResults: int(10) }).prefault({}) })
          .prefault({}),
        subagents: subagents().prefault({}),
      })
      .prefault({}),
    skills: z
      .looseObject({
        enabled: bool(false),
        allowSystemRepoSkills: bool(true),
        allowWorkspaceSkills: bool(false),
        externalInstalls: bool(false),
        nodeManager: str('npm'),
        scope: str('selected'),
        runtimeIsolation: str('auto'),
        linkPolicy: z
          .looseObject({
            mode: str('allowlist'),
            allowDomains: list(['clawhub.ai']),
            denyDomains: list(),
            allowHttp: bool(false),
            maxLinksPerSkill: int(20),
          })
          .prefault({}),
        entries: z
          .record(z.string(), z.looseObject({ enabled: z.boolean().optional(), capabilities: optionalList() }))
          .default(() => ({})),
      })
      .prefault({}),
    group: z
      .looseObject({
        enabled: bool(false),
        groupName: str(),
        lfsProxyUrl: str('http://localhost:8080'),
        lfsProxyApiKey: secret(),
        kafkaBrokers: str(),
        kafkaSecurityProtocol: str(),
        kafkaSaslMechanism: str(),
        kafkaSaslUsername: str(),
        kafkaSaslPassword: secret(),
        kafkaTlsCAFile: str(),
        kafkaTlsCertFile: str(),
        kafkaTlsKeyFile: str(),
        consumerGroup: str(),
        agentId: str(),
        pollIntervalMs: int(2000),
        onboardMode: str(),
        maxDelegationDepth: int(3),
      })
      .prefault({}),
    orchestrator: z
      .looseObject({ enabled: bool(false), role: str('worker'), zoneId: str(), parentId: str(), endpoint: str() })
      .prefault({}),
    scheduler: z
      .looseObject({
        enabled: bool(false),
        tickInterval: duration(60 * SECOND),
        maxConcLLM: int(3),
        maxConcShell: int(1),
        maxConcDefault: int(5),
      })
      .prefault({}),
    er1: z
      .looseObject({ url: str(), apiKey: secret(), userId: str(), syncInterval: duration(300 * SECOND) })
      .prefault({}),
    kafgraph: z.looseObject({ url: str(), label: str('MemoryItem'), syncInterval: duration(300 * SECOND) }).prefault({}),
    observer: z
      .looseObject({ enabled: bool(false), model: str(), messageThreshold: int(50), maxObservations: int(200) })
      .prefault({}),
    contentClassification: toggled(),
    promptGuard: z.looseObject({ enabled: bool(false), mode: str('warn') }).optional(),
    outputSanitization: toggled(),
    finops: toggled(),
  });
}

export type ConfigSchema = ReturnType<typeof build>;
/** The effective KafClaw configuration: every known key present, credentials as `Secret`, unknown keys kept. */
export type KafClawConfig = Zod.z.output<ConfigSchema>;

let schema: Promise<ConfigSchema> | undefined;

/** The zod schema of config.json (loads zod on first call). Parse one-shot data with `{ jitless: true }`. */
export function loadConfigSchema(): Promise<ConfigSchema> {
  schema ??= import('zod').then(({ z }) => build(z));
  return schema;
}

/** Keys holding time.Duration values: integer nanoseconds in JSON. */
export const DURATION_KEY_PATHS: readonly string[] = [
  'tools.exec.timeout',
  'scheduler.tickInterval',
  'er1.syncInterval',
  'kafgraph.syncInterval',
];
