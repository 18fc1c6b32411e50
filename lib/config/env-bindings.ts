/**
 * Which environment variables KafClaw reads into which config keys (facts §1.5), and the order it
 * applies them. KafClaw calls envconfig once per group: first every `MIKROBOT_<GROUP>`, then every
 * `KAFCLAW_<GROUP>`, then `MIKROBOT_AGENTS` over paths and model. Inside a group each field reads
 * `<PREFIX>_<TAG>` and, when that is unset, the bare tag (`HOST`, `PORT`, `MODEL`…); a value that does
 * not parse silently ends that group. Set-but-empty values count as set.
 */
export type EnvValueType = 'string' | 'bool' | 'int' | 'float' | 'list' | 'map' | 'duration';

export interface EnvField {
  /** Full dotted config key. */
  key: string;
  /** Name after the group prefix, e.g. `AUTH_TOKEN`, `SLACK_BOT_TOKEN`, `ALLOWFROM`. */
  suffix: string;
  /** The bare fallback name (the envconfig tag); absent for untagged fields. */
  alt?: string;
  type: EnvValueType;
}

export interface EnvGroup {
  /** Group prefix after `KAFCLAW_` / `MIKROBOT_`; empty for er1 and observer, whose tags carry the name. */
  prefix: string;
  fields: EnvField[];
}

type Spec = [rel: string, suffix: string | null, type?: EnvValueType, alt?: string | null];

function group(prefix: string, base: string, specs: Spec[]): EnvGroup {
  return {
    prefix,
    fields: specs.map(([rel, tag, type = 'string', alt]) => {
      const suffix = tag ?? rel.split('.').map((part) => part.toUpperCase()).join('_');
      const field: EnvField = { key: `${base}.${rel}`, suffix, type };
      const bare = alt === undefined ? tag : alt;
      if (bare) field.alt = bare;
      return field;
    }),
  };
}

const channel = (name: string, specs: Spec[]) =>
  group(`CHANNELS_${name.toUpperCase()}`, `channels.${name}`, specs);

const PATHS = group('PATHS', 'paths', [
  ['workspace', 'WORKSPACE'],
  ['workRepoPath', 'WORK_REPO_PATH'],
  ['systemRepoPath', 'SYSTEM_REPO_PATH'],
]);

const MODEL = group('MODEL', 'model', [
  ['name', 'MODEL'],
  ['maxTokens', 'MAX_TOKENS', 'int'],
  ['temperature', 'TEMPERATURE', 'float'],
  ['maxToolIterations', 'MAX_TOOL_ITERATIONS', 'int'],
  ['taskRouting', null, 'map'],
]);

