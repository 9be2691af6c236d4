// Finding Redis: REDIS_URL; else a server on 127.0.0.1:6379; else a testcontainers container; else
// none, and the cache runs in-process (what needs Redis across processes says so when it runs).
import { containerRuntimeAvailable, portAnswers, type Choice } from './probes.js';

export interface FoundRedis extends Choice {
  /** Undefined: no Redis; use the in-process cache. */
  url?: string;
}

export async function findRedis(options: { url?: string }): Promise<FoundRedis> {
  const none = async () => {};
  if (options.url) return { url: options.url, label: 'Redis', reason: 'REDIS_URL is set', stop: none };
  if (await portAnswers(6379))
    return { url: 'redis://127.0.0.1:6379', label: 'Redis on 127.0.0.1:6379', reason: 'a server answers on its standard port', stop: none };
  if (await containerRuntimeAvailable()) {
    const { GenericContainer } = await import('testcontainers');
    const container = await new GenericContainer('redis:7-alpine').withExposedPorts(6379).start();
    return {
      url: `redis://${container.getHost()}:${container.getMappedPort(6379)}`,
      label: 'Redis 7 in a container',
      reason: 'no server found; a container runtime answers',
      stop: async () => {
        await container.stop();
      },
    };
  }
  return {
    label: 'in-process cache (no Redis)',
    reason:
      'no REDIS_URL, nothing on 127.0.0.1:6379, no container runtime; caching is per process and anything that needs Redis across processes is off',
    stop: none,
  };
}
