/**
 * Builds the config.json schema on `zod/mini`. Only `schema.ts` imports this module, and only
 * dynamically: a static `zod/mini` import here lets the bundler keep just the zod it uses, where a
 * dynamic import of zod itself would pull in the whole package at every CLI start.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import type { Secret as SecretClass } from '../secrets/secret.js';

const SECOND = 1_000_000_000;

/**
 * `Secret` and the default workspace come in as arguments: this module imports nothing of the
 * project, so the CLI bundle can build it (with the zod it uses) as a file of its own.
 */
export function buildConfigSchema(Secret: typeof SecretClass, DEFAULT_WORKSPACE: string) {
  // zod/mini ships without messages; issue texts stay the English ones full zod gives.
  if (!z.config().localeError) z.config(en());

  const str = (fallback = '') => z._default(z.string(), fallback);
  const bool = (fallback: boolean) => z._default(z.boolean(), fallback);
  const int = (fallback: number) => z._default(z.int(), fallback);
  const num = (fallback: number) => z._default(z.number(), fallback);
  const duration = (fallback: number) => z._default(z.int(), fallback);
  const list = (fallback: readonly string[] = []) => z._default(z.array(z.string()), () => [...fallback]);
  const stringMap = () => z._default(z.record(z.string(), z.string()), () => ({}));
  const secretValue = z.union([
    z.instanceof(Secret),
    z.pipe(
      z.string(),
      z.transform((value: string) => new Secret(value, 'file')),
    ),
  ]);
  const secret = () => z._default(secretValue, () => new Secret('', 'default'));
  const optionalSecret = () => z.optional(secretValue);
  const optionalList = () => z.optional(z.array(z.string()));
  const optionalString = () => z.optional(z.string());
  const optionalBool = () => z.optional(z.boolean());

  const provider = () => z.prefault(z.looseObject({ apiKey: secret(), apiBase: str() }), {});

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
      tools: z.prefault(z.looseObject({ allow: list(), deny: list() }), {}),
    });

  const slackAccount = z.looseObject({
    id: optionalString(),
    enabled: optionalBool(),
    botToken: optionalSecret(),
    appToken: optionalSecret(),
    inboundToken: optionalSecret(),
    outboundUrl: optionalString(),
    nativeStreaming: z.optional(z.nullable(z.boolean())),
    streamMode: optionalString(),
    streamChunkChars: z.optional(z.int()),
    sessionScope: optionalString(),
    allowFrom: optionalList(),
    dmPolicy: optionalString(),
    groupPolicy: optionalString(),
    requireMention: optionalBool(),
  });

  const teamsAccount = z.looseObject({
    id: optionalString(),
    enabled: optionalBool(),
    appId: optionalString(),
    appPassword: optionalSecret(),
    tenantId: optionalString(),
    inboundToken: optionalSecret(),
    outboundUrl: optionalString(),
    sessionScope: optionalString(),
    allowFrom: optionalList(),
    groupAllowFrom: optionalList(),
    dmPolicy: optionalString(),
    groupPolicy: optionalString(),
    requireMention: optionalBool(),
  });

  const toggled = () => z.optional(z.looseObject({ enabled: bool(false) }));

  // Ours, not KafClaw's (KafClaw ignores them): bounds on the gateway's built-in tools. Strict, so a
  // misspelt limit is an error instead of a silently kept default.
  const positiveInt = (what: string) =>
    z.optional(z.int().check(z.positive(`must be a whole number above 0 (${what}), or left out for the default`)));
  const toolLimits = z.optional(
    z.strictObject({
      maxOutputBytes: positiveInt("bytes of a tool's output kept"),
      readMaxBytes: positiveInt('bytes read_file reads from one file'),
      listMaxEntries: positiveInt('entries list_dir returns'),
    }),
  );

  // KafClaw's finops prices, USD per 1000 tokens by provider id; a price left out is unknown, not zero.
  const price = (what: string) => z.optional(z.number().check(z.nonnegative(`must be a number of USD per 1000 ${what} tokens, 0 or more`)));
  const finops = z.optional(
    z.looseObject({
      enabled: bool(false),
      pricing: z.optional(
        z.record(z.string(), z.looseObject({ promptPer1kTokens: price('prompt'), completionPer1kTokens: price('completion') })),
      ),
    }),
  );

  return z.looseObject({
    paths: z.prefault(
      z.looseObject({
        workspace: str(DEFAULT_WORKSPACE),
        workRepoPath: str(DEFAULT_WORKSPACE),
        systemRepoPath: str('/Users/kamir/GITHUB.kamir/KafClaw/kafclaw'),
      }),
      {},
    ),
    model: z.prefault(
      z.looseObject({
        name: str('anthropic/claude-sonnet-4-5'),
        maxTokens: int(8192),
        temperature: num(0.7),
        maxToolIterations: int(20),
        taskRouting: stringMap(),
      }),
      {},
    ),
    agents: z.optional(
      z.looseObject({
        defaults: z.optional(z.looseObject({ subagents: z.optional(z.partial(subagents())) })),
        list: z.optional(
          z.array(
            z.looseObject({
              id: optionalString(),
              name: optionalString(),
              default: optionalBool(),
              model: z.optional(z.looseObject({ primary: optionalString(), fallbacks: optionalList() })),
              subagents: z.optional(z.looseObject({ model: optionalString() })),
              cascade: z.optional(z.looseObject({ enabled: optionalBool() })),
            }),
          ),
        ),
      }),
    ),
    channels: z.prefault(
      z.looseObject({
        telegram: z.prefault(
          z.looseObject({ enabled: bool(false), token: secret(), allowFrom: list(), proxy: str() }),
          {},
        ),
        discord: z.prefault(z.looseObject({ enabled: bool(false), token: secret(), allowFrom: list() }), {}),
        whatsapp: z.prefault(
          z.looseObject({
            enabled: bool(false),
            bridgeUrl: str(),
            allowFrom: list(),
            dropUnauthorized: bool(false),
            ignoreReactions: bool(false),
            sessionScope: str('room'),
          }),
          {},
        ),
        feishu: z.prefault(
          z.looseObject({
            enabled: bool(false),
            appId: str(),
            appSecret: secret(),
            encryptKey: secret(),
            verificationToken: secret(),
            allowFrom: list(),
          }),
          {},
        ),
        slack: z.prefault(
          z.looseObject({
            enabled: bool(false),
            botToken: secret(),
            appToken: secret(),
            inboundToken: secret(),
            outboundUrl: str(),
            nativeStreaming: bool(true),
            streamMode: str('replace'),
            streamChunkChars: int(320),
            sessionScope: str('room'),
            accounts: z._default(z.array(slackAccount), () => []),
            allowFrom: list(),
            dmPolicy: str('pairing'),
            groupPolicy: str('allowlist'),
            requireMention: bool(true),
          }),
          {},
        ),
        msteams: z.prefault(
          z.looseObject({
            enabled: bool(false),
            appId: str(),
            appPassword: secret(),
            tenantId: str(),
            inboundToken: secret(),
            outboundUrl: str(),
            sessionScope: str('room'),
            accounts: z._default(z.array(teamsAccount), () => []),
            allowFrom: list(),
            groupAllowFrom: list(),
            dmPolicy: str('pairing'),
            groupPolicy: str('allowlist'),
            requireMention: bool(true),
          }),
          {},
        ),
      }),
      {},
    ),
    providers: z.prefault(
      z.looseObject({
        anthropic: provider(),
        openai: provider(),
        openrouter: provider(),
        deepseek: provider(),
        groq: provider(),
        gemini: provider(),
        vllm: provider(),
        xai: provider(),
        scalyticsCopilot: provider(),
        localWhisper: z.prefault(
          z.looseObject({ enabled: bool(true), model: str('base'), binaryPath: str('/opt/homebrew/bin/whisper') }),
          {},
        ),
      }),
      {},
    ),
    gateway: z.prefault(
      z.looseObject({
        host: str('127.0.0.1'),
        port: int(18790),
        dashboardPort: int(18791),
        authToken: secret(),
        tlsCert: str(),
        tlsKey: str(),
        daemonRuntime: str('native'),
        // Ours, not KafClaw's: reverse proxies whose X-Forwarded-For names the client (addresses, CIDR ranges).
        trustedProxies: optionalList(),
      }),
      {},
    ),
    node: z.prefault(
      z.looseObject({ clawId: str('claw-local'), instanceId: str('default'), displayName: str('KafClaw Local') }),
      {},
    ),
    memory: z.prefault(
      z.looseObject({
        embedding: z.prefault(
          z.looseObject({
            enabled: bool(true),
            provider: str('local-hf'),
            model: str('BAAI/bge-small-en-v1.5'),
            dimension: int(384),
            normalize: bool(true),
            cacheDir: str('~/.kafclaw/models'),
            autoDownload: bool(true),
            endpoint: str('http://127.0.0.1:8091'),
            startupTimeoutSec: int(45),
          }),
          {},
        ),
        search: z.prefault(z.looseObject({ mode: str('hybrid'), maxResults: int(8), minScore: num(0.22) }), {}),
      }),
      {},
    ),
    knowledge: z.prefault(
      z.looseObject({
        enabled: bool(false),
        governanceEnabled: bool(true),
        group: str('kafclaw'),
        shareMode: str('proposal'),
        topics: z.prefault(
          z.looseObject({
            capabilities: str(),
            presence: str(),
            proposals: str(),
            votes: str(),
            decisions: str(),
            facts: str(),
          }),
          {},
        ),
        publish: z.prefault(
          z.looseObject({
            allowTags: list(['ops', 'security', 'runbook', 'integration']),
            denyTags: list(['pii', 'secrets', 'customer-private']),
          }),
          {},
        ),
        voting: z.prefault(
          z.looseObject({
            enabled: bool(true),
            minPoolSize: int(3),
            quorumYes: int(2),
            quorumNo: int(2),
            timeoutSec: int(120),
            allowSelfVote: bool(false),
          }),
          {},
        ),
      }),
      {},
    ),
    tools: z.prefault(
      z.looseObject({
        exec: z.prefault(z.looseObject({ timeout: duration(60 * SECOND), restrictToWorkspace: bool(true) }), {}),
        web: z.prefault(
          z.looseObject({ search: z.prefault(z.looseObject({ apiKey: secret(), maxResults: int(10) }), {}) }),
          {},
        ),
        subagents: z.prefault(subagents(), {}),
        limits: toolLimits,
      }),
      {},
    ),
    skills: z.prefault(
      z.looseObject({
        enabled: bool(false),
        allowSystemRepoSkills: bool(true),
        allowWorkspaceSkills: bool(false),
        externalInstalls: bool(false),
        nodeManager: str('npm'),
        scope: str('selected'),
        runtimeIsolation: str('auto'),
        linkPolicy: z.prefault(
          z.looseObject({
            mode: str('allowlist'),
            allowDomains: list(['clawhub.ai']),
            denyDomains: list(),
            allowHttp: bool(false),
            maxLinksPerSkill: int(20),
          }),
          {},
        ),
        entries: z._default(
          z.record(z.string(), z.looseObject({ enabled: optionalBool(), capabilities: optionalList() })),
          () => ({}),
        ),
      }),
      {},
    ),
    group: z.prefault(
      z.looseObject({
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
      }),
      {},
    ),
    orchestrator: z.prefault(
      z.looseObject({ enabled: bool(false), role: str('worker'), zoneId: str(), parentId: str(), endpoint: str() }),
      {},
    ),
    scheduler: z.prefault(
      z.looseObject({
        enabled: bool(false),
        tickInterval: duration(60 * SECOND),
        maxConcLLM: int(3),
        maxConcShell: int(1),
        maxConcDefault: int(5),
      }),
      {},
    ),
    er1: z.prefault(
      z.looseObject({ url: str(), apiKey: secret(), userId: str(), syncInterval: duration(300 * SECOND) }),
      {},
    ),
    kafgraph: z.prefault(
      z.looseObject({ url: str(), label: str('MemoryItem'), syncInterval: duration(300 * SECOND) }),
      {},
    ),
    observer: z.prefault(
      z.looseObject({ enabled: bool(false), model: str(), messageThreshold: int(50), maxObservations: int(200) }),
      {},
    ),
    contentClassification: toggled(),
    promptGuard: z.optional(z.looseObject({ enabled: bool(false), mode: str('warn') })),
    outputSanitization: toggled(),
    finops,
  });
}