/** Every group in the order KafClaw processes them in each pass. */
export const ENV_GROUPS: readonly EnvGroup[] = [
  PATHS,
  MODEL,
  group('OPENAI', 'providers.openai', [['apiKey', 'API_KEY'], ['apiBase', 'API_BASE']]),
  channel('telegram', [
    ['enabled', 'TELEGRAM_ENABLED', 'bool'],
    ['token', 'TELEGRAM_TOKEN'],
    ['allowFrom', null, 'list'],
    ['proxy', 'TELEGRAM_PROXY'],
  ]),
  channel('discord', [['enabled', 'DISCORD_ENABLED', 'bool'], ['token', 'DISCORD_TOKEN'], ['allowFrom', null, 'list']]),
  channel('whatsapp', [
    ['enabled', 'WHATSAPP_ENABLED', 'bool'],
    ['bridgeUrl', 'WHATSAPP_BRIDGE_URL'],
    ['allowFrom', null, 'list'],
    ['dropUnauthorized', 'WHATSAPP_DROP_UNAUTHORIZED', 'bool'],
    ['ignoreReactions', 'WHATSAPP_IGNORE_REACTIONS', 'bool'],
    ['sessionScope', 'WHATSAPP_SESSION_SCOPE'],
  ]),
  channel('feishu', [
    ['enabled', 'FEISHU_ENABLED', 'bool'],
    ['appId', 'FEISHU_APP_ID'],
    ['appSecret', 'FEISHU_APP_SECRET'],
    ['encryptKey', 'FEISHU_ENCRYPT_KEY'],
    ['verificationToken', 'FEISHU_VERIFICATION_TOKEN'],
    ['allowFrom', null, 'list'],
  ]),
  channel('slack', [
    ['enabled', 'SLACK_ENABLED', 'bool'],
    ['botToken', 'SLACK_BOT_TOKEN'],
    ['appToken', 'SLACK_APP_TOKEN'],
    ['inboundToken', 'SLACK_INBOUND_TOKEN'],
    ['outboundUrl', 'SLACK_OUTBOUND_URL'],
    ['nativeStreaming', 'SLACK_NATIVE_STREAMING', 'bool'],
    ['streamMode', 'SLACK_STREAM_MODE'],
    ['streamChunkChars', 'SLACK_STREAM_CHUNK_CHARS', 'int'],
    ['sessionScope', 'SLACK_SESSION_SCOPE'],
    ['allowFrom', null, 'list'],
    ['dmPolicy', null],
    ['groupPolicy', null],
    ['requireMention', 'SLACK_REQUIRE_MENTION', 'bool'],
  ]),
  channel('msteams', [
    ['enabled', 'MSTEAMS_ENABLED', 'bool'],
    ['appId', 'MSTEAMS_APP_ID'],
    ['appPassword', 'MSTEAMS_APP_PASSWORD'],
    ['tenantId', 'MSTEAMS_TENANT_ID'],
    ['inboundToken', 'MSTEAMS_INBOUND_TOKEN'],
    ['outboundUrl', 'MSTEAMS_OUTBOUND_URL'],
    ['sessionScope', 'MSTEAMS_SESSION_SCOPE'],
    ['allowFrom', null, 'list'],
    ['groupAllowFrom', null, 'list'],
    ['dmPolicy', null],
    ['groupPolicy', null],
    ['requireMention', 'MSTEAMS_REQUIRE_MENTION', 'bool'],
  ]),
  group('GATEWAY', 'gateway', [
    ['host', 'HOST'],
    ['port', 'PORT', 'int'],
    ['dashboardPort', 'DASHBOARD_PORT', 'int'],
    ['authToken', 'AUTH_TOKEN'],
    ['tlsCert', 'TLS_CERT'],
    ['tlsKey', 'TLS_KEY'],
    ['daemonRuntime', 'DAEMON_RUNTIME'],
  ]),
  group('NODE', 'node', [['clawId', 'CLAW_ID'], ['instanceId', 'INSTANCE_ID'], ['displayName', 'DISPLAY_NAME']]),
  group('MEMORY_EMBEDDING', 'memory.embedding', [
    ['enabled', 'ENABLED', 'bool'],
    ['provider', 'PROVIDER'],
    ['model', 'MODEL'],
    ['dimension', 'DIMENSION', 'int'],
    ['normalize', 'NORMALIZE', 'bool'],
    ['cacheDir', 'CACHE_DIR'],
    ['autoDownload', 'AUTO_DOWNLOAD', 'bool'],
    ['endpoint', 'ENDPOINT'],
    ['startupTimeoutSec', 'STARTUP_TIMEOUT_SEC', 'int'],
  ]),
  group('MEMORY_SEARCH', 'memory.search', [
    ['mode', 'MODE'],
    ['maxResults', 'MAX_RESULTS', 'int'],
    ['minScore', 'MIN_SCORE', 'float'],
  ]),
  group('KNOWLEDGE', 'knowledge', [
    ['enabled', 'ENABLED', 'bool'],
    ['governanceEnabled', 'GOVERNANCE_ENABLED', 'bool'],
    ['group', 'GROUP'],
    ['shareMode', 'SHARE_MODE'],
    ['publish.allowTags', 'PUBLISH_ALLOWTAGS', 'list', null],
    ['publish.denyTags', 'PUBLISH_DENYTAGS', 'list', null],
  ]),
  group('KNOWLEDGE_TOPICS', 'knowledge.topics', [
    ['capabilities', 'TOPIC_CAPABILITIES'],
    ['presence', 'TOPIC_PRESENCE'],
    ['proposals', 'TOPIC_PROPOSALS'],
    ['votes', 'TOPIC_VOTES'],
    ['decisions', 'TOPIC_DECISIONS'],
    ['facts', 'TOPIC_FACTS'],
  ]),
  group('KNOWLEDGE_VOTING', 'knowledge.voting', [
    ['enabled', 'ENABLED', 'bool'],
    ['minPoolSize', 'MIN_POOL_SIZE', 'int'],
    ['quorumYes', 'QUORUM_YES', 'int'],
    ['quorumNo', 'QUORUM_NO', 'int'],
    ['timeoutSec', 'TIMEOUT_SEC', 'int'],
    ['allowSelfVote', 'ALLOW_SELF_VOTE', 'bool'],
  ]),
  group('TOOLS_EXEC', 'tools.exec', [
    ['timeout', null, 'duration'],
    ['restrictToWorkspace', 'EXEC_RESTRICT_WORKSPACE', 'bool'],
  ]),
  group('TOOLS_WEB_SEARCH', 'tools.web.search', [['apiKey', 'BRAVE_API_KEY'], ['maxResults', 'MAXRESULTS', 'int', null]]),
  group('TOOLS_SUBAGENTS', 'tools.subagents', [
    ['maxConcurrent', 'MAX_CONCURRENT', 'int'],
    ['maxSpawnDepth', 'MAX_SPAWN_DEPTH', 'int'],
    ['maxChildrenPerAgent', 'MAX_CHILDREN_PER_AGENT', 'int'],
    ['archiveAfterMinutes', 'ARCHIVE_AFTER_MINUTES', 'int'],
    ['memoryShareMode', 'MEMORY_SHARE_MODE'],
    ['allowAgents', 'ALLOW_AGENTS', 'list'],
    ['model', 'MODEL'],
    ['thinking', 'THINKING'],
    ['tools.allow', 'TOOLS_ALLOW', 'list', null],
    ['tools.deny', 'TOOLS_DENY', 'list', null],
  ]),
  group('SKILLS', 'skills', [
    ['enabled', 'ENABLED', 'bool'],
    ['allowSystemRepoSkills', null, 'bool'],
    ['allowWorkspaceSkills', null, 'bool'],
    ['externalInstalls', null, 'bool'],
    ['nodeManager', 'NODE_MANAGER'],
    ['scope', 'SCOPE'],
    ['runtimeIsolation', 'RUNTIME_ISOLATION'],
    ['linkPolicy.mode', null],
    ['linkPolicy.allowDomains', null, 'list'],
    ['linkPolicy.denyDomains', null, 'list'],
    ['linkPolicy.allowHttp', null, 'bool'],
    ['linkPolicy.maxLinksPerSkill', null, 'int'],
  ]),
  group('GROUP', 'group', [
    ['enabled', 'ENABLED', 'bool'],
    ['groupName', 'GROUP_NAME'],
    ['lfsProxyUrl', 'KAFSCALE_LFS_PROXY_URL'],
    ['lfsProxyApiKey', 'KAFSCALE_LFS_PROXY_API_KEY'],
    ['kafkaBrokers', 'KAFKA_BROKERS'],
    ['kafkaSecurityProtocol', 'KAFKA_SECURITY_PROTOCOL'],
    ['kafkaSaslMechanism', 'KAFKA_SASL_MECHANISM'],
    ['kafkaSaslUsername', 'KAFKA_SASL_USERNAME'],
    ['kafkaSaslPassword', 'KAFKA_SASL_PASSWORD'],
    ['kafkaTlsCAFile', 'KAFKA_TLS_CA_FILE'],
    ['kafkaTlsCertFile', 'KAFKA_TLS_CERT_FILE'],
    ['kafkaTlsKeyFile', 'KAFKA_TLS_KEY_FILE'],
    ['consumerGroup', 'KAFKA_CONSUMER_GROUP'],
    ['agentId', 'AGENT_ID'],
    ['pollIntervalMs', 'POLL_INTERVAL_MS', 'int'],
    ['onboardMode', 'ONBOARD_MODE'],
    ['maxDelegationDepth', 'MAX_DELEGATION_DEPTH', 'int'],
  ]),
  group('ORCHESTRATOR', 'orchestrator', [
    ['enabled', 'ENABLED', 'bool'],
    ['role', 'ROLE'],
    ['zoneId', 'ZONE_ID'],
    ['parentId', 'PARENT_ID'],
    ['endpoint', 'ENDPOINT'],
  ]),
  group('SCHEDULER', 'scheduler', [
    ['enabled', 'ENABLED', 'bool'],
    ['tickInterval', 'TICK_INTERVAL', 'duration'],
    ['maxConcLLM', 'MAX_CONC_LLM', 'int'],
    ['maxConcShell', 'MAX_CONC_SHELL', 'int'],
    ['maxConcDefault', 'MAX_CONC_DEFAULT', 'int'],
  ]),
  group('', 'er1', [
    ['url', 'ER1_URL'],
    ['apiKey', 'ER1_API_KEY'],
    ['userId', 'ER1_USER_ID'],
    ['syncInterval', 'ER1_SYNC_INTERVAL', 'duration'],
  ]),
  group('', 'observer', [
    ['enabled', 'OBSERVER_ENABLED', 'bool'],
    ['model', 'OBSERVER_MODEL'],
    ['messageThreshold', 'OBSERVER_MSG_THRESHOLD', 'int'],
    ['maxObservations', 'OBSERVER_MAX_OBS', 'int'],
  ]),
];

