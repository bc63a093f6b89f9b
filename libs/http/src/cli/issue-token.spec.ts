import { AccessTokens } from '../auth/access-tokens';
import { CliUsageError } from '@salur/config';
import { jwtConfigFrom } from '../http-platform.config';
import { issueTokenCommand, parseDuration } from './issue-token';

const SECRET = 'cli-unit-test-secret-long-enough-0123456789';

function run(args: string[], env: Record<string, string> = { JWT_SECRET: SECRET }) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  issueTokenCommand(args, env, { stdout: (text) => stdout.push(text), stderr: (text) => stderr.push(text) });
  return { stdout, stderr };
}

describe('token issue', () => {
  it('prints only the token, which the API verifies as the asked actor', () => {
    const { stdout, stderr } = run(['--user', 'insp-1', '--role', 'inspector', '--grant', 'pii', '--ttl', '2h']);

    expect(stderr).toEqual([]);
    expect(stdout).toHaveLength(1);
    const actor = new AccessTokens(jwtConfigFrom({ JWT_SECRET: SECRET })).verify(stdout[0]);
    expect(actor).toEqual({ userId: 'insp-1', role: 'inspector', grants: ['pii'] });
  });

  it('issues the canonical user id, and says so when it differs from --user', () => {
    const { stdout, stderr } = run(['--user', ' FO-Maker ', '--role', 'finance-officer']);

    const actor = new AccessTokens(jwtConfigFrom({ JWT_SECRET: SECRET })).verify(stdout[0]);
    expect(actor.userId).toBe('fo-maker');
    expect(stderr).toEqual(["Note: --user ' FO-Maker ' is issued as 'fo-maker'"]);
  });

  it('refuses a --ttl above JWT_MAX_TTL', () => {
    const args = ['--user', 'u', '--role', 'admin', '--ttl', '9h'];

    expect(() => run(args, { JWT_SECRET: SECRET, JWT_MAX_TTL: '8h' })).toThrow(CliUsageError);
    expect(() => run(args, { JWT_SECRET: SECRET, JWT_MAX_TTL: '8h' })).toThrow(/longer than JWT_MAX_TTL/);
  });

  it('warns on stderr when it signs with the development key', () => {
    const { stdout, stderr } = run(['--user', 'u', '--role', 'admin'], {});

    expect(stdout).toHaveLength(1);
    expect(stderr[0]).toMatch(/JWT_SECRET is not set/);
  });

  it.each([
    [['--role', 'admin'], /--user is required/],
    [['--user', 'u'], /--role is required/],
    [['--user', 'u', '--role', 'root'], /'root' is not one of enrolment-officer, .*admin/],
    [['--user', 'u', '--role', 'admin', '--grant', 'pi'], /known grants are pii/],
    [['--user', 'u', '--role', 'admin', '--ttl', '8 hours'], /not a duration/],
    [['--user', 'u', '--role', 'admin', '--colour', 'red'], /Unknown option '--colour'/],
    [['--user', 'x'.repeat(201), '--role', 'admin'], /user id/],
    [['--user', 'f\u043e-maker', '--role', 'admin'], /--user \(the user id\) must be/],
    [['--user', 'fo maker', '--role', 'admin'], /--user \(the user id\) must be/],
  ])('refuses %j with a usage error', (args, message) => {
    expect(() => run(args)).toThrow(CliUsageError);
    expect(() => run(args)).toThrow(message);
  });
});

describe('parseDuration', () => {
  it.each([
    ['45s', 45],
    ['30m', 1_800],
    ['8h', 28_800],
    ['7d', 604_800],
    ['90', 90],
  ])('reads %s as %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['0', '0h', '-1h', '1.5h', '1w', '32d', ''])('refuses %p', (text) => {
    expect(() => parseDuration(text)).toThrow(CliUsageError);
  });
});
