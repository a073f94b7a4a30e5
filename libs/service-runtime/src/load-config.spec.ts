import { Type } from 'class-transformer';
import { IsInt, IsString, Max, Min } from 'class-validator';
import { loadConfig } from './load-config';

class ExampleEnv {
  @IsString() DATABASE_URL!: string;
  @Type(() => Number) @IsInt() @Min(1) @Max(65535) PORT = 8080;
  @IsString() INTERNAL_TOKEN!: string;
}

describe('loadConfig: the only reader of the environment', () => {
  it('given valid variables, then a typed config with defaults and converted numbers', () => {
    const config = loadConfig(ExampleEnv, { DATABASE_URL: 'postgres://db/x', INTERNAL_TOKEN: 't', PORT: '9000' });
    expect(config).toBeInstanceOf(ExampleEnv);
    expect(config.PORT).toBe(9000);
    expect(loadConfig(ExampleEnv, { DATABASE_URL: 'postgres://db/x', INTERNAL_TOKEN: 't' }).PORT).toBe(8080);
  });

  it('given several bad variables, then it fails at once naming every one of them, and never prints a value', () => {
    let message = '';
    try {
      loadConfig(ExampleEnv, { PORT: '70000', INTERNAL_TOKEN: 'super-secret-value-123', DATABASE_URL: undefined });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Invalid configuration \(2 variable\(s\)\)/);
    expect(message).toContain('- DATABASE_URL:');
    expect(message).toContain('- PORT:');
    expect(message).not.toContain('super-secret-value-123');
    expect(message).not.toContain('70000');
  });

  it('given a secret in a variable that fails validation, then the message names the variable and not its value', () => {
    expect(() => loadConfig(ExampleEnv, { PORT: 'not-a-port', DATABASE_URL: 'postgres://user:hunter2@db/x', INTERNAL_TOKEN: 't' })).toThrow(/PORT/);
    try {
      loadConfig(ExampleEnv, { PORT: 'not-a-port', DATABASE_URL: 'postgres://user:hunter2@db/x', INTERNAL_TOKEN: 't' });
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});
