// Structured JSON logs (pino), one line per record on stdout: what log collectors in a cluster
// expect. Components log through child loggers that carry their name (`component: "informer"`,
// `resource: "pods"`, `controller: "task"`), so one grep or one label query finds a component.
import { type DestinationStream, type Logger, pino } from "pino";

export type { Logger } from "pino";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  level: LogLevel;
  /** Where lines go; stdout when unset (tests pass a buffer). */
  destination?: DestinationStream;
  /** Fields on every line, e.g. the replica identity. */
  base?: Record<string, string | number>;
}

export function createLogger(opts: LoggerOptions): Logger {
  return pino(
    {
      level: opts.level,
      base: { name: "mesos-operator", ...opts.base },
      // ISO timestamps read better than epoch ms and sort the same.
      timestamp: pino.stdTimeFunctions.isoTime,
      // "level":"info" instead of "level":30, for humans and for log queries.
      formatters: { level: (label) => ({ level: label }) },
      // Errors keep their message, stack and our KubeError fields (code, reason).
      serializers: { err: pino.stdSerializers.err },
    },
    opts.destination,
  );
}

/** A logger that drops everything: for unit tests and library defaults. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