/** The last pass: `MIKROBOT_AGENTS_*` over paths and model, which therefore wins over `KAFCLAW_*`. */
export const LEGACY_AGENTS_GROUPS: readonly EnvGroup[] = [
  { prefix: 'AGENTS', fields: PATHS.fields },
  { prefix: 'AGENTS', fields: MODEL.fields },
];

export function envName(family: 'KAFCLAW' | 'MIKROBOT', group: EnvGroup, field: EnvField): string {
  return group.prefix ? `${family}_${group.prefix}_${field.suffix}` : `${family}_${field.suffix}`;
}

export interface DocumentedAlias {
  name: string;
  key: string;
  type: EnvValueType;
}

const snake = (camel: string) => camel.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

function buildDocumentedAliases(): DocumentedAlias[] {
  const real = new Set(ENV_GROUPS.flatMap((g) => g.fields.map((f) => envName('KAFCLAW', g, f))));
  const aliases: DocumentedAlias[] = [
    { name: 'KAFCLAW_TOOLS_EXEC_RESTRICT_WORKSPACE', key: 'tools.exec.restrictToWorkspace', type: 'bool' },
    { name: 'KAFCLAW_MODEL', key: 'model.name', type: 'string' },
    { name: 'KAFCLAW_BRAVE_API_KEY', key: 'tools.web.search.apiKey', type: 'string' },
    { name: 'KAFCLAW_OBSERVER_MESSAGE_THRESHOLD', key: 'observer.messageThreshold', type: 'int' },
    { name: 'KAFCLAW_OBSERVER_MAX_OBSERVATIONS', key: 'observer.maxObservations', type: 'int' },
    { name: 'KAFCLAW_GROUP_NAME', key: 'group.groupName', type: 'string' },
  ];
  for (const field of [...PATHS.fields, ...MODEL.fields]) {
    aliases.push({ name: `KAFCLAW_AGENTS_${field.suffix}`, key: field.key, type: field.type });
  }
  // The docs write channel variables with the channel name once: KAFCLAW_CHANNELS_SLACK_BOT_TOKEN.
  for (const g of ENV_GROUPS.filter((candidate) => candidate.prefix.startsWith('CHANNELS_'))) {
    for (const field of g.fields) {
      const rel = field.key.split('.').pop() ?? '';
      const name = field.alt ? `KAFCLAW_CHANNELS_${field.alt}` : `KAFCLAW_${g.prefix}_${snake(rel)}`;
      if (!real.has(name)) aliases.push({ name, key: field.key, type: field.type });
    }
  }
  return aliases.filter((alias) => !real.has(alias.name));
}

let documented: DocumentedAlias[] | undefined;

/**
 * Names the KafClaw docs and the security runbook use but KafClaw's code does not read (facts §1.5
 * mismatch table, plus the channel names written without the doubled channel). This project honours
 * them below every name KafClaw reads.
 */
export function documentedEnvAliases(): readonly DocumentedAlias[] {
  documented ??= buildDocumentedAliases();
  return documented;
}

/** Bare names KafClaw falls back to when the prefixed name is unset (`HOST`, `PORT`, `AUTH_TOKEN`, …). */
export const BARE_ALT_ENV_NAMES: readonly string[] = [
  ...new Set(ENV_GROUPS.flatMap((g) => g.fields.flatMap((f) => (f.alt ? [f.alt] : [])))),
].sort();
