/** What every `./bin/wimm` command answers, and the error for a wrong command line (exit 2 with the usage). */
export type CommandResult = { exitCode: number; output?: unknown };

export class UsageError extends Error {}
