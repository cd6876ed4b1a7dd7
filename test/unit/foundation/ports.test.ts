import net from 'node:net';
import { assertPortFree, freePort, PortInUseError } from '../../../runtime/ports';

describe('port checks', () => {
  it('names the setting to change when a port is taken', async () => {
    const server = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      await expect(assertPortFree(port, 'API', 'API_PORT')).rejects.toThrow(PortInUseError);
      await expect(assertPortFree(port, 'API', 'API_PORT')).rejects.toThrow(
        `Port ${port} (API) is already in use. Stop whatever listens there, or set API_PORT to another port.`,
      );
    } finally {
      server.close();
    }
  });

  it('passes for a free port', async () => {
    await expect(assertPortFree(await freePort(), 'API', 'API_PORT')).resolves.toBeUndefined();
  });
});
