// Cheap questions asked before choosing a data store: does a port answer, is a container runtime there.
import net from 'node:net';

export function portAnswers(port: number, host = '127.0.0.1', timeoutMs = 300): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

let runtime: Promise<boolean> | undefined;

/** Whether testcontainers finds a container runtime (it answers "no" within a second here). */
export function containerRuntimeAvailable(): Promise<boolean> {
  runtime ??= import('testcontainers')
    .then(({ getContainerRuntimeClient }) => getContainerRuntimeClient())
    .then(
      () => true,
      () => false,
    );
  return runtime;
}

/** A store chosen for this process: what it is, why it was chosen, and how to let it go. */
export interface Choice {
  label: string;
  reason: string;
  stop(): Promise<void>;
}
