// The server as it runs in production (compiled to dist/ by npm test) stops cleanly on SIGTERM: it
// closes its stores and exits 0 (Apollo's own signal handlers once left it waiting forever).
import { describe, expect, it } from 'vitest';
import { hasServers, productionEnvironment, startProductionServer } from '../harness/compiled.js';

describe('shutdown', () => {
  it.skipIf(!hasServers())(
    'exits 0 soon after SIGTERM',
    async () => {
      const environment = await productionEnvironment();
      try {
        const server = await startProductionServer(environment.env);
        try {
          server.child.kill('SIGTERM');
          const code = await Promise.race([
            server.exited,
            new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000)),
          ]);
          expect(code).toBe(0);
        } finally {
          server.kill();
        }
      } finally {
        await environment.drop();
      }
    },
    60_000,
  );
});
