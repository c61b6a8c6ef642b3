// How every command's help and usage errors look: one style for defaults, choices and required
// flags, usage errors as one line plus where to read more, and the environment variables read.
import { Option, type Command, type Help } from 'commander';

export interface FlagSpec {
  /** Parses (and checks) the value; throw commander's InvalidArgumentError to reject it. */
  readonly parse?: (value: string, previous: never) => unknown;
  readonly choices?: readonly string[];
  /** The value commander fills in when the flag is absent (shown as the default). */
  readonly default?: unknown;
  /** A default decided later (by the library or at run time), shown in help only, e.g. 'all cores'. */
  readonly shownDefault?: string | number;
}

/** An option with its description, parser, choices and default in one place. */
export function flag(flags: string, description: string, spec: FlagSpec = {}): Option {
  const option = new Option(flags, description);
  if (spec.choices) option.choices(spec.choices);
  if (spec.parse) option.argParser(spec.parse as (value: string, previous: unknown) => unknown);
  if (spec.default !== undefined) option.default(spec.default);
  if (spec.shownDefault !== undefined) option.defaultValueDescription = String(spec.shownDefault);
  return option;
}

/** "(required; one of: a, b; default: x)" after the description, the same way for every option. */
function describeOption(option: Option): string {
  const extras: string[] = [];
  if (option.mandatory) extras.push('required');
  if (option.argChoices) extras.push(`one of: ${option.argChoices.join(', ')}`);
  const value = option.defaultValue as unknown;
  const shown = option.defaultValueDescription ?? (value !== undefined && typeof value !== 'boolean' ? (Array.isArray(value) ? value.join(',') : String(value)) : undefined);
  if (shown !== undefined && shown !== '') extras.push(`default: ${shown}`);
  return extras.length > 0 ? `${option.description} (${extras.join('; ')})` : option.description;
}

/** Every environment variable densekit reads (grep process.env / hubSettingsFromEnv). */
export const ENVIRONMENT_HELP = `
Environment variables:
  DENSEKIT_DEBUG           set to anything: print stack traces with errors, and log hub and checkpoint details
  DENSEKIT_API_KEY         serve: the API key when --api-key is not given (keeps it out of ps)
  HF_HOME                  Hugging Face home (default: $XDG_CACHE_HOME/huggingface, i.e. ~/.cache/huggingface)
  HF_HUB_CACHE             model cache folder (default: $HF_HOME/hub; HUGGINGFACE_HUB_CACHE also read)
  HF_ENDPOINT              hub URL (default: https://huggingface.co)
  HF_TOKEN                 hub token for gated or private models (HUGGING_FACE_HUB_TOKEN also read;
                           else the file at HF_TOKEN_PATH, default $HF_HOME/token)
  HF_HUB_OFFLINE=1         never use the network, only the cache (TRANSFORMERS_OFFLINE=1 too)
  HF_HUB_DOWNLOAD_TIMEOUT  seconds without data before a download is dropped and resumed (default: 10)
  MILVUS_URI               milvus engine: the server (default for --milvus-uri; at search it overrides the recorded uri)
  MILVUS_TOKEN             milvus engine: "user:password" or an API key (read only from here, never written to disk)
`;

/** The line after a usage error. */
export function helpHint(command: Command): string {
  const name = command.parent ? `densekit ${command.name()}` : 'densekit';
  return `see \`${name} --help\``;
}

/**
 * Applies the help style to the program and (called after every command is registered) to each
 * command: option descriptions as describeOption writes them, and a usage error printed as
 * `densekit: error: ...` plus one line pointing at the command's help, not the whole help.
 */
export function configureCli(program: Command): void {
  const configure = (cmd: Command): void => {
    cmd.configureHelp({ optionDescription: (option: Option) => describeOption(option) } as Partial<Help>);
    cmd.configureOutput({ outputError: (text, write) => write(`densekit: ${text}`) });
    cmd.showHelpAfterError(helpHint(cmd));
  };
  configure(program);
  for (const cmd of program.commands) configure(cmd);
  program.addHelpText('after', ENVIRONMENT_HELP);
}
