// The logging the façade needs: pino's (object, message) call shape, so a pino logger fits as is.
export interface ApiLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export const SILENT_LOGGER: ApiLogger = {
  warn: () => {},
  error: () => {},
};
