// A façade on 127.0.0.1 and an ephemeral port over an in-memory backend, for tests.
import { MesosApiServer, type MesosApiServerOptions } from "../http/mesosApiServer.ts";
import { InMemoryBackend, type InMemoryBackendOptions } from "./inMemoryBackend.ts";

export interface TestServer {
  server: MesosApiServer;
  backend: InMemoryBackend;
  baseUrl: string;
  close(): Promise<void>;
}

export async function startTestServer(
  options: {
    backend?: InMemoryBackendOptions | undefined;
    server?: Omit<MesosApiServerOptions, "backend"> | undefined;
  } = {},
): Promise<TestServer> {
  const backend = new InMemoryBackend(options.backend);
  const server = new MesosApiServer({ ...options.server, backend });
  const address = await server.listen(0, "127.0.0.1");
  return {
    server,
    backend,
    baseUrl: `http://127.0.0.1:${address.port}`,
    close: () => server.close(),
  };
}
