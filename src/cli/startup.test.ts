import { describe, expect, it } from 'vitest';
import { listenProblem } from './startup.js';

const failure = (code: string) => Object.assign(new Error(`listen ${code}`), { code });

describe('why kouan serve could not listen', () => {
  it('says a port below 1024 needs privileges and suggests 8080', () => {
    expect(listenProblem(failure('EACCES'), 80, '0.0.0.0')?.message).toBe(
      'no permission to listen on port 80 of 0.0.0.0 (ports below 1024 need privileges; put a proxy in front for 80 or 443); choose another port: PORT=8080 npm start, or kouan serve --port 8080',
    );
  });

  it('suggests the next port for a busy one, and leaves unknown errors alone', () => {
    expect(listenProblem(failure('EADDRINUSE'), 8080, '127.0.0.1')?.message).toMatch(/^port 8080 on 127\.0\.0\.1 is already in use .*PORT=8081 npm start, or kouan serve --port 8081$/);
    expect(listenProblem(failure('EMFILE'), 8080, '127.0.0.1')).toBeUndefined();
    expect(listenProblem(new Error('no code'), 8080, '127.0.0.1')).toBeUndefined();
  });
});
